import {
	STUDENT_IDENTITY_FIELDS,
	checkBirthDate,
	checkIdNumber,
	checkPhone,
	guardianSchema,
	idNumberMatches,
	isValidIdNumber,
	studentSchema,
	type CaseEvent,
	type Guardian,
	type PersonCheck,
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
const failed = (r: PersonCheck): CheckResult =>
	r.ok ? OK : { ok: false, rule: 'schema', reason: r.reason };

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
	return checkStudentAfter(state, ev, asOf) ?? checkGuardiansAfter(ev) ?? OK;
}

/** The person checks of the student as the update leaves it, for the fields it touches. */
function checkStudentAfter(state: CaseState, ev: ProfileUpdate, asOf: string): CheckResult | null {
	const touched = new Set<string>();
	let after: Student = state.student;
	for (const c of ev.changes) {
		if (c.target !== 'student') continue;
		touched.add(c.field);
		after = { ...after, [c.field]: studentSchema.shape[c.field].parse(c.value) };
	}
	if (touched.size === 0) return null;
	if (touched.has('birthDate') || touched.has('grade')) {
		const r = checkBirthDate(after.birthDate, after.grade, {
			today: asOf,
			cohort: state.profile.cohort
		});
		if (!r.ok) return failed(r);
	}
	const id = after.idNumber;
	if (id && touched.has('idNumber')) {
		const r = checkIdNumber(id, after);
		if (!r.ok) return failed(r);
	} else if (id && isValidIdNumber(id) && (touched.has('birthDate') || touched.has('gender'))) {
		// A stored number is not judged again here, only whether the new 出生日期/性别 agree with it.
		const r = idNumberMatches(id, after);
		if (!r.ok) return failed(r);
	}
	return null;
}

/** The person checks of each guardian field the update changes: the phone, an ID number. */
function checkGuardiansAfter(ev: ProfileUpdate): CheckResult | null {
	for (const c of ev.changes) {
		if (c.target !== 'guardian') continue;
		if (c.field === 'phone' && typeof c.value === 'string') {
			const r = checkPhone(c.value);
			if (!r.ok) return failed(r);
		}
		if (c.field === 'idNumber' && typeof c.value === 'string' && c.value) {
			const r = checkIdNumber(c.value);
			if (!r.ok) return failed(r);
		}
	}
	return null;
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
	const g: Guardian = ev.guardian;
	const phone = checkPhone(g.phone);
	if (!phone.ok) return failed(phone);
	return g.idNumber ? failed(checkIdNumber(g.idNumber)) : OK;
}
