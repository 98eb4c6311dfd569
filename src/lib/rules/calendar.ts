import {
	builtinCalendarData,
	type CalendarData,
	type OfficialYear,
	type TermYear
} from './calendar-data';
import { dayNumberOf, fromDayNumber, isWeekend, toDayNumber } from './dates';
import { provisionalYear, type HolidayRange, type YearSchedule } from './provisional';
import type { Bilingual, Period } from './types';

export * from './dates';

/**
 * China's statutory working-day calendar and school days (DOMAIN.md "Time", G-T1..G-T4) as a
 * value: a `Calendar` is built from calendar data (official schedules the district entered or
 * that ship, terms by school year) and answers pure questions over `YYYY-MM-DD` strings. A year
 * without an official schedule is provisional (G-T3), computed from the holiday law — never an
 * error, never weekends only. The rules take a Calendar as a parameter; the default is built in.
 */

/** A school term, both ends inclusive. */
export interface Term {
	start: string;
	end: string;
	name?: string;
}

export type CalendarStatus = 'official' | 'provisional';

/** The years a calendar answers for: the lunar data's range, far past any case. */
export const CALENDAR_YEARS = { first: 2000, last: 2099 } as const;

/** A date outside the years any calendar answers for (G-T3 has no answer there either). */
export class CalendarRangeError extends Error {
	readonly year: number;
	readonly reason: Bilingual;
	constructor(year: number) {
		const { first, last } = CALENDAR_YEARS;
		const reason = {
			zh: `${year} 年超出日历范围（${first}–${last} 年）`,
			en: `${year} is outside the calendar (${first}–${last})`
		};
		super(`${reason.zh} / ${reason.en}`);
		this.name = 'CalendarRangeError';
		this.year = year;
		this.reason = reason;
	}
}

const UNSET = 0;
const OFF = 1;
const WORK = 2;
const BASE = dayNumberOf(CALENDAR_YEARS.first, 1, 1);
const YEARS = CALENDAR_YEARS.last - CALENDAR_YEARS.first + 1;
/** Day number of 1 Jan of each year in range, and one past the end. */
const YEAR_START = Int32Array.from({ length: YEARS + 1 }, (_, k) =>
	dayNumberOf(CALENDAR_YEARS.first + k, 1, 1)
);
const SPAN = (YEAR_START[YEARS] ?? 0) - BASE;

/** Index (0-based from the first year) of the year a day index falls in. */
function yearIndexOfDay(i: number): number {
	let k = Math.min(YEARS - 1, Math.floor(i / 365.2425));
	while (k > 0 && (YEAR_START[k] ?? 0) - BASE > i) k--;
	while (k < YEARS - 1 && (YEAR_START[k + 1] ?? 0) - BASE <= i) k++;
	return k;
}

function requireCount(n: number, what: string): void {
	if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be an integer ≥ 0, got ${n}`);
}

/** The working-day calendar and the school terms one evaluation uses. */
export class Calendar {
	readonly version: string;
	readonly data: CalendarData;
	readonly #official = new Map<number, OfficialYear>();
	/** OFF / WORK per day from 1 Jan of the first year; UNSET until its year is first read. */
	readonly #flags = new Uint8Array(SPAN);
	/** Working days from 1 Jan of a day's own year up to (not including) that day. */
	readonly #cum = new Int32Array(SPAN);
	readonly #total = new Int32Array(YEARS);
	readonly #filled = new Uint8Array(YEARS);
	readonly #names = new Map<number, string>();
	readonly #district: Term[];
	readonly #bySchool = new Map<string, Term[]>();

	constructor(data: CalendarData) {
		this.data = data;
		this.version = data.version;
		for (const y of data.years) this.#official.set(y.year, y);
		this.#district = termsOf(data.termYears.filter((t) => !t.school));
		const schools = new Set(data.termYears.flatMap((t) => (t.school ? [t.school] : [])));
		for (const s of schools) {
			// A school's own school years replace the district's; the others stay the district's.
			const own = data.termYears.filter((t) => t.school === s);
			const mine = new Set(own.map((t) => t.schoolYear));
			const rest = data.termYears.filter((t) => !t.school && !mine.has(t.schoolYear));
			this.#bySchool.set(s, termsOf([...own, ...rest]));
		}
	}

	/** G-T3: official once the State Council schedule is entered, provisional before. */
	status(year: number): CalendarStatus {
		return this.#official.has(year) ? 'official' : 'provisional';
	}

	/** The official schedule of a year, or undefined while it is provisional. */
	official(year: number): OfficialYear | undefined {
		return this.#official.get(year);
	}

	/** A year's holidays and make-up days as this calendar counts them, with its status. */
	schedule(year: number): YearSchedule & { status: CalendarStatus } {
		const o = this.#official.get(year);
		if (o) return { status: 'official', holidays: o.holidays, workdays: o.workdays };
		return { status: 'provisional', ...provisionalYear(year) };
	}

	/** Whether any year from `from`'s to `to`'s (inclusive, either order) is provisional. */
	provisionalBetween(from: string, to: string): boolean {
		let a = Number(from.slice(0, 4));
		let b = Number(to.slice(0, 4));
		if (a > b) [a, b] = [b, a];
		for (let y = a; y <= b; y++) if (!this.#official.has(y)) return true;
		return false;
	}

	/** The name of the holiday a day is part of (春节, 国庆节 …), or null. */
	holidayName(date: string): string | null {
		const n = toDayNumber(date);
		this.#flag(n);
		return this.#names.get(n) ?? null;
	}

	#fill(k: number): void {
		const year = CALENDAR_YEARS.first + k;
		const start = (YEAR_START[k] ?? 0) - BASE;
		const end = (YEAR_START[k + 1] ?? 0) - BASE;
		for (let i = start; i < end; i++) this.#flags[i] = isWeekend(BASE + i) ? OFF : WORK;
		const s = this.schedule(year);
		const mark = (h: HolidayRange) => {
			for (let n = toDayNumber(h.from); n <= toDayNumber(h.to); n++) {
				this.#flags[n - BASE] = OFF;
				this.#names.set(n, h.name);
			}
		};
		s.holidays.forEach(mark);
		for (const d of s.workdays) this.#flags[toDayNumber(d) - BASE] = WORK;
		let c = 0;
		for (let i = start; i < end; i++) {
			this.#cum[i] = c;
			if (this.#flags[i] === WORK) c++;
		}
		this.#total[k] = c;
		this.#filled[k] = 1;
	}

	#flag(n: number): number {
		const i = n - BASE;
		if (i < 0 || i >= SPAN) throw new CalendarRangeError(Number(fromDayNumber(n).slice(0, 4)));
		const f = this.#flags[i] ?? UNSET;
		if (f !== UNSET) return f;
		this.#fill(yearIndexOfDay(i));
		return this.#flags[i] ?? UNSET;
	}

	#work(n: number): boolean {
		return this.#flag(n) === WORK;
	}

	#nextWork(n: number): number {
		let d = n + 1;
		while (!this.#work(d)) d++;
		return d;
	}

	/** Mon–Fri not a public holiday, or a make-up day (调休上班). */
	isWorkingDay(date: string): boolean {
		return this.#work(toDayNumber(date));
	}

	/** G-T1: the n-th working day after date (the start day is not counted); n = 0 gives date. */
	addWorkingDays(date: string, n: number): string {
		requireCount(n, 'working days');
		let d = toDayNumber(date);
		this.#flag(d);
		for (let left = n; left > 0; left--) d = this.#nextWork(d);
		return n === 0 ? date : fromDayNumber(d);
	}

	/** The first working day strictly after date. */
	nextWorkingDay(date: string): string {
		return fromDayNumber(this.#nextWork(toDayNumber(date)));
	}

	/** G-T1/G-T2: date + n calendar days; when that day is not a working day, the next working day. */
	endOfCalendarDayPeriod(date: string, n: number): string {
		requireCount(n, 'calendar days');
		const end = toDayNumber(date) + n;
		// 民法典 Art. 203: a period whose last day is a holiday ends on the day after the holiday.
		return fromDayNumber(this.#work(end) ? end : this.#nextWork(end));
	}

	/** Working days d with from < d ≤ to (0 when to ≤ from). */
	workingDaysBetween(from: string, to: string): number {
		const a = toDayNumber(from) + 1;
		const b = toDayNumber(to);
		if (b < a) return 0;
		this.#flag(a);
		this.#flag(b);
		const ia = a - BASE;
		const ib = b - BASE;
		const ka = yearIndexOfDay(ia);
		const kb = yearIndexOfDay(ib);
		// Work days in [1 Jan of b's year, b]; cum is per year, so whole years in between add up.
		const upTo = (this.#cum[ib] ?? 0) + (this.#flags[ib] === WORK ? 1 : 0);
		if (ka === kb) return upTo - (this.#cum[ia] ?? 0);
		let sum = (this.#total[ka] ?? 0) - (this.#cum[ia] ?? 0) + upTo;
		for (let k = ka + 1; k < kb; k++) {
			if (!this.#filled[k]) this.#fill(k);
			sum += this.#total[k] ?? 0;
		}
		return sum;
	}

	/** Working days from `today` to `due` (negative when past), or null without a date. */
	workingDaysLeft(today: string, due: string | null): number | null {
		if (!due) return null;
		try {
			return due >= today
				? this.workingDaysBetween(today, due)
				: -this.workingDaysBetween(due, today);
		} catch {
			return null;
		}
	}

	/** The terms a case's school follows: its own where entered, else the district's. */
	termsFor(schoolId?: string | null): readonly Term[] {
		return (schoolId && this.#bySchool.get(schoolId)) || this.#district;
	}

	/** The last day of the last term entered (the dashboard warns before it, G-T3). */
	lastTermEnd(schoolId?: string | null): string | null {
		return lastEnd(this.termsFor(schoolId));
	}

	/** G-T4: a working day inside one of the terms. */
	isSchoolDay(date: string, terms: readonly Term[]): boolean {
		const n = toDayNumber(date);
		const c = compile(terms);
		for (let k = 0; k < c.starts.length; k++) {
			if (n < (c.starts[k] ?? 0)) return false;
			if (n <= (c.ends[k] ?? 0)) return this.#work(n);
		}
		return false;
	}

	#nextSchool(c: CompiledTerms, n: number): number {
		for (let k = 0; k < c.starts.length; k++) {
			const end = c.ends[k] ?? 0;
			for (let d = Math.max(c.starts[k] ?? 0, n + 1); d <= end; d++) if (this.#work(d)) return d;
		}
		return -Infinity;
	}

	/** G-T4: the n-th school day after date (start not counted); throws past the last term. */
	addSchoolDays(date: string, n: number, terms: readonly Term[]): string {
		requireCount(n, 'school days');
		const c = compile(terms);
		let d = toDayNumber(date);
		for (let left = n; left > 0; left--) {
			const next = this.#nextSchool(c, d);
			if (next === -Infinity)
				throw new NoTermError(fromDayNumber(Math.max(c.ends[c.ends.length - 1] ?? d, d)));
			d = next;
		}
		return n === 0 ? date : fromDayNumber(d);
	}

	/** G-T4: the first school day strictly after date, or null when none within the terms. */
	nextSchoolDay(date: string, terms: readonly Term[]): string | null {
		const d = this.#nextSchool(compile(terms), toDayNumber(date));
		return d === -Infinity ? null : fromDayNumber(d);
	}

	/** G-T4: the last school day strictly before date, or null when none within the terms. */
	previousSchoolDay(date: string, terms: readonly Term[]): string | null {
		const c = compile(terms);
		const n = toDayNumber(date);
		for (let k = c.starts.length - 1; k >= 0; k--) {
			const start = c.starts[k] ?? 0;
			for (let d = Math.min(c.ends[k] ?? 0, n - 1); d >= start; d--) {
				if (this.#work(d)) return fromDayNumber(d);
			}
		}
		return null;
	}

	/** The last day of a period from date: working, school or calendar days (G-T1, G-T2, G-T4). */
	addPeriod(date: string, period: Period, terms: readonly Term[]): string {
		switch (period.unit) {
			case 'workingDay':
				return this.addWorkingDays(date, period.count);
			case 'schoolDay':
				return this.addSchoolDays(date, period.count, terms);
			case 'calendarDay':
				return this.endOfCalendarDayPeriod(date, period.count);
			default: {
				const unit: never = period.unit;
				throw new Error(`unknown period unit: ${String(unit)}`);
			}
		}
	}
}

/** G-T4: a school-day period that runs past the last term the bureau entered. */
export class NoTermError extends Error {
	readonly after: string;
	readonly reason: Bilingual;
	constructor(after: string) {
		const reason = {
			zh: `校历中没有 ${after} 之后的学期，请区教体局录入下一学期`,
			en: `no school term after ${after}; the bureau enters the next term`
		};
		super(`${reason.zh} / ${reason.en}`);
		this.name = 'NoTermError';
		this.after = after;
		this.reason = reason;
	}
}

/** The last day of the latest of `terms`, or null when there are none. */
export function lastEnd(terms: readonly Term[]): string | null {
	let last: string | null = null;
	for (const t of terms) if (!last || t.end > last) last = t.end;
	return last;
}

function termsOf(years: readonly TermYear[]): Term[] {
	return years
		.flatMap((y) => y.terms)
		.map((t) => ({ ...t }))
		.sort((a, b) => a.start.localeCompare(b.start));
}

// ---------- compiled terms ----------

interface CompiledTerms {
	/** Sorted, merged [start, end] day numbers, both inclusive. */
	starts: number[];
	ends: number[];
}

// Keyed by array identity: terms are read-only data, so compile once and reuse (a memo, no state
// anyone must reset). The hot loop passes the same array again and again: an identity check first.
const termCache = new WeakMap<readonly Term[], CompiledTerms>();
let lastTerms: readonly Term[] | null = null;
let lastCompiled: CompiledTerms | null = null;

function compile(terms: readonly Term[]): CompiledTerms {
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

// ---------- the built-in calendar ----------

let builtin: Calendar | null = null;

/** The calendar that ships: official notices 2024–2026, provisional beyond, the demo terms. */
export function builtinCalendar(): Calendar {
	return (builtin ??= new Calendar(builtinCalendarData()));
}

/** G-T3 over the built-in calendar: whether a year's schedule is official or provisional. */
export function calendarStatus(year: number): CalendarStatus {
	return builtinCalendar().status(year);
}

/** Working day over the built-in calendar (official years shipped, provisional beyond). */
export function isWorkingDay(date: string): boolean {
	return builtinCalendar().isWorkingDay(date);
}

/** G-T1 over the built-in calendar: the n-th working day after date. */
export function addWorkingDays(date: string, n: number): string {
	return builtinCalendar().addWorkingDays(date, n);
}

/** Working days from `today` to `due` over the built-in calendar (lists without a Calendar). */
export function workingDaysLeft(today: string, due: string | null): number | null {
	return builtinCalendar().workingDaysLeft(today, due);
}
