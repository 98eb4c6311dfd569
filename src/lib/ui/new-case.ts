import { z } from 'zod';
import {
	FOCUS_GROUPS,
	PROFILE_IDS,
	checkGuardian,
	checkStudent,
	guardianInputSchema,
	studentInputSchema,
	type ProfileId
} from '../domain';
import { getProfile, type Bilingual } from '../rules';
import type { WorkspaceApi } from '../sync/contract';
import '../i18n/features/case-truth';
import {
	fieldOfPath,
	hukouLocalField,
	hukouLocalOf,
	payloadOf,
	type FieldSpec,
	type FormValues
} from './event-forms';
import { bilingual, emptyMsg, issueMsg, type Msg } from './form-drafts';

export type NewCaseInput = Parameters<WorkspaceApi['createCase']>[0];

const opts = (values: readonly string[], prefix: string) =>
	values.map((value) => ({ value, label: `${prefix}.${value}` as FieldSpec['label'] }));

/** The student's fields (names are paths in the request the relay checks). */
export const NEW_STUDENT_FIELDS: readonly FieldSpec[] = [
	{ name: 'student.name', label: 'student.name', kind: 'text' },
	{
		name: 'student.gender',
		label: 'student.gender',
		kind: 'select',
		options: opts(['male', 'female'], 'gender')
	},
	{ name: 'student.birthDate', label: 'student.birthDate', kind: 'date' },
	{ name: 'student.registryNo', label: 'student.registryNo', kind: 'text' },
	{ name: 'student.idNumber', label: 'student.idNumber', kind: 'text', optional: true },
	{
		name: 'student.grade',
		label: 'student.grade',
		kind: 'select',
		options: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => ({
			value: String(g),
			label: 'student.gradeValue' as const,
			params: { grade: g }
		}))
	},
	{ name: 'student.className', label: 'student.className', kind: 'text', optional: true },
	{ name: 'student.hukouPlace', label: 'student.hukouPlace', kind: 'text', optional: true },
	hukouLocalField('student.hukouLocal'),
	{ name: 'student.residence', label: 'student.residence', kind: 'text', optional: true },
	{
		name: 'student.focusGroups',
		label: 'student.focusGroups',
		kind: 'multiselect',
		options: opts(FOCUS_GROUPS, 'focus'),
		optional: true
	}
];

/** One guardian (optional as a whole: leave all three empty). */
export const NEW_GUARDIAN_FIELDS: readonly FieldSpec[] = [
	{ name: 'guardian.name', label: 'guardian.name', kind: 'text' },
	{ name: 'guardian.relation', label: 'guardian.relation', kind: 'text' },
	{ name: 'guardian.phone', label: 'guardian.phone', kind: 'text', optional: true }
];

export const PROFILE_FIELD: FieldSpec = {
	name: 'profile',
	label: 'newCase.profile',
	kind: 'select',
	options: opts(PROFILE_IDS, 'profile')
};

export const ALL_FIELDS: readonly FieldSpec[] = [
	...NEW_STUDENT_FIELDS,
	...NEW_GUARDIAN_FIELDS,
	PROFILE_FIELD,
	{ name: 'schoolId', label: 'newCase.schoolId', kind: 'text' }
];

/** Empty values of the new-case form. */
export function newCaseValues(): FormValues {
	const v: FormValues = { profile: 'shilong-2022', schoolId: '', communityId: '' };
	for (const f of [...NEW_STUDENT_FIELDS, ...NEW_GUARDIAN_FIELDS])
		v[f.name] = f.kind === 'multiselect' ? [] : '';
	return v;
}

const requestSchema = z.object({
	student: studentInputSchema,
	guardians: z.array(guardianInputSchema).max(1)
});

export type NewCaseResult =
	{ ok: true; input: NewCaseInput } | { ok: false; fields: Record<string, Msg>; form: Msg[] };

/** The request path of an error → the form's field name ("guardians.0.phone" → "guardian.phone"). */
export function fieldOfRequestPath(path: string): string | null {
	return fieldOfPath(ALL_FIELDS, path.replace(/^guardians\.0\./, 'guardian.'));
}

/**
 * Builds the create-case request from the form and checks it with the same schemas and person
 * checks as the relay (issue 11: birth date for the grade as of `today`, ID number, phone), so
 * most mistakes show next to their fields before anything is sent. `schoolId` is the bureau's
 * choice; a school creates cases of its own school.
 */
export function buildNewCase(
	values: FormValues,
	withSchool: boolean,
	today: string
): NewCaseResult {
	const p = payloadOf(ALL_FIELDS, values);
	const student = { ...(p['student'] as Record<string, unknown>) };
	student['grade'] = student['grade'] === '' ? undefined : Number(student['grade']);
	if (student['idNumber'] === '') delete student['idNumber'];
	// B-4: 户籍在本区 stays unknown until chosen (the migrant flag is the fallback, isNonLocal).
	const local = hukouLocalOf(student['hukouLocal']);
	if (local === undefined) delete student['hukouLocal'];
	else student['hukouLocal'] = local;
	const g = p['guardian'] as Record<string, string>;
	const guardians = g['name'] || g['relation'] || g['phone'] ? [g] : [];
	const fields: Record<string, Msg> = {};
	const form: Msg[] = [];
	const r = requestSchema.safeParse({ student, guardians });
	if (!r.success) {
		for (const issue of r.error.issues) {
			const name = fieldOfRequestPath(issue.path.map(String).join('.'));
			if (!name) form.push(issueMsg(issue));
			else fields[name] ??= values[name] === '' ? emptyMsg(ALL_FIELDS, name) : issueMsg(issue);
		}
	}
	if (r.success) {
		const profile = PROFILE_IDS.includes(p['profile'] as ProfileId)
			? (p['profile'] as ProfileId)
			: 'shilong-2022';
		const ctx = { today, cohort: getProfile(profile).cohort };
		for (const i of checkStudent(r.data.student, ctx))
			fields[`student.${i.field}`] ??= { text: i.reason };
		for (const g of r.data.guardians)
			for (const i of checkGuardian(g)) fields[`guardian.${i.field}`] ??= { text: i.reason };
	}
	const schoolId = typeof p['schoolId'] === 'string' ? p['schoolId'].trim() : '';
	if (withSchool && !schoolId) fields['schoolId'] = { key: 'issue.required' };
	const c = values['communityId'];
	const communityId = typeof c === 'string' ? c.trim() : '';
	if (Object.keys(fields).length || form.length || !r.success) return { ok: false, fields, form };
	return {
		ok: true,
		input: {
			profile: p['profile'] as ProfileId,
			student: r.data.student,
			guardians: r.data.guardians,
			...(withSchool ? { schoolId } : {}),
			...(communityId ? { communityId } : {})
		}
	};
}

/** The relay's answer to a create request, placed on the form. */
export function placeServerErrors(
	errors: readonly { path: string; message: string }[],
	message: Bilingual | undefined
): { fields: Record<string, Msg>; form: Msg[] } {
	const fields: Record<string, Msg> = {};
	const form: Msg[] = [];
	for (const e of errors) {
		const name = fieldOfRequestPath(e.path);
		const text = bilingual(e.message);
		if (name) fields[name] ??= { text };
		else form.push({ text });
	}
	if (message) form.unshift({ text: message });
	return { fields, form };
}
