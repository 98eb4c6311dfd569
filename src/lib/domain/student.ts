import { z } from 'zod';
import { LIMITS, tooLongMessage } from './limits';
import { boundedText, id, isoDate, shortText } from './primitives';
import { maskRegistryNo } from './id-mask';

export {
	FULL_ID_REFUSAL,
	containsFullIdNumber,
	isValidIdNumber,
	maskIdNumber,
	maskIdsInText,
	maskRegistryNo
} from './id-mask';

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
