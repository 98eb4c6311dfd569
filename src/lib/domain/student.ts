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

/**
 * 学籍号: "G"+身份证号 (official), "L" temporary, "J" without a usable ID number
 * (research/domain-china.md §1.3). We accept the letter and 10–19 further characters.
 */
export const registryNo = z
	.string()
	.regex(/^[GLJ][0-9A-Za-z]{10,19}$/, { message: '学籍号格式错误 / malformed registry number' });

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

/** Masks an ID number for display: first 6 and last 4 kept (e.g. 410402********123X). */
export function maskIdNumber(s: string): string {
	if (s.length <= 10) return '*'.repeat(s.length);
	return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

export const studentSchema = z.strictObject({
	name: shortText,
	gender: z.enum(GENDERS),
	birthDate: isoDate,
	/** Sensitive: shown masked by default; revealing it is audited. */
	idNumber: idNumber.optional(),
	registryNo,
	schoolId: id,
	grade: z.number().int().min(1).max(9),
	className: boundedText(LIMITS.tag).default(''),
	hukouPlace: boundedText(LIMITS.place).default(''),
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
	idNumber: idNumber.optional(),
	workingAway: z.boolean().default(false)
});
export type Guardian = z.infer<typeof guardianSchema>;

/** The student fields a profile update may change (G-M4): last writer wins per field. */
export const STUDENT_MUTABLE_FIELDS = [
	'name',
	'birthDate',
	'gender',
	'idNumber',
	'registryNo',
	'grade',
	'className',
	'hukouPlace',
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
	'idNumber',
	'workingAway'
] as const;

/** A responsible person (专人) named when a suspected case opens (S-4b). */
export const personSchema = z.strictObject({
	name: shortText,
	userId: id.optional(),
	phone: boundedText(LIMITS.tag).default('')
});
