import { z } from 'zod';
import { chinaDate } from './china-date';

/**
 * Issue 12: the human case number people read, say and print, `示范区-2026-0001`: the
 * district's short name, the China-time year the relay created the case in, and a sequence
 * per district and year (at least 4 digits). The UUID stays the internal id and the URL.
 */
export const caseNumberSchema = z
	.string()
	.max(60)
	.regex(/^[^\s-][^\s]*-\d{4}-\d{4,}$/u, { message: '案件编号格式错误 / malformed case number' });

/** Used when a database has no district org to take the name from. */
export const FALLBACK_DISTRICT = '本区';

/**
 * The district's short name from its org name: 「示范区人民政府」 → 「示范区」. Hyphens and
 * spaces are dropped, so the number's three parts stay apart.
 */
export function districtShortName(orgName: string | null | undefined): string {
	const short = (orgName ?? '')
		.replace(/\s|-/gu, '')
		.replace(/(人民政府|政府|教育体育局|教育局)$/u, '');
	return short || FALLBACK_DISTRICT;
}

/** `<district>-<year>-`: the numbers of one district and year share it. */
export function caseNumberPrefix(district: string, createdAt: string): string {
	return `${district}-${chinaDate(new Date(createdAt)).slice(0, 4)}-`;
}

/** `<prefix><sequence, 4 digits at least>`. */
export function formatCaseNumber(prefix: string, sequence: number): string {
	return `${prefix}${String(sequence).padStart(4, '0')}`;
}

/** The sequence of a number of that prefix, or null for another prefix. */
export function caseNumberSequence(prefix: string, caseNo: string): number | null {
	if (!caseNo.startsWith(prefix)) return null;
	const rest = caseNo.slice(prefix.length);
	return /^\d{4,}$/u.test(rest) ? Number(rest) : null;
}
