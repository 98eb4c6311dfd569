import type { z } from 'zod';
import {
	EVENT_SCHEMA_VERSION,
	GUARDIAN_MUTABLE_FIELDS,
	LIMITS,
	STUDENT_MUTABLE_FIELDS,
	caseEventSchema,
	checkGuardian,
	guardianSchema,
	isRealDate,
	studentSchema,
	type Author,
	type CaseEvent,
	type Guardian,
	type Student
} from '../domain';
import type { MessageKey } from '../i18n';
import {
	CalendarRangeError,
	NoTermError,
	builtinCalendar,
	profileUpdateIssues,
	type Bilingual,
	type Calendar,
	type Profile
} from '../rules';
import type { EventDraft } from '../sync/contract';
import {
	EVENT_FIELDS,
	GUARDIAN_FIELDS,
	fieldOfPath,
	getPath,
	hukouLocalOf,
	payloadOf,
	type ActionType,
	type FieldSpec,
	type FormValues
} from './event-forms';

/**
 * A message for people: a catalogue key (with parameters, some of them keys to translate too),
 * or a sentence that came in both languages.
 */
export type Msg =
	| {
			key: MessageKey;
			params?: Record<string, string | number>;
			tparams?: Record<string, MessageKey>;
	  }
	| { text: Bilingual };

/** The part of the I18n manager `say` needs. */
export interface Speaker {
	t: (key: MessageKey, params?: Record<string, string | number>) => string;
	pick: (text: Bilingual) => string;
}

/** A message in the current language. */
export function say(i18n: Speaker, m: Msg): string {
	if ('text' in m) return i18n.pick(m.text);
	const params: Record<string, string | number> = { ...m.params };
	for (const [k, key] of Object.entries(m.tparams ?? {})) params[k] = i18n.t(key);
	return i18n.t(m.key, params);
}

export type DraftResult =
	{ ok: true; draft: EventDraft } | { ok: false; fields: Record<string, Msg>; form: Msg[] };

/** Splits a domain message written "中文 / English" into its halves. */
export function bilingual(message: string): Bilingual {
	const at = message.indexOf(' / ');
	return at < 0
		? { zh: message, en: message }
		: { zh: message.slice(0, at), en: message.slice(at + 3) };
}

/** A zod issue in words: the domain's own bilingual message, or one by issue code. */
export function issueMsg(issue: z.core.$ZodIssue): Msg {
	if (issue.message.includes(' / ')) return { text: bilingual(issue.message) };
	switch (issue.code) {
		case 'invalid_type':
			return { key: 'issue.required' };
		case 'invalid_value':
			return { key: 'issue.choose' };
		case 'too_small':
			return issue.origin === 'array'
				? { key: 'issue.chooseAtLeast', params: { count: Number(issue.minimum) } }
				: { key: 'issue.required' };
		case 'too_big':
			return { key: 'issue.tooLong' };
		case 'invalid_format':
			return { key: 'issue.format' };
		default:
			return { key: 'issue.invalid' };
	}
}

/** An empty required field: "choose one" for a list, "required" for a box. */
export function emptyMsg(fields: readonly FieldSpec[], name: string): Msg {
	return fields.find((f) => f.name === name)?.kind === 'select'
		? { key: 'issue.choose' }
		: { key: 'issue.required' };
}

/** Maps zod issues onto fields (first message per field); unplaced ones go to the form. */
export function placeIssues(
	issues: readonly z.core.$ZodIssue[],
	fields: readonly FieldSpec[],
	values: FormValues,
	mapPath: (path: string) => string = (p) => p
): { fields: Record<string, Msg>; form: Msg[] } {
	const out: Record<string, Msg> = {};
	const form: Msg[] = [];
	for (const issue of issues) {
		const path = mapPath(issue.path.map(String).join('.'));
		const name = fieldOfPath(fields, path);
		if (!name) {
			form.push(issueMsg(issue));
			continue;
		}
		if (out[name]) continue;
		out[name] = values[name] === '' ? emptyMsg(fields, name) : issueMsg(issue);
	}
	return { fields: out, form };
}

/** Who records, plus the fields the sync layer fills in: only for parsing a draft here. */
function placeholders(author: Author) {
	return { id: 'draft', author, recordedAt: new Date().toISOString(), v: EVENT_SCHEMA_VERSION };
}

/** Parses a draft with the event schema; on success returns it without the placeholders. */
export function checkDraft(
	draft: Record<string, unknown>,
	author: Author,
	fields: readonly FieldSpec[],
	values: FormValues,
	mapPath?: (path: string) => string
): DraftResult {
	const r = caseEventSchema.safeParse({ ...draft, ...placeholders(author) });
	if (r.success) {
		const { id: _id, author: _a, recordedAt: _r, v: _v, ...rest } = r.data;
		return { ok: true, draft: rest };
	}
	return { ok: false, ...placeIssues(r.error.issues, fields, values, mapPath) };
}

/** Values the rules compute and the form shows read-only (S-8: return within the profile's period). */
export function computedValues(
	type: ActionType,
	values: FormValues,
	profile: Profile,
	calendar: Calendar = builtinCalendar(),
	schoolId: string | null = null
): { values: FormValues; errors: Record<string, Msg>; hints: Record<string, Msg> } {
	if (type !== 'deadline_notice_issued') return { values: {}, errors: {}, hints: {} };
	const servedOn = values['servedOn'];
	if (typeof servedOn !== 'string' || !isRealDate(servedOn))
		return { values: { returnBy: '' }, errors: {}, hints: {} };
	const terms = calendar.termsFor(profile.termsPerSchool ? schoolId : null);
	try {
		const returnBy = calendar.addPeriod(servedOn, profile.periods.noticeReturn, terms);
		// G-T3: a date counted through a year without an official schedule is shown as 暂定.
		const hints: Record<string, Msg> = calendar.provisionalBetween(servedOn, returnBy)
			? { returnBy: { key: 'calendar.provisional' } }
			: {};
		return { values: { returnBy }, errors: {}, hints };
	} catch (err) {
		if (!(err instanceof CalendarRangeError) && !(err instanceof NoTermError)) throw err;
		return { values: { returnBy: '' }, errors: { returnBy: { text: err.reason } }, hints: {} };
	}
}

/** The draft of an action-bar event. */
export function actionDraft(
	type: ActionType,
	fields: readonly FieldSpec[],
	values: FormValues,
	author: Author
): DraftResult {
	return checkDraft({ type, ...payloadOf(fields, values) }, author, fields, values);
}

/** The fields of a correction: reason, withdraw, and the target's own fields under `patch.`. */
export function amendFields(target: CaseEvent): FieldSpec[] {
	const own = target.type in EVENT_FIELDS ? EVENT_FIELDS[target.type as ActionType] : [];
	return [
		{ name: 'reason', label: 'field.amendReason', kind: 'textarea', maxChars: LIMITS.reason },
		{ name: 'retract', label: 'field.retract', kind: 'checkbox' },
		...own.filter((f) => !f.computed).map((f) => ({ ...f, name: `patch.${f.name}` }))
	];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * A correction (amend) of `target`: the patch holds the top-level fields that changed. The
 * patched event must still parse (the rules would mark it a conflict otherwise, G-M3).
 */
export function amendDraft(
	target: CaseEvent,
	fields: readonly FieldSpec[],
	values: FormValues,
	today: string,
	author: Author
): DraftResult {
	const patchFields = fields
		.filter((f) => f.name.startsWith('patch.'))
		.map((f) => ({ ...f, name: f.name.slice('patch.'.length) }));
	const patchValues: FormValues = {};
	for (const f of patchFields) patchValues[f.name] = values[`patch.${f.name}`] ?? '';
	const edited = payloadOf(patchFields, patchValues);
	const patch: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(edited)) {
		if (!same(v, getPath(target, k))) patch[k] = v;
	}
	const retract = values['retract'] === true;
	const draft = checkDraft(
		{
			type: 'amend',
			date: today,
			target: target.id,
			retract,
			patch: retract ? {} : patch,
			reason: values['reason']
		},
		author,
		fields,
		values
	);
	if (retract) return draft;
	const errors = draft.ok ? { fields: {}, form: [] } : { fields: draft.fields, form: draft.form };
	if (Object.keys(patch).length === 0) {
		return {
			ok: false,
			fields: errors.fields,
			form: [{ key: 'form.amendNothing' }, ...errors.form]
		};
	}
	const patched = caseEventSchema.safeParse({ ...target, ...patch });
	if (!patched.success) {
		const placed = placeIssues(patched.error.issues, fields, values, (p) => `patch.${p}`);
		return {
			ok: false,
			fields: { ...placed.fields, ...errors.fields },
			form: [...placed.form, ...errors.form]
		};
	}
	return draft;
}

type StudentField = (typeof STUDENT_MUTABLE_FIELDS)[number];
type GuardianField = (typeof GUARDIAN_MUTABLE_FIELDS)[number];

/**
 * A profile update (correction) of the student (G-M4): one change per field of `fields` that
 * differs, each checked with its schema and then with the person checks the relay runs (issue
 * 11: birth date for the grade as of `today`, agreement with the ID number), inline.
 */
export function studentDraft(
	student: Student,
	fields: readonly FieldSpec[],
	values: FormValues,
	today: string,
	author: Author,
	profile: Profile
): DraftResult {
	const edited = payloadOf(fields, values);
	if ('grade' in edited) edited['grade'] = Number(edited['grade']);
	// B-4: not chosen leaves the student's value as it is (a choice cannot be unset).
	if ('hukouLocal' in edited)
		edited['hukouLocal'] = hukouLocalOf(edited['hukouLocal']) ?? student.hukouLocal;
	const changes: { target: 'student'; field: StudentField; value: unknown }[] = [];
	const errors: Record<string, Msg> = {};
	for (const f of fields) {
		const field = f.name as StudentField;
		const value = edited[field];
		if (same(value, student[field])) continue;
		const r = studentSchema.shape[field].safeParse(value);
		const first = r.success ? undefined : r.error.issues[0];
		if (first) errors[field] = values[field] === '' ? emptyMsg(fields, field) : issueMsg(first);
		else changes.push({ target: 'student', field, value: r.data });
	}
	if (Object.keys(errors).length) return { ok: false, fields: errors, form: [] };
	if (!changes.length) return { ok: false, fields: {}, form: [{ key: 'form.noChanges' }] };
	const person = placePersonIssues(
		profileUpdateIssues(student, changes, { today, cohort: profile.cohort }),
		fields
	);
	if (person) return person;
	return checkDraft({ type: 'profile_updated', date: today, changes }, author, fields, values);
}

/** Person-check issues on their fields (the form's own, else above the form); null when none. */
function placePersonIssues(
	issues: readonly { field: string; reason: Bilingual }[],
	fields: readonly FieldSpec[]
): DraftResult | null {
	if (!issues.length) return null;
	const out: Record<string, Msg> = {};
	const form: Msg[] = [];
	for (const i of issues) {
		if (fields.some((f) => f.name === i.field)) out[i.field] ??= { text: i.reason };
		else form.push({ text: i.reason });
	}
	return { ok: false, fields: out, form };
}

/** A change of one guardian's details (G-M4), its phone checked as the relay checks it. */
export function guardianEditDraft(
	guardian: Guardian,
	values: FormValues,
	today: string,
	author: Author
): DraftResult {
	const edited = payloadOf(GUARDIAN_FIELDS, values);
	const changes: {
		target: 'guardian';
		guardianId: string;
		field: GuardianField;
		value: unknown;
	}[] = [];
	const errors: Record<string, Msg> = {};
	for (const f of GUARDIAN_FIELDS) {
		const field = f.name as GuardianField;
		if (same(edited[field], guardian[field])) continue;
		const r = guardianSchema.shape[field].safeParse(edited[field]);
		const first = r.success ? undefined : r.error.issues[0];
		if (first) errors[field] = values[field] === '' ? { key: 'issue.required' } : issueMsg(first);
		else changes.push({ target: 'guardian', guardianId: guardian.id, field, value: r.data });
	}
	if (Object.keys(errors).length) return { ok: false, fields: errors, form: [] };
	if (!changes.length) return { ok: false, fields: {}, form: [{ key: 'form.noChanges' }] };
	const phone = changes.find((c) => c.field === 'phone');
	const person = placePersonIssues(
		phone ? checkGuardian({ phone: String(phone.value) }) : [],
		GUARDIAN_FIELDS
	);
	if (person) return person;
	return checkDraft(
		{ type: 'profile_updated', date: today, changes },
		author,
		GUARDIAN_FIELDS,
		values
	);
}

/** A new guardian or contact (G-M4); `id` must be new on the case. */
export function guardianAddDraft(
	id: string,
	values: FormValues,
	today: string,
	author: Author
): DraftResult {
	const payload = payloadOf(GUARDIAN_FIELDS, values);
	const guardian = { id, ...payload };
	const draft = checkDraft(
		{ type: 'guardian_added', date: today, guardian },
		author,
		GUARDIAN_FIELDS,
		values,
		(p) => p.replace(/^guardian\./, '')
	);
	const phone = typeof payload['phone'] === 'string' ? payload['phone'] : '';
	return (draft.ok && placePersonIssues(checkGuardian({ phone }), GUARDIAN_FIELDS)) || draft;
}
