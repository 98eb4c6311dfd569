import {
	STUDENT_IDENTITY_FIELDS,
	checkBirthDate,
	checkGuardian,
	checkPhone,
	guardianSchema,
	studentSchema,
	type CaseEvent,
	type PersonCheck,
	type PersonCheckContext,
	type PersonIssue,
	type Student
} from '../domain';
import { ORG_NAMES, joinNames } from './messages';
import type { CaseState } from './state';
import type { CheckResult, RefusalCode } from './types';

type ProfileUpdate = Extract<CaseEvent, { type: 'profile_updated' }>;
type GuardianAdded = Extract<CaseEvent, { type: 'guardian_added' }>;

const OK: CheckResult = { ok: true };
const IDENTITY = new Set<string>(STUDENT_IDENTITY_FIELDS);
const refuse = (rule: RefusalCode, zh: string, en: string): CheckResult => ({
	ok: false,
	rule,
	reason: { zh, en }
});

/**
 * G-M4 with issue 11: a profile update names a guardian of the case and values its fields'
 * schemas take; when a person proposes it, identity corrections (name, 出生日期, 性别) come from
 * the orgs the profile names (G-M3), and the record as it would be passes the person checks.
 * Those two only on 'propose': an update stored before them (a street's name change) still
 * counts when the case is folded again, so no old case changes its state.
 */
export function checkProfileUpdate(
	state: CaseState,
	ev: ProfileUpdate,
	asOf: string,
	mode: 'propose' | 'replay'
): CheckResult {
	const who = state.profile.identityCorrection;
	for (const c of ev.changes) {
		if (c.target === 'guardian' && !state.guardians.some((g) => g.id === c.guardianId)) {
			return refuse('G-M4', '没有这位监护人', 'no such guardian');
		}
		const field =
			c.target === 'student' ? studentSchema.shape[c.field] : guardianSchema.shape[c.field];
		const parsed = field.safeParse(c.value);
		if (!parsed.success) {
			// The schema's own words where it has them ("不存在的日期… / not a real date…").
			const m = parsed.error.issues[0]?.message ?? '';
			const at = m.indexOf(' / ');
			return refuse(
				'schema',
				`字段 ${c.field} 的值无效${at < 0 ? '' : `：${m.slice(0, at)}`}`,
				`invalid value for ${c.field}${at < 0 ? '' : `: ${m.slice(at + 3)}`}`
			);
		}
		if (
			mode === 'propose' &&
			c.target === 'student' &&
			IDENTITY.has(c.field) &&
			!who.by.includes(ev.author.orgKind)
		) {
			const names = joinNames(who.by.map((k) => ORG_NAMES[k]));
			return refuse(
				who.rule,
				`学生的姓名、出生日期和性别只能由${names.zh}更正`,
				`only ${names.en} may correct the student's name, date of birth and gender`
			);
		}
	}
	if (mode === 'replay') return OK;
	const ctx = { today: asOf, cohort: state.profile.cohort };
	const first = profileUpdateIssues(state.student, ev.changes, ctx)[0];
	return first ? { ok: false, rule: 'schema', reason: first.reason } : OK;
}

/** A person-check issue of a profile update; a guardian's names the guardian. */
export type ProfileIssue = PersonIssue & { guardianId?: string };

/**
 * Issue 11: the person checks of a profile update on the record as it would leave it, for the
 * fields it touches, each issue on the field a form shows it at: the birth date for the grade
 * (on 出生日期, or on 年级 when only the grade changed), a new ID number, or whether a new
 * 出生日期/性别 agrees with the number on the record (not judged again itself), guardians'
 * phones and ID numbers. `changes` hold values their fields' schemas accept.
 */
export function profileUpdateIssues(
	student: Student,
	changes: ProfileUpdate['changes'],
	ctx: PersonCheckContext
): ProfileIssue[] {
	const out: ProfileIssue[] = [];
	const put = (field: string, r: PersonCheck, guardianId?: string) => {
		if (!r.ok)
			out.push({ field, code: r.code, reason: r.reason, ...(guardianId ? { guardianId } : {}) });
	};
	const touched = new Set<string>();
	let after: Student = student;
	for (const c of changes) {
		if (c.target === 'guardian') {
			if (c.field === 'phone' && typeof c.value === 'string')
				put('phone', checkPhone(c.value), c.guardianId);
			continue;
		}
		const v = studentSchema.shape[c.field].safeParse(c.value);
		if (!v.success) continue; // the schema's refusal comes first (checkProfileUpdate)
		touched.add(c.field);
		after = { ...after, [c.field]: v.data };
	}
	if (touched.has('birthDate') || touched.has('grade')) {
		put(
			touched.has('birthDate') ? 'birthDate' : 'grade',
			checkBirthDate(after.birthDate, after.grade, ctx)
		);
	}
	// Issue 11: the document holds the ID number masked to its region, so its agreement with the
	// birth date and sex is checked by the relay where the number is entered or corrected.
	return out;
}

/** G-M4: a new guardian has a new id; a proposed one passes the person checks (issue 11). */
export function checkGuardianAdded(
	state: CaseState,
	ev: GuardianAdded,
	mode: 'propose' | 'replay'
): CheckResult {
	if (state.guardians.some((g) => g.id === ev.guardian.id)) {
		return refuse('G-M4', '监护人已存在', 'guardian already exists');
	}
	if (mode === 'replay') return OK;
	const first = checkGuardian(ev.guardian)[0];
	return first ? { ok: false, rule: 'schema', reason: first.reason } : OK;
}
