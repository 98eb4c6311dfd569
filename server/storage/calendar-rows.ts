import {
	checkOfficialYear,
	checkTermYear,
	type OfficialYear,
	type TermYear
} from '../../src/lib/rules/calendar-data';
import type { CalendarEntryKind, CalendarLogEntry, CalendarState } from './types';

/**
 * What every storage adapter does with its calendar rows (G-T3), so they all answer alike: the
 * key of an entry, and the fold of the stored rows into the latest valid entry per key.
 */

/** A calendar entry as an adapter stores it: the validated JSON as text. */
export interface CalendarRow {
	id: number;
	kind: string;
	key: string;
	data: string;
	userId: string;
	at: string;
}

/** `2027` for a year; `2026-2027` for the district's terms, `2026-2027/<schoolId>` for a school's. */
export function yearKey(year: OfficialYear): string {
	return String(year.year);
}

/** The key of a school year's terms: the latest entry per key is the one in force. */
export function termKey(terms: TermYear): string {
	return terms.school ? `${terms.schoolYear}/${terms.school}` : terms.schoolYear;
}

function parse(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * The latest valid entry per key, in key order. A row is validated again as it is read (it may
 * predate a stricter check, or the file may have been edited): one that does not hold, or whose
 * key does not match its data, is skipped and counted, never thrown and never logged.
 */
export function foldCalendarRows(rows: readonly CalendarRow[]): CalendarState {
	const years = new Map<string, OfficialYear>();
	const terms = new Map<string, TermYear>();
	let invalid = 0;
	let seq = 0;
	for (const r of [...rows].sort((a, b) => a.id - b.id)) {
		seq = Math.max(seq, r.id);
		const data = parse(r.data);
		if (r.kind === 'year') {
			const c = checkOfficialYear(data);
			if (c.ok && yearKey(c.value) === r.key) years.set(r.key, c.value);
			else invalid++;
		} else if (r.kind === 'terms') {
			const c = checkTermYear(data);
			if (c.ok && termKey(c.value) === r.key) terms.set(r.key, c.value);
			else invalid++;
		} else invalid++;
	}
	return {
		seq,
		years: [...years.values()].sort((a, b) => a.year - b.year),
		termYears: [...terms.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t),
		invalid
	};
}

/** A row as the calendar log shows it: the source notice read from its data when it has one. */
export function calendarLogEntry(r: CalendarRow): CalendarLogEntry {
	const data = parse(r.data) as { source?: unknown } | null | undefined;
	const source = typeof data?.source === 'string' ? data.source : null;
	const kind: CalendarEntryKind = r.kind === 'year' ? 'year' : 'terms';
	return { seq: r.id, kind, key: r.key, userId: r.userId, at: r.at, source };
}
