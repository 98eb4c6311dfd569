import { maskRegistryNo, type CaseEvent, type Guardian, type Student } from '../domain';
import type { MessageKey } from '../i18n';
import {
	EVENT_FIELDS,
	GUARDIAN_FIELDS,
	STUDENT_FIELDS,
	getPath,
	textOf,
	type ActionType,
	type FieldSpec
} from './event-forms';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** One line of an event in words: "方式：家访". */
export interface SummaryLine {
	label: string;
	value: string;
}

/** Yes/no fields whose "no" is itself a finding worth showing (a refusal, an unfit assessment). */
const DECISIONS = new Set(['guardianDutyFulfilled', 'fitToStudy', 'approved', 'registered']);

/** A field's value in words, or null when there is nothing to show. */
export function fieldText(f: FieldSpec, value: unknown, t: Translate): string | null {
	const label = (v: unknown) => {
		const o = f.options?.find((x) => x.value === String(v));
		return o ? t(o.label, o.params) : String(v);
	};
	switch (f.kind) {
		case 'checkbox':
			if (value === true) return t('form.yes');
			return DECISIONS.has(f.name) ? t('form.no') : null;
		case 'multiselect':
		case 'list': {
			const items = Array.isArray(value) ? value : [];
			if (!items.length) return null;
			return items
				.map((v) => (f.kind === 'multiselect' ? label(v) : String(v)))
				.join(t('list.sep'));
		}
		case 'select':
			return value === undefined || value === '' ? null : label(value);
		default:
			return value === undefined || value === null || value === '' ? null : textOf(value);
	}
}

function lines(fields: readonly FieldSpec[], source: unknown, t: Translate): SummaryLine[] {
	const out: SummaryLine[] = [];
	for (const f of fields) {
		if (f.name === 'date') continue;
		const value = fieldText(f, getPath(source, f.name), t);
		if (value !== null) out.push({ label: t(f.label), value });
	}
	return out;
}

/**
 * G-M4: the value each change of every profile update replaced, by event id, for the timeline's
 * "old → new": the case as created, then each update in the rules' order (G-M1, `ordered`);
 * an update the rules did not count (`skip`: its conflicts) replaced nothing.
 */
export function priorValues(
	ordered: readonly CaseEvent[],
	created: { student: Student; guardians: readonly Guardian[] },
	skip: ReadonlySet<string> = new Set()
): Record<string, unknown[]> {
	let student: Record<string, unknown> = { ...created.student };
	const guardians = new Map<string, Record<string, unknown>>(
		created.guardians.map((g) => [g.id, { ...g }])
	);
	const out: Record<string, unknown[]> = {};
	for (const ev of ordered) {
		if (skip.has(ev.id)) continue;
		if (ev.type === 'guardian_added') guardians.set(ev.guardian.id, { ...ev.guardian });
		if (ev.type !== 'profile_updated') continue;
		out[ev.id] = ev.changes.map((c) => {
			if (c.target === 'student') {
				const before = student[c.field];
				student = { ...student, [c.field]: c.value };
				return before;
			}
			const g = guardians.get(c.guardianId);
			const before = g?.[c.field];
			if (g) guardians.set(c.guardianId, { ...g, [c.field]: c.value });
			return before;
		});
	}
	return out;
}

/**
 * The key fields of an event in words (not raw JSON), for the timeline. A profile update with
 * `prior` (what each change replaced, `priorValues`) reads "old → new".
 */
export function describeEvent(
	ev: CaseEvent,
	t: Translate,
	guardians: readonly Guardian[] = [],
	prior?: readonly unknown[]
): SummaryLine[] {
	switch (ev.type) {
		case 'absence':
			return [
				{
					label: t('timeline.absenceKind'),
					value: t(ev.excused ? 'timeline.excused' : 'timeline.unexcused')
				},
				...lines(
					EVENT_FIELDS.absence.filter((f) => f.name !== 'excused'),
					ev,
					t
				)
			];
		case 'amend':
			return [{ label: t('field.amendReason'), value: ev.reason }];
		case 'profile_updated':
			return ev.changes.map((c, i) => {
				const f = (c.target === 'student' ? STUDENT_FIELDS : GUARDIAN_FIELDS).find(
					(x) => x.name === c.field
				);
				// Issue 11: a 学籍号 is shown masked (G+身份证号), whatever the document holds.
				const text = (v: unknown) =>
					(f &&
						fieldText(
							f,
							c.field === 'registryNo' && typeof v === 'string' ? maskRegistryNo(v) : v,
							t
						)) ??
					'—';
				const value = prior
					? t('timeline.fromTo', { from: text(prior[i]), to: text(c.value) })
					: text(c.value);
				if (c.target === 'student') return { label: f ? t(f.label) : c.field, value };
				const who = guardians.find((g) => g.id === c.guardianId)?.name ?? c.guardianId;
				return {
					label: t('timeline.guardianField', { name: who, field: f ? t(f.label) : c.field }),
					value
				};
			});
		case 'guardian_added':
			return lines(GUARDIAN_FIELDS, ev.guardian, t);
		case 'family_linked':
			// B-5: the family is shown in the family panel; the timeline keeps the link and its note.
			return ev.note ? [{ label: t('field.note'), value: ev.note }] : [];
		default:
			return lines(EVENT_FIELDS[ev.type as ActionType], ev, t);
	}
}

/** What a correction changes on its target, in words ("送达日期：2025-10-10"). */
export function describePatch(
	patch: Record<string, unknown>,
	target: CaseEvent | undefined,
	t: Translate
): SummaryLine[] {
	const fields: readonly FieldSpec[] =
		target && target.type in EVENT_FIELDS ? EVENT_FIELDS[target.type as ActionType] : [];
	const out: SummaryLine[] = [];
	for (const [key, value] of Object.entries(patch)) {
		const f = fields.find((x) => x.name === key || x.name.startsWith(`${key}.`));
		if (!f) {
			out.push({ label: key, value: JSON.stringify(value) });
			continue;
		}
		const nested = f.name !== key ? fields.filter((x) => x.name.startsWith(`${key}.`)) : [f];
		for (const nf of nested) {
			const text = fieldText(nf, getPath({ [key]: value }, nf.name), t);
			out.push({ label: t(nf.label), value: text ?? '—' });
		}
	}
	return out;
}
