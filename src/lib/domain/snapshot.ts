import { z } from 'zod';
import { caseEventSchema } from './events';
import { authorSchema } from './org';
import { LIMITS, caseChars, caseTooLarge, groupDigits } from './limits';
import { SNAPSHOT_FORMAT, id, isoDateTime, planTextSchema } from './primitives';
import { maskLegacyIds } from './legacy-ids';
import { guardianSchema, studentSchema } from './student';
import { caseNumberSchema } from './case-number';

/** Profile ids the rules module ships (`src/lib/rules/profiles`). */
export const PROFILE_IDS = ['shilong-2022', 'bishan-2024'] as const;
export const profileId = z.enum(PROFILE_IDS);
export type ProfileId = z.infer<typeof profileId>;

/** Which orgs a case belongs to: decides who may see it (DOMAIN.md "Who works on a case"). */
export const caseOrgsSchema = z.strictObject({
	schoolId: id,
	streetId: id,
	communityId: id.optional()
});
export type CaseOrgs = z.infer<typeof caseOrgsSchema>;

/**
 * The whole case as plain JSON: the export format and the input of the rules.
 * `student` and `guardians` are as created; `profile_updated` events are folded on top by
 * `currentProfile` (G-M4). Stage, deadlines and closure are never stored: the rules derive them.
 */
export const caseSnapshotSchema = z.strictObject({
	format: z.literal(SNAPSHOT_FORMAT),
	id,
	/** Issue 12: the human number the relay gave it (`示范区-2026-0001`); absent in older cases. */
	caseNo: caseNumberSchema.optional(),
	profile: profileId,
	createdAt: isoDateTime,
	createdBy: authorSchema,
	orgs: caseOrgsSchema,
	student: studentSchema,
	guardians: z.array(guardianSchema).max(LIMITS.guardians),
	plan: planTextSchema,
	events: z.array(caseEventSchema).max(LIMITS.eventsPerCase, {
		message: `最多 ${groupDigits(LIMITS.eventsPerCase)} 条记录 / at most ${groupDigits(LIMITS.eventsPerCase)} events`
	})
});
export type CaseSnapshot = z.infer<typeof caseSnapshotSchema>;
export type CaseSnapshotInput = z.input<typeof caseSnapshotSchema>;

/** One problem in an input, located by path (e.g. `events.3.date`). */
export interface InputError {
	path: string;
	message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: InputError[] };

/** Turns zod issues into path-level errors a person can act on. */
export function toInputErrors(error: z.ZodError): InputError[] {
	return error.issues.map((i) => ({
		path: i.path.length ? i.path.map(String).join('.') : '(root)',
		message: i.message
	}));
}

/**
 * Path-level errors as one Chinese and one English line: a message written `中文 / English`
 * (the domain's own) gives each language its half.
 */
export function bilingualErrors(errors: readonly InputError[]): { zh: string; en: string } {
	const half = (m: string, i: 0 | 1) => {
		const at = m.indexOf(' / ');
		return at < 0 ? m : i === 0 ? m.slice(0, at) : m.slice(at + 3);
	};
	return {
		zh: errors.map((e) => `${e.path}: ${half(e.message, 0)}`).join('；'),
		en: errors.map((e) => `${e.path}: ${half(e.message, 1)}`).join('; ')
	};
}

/** Validates any value against a schema, returning path-level errors instead of throwing. */
export function parseWith<S extends z.ZodType>(
	schema: S,
	input: unknown
): ParseResult<z.output<S>> {
	const r = schema.safeParse(input);
	return r.success ? { ok: true, value: r.data } : { ok: false, errors: toInputErrors(r.error) };
}

/**
 * Validates a case snapshot (import, relay input, IndexedDB read-back, loading a case): the
 * schema, unique event ids, and the size of the whole case (`LIMITS.caseChars`).
 */
export function parseSnapshot(input: unknown): ParseResult<CaseSnapshot> {
	// Issue 11: a document written before it is read with its full ID numbers masked.
	const r = parseWith(caseSnapshotSchema, maskLegacyIds(input));
	if (!r.ok) return r;
	const seen = new Set<string>();
	const errors: InputError[] = [];
	const tooLarge = caseTooLarge(caseChars(r.value));
	if (tooLarge) errors.push({ path: '(root)', message: `${tooLarge.zh} / ${tooLarge.en}` });
	r.value.events.forEach((e, i) => {
		if (seen.has(e.id))
			errors.push({
				path: `events.${i}.id`,
				message: `重复的事件标识 / duplicate event id ${e.id}`
			});
		seen.add(e.id);
	});
	return errors.length ? { ok: false, errors } : r;
}
