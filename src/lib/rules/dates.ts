/**
 * Calendar-day arithmetic over `YYYY-MM-DD` strings in China time (DOMAIN.md "Time"). Every date
 * is an integer day number (days since 1970-01-01), so a look-up is an index, not a Date. Needs
 * no holiday data: working days and school days are in calendar.ts.
 */

const DIM = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function badDate(s: string): never {
	throw new Error(`不存在的日期：${s} / not a real date (YYYY-MM-DD): ${s}`);
}

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil; month 1..12). */
function civilToDays(y: number, m: number, d: number): number {
	const yy = m <= 2 ? y - 1 : y;
	// `| 0` truncates, which equals floor only for yy ≥ 0; year 0000 Jan/Feb takes the slow path.
	const era = yy >= 0 ? (yy / 400) | 0 : Math.floor(yy / 400);
	const yoe = yy - era * 400;
	const doy = (((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) | 0) + d - 1;
	const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
	return era * 146097 + doe - 719468;
}

/** Not a digit value (0..9). */
const nd = (c: number) => c >>> 0 > 9;

/** Days since 1970-01-01 (China calendar date, no time zone involved); throws on a non-date. */
export function toDayNumber(date: string): number {
	if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) badDate(date);
	// Digit values; `>>> 0` turns a negative into a huge number, so one test per character.
	const c0 = date.charCodeAt(0) - 48;
	const c1 = date.charCodeAt(1) - 48;
	const c2 = date.charCodeAt(2) - 48;
	const c3 = date.charCodeAt(3) - 48;
	const c5 = date.charCodeAt(5) - 48;
	const c6 = date.charCodeAt(6) - 48;
	const c8 = date.charCodeAt(8) - 48;
	const c9 = date.charCodeAt(9) - 48;
	if (nd(c0) || nd(c1) || nd(c2) || nd(c3) || nd(c5) || nd(c6) || nd(c8) || nd(c9)) badDate(date);
	const y = c0 * 1000 + c1 * 100 + c2 * 10 + c3;
	const m = c5 * 10 + c6;
	const d = c8 * 10 + c9;
	if (m < 1 || m > 12 || d < 1) badDate(date);
	const leap = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
	if (d > (DIM[m - 1] ?? 0) + (leap ? 1 : 0)) badDate(date);
	return civilToDays(y, m, d);
}

const PAD2: string[] = Array.from({ length: 32 }, (_, i) => (i < 10 ? '0' : '') + String(i));
// Formatted strings are cached: the hot loop returns the same few hundred dates again and again,
// and a cached string is one Map hit instead of three allocations.
const strCache = new Map<number, string>();

/** The `YYYY-MM-DD` string of a day number (inverse of toDayNumber; Hinnant's civil_from_days). */
export function fromDayNumber(n: number): string {
	const hit = strCache.get(n);
	if (hit !== undefined) return hit;
	if (!Number.isInteger(n)) throw new Error(`not a day number: ${n}`);
	const z = n + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
	const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
	const mp = ((5 * doy + 2) / 153) | 0;
	const m = mp < 10 ? mp + 3 : mp - 9;
	const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
	const ys = y >= 1000 ? String(y) : String(y).padStart(4, '0');
	const s = `${ys}-${PAD2[m] ?? ''}-${PAD2[doy - (((153 * mp + 2) / 5) | 0) + 1] ?? ''}`;
	if (strCache.size < 100_000) strCache.set(n, s);
	return s;
}

/** Negative, zero or positive like a sort comparator (the format sorts as plain strings). */
export function compareDates(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** b − a in calendar days. */
export function daysBetween(a: string, b: string): number {
	return toDayNumber(b) - toDayNumber(a);
}

/** date + n calendar days (n may be negative); needs no holiday data. */
export function addCalendarDays(date: string, n: number): string {
	return fromDayNumber(toDayNumber(date) + n);
}

/** 0 = Sunday … 6 = Saturday of a day number (1970-01-01 was a Thursday). */
export function weekdayOf(n: number): number {
	return (((n + 4) % 7) + 7) % 7;
}

/** A Saturday or Sunday (day number). */
export function isWeekend(n: number): boolean {
	const w = weekdayOf(n);
	return w === 0 || w === 6;
}

/** Days since 1970-01-01 of year/month/day (month 1..12); no validation. */
export function dayNumberOf(y: number, m: number, d: number): number {
	return civilToDays(y, m, d);
}
