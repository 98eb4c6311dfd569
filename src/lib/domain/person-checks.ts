import { cohortBirthRange, schoolYearOf } from '../rules/cohort';
import { isRealDate } from './primitives';
import { isValidIdNumber } from './student';

/**
 * Checks of a person's data where it enters (issue 11): the new-case form, the guardian forms,
 * the roster import, the relay's case creation and its check of new profile events. Pure: "today"
 * and the cohort are parameters. They are not part of the schemas that parse stored snapshots,
 * so a case stored before these checks still loads.
 */

/** A sentence in both UI languages. */
export interface PersonText {
	zh: string;
	en: string;
}

/** Why a value is refused: a stable code and the sentence. */
export type PersonCheckCode =
	| 'id-format'
	| 'id-checksum'
	| 'id-birth-date'
	| 'id-birth-mismatch'
	| 'id-sex-mismatch'
	| 'birth-future'
	| 'birth-grade'
	| 'phone';

export type PersonCheck = { ok: true } | { ok: false; code: PersonCheckCode; reason: PersonText };

/** One problem of a person's record, located by its field (`birthDate`, `idNumber`, `phone`). */
export interface PersonIssue {
	field: string;
	code: PersonCheckCode;
	reason: PersonText;
}

/** The compulsory-education cohort of a profile (S-1): cutoff `MM-DD`, entry and leaving age. */
export interface CohortRule {
	cutoff: string;
	entryAge: number;
	leavingAge: number;
}

/** What the date checks need: the day of the check, and the day the grade is counted at. */
export interface PersonCheckContext {
	/** The day of the check (China time): no birth date after it. */
	today: string;
	cohort: CohortRule;
	/** The day the grade holds on (a roster's term start); `today` when left out. */
	gradeAsOf?: string;
}

const OK: PersonCheck = { ok: true };
const no = (code: PersonCheckCode, zh: string, en: string): PersonCheck => ({
	ok: false,
	code,
	reason: { zh, en }
});

const GENDER_TEXT = {
	male: { zh: '男', en: 'male' },
	female: { zh: '女', en: 'female' }
} as const;

/** The birth date written in positions 7–14 of an ID number (YYYY-MM-DD, maybe impossible). */
export function idNumberBirthDate(id: string): string {
	return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** GB 11643-1999: the 17th character is odd for a man, even for a woman. */
export function idNumberGender(id: string): 'male' | 'female' {
	return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

/**
 * A resident ID number per GB 11643-1999: 18 characters, ISO 7064 MOD 11-2 check digit, a real
 * birth date in positions 7–14, and — when the record gives them — the same birth date and sex
 * as its 出生日期 and 性别 fields. The first problem found, in that order.
 */
export function checkIdNumber(
	id: string,
	person: { birthDate?: string | undefined; gender?: 'male' | 'female' | undefined } = {}
): PersonCheck {
	if (!/^\d{17}[\dXx]$/.test(id)) {
		return no(
			'id-format',
			`身份证号应为 18 位：17 位数字加 1 位数字或 X（现为 ${[...id].length} 位）`,
			`an ID number has 18 characters: 17 digits and a digit or X (this one has ${[...id].length})`
		);
	}
	if (!isValidIdNumber(id)) {
		return no(
			'id-checksum',
			'身份证号校验位错误，请逐位核对',
			"the ID number's check digit is wrong; check every digit"
		);
	}
	const born = idNumberBirthDate(id);
	if (!isRealDate(born)) {
		return no(
			'id-birth-date',
			`身份证号中的出生日期不存在：${id.slice(6, 14)}`,
			`the birth date in the ID number does not exist: ${id.slice(6, 14)}`
		);
	}
	return idNumberMatches(id, person);
}

/**
 * Whether a well-formed ID number agrees with the record's 出生日期 and 性别 (each checked only
 * when given and itself valid).
 */
export function idNumberMatches(
	id: string,
	person: { birthDate?: string | undefined; gender?: 'male' | 'female' | undefined }
): PersonCheck {
	const born = idNumberBirthDate(id);
	if (person.birthDate && isRealDate(person.birthDate) && person.birthDate !== born) {
		return no(
			'id-birth-mismatch',
			`身份证号中的出生日期（${born}）与出生日期（${person.birthDate}）不一致`,
			`the birth date in the ID number (${born}) differs from the date of birth (${person.birthDate})`
		);
	}
	const sex = idNumberGender(id);
	if (person.gender && person.gender !== sex) {
		return no(
			'id-sex-mismatch',
			`身份证号第 17 位表示${GENDER_TEXT[sex].zh}性，与性别（${GENDER_TEXT[person.gender].zh}）不一致`,
			`the 17th digit of the ID number says ${GENDER_TEXT[sex].en}, the gender field says ${GENDER_TEXT[person.gender].en}`
		);
	}
	return OK;
}

/**
 * How far a student's age may be from the usual age of the grade, in whole school years. One
 * year younger: some districts admit children born in the autumn a year early. Three years
 * older: late entry (migrant and left-behind children), repeated grades, and a year or two of
 * 延缓入学/休学 (S-10, renewed yearly). A date outside this is almost certainly a typo.
 */
export const GRADE_AGE_TOLERANCE = { younger: 1, older: 3 } as const;

/**
 * A birth date plausible for a student of `grade` (1–9): not after today, and within
 * `GRADE_AGE_TOLERANCE` of the usual age of the grade. The usual age of grade g is entryAge + g − 1
 * (g + 5) counted as the cohort counts it (cohort.ts, S-1): a grade-1 class of school year Y is
 * born cutoff (Y−7) … the day before cutoff (Y−6), so a child born on 1 September is the younger.
 */
export function checkBirthDate(
	birthDate: string,
	grade: number,
	ctx: PersonCheckContext
): PersonCheck {
	if (!isRealDate(birthDate)) return OK; // the schema says so, in its own words
	if (birthDate > ctx.today) {
		return no(
			'birth-future',
			`出生日期 ${birthDate} 晚于今天（${ctx.today}）`,
			`the date of birth ${birthDate} is after today (${ctx.today})`
		);
	}
	const year = schoolYearOf(ctx.gradeAsOf ?? ctx.today, ctx.cohort);
	const usual = ctx.cohort.entryAge + grade - 1;
	const ages = (younger: number, older: number) =>
		cohortBirthRange(year, {
			cutoff: ctx.cohort.cutoff,
			entryAge: usual - younger,
			leavingAge: usual + older + 1
		});
	const allowed = ages(GRADE_AGE_TOLERANCE.younger, GRADE_AGE_TOLERANCE.older);
	if (birthDate >= allowed.from && birthDate <= allowed.to) return OK;
	const normal = ages(0, 0);
	return no(
		'birth-grade',
		`出生日期 ${birthDate} 与 ${grade} 年级不符：${year}–${year + 1} 学年 ${grade} 年级的学生一般出生于 ${normal.from} 至 ${normal.to}（可相差 ${allowed.from} 至 ${allowed.to}）`,
		`the date of birth ${birthDate} does not fit grade ${grade}: in school year ${year}–${year + 1} grade ${grade} is usually born ${normal.from} to ${normal.to} (${allowed.from} to ${allowed.to} allowed)`
	);
}

const MOBILE = /^(?:\+86|0086)?1[3-9]\d{9}$/;
/** Area code 0xx/0xxx, optional hyphen, a 7–8 digit number, optional extension (-123, 转123). */
const LANDLINE = /^0\d{2,3}-?[1-9]\d{6,7}(?:(?:-|转)\d{1,6})?$/;

/**
 * A mainland phone number: a mobile (1[3-9] and 9 more digits, optionally +86 or 0086, spaces or
 * hyphens anywhere) or a landline (0xx/0xxx area code, 7–8 digits, optional extension). Empty is
 * allowed: every phone field is optional. The value is stored as typed (trimmed): people read
 * and dial it as they wrote it, and `tel:` links accept spaces and hyphens.
 */
export function checkPhone(phone: string): PersonCheck {
	const s = phone.trim();
	if (s === '') return OK;
	if (MOBILE.test(s.replace(/[\s-]/g, ''))) return OK;
	if (LANDLINE.test(s.replace(/\s+/g, '-').replace(/-{2,}/g, '-'))) return OK;
	return no(
		'phone',
		`电话号码格式不正确：${s}（手机号为 11 位，如 138 0000 0000；座机如 0375-1234567）`,
		`not a phone number: ${s} (a mobile has 11 digits, e.g. 138 0000 0000; a landline e.g. 0375-1234567)`
	);
}

/** The fields of a student the checks read (a new case, a roster row, a corrected profile). */
export interface StudentFacts {
	birthDate: string;
	gender: 'male' | 'female';
	grade: number;
	idNumber?: string | null | undefined;
}

const issue = (field: string, r: PersonCheck): PersonIssue[] =>
	r.ok ? [] : [{ field, code: r.code, reason: r.reason }];

/** Every check of a new student record: the birth date for the grade, the ID number. */
export function checkStudent(s: StudentFacts, ctx: PersonCheckContext): PersonIssue[] {
	return [
		...issue('birthDate', checkBirthDate(s.birthDate, s.grade, ctx)),
		...(s.idNumber ? issue('idNumber', checkIdNumber(s.idNumber, s)) : [])
	];
}

/** Every check of a new guardian record: the phone, the ID number when given. */
export function checkGuardian(g: { phone?: string; idNumber?: string | undefined }): PersonIssue[] {
	return [
		...issue('phone', checkPhone(g.phone ?? '')),
		...(g.idNumber ? issue('idNumber', checkIdNumber(g.idNumber)) : [])
	];
}

/** An issue as the domain writes messages in path-level errors: `中文 / English`. */
export function personIssueText(i: Pick<PersonIssue, 'reason'>): string {
	return `${i.reason.zh} / ${i.reason.en}`;
}
