import { z } from 'zod';
import { LIMITS, tooLongMessage } from './limits';

export { EVENT_SCHEMA_VERSION, SNAPSHOT_FORMAT } from './versions';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date written as YYYY-MM-DD (2025-02-30 is not). */
export function isRealDate(s: string): boolean {
	const m = DATE_RE.exec(s);
	if (!m) return false;
	const y = Number(m[1]);
	const mo = Number(m[2]);
	const d = Number(m[3]);
	if (mo < 1 || mo > 12 || d < 1) return false;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
	return d <= days;
}

/** A calendar date in China time, `YYYY-MM-DD`. */
export const isoDate = z
	.string()
	.refine(isRealDate, { message: '不存在的日期，应为 YYYY-MM-DD / not a real date (YYYY-MM-DD)' });
export type IsoDate = z.infer<typeof isoDate>;

/** An instant, ISO 8601 with offset or Z (e.g. 2025-10-09T08:30:00.000Z). */
export const isoDateTime = z.iso.datetime({
	offset: true,
	message: '时间格式错误 / not an ISO 8601 date-time'
});

/** Opaque identifiers: short, URL-safe. */
export const id = z
	.string()
	.regex(/^[A-Za-z0-9_-]{1,64}$/, { message: '标识符格式错误 / malformed id' });

/** A text of at most `max` characters (`LIMITS`), refused with a bilingual message. */
export const boundedText = (max: number) => z.string().max(max, { message: tooLongMessage(max) });
/** A short single-line text a person typed (names, numbers). */
export const shortText = z
	.string()
	.trim()
	.min(1, { message: '必填 / required' })
	.max(LIMITS.shortText, { message: tooLongMessage(LIMITS.shortText) });
/** A free text a person typed (notes). */
export const longText = boundedText(LIMITS.note);
/** The persuasion plan's text. */
export const planTextSchema = boundedText(LIMITS.plan);

export { chinaDate } from './china-date';
export * from './limits';
