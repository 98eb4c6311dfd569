/**
 * ID numbers and 学籍号 without a schema library (issue 11): the checksum, finding a full
 * number in text, and the masked forms. Imported by the first screen (the local index), so it
 * must not pull in zod.
 */

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

/** `text` with every full ID number masked to its region (same length: masks in place). */
export function maskIdsInText(text: string): string {
	return text.replace(new RegExp(ID_LIKE.source, 'g'), (m) => maskIdNumber(m));
}

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

/**
 * A 学籍号 as shown, printed and exported: one that embeds an ID number ("G"+身份证号) is
 * masked like the ID number (issue 11); any other is unchanged. Idempotent.
 */
export function maskRegistryNo(s: string): string {
	return /^[A-Za-z][0-9]{17}[0-9Xx]$/.test(s)
		? s.slice(0, 1) + maskIdNumber(s.slice(1).toUpperCase())
		: s;
}
