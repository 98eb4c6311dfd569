import { z } from 'zod';
import { LIMITS, tooLongMessage } from './limits';
import { boundedText, id, isoDate, shortText } from './primitives';

/** Focus groups of B-6 (and the 2024 MOE priority groups). */
export const FOCUS_GROUPS = [
	'left_behind', // 农村留守儿童
	'registered_poor', // 建档立卡/脱贫家庭
	'low_income', // 家庭经济困难
	'in_difficulty', // 困境儿童
	'disabled', // 残疾
	'migrant' // 随迁子女
] as const;
export const focusGroup = z.enum(FOCUS_GROUPS);
export type FocusGroup = z.infer<typeof focusGroup>;

export const GENDERS = ['male', 'female'] as const;

/** 18-character resident ID number (last character may be X). Checksum validated by `isValidIdNumber`. */
export const idNumber = z
	.string()
	.regex(/^\d{17}[\dXx]$/, { message: '身份证号格式错误 / malformed ID number' });

/** ISO 7064 MOD 11-2 checksum of an 18-digit resident ID number. */
export function isValidIdNumber(s: string): boolean {
	if (!/^\d{17}[\dXx]$/.test(s)) return false;
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(s[i]) * (w[i] ?? 0);
	return '10X98765432'[sum % 11] === s[17]?.toUpperCase();
}

/**
 * Eighteen characters that read as a resident ID number (a region code, a birth date between
 * 1900 and 2099, a sequence and a check character), whatever the check digit: a mistyped ID
 * number is still a child's ID number (issue 11).
 */
const ID_LIKE =
	/(?<![0-9])[0-9]{6}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9A-Za-z])/;

/** True when `text` holds a full ID number anywhere (issue 11: documents carry masked forms only). */
export function containsFullIdNumber(text: string): boolean {
	return ID_LIKE.test(text);
}

/**
 * The refusal of a change that writes a full ID number into a case document (issue 11): the
 * app's check and the relay's alike.
 */
export const FULL_ID_REFUSAL = {
	rule: 'id-number',
	reason: {
		zh: '完整身份证号不能写入案件记录；请在学生信息的「身份证号」处填写（单独保存，查看留痕）',
		en: "a full ID number may not be written into the case record; enter it as the student's ID number (kept apart, every view audited)"
	}
} as const;

/**
 * Masks an ID number: the region (first 6 digits) kept, the rest starred (410402************).
 * Not the common 6+4 form: digits 7–14 are the birth date, which the case shows anyway, so 6+4
 * would leave only the birth date hidden and the full number could be read off the case; hiding
 * the sequence and check digit leaves some 500 candidates, so the audited reveal means something.
 */
export function maskIdNumber(s: string): string {
	return s.slice(0, 6) + '*'.repeat(Math.max(0, s.length - 6));
}

/** The masked form documents carry instead of an ID number (`maskIdNumber`). */
export const maskedIdNumber = z.string().regex(/^\d{6}\*{12}$/, {
	message: '身份证号须为脱敏形式 / the ID number must be masked'
});

/**
 * 学籍号: "G"+身份证号 (official), "L" temporary, "J" without a usable ID number
 * (research/domain-china.md §1.3). As entered (a roster row, the new-case form): the letter and
 * 10–19 further characters.
 */
export const registryNoInput = z
	.string()
	.regex(/^[GLJ][0-9A-Za-z]{10,19}$/, { message: '学籍号格式错误 / malformed registry number' });

/**
 * A 学籍号 as shown, printed and exported: one that embeds an ID number ("G"+身份证号) is
 * masked like the ID number (issue 11); any other is unchanged. Idempotent.
 */
export function maskRegistryNo(s: string): string {
	return /^[A-Za-z][0-9]{17}[0-9Xx]$/.test(s)
		? s.slice(0, 1) + maskIdNumber(s.slice(1).toUpperCase())
		: s;
}

/** A 学籍号 as a case document holds it: masked when it embeds an ID number (issue 11). */
export const registryNo = z
	.string()
	.regex(/^[GLJ][0-9A-Za-z*]{10,19}$/, { message: '学籍号格式错误 / malformed registry number' })
	.refine((s) => maskRegistryNo(s) === s, {
		message: '学籍号含完整身份证号，须脱敏 / a registry number holding an ID number must be masked'
	});

export const studentSchema = z.strictObject({
	name: shortText,
	gender: z.enum(GENDERS),
	birthDate: isoDate,
	/**
	 * Sensitive: the document holds the masked form only; the full number is in the relay's own
	 * table, shown by an audited reveal (issue 11).
	 */
	idMasked: maskedIdNumber.optional(),
	registryNo,
	schoolId: id,
	grade: z.number().int().min(1).max(9),
	className: boundedText(LIMITS.tag).default(''),
	hukouPlace: boundedText(LIMITS.place).default(''),
	/**
	 * B-4: whether the student's 户籍 is in this district. Optional: unknown (and every document
	 * written before the field) falls back to the `migrant` focus group (`isNonLocal`).
	 */
	hukouLocal: z.boolean().optional(),
	residence: boundedText(LIMITS.place).default(''),
	focusGroups: z.array(focusGroup).default([])
});
export type Student = z.infer<typeof studentSchema>;

export const guardianSchema = z.strictObject({
	id,
	name: shortText,
	relation: z
		.string()
		.trim()
		.min(1)
		.max(LIMITS.tag, { message: tooLongMessage(LIMITS.tag) }),
	phone: boundedText(LIMITS.tag).default(''),
	address: boundedText(LIMITS.place).default(''),
	/** Masked like the student's (issue 11). */
	idMasked: maskedIdNumber.optional(),
	workingAway: z.boolean().default(false)
});
export type Guardian = z.infer<typeof guardianSchema>;

/**
 * The student as the new-case form and the roster enter it: the full ID number and 学籍号,
 * which the relay moves to its own table, leaving the masked forms in the document (issue 11).
 */
export const studentInputSchema = studentSchema
	.omit({ schoolId: true, idMasked: true, registryNo: true })
	.extend({ idNumber: idNumber.optional(), registryNo: registryNoInput });
export type StudentInput = z.input<typeof studentInputSchema>;

/** A guardian as entered (see `studentInputSchema`). */
export const guardianInputSchema = guardianSchema
	.omit({ id: true, idMasked: true })
	.extend({ idNumber: idNumber.optional() });
export type GuardianInput = z.input<typeof guardianInputSchema>;

/** The student fields a profile update may change (G-M4): last writer wins per field. */
export const STUDENT_MUTABLE_FIELDS = [
	'name',
	'birthDate',
	'gender',
	'idMasked',
	'registryNo',
	'grade',
	'className',
	'hukouPlace',
	'hukouLocal',
	'residence',
	'focusGroups'
] as const;
/**
 * The student's identity: corrected only by the orgs the profile names (`identityCorrection`,
 * G-M3, issue 11); a correction is a profile update, shown on the timeline with old and new value.
 */
export const STUDENT_IDENTITY_FIELDS = ['name', 'birthDate', 'gender'] as const;
export const GUARDIAN_MUTABLE_FIELDS = [
	'name',
	'relation',
	'phone',
	'address',
	'idMasked',
	'workingAway'
] as const;

/** A responsible person (专人) named when a suspected case opens (S-4b). */
export const personSchema = z.strictObject({
	name: shortText,
	userId: id.optional(),
	phone: boundedText(LIMITS.tag).default('')
});
