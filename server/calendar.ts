import {
	builtinCalendarData,
	Calendar,
	checkOfficialYear,
	checkTermYear,
	mergeCalendarData,
	type Bilingual,
	type CalendarData,
	type OfficialYear,
	type TermYear
} from '../src/lib/rules';
import type { CalendarAuthor, CalendarState, Storage } from './storage/types';

/**
 * The relay's calendar as living data (G-T3): the shipped data with what the bureau entered on
 * top, rebuilt whenever the stored entries change — by an import over HTTP, at once, or by the
 * admin command line writing the same database, within one poll.
 */

/** An import's answer: the new version, or every error naming its entry. */
export type CalendarImport = { ok: true; version: string } | { ok: false; errors: Bilingual[] };

/** A checked entry, stored with its new seq; or why it was refused (nothing stored). */
export type StoredEntry<T> =
	{ ok: true; value: T; seq: number } | { ok: false; errors: Bilingual[] };

/** The storage a calendar import needs: the calendar entries and the org directory. */
export type CalendarStorage = Pick<
	Storage,
	'calendarState' | 'putCalendarYear' | 'putTermYear' | 'calendarLog' | 'getOrg'
>;

/** Checks one year's official schedule and appends it (HTTP and the admin command alike). */
export async function storeCalendarYear(
	storage: CalendarStorage,
	input: unknown,
	by: CalendarAuthor
): Promise<StoredEntry<OfficialYear>> {
	const c = checkOfficialYear(input);
	if (!c.ok) return c;
	return { ok: true, value: c.value, seq: await storage.putCalendarYear(c.value, by) };
}

/**
 * Checks one school year's terms and appends it. A school's own terms name an org that is a
 * school: terms for a street or for nobody would silently apply to no case.
 */
export async function storeTermYear(
	storage: CalendarStorage,
	input: unknown,
	by: CalendarAuthor
): Promise<StoredEntry<TermYear>> {
	const c = checkTermYear(input);
	if (!c.ok) return c;
	const school = c.value.school;
	if (school !== undefined && (await storage.getOrg(school))?.kind !== 'school') {
		return {
			ok: false,
			errors: [{ zh: `school：没有学校 ${school}`, en: `school: no school with id ${school}` }]
		};
	}
	return { ok: true, value: c.value, seq: await storage.putTermYear(c.value, by) };
}

/** The effective data for a storage state: the shipped data, the stored entries on top. */
export function effectiveCalendarData(state: Pick<CalendarState, 'seq' | 'years' | 'termYears'>) {
	return mergeCalendarData(builtinCalendarData(), state, state.seq);
}

export interface CalendarService {
	/** The calendar every evaluation uses now. */
	current(): Calendar;
	/** Its data, as `GET /api/calendar` serves it. */
	data(): CalendarData;
	/** Reads the stored entries; rebuilds and returns true when their seq changed. */
	reload(): Promise<boolean>;
	/** Checks, stores and applies one year's official schedule (G-T3). */
	importYear(input: unknown, userId: string): Promise<CalendarImport>;
	/** Checks, stores and applies one school year's terms (G-T4 counts school days in them). */
	importTerms(input: unknown, userId: string): Promise<CalendarImport>;
	/** Stops polling. */
	close(): void;
}

export interface CalendarServiceOptions {
	storage: CalendarStorage;
	now: () => Date;
	/** One line per version change; years and dates only, never personal data. */
	log?: (line: string) => void;
	/** How often the stored seq is read (default 10 s): another process may have written. */
	pollMs?: number;
}

/** Years as runs: `2024–2027, 2030`. */
function runs(years: readonly number[]): string {
	const out: string[] = [];
	let start: number | null = null;
	years.forEach((y, i) => {
		start ??= y;
		if (years[i + 1] !== y + 1) {
			out.push(start === y ? String(y) : `${start}–${y}`);
			start = null;
		}
	});
	return out.join(', ');
}

/** A log line for a version: `calendar: version b1-3 (official 2024–2027; terms to 2027-07-09)`. */
function describe(c: Calendar, invalid: number): string {
	const years = c.data.years.map((y) => y.year);
	const official = years.length ? `official ${runs(years)}` : 'no official year';
	const skipped = invalid ? `; ${invalid} stored entries invalid, skipped` : '';
	return `calendar: version ${c.version} (${official}; terms to ${c.lastTermEnd() ?? 'none'}${skipped})`;
}

/**
 * Loads the stored calendar entries once and resolves with the service; then re-reads them
 * every `pollMs` (the timer does not keep the process alive). Reloads run one at a time.
 */
export async function createCalendarService(
	options: CalendarServiceOptions
): Promise<CalendarService> {
	const { storage, now } = options;
	const log = options.log ?? (() => undefined);
	let calendar = new Calendar(builtinCalendarData());
	let seq = -1;
	let closed = false;

	async function load(): Promise<boolean> {
		const state = await storage.calendarState();
		if (state.seq === seq) return false;
		calendar = new Calendar(effectiveCalendarData(state));
		seq = state.seq;
		log(describe(calendar, state.invalid));
		return true;
	}

	// One reload at a time, so an older read never replaces a newer calendar.
	let chain: Promise<unknown> = Promise.resolve();
	function reload(): Promise<boolean> {
		const next = chain.then(load, load);
		chain = next.catch(() => undefined);
		return next;
	}

	await reload();
	let failing = false;
	const timer = setInterval(() => {
		reload().then(
			() => (failing = false),
			() => {
				// Keep the calendar in use; say so once, not on every tick.
				if (!closed && !failing) log('calendar: reload failed; the previous version stays');
				failing = true;
			}
		);
	}, options.pollMs ?? 10_000);
	timer.unref();

	async function apply<T>(stored: Promise<StoredEntry<T>>): Promise<CalendarImport> {
		const r = await stored;
		if (!r.ok) return r;
		await reload();
		return { ok: true, version: calendar.version };
	}

	return {
		current: () => calendar,
		data: () => calendar.data,
		reload,
		importYear: (input, userId) =>
			apply(storeCalendarYear(storage, input, { userId, at: now().toISOString() })),
		importTerms: (input, userId) =>
			apply(storeTermYear(storage, input, { userId, at: now().toISOString() })),
		close() {
			closed = true;
			clearInterval(timer);
		}
	};
}
