import { chinaDate } from '../src/lib/domain';
import {
	builtinCalendarData,
	Calendar,
	type Bilingual,
	type OfficialYear,
	type TermYear
} from '../src/lib/rules';
import { ADMIN_CLI_USER, AdminError } from './admin';
import {
	effectiveCalendarData,
	storeCalendarYear,
	storeTermYear,
	type CalendarStorage,
	type StoredEntry
} from './calendar';

/**
 * The admin tool's calendar commands (G-T3): enter a year's official schedule or a school
 * year's terms into the same append-only entries the relay reads (a running relay picks them up
 * at its next poll), and list what is in force. Functions over a storage, like admin.ts.
 */

/** How many years past the current one `calendar list` shows. */
export const LIST_YEARS_AHEAD = 9;

function refused(errors: readonly Bilingual[]): AdminError {
	return new AdminError(
		`日历数据无效，未保存：${errors.map((e) => e.zh).join('；')}`,
		`invalid calendar data, nothing saved: ${errors.map((e) => e.en).join('; ')}`
	);
}

async function versionAfter<T>(
	storage: CalendarStorage,
	stored: StoredEntry<T>
): Promise<{ value: T; version: string }> {
	if (!stored.ok) throw refused(stored.errors);
	const version = effectiveCalendarData(await storage.calendarState()).version;
	return { value: stored.value, version };
}

/** `calendar import`: checks one year's official schedule and appends it as `admin-cli`. */
export async function importCalendarYear(
	storage: CalendarStorage,
	input: unknown,
	options: { now: Date }
): Promise<{ value: OfficialYear; version: string }> {
	const by = { userId: ADMIN_CLI_USER, at: options.now.toISOString() };
	return versionAfter(storage, await storeCalendarYear(storage, input, by));
}

/** `terms import`: checks one school year's terms and appends it as `admin-cli`. */
export async function importTermYear(
	storage: CalendarStorage,
	input: unknown,
	options: { now: Date }
): Promise<{ value: TermYear; version: string }> {
	const by = { userId: ADMIN_CLI_USER, at: options.now.toISOString() };
	return versionAfter(storage, await storeTermYear(storage, input, by));
}

/** One year as `calendar list` shows it. */
export interface CalendarYearLine {
	year: number;
	status: 'official' | 'provisional';
	/** The notice for an official year; null for a provisional one. */
	source: string | null;
	/** Entered by the bureau (true) or shipped with the program (false); false when provisional. */
	entered: boolean;
}

/** `calendar list`: every year from the first shipped one to the current year + 9. */
export async function listCalendarYears(
	storage: CalendarStorage,
	options: { now: Date }
): Promise<{ version: string; years: CalendarYearLine[] }> {
	const state = await storage.calendarState();
	const calendar = new Calendar(effectiveCalendarData(state));
	const entered = new Set(state.years.map((y) => y.year));
	const first = builtinCalendarData().years[0]?.year ?? Number(chinaDate(options.now).slice(0, 4));
	const last = Number(chinaDate(options.now).slice(0, 4)) + LIST_YEARS_AHEAD;
	const years: CalendarYearLine[] = [];
	for (let year = first; year <= last; year++) {
		const official = calendar.official(year);
		years.push({
			year,
			status: official ? 'official' : 'provisional',
			source: official?.source ?? null,
			entered: official !== undefined && entered.has(year)
		});
	}
	return { version: calendar.version, years };
}

/** One line per year: `2027  官方 / official  <notice>  （已录入 / entered）`. */
export function formatCalendarYears(list: {
	version: string;
	years: readonly CalendarYearLine[];
}): string[] {
	return [
		`日历版本 / calendar version: ${list.version}`,
		...list.years.map((y) =>
			y.status === 'official'
				? `${y.year}  官方 / official  ${y.source ?? ''}  ${y.entered ? '（已录入 / entered）' : '（随程序提供 / shipped）'}`
				: `${y.year}  暂定 / provisional  按《全国年节及纪念日放假办法》推算，待国务院通知 / computed from the holiday law until the State Council notice`
		)
	];
}

/** One school year as `terms list` shows it. */
export interface TermYearLine extends TermYear {
	/** The school's name for a school's own terms. */
	schoolName?: string;
}

/** `terms list`: every school year in force (the district's, then each school's own). */
export async function listTermYears(
	storage: CalendarStorage
): Promise<{ version: string; termYears: TermYearLine[] }> {
	const data = effectiveCalendarData(await storage.calendarState());
	const termYears: TermYearLine[] = [];
	for (const t of data.termYears) {
		const name = t.school ? (await storage.getOrg(t.school))?.name : undefined;
		termYears.push(name ? { ...t, schoolName: name } : t);
	}
	return { version: data.version, termYears };
}

/** One line per school year: school year, scope, terms, source. */
export function formatTermYears(list: {
	version: string;
	termYears: readonly TermYearLine[];
}): string[] {
	return [
		`日历版本 / calendar version: ${list.version}`,
		...list.termYears.map((t) => {
			const scope = t.school
				? `学校 / school ${t.schoolName ? `${t.schoolName} (${t.school})` : t.school}`
				: '全区 / district';
			const terms = t.terms
				.map((x) => `${x.name ? `${x.name} ` : ''}${x.start}–${x.end}`)
				.join('；');
			return `${t.schoolYear}  ${scope}  ${terms}  来源 / source: ${t.source ?? '—'}`;
		})
	];
}
