import { z } from 'zod';
import { isRealDate, isoDate } from '../domain/primitives';
import shipped from './calendar-data.json';
import type { Bilingual, Period } from './types';

/**
 * China's statutory working-day calendar and school days (DOMAIN.md "Time", G-T1..G-T4).
 * Pure functions over `YYYY-MM-DD` strings in China time. Internally every date is an integer
 * day number (days since 1970-01-01) and the loaded years are one flat Uint8Array of flags, so a
 * look-up is an index, not a Date. The holiday data is `calendar-data.json`; a new year is a data edit.
 */

/** A school term, both ends inclusive. */
export interface Term {
	start: string;
	end: string;
}

/** G-T3: a date in a year the calendar has no data for; never guessed as weekends-only. */
export class CalendarYearMissingError extends Error {
	readonly year: number;
	readonly reason: Bilingual;
	constructor(year: number) {
		const reason = {
			zh: `${year} 年的法定节假日日历未加载`,
			en: `calendar for ${year} not loaded`
		};
		super(`${reason.zh} / ${reason.en}`);
		this.name = 'CalendarYearMissingError';
		this.year = year;
		this.reason = reason;
	}
}

// ---------- day numbers ----------

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

// ---------- data ----------

const OFF = 0;
const WORK = 1;
const MISSING = 2;

const yearShape = z.object({
	source: z.object({
		notice: z.string().trim().min(1),
		title: z.string().optional(),
		issued: isoDate.optional(),
		url: z.url().optional()
	}),
	off: z.array(isoDate),
	work: z.array(isoDate)
});
type YearData = z.infer<typeof yearShape>;
/** Where a year's data comes from (the State Council notice, or a local decision). */
export type CalendarSource = YearData['source'];

const fileShape = z.object({
	_comment: z.unknown().optional(),
	years: z.record(z.string().regex(/^\d{4}$/), z.unknown())
});

/** A notice may move a day across New Year, so dates from Dec of year−1 to Jan of year+1 are allowed. */
function yearSchema(year: number) {
	const lo = civilToDays(year - 1, 12, 1);
	const hi = civilToDays(year + 1, 1, 31);
	return yearShape.superRefine((v, ctx) => {
		const off = new Set(v.off);
		const check = (list: 'off' | 'work', d: string, i: number) => {
			if (!isRealDate(d)) return; // already reported by isoDate
			const n = toDayNumber(d);
			const dow = (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
			let why = n < lo || n > hi ? `outside ${year}` : '';
			if (list === 'work' && dow !== 0 && dow !== 6) why = 'a make-up day is a Saturday or Sunday';
			if (list === 'work' && off.has(d)) why = 'both off and work';
			if (why) ctx.addIssue({ code: 'custom', path: [list, i], message: `${d}: ${why}` });
		};
		v.off.forEach((d, i) => check('off', d, i));
		v.work.forEach((d, i) => check('work', d, i));
	});
}

function parseYear(year: number, data: unknown): YearData {
	if (!Number.isInteger(year) || year < 1900 || year > 2200) {
		throw new Error(`日历年份无效：${year} / invalid calendar year: ${year}`);
	}
	const r = yearSchema(year).safeParse(data);
	if (!r.success) {
		throw new Error(
			`${year} 年日历数据无效 / invalid calendar data for ${year}: ${z.prettifyError(r.error)}`,
			{ cause: r.error }
		);
	}
	return r.data;
}

function loadShipped(): Map<number, YearData> {
	const file = fileShape.parse(shipped);
	const m = new Map<number, YearData>();
	for (const [y, data] of Object.entries(file.years)) m.set(Number(y), parseYear(Number(y), data));
	return m;
}

interface Table {
	/** Day number of flags[0] (1 Jan of the first loaded year). */
	base: number;
	/** OFF, WORK or MISSING per day from base to 31 Dec of the last loaded year. */
	flags: Uint8Array;
	/** cum[i] = working days among flags[0..i); gap[i] = MISSING days among flags[0..i). */
	cum: Int32Array;
	gap: Int32Array;
}

let notices: Map<number, YearData> | null = null;
let table: Table | null = null;

function years(): Map<number, YearData> {
	return (notices ??= loadShipped());
}

function build(): Table {
	const ys = [...years().keys()].sort((a, b) => a - b);
	const first = ys[0] ?? 1970;
	const base = civilToDays(first, 1, 1);
	const len = ys.length ? civilToDays((ys[ys.length - 1] ?? first) + 1, 1, 1) - base : 0;
	const flags = new Uint8Array(len).fill(MISSING);
	for (const y of ys) {
		const end = civilToDays(y + 1, 1, 1);
		for (let n = civilToDays(y, 1, 1); n < end; n++) {
			const dow = (((n + 4) % 7) + 7) % 7;
			flags[n - base] = dow === 0 || dow === 6 ? OFF : WORK;
		}
	}
	// Ascending notice order, so for a day two notices mention (around New Year) the later wins;
	// a day in a year whose own notice is absent stays MISSING (G-T3).
	const mark = (list: readonly string[], flag: number) => {
		for (const d of list) {
			const i = toDayNumber(d) - base;
			if (flags[i] !== undefined && flags[i] !== MISSING) flags[i] = flag;
		}
	};
	for (const y of ys) {
		mark(years().get(y)?.off ?? [], OFF);
		mark(years().get(y)?.work ?? [], WORK);
	}
	const cum = new Int32Array(len + 1);
	const gap = new Int32Array(len + 1);
	for (let i = 0; i < len; i++) {
		cum[i + 1] = (cum[i] ?? 0) + (flags[i] === WORK ? 1 : 0);
		gap[i + 1] = (gap[i] ?? 0) + (flags[i] === MISSING ? 1 : 0);
	}
	return { base, flags, cum, gap };
}

function tbl(): Table {
	return (table ??= build());
}

function missing(n: number): CalendarYearMissingError {
	return new CalendarYearMissingError(Number(fromDayNumber(n).slice(0, 4)));
}

/** True for a working day; throws CalendarYearMissingError outside the loaded years. */
function workAt(t: Table, n: number): boolean {
	const f = t.flags[n - t.base];
	if (f === WORK) return true;
	if (f === OFF) return false;
	throw missing(n);
}

/** Adds or replaces one year's data (validated with zod) at run time, e.g. next year's notice. */
export function registerCalendarYear(year: number, data: unknown): void {
	const parsed = parseYear(year, data);
	years().set(year, parsed);
	table = null;
}

/** Years whose own notice is loaded, ascending. */
export function loadedYears(): number[] {
	return [...years().keys()].sort((a, b) => a - b);
}

/** The notice a loaded year's data comes from, or undefined. */
export function calendarSource(year: number): CalendarSource | undefined {
	const source = years().get(year)?.source;
	return source && { ...source };
}

/** Drops run-time registrations and returns to the shipped data (tests use it). */
export function resetCalendar(): void {
	notices = null;
	table = null;
}

// ---------- working days ----------

function requireCount(n: number, what: string): void {
	if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be an integer ≥ 0, got ${n}`);
}

/** Mon–Fri not a public holiday, or a make-up day (调休上班); G-T3 throws for an unloaded year. */
export function isWorkingDay(date: string): boolean {
	return workAt(tbl(), toDayNumber(date));
}

function nextWork(t: Table, n: number): number {
	let i = n - t.base;
	for (;;) {
		const f = t.flags[++i];
		if (f === WORK) return t.base + i;
		if (f !== OFF) throw missing(t.base + i);
	}
}

/** G-T1: the n-th working day after date (the start day is not counted); n = 0 gives date. */
export function addWorkingDays(date: string, n: number): string {
	requireCount(n, 'working days');
	const t = tbl();
	let d = toDayNumber(date);
	workAt(t, d); // G-T3 also for the start date's year
	for (let left = n; left > 0; left--) d = nextWork(t, d);
	return n === 0 ? date : fromDayNumber(d);
}

/** The first working day strictly after date. */
export function nextWorkingDay(date: string): string {
	return fromDayNumber(nextWork(tbl(), toDayNumber(date)));
}

/** G-T1/G-T2: date + n calendar days; when that day is not a working day, the next working day. */
export function endOfCalendarDayPeriod(date: string, n: number): string {
	requireCount(n, 'calendar days');
	const t = tbl();
	const end = toDayNumber(date) + n;
	// 民法典 Art. 203: a period whose last day is a holiday ends on the day after the holiday.
	return fromDayNumber(workAt(t, end) ? end : nextWork(t, end));
}

/** Working days d with from < d ≤ to (0 when to ≤ from). */
export function workingDaysBetween(from: string, to: string): number {
	const t = tbl();
	const a = toDayNumber(from) - t.base + 1;
	const b = toDayNumber(to) - t.base + 1;
	if (b <= a) return 0;
	if (a < 0 || b > t.flags.length || t.gap[a] !== t.gap[b]) {
		// G-T3: name the first unloaded day in (from, to]; flags outside the table are undefined.
		let i = a;
		while (t.flags[i] === WORK || t.flags[i] === OFF) i++;
		throw missing(t.base + i);
	}
	return (t.cum[b] ?? 0) - (t.cum[a] ?? 0);
}

// ---------- school days (G-T4) ----------

interface CompiledTerms {
	/** Sorted, merged [start, end] day numbers, both inclusive. */
	starts: number[];
	ends: number[];
}

// Keyed by array identity: a school calendar is read-only data, so compile it once and reuse it.
const termCache = new WeakMap<readonly Term[], CompiledTerms>();

let lastTerms: readonly Term[] | null = null;
let lastCompiled: CompiledTerms | null = null;

function compile(terms: readonly Term[]): CompiledTerms {
	// The hot loop passes the same array again and again: an identity check beats the WeakMap.
	if (terms === lastTerms && lastCompiled) return lastCompiled;
	const c = termCache.get(terms) ?? compileNew(terms);
	lastTerms = terms;
	lastCompiled = c;
	return c;
}

function compileNew(terms: readonly Term[]): CompiledTerms {
	const spans = terms
		.map((t) => {
			const s = toDayNumber(t.start);
			const e = toDayNumber(t.end);
			if (e < s)
				throw new Error(`学期结束早于开始 / term ends before it starts: ${t.start}..${t.end}`);
			return [s, e] as const;
		})
		.sort((x, y) => x[0] - y[0]);
	const c: CompiledTerms = { starts: [], ends: [] };
	for (const [s, e] of spans) {
		const last = c.ends.length - 1;
		const lastEnd = c.ends[last];
		if (lastEnd !== undefined && s <= lastEnd + 1) c.ends[last] = Math.max(lastEnd, e);
		else {
			c.starts.push(s);
			c.ends.push(e);
		}
	}
	termCache.set(terms, c);
	return c;
}

/** G-T4: a working day inside one of the terms. */
export function isSchoolDay(date: string, terms: readonly Term[]): boolean {
	const n = toDayNumber(date);
	const c = compile(terms);
	for (let k = 0; k < c.starts.length; k++) {
		if (n < (c.starts[k] ?? 0)) return false;
		if (n <= (c.ends[k] ?? 0)) return workAt(tbl(), n);
	}
	return false;
}

/** Day number of the first school day strictly after n, or -Infinity when the terms run out. */
function nextSchool(c: CompiledTerms, t: Table, n: number): number {
	for (let k = 0; k < c.starts.length; k++) {
		const end = c.ends[k] ?? 0;
		for (let d = Math.max(c.starts[k] ?? 0, n + 1); d <= end; d++) if (workAt(t, d)) return d;
	}
	return -Infinity;
}

/** G-T4: the n-th school day after date (start not counted); throws past the last term. */
export function addSchoolDays(date: string, n: number, terms: readonly Term[]): string {
	requireCount(n, 'school days');
	const c = compile(terms);
	const t = tbl();
	let d = toDayNumber(date);
	for (let left = n; left > 0; left--) {
		const next = nextSchool(c, t, d);
		if (next === -Infinity) {
			const after = fromDayNumber(Math.max(c.ends[c.ends.length - 1] ?? d, d));
			throw new Error(`学校校历中没有 ${after} 之后的学期 / no school term after ${after}`);
		}
		d = next;
	}
	return n === 0 ? date : fromDayNumber(d);
}

/** G-T4: the first school day strictly after date, or null when none within the terms. */
export function nextSchoolDay(date: string, terms: readonly Term[]): string | null {
	const d = nextSchool(compile(terms), tbl(), toDayNumber(date));
	return d === -Infinity ? null : fromDayNumber(d);
}

/** G-T4: the last school day strictly before date, or null when none within the terms. */
export function previousSchoolDay(date: string, terms: readonly Term[]): string | null {
	const c = compile(terms);
	const t = tbl();
	const n = toDayNumber(date);
	for (let k = c.starts.length - 1; k >= 0; k--) {
		const start = c.starts[k] ?? 0;
		for (let d = Math.min(c.ends[k] ?? 0, n - 1); d >= start; d--) {
			if (workAt(t, d)) return fromDayNumber(d);
		}
	}
	return null;
}

/** The last day of a period from date: working, school or calendar days (G-T1, G-T2, G-T4). */
export function addPeriod(date: string, period: Period, terms: readonly Term[]): string {
	switch (period.unit) {
		case 'workingDay':
			return addWorkingDays(date, period.count);
		case 'schoolDay':
			return addSchoolDays(date, period.count, terms);
		case 'calendarDay':
			return endOfCalendarDayPeriod(date, period.count);
		default: {
			const unit: never = period.unit;
			throw new Error(`unknown period unit: ${String(unit)}`);
		}
	}
}

/**
 * Working days from `today` to `due` (negative when past), or null when there is no date or the
 * calendar cannot say (G-T3: a year without holiday data is not guessed).
 */
export function workingDaysLeft(today: string, due: string | null): number | null {
	if (!due) return null;
	try {
		return due >= today ? workingDaysBetween(today, due) : -workingDaysBetween(due, today);
	} catch {
		return null;
	}
}
