import { chinaDate, type CaseSnapshot } from '../domain';
import { builtinCalendar, quarterlyReportDue, type Calendar, type Term } from '../rules';

export type Quarter = 1 | 2 | 3 | 4;

/** The calendar days of a quarter (S-5): first and last day, inclusive. */
export interface QuarterRange {
	year: number;
	quarter: Quarter;
	from: string;
	to: string;
}

const QUARTER_END = ['03-31', '06-30', '09-30', '12-31'] as const;

/** S-5: first and last day of a quarter. */
export function quarterRange(year: number, quarter: Quarter): QuarterRange {
	const y = String(year).padStart(4, '0');
	const m = String(quarter * 3 - 2).padStart(2, '0');
	return { year, quarter, from: `${y}-${m}-01`, to: `${y}-${QUARTER_END[quarter - 1]}` };
}

/**
 * S-5: the day the quarterly form is due (the quarter's end, or the next working day, G-T2), or
 * null when that year's holiday calendar is not loaded (G-T3: never a weekends-only guess).
 */
export function reportDue(year: number, quarter: Quarter, calendar?: Calendar): string | null {
	try {
		return quarterlyReportDue(year, quarter, calendar);
	} catch {
		return null;
	}
}

/** The district's school terms (校历) as the bureau entered them, in order. */
export function districtTerms(calendar: Calendar = builtinCalendar()): readonly Term[] {
	return calendar.termsFor(null);
}

/**
 * The term a day belongs to: the one containing it, else the last one that started before it
 * (a day in the summer holiday belongs to the term just ended). Null before the first term.
 */
export function termOf(date: string, terms: readonly Term[] = districtTerms()): Term | null {
	let best: Term | null = null;
	for (const t of terms) {
		if (t.start <= date && date <= t.end) return t;
		if (t.start <= date && (!best || t.start > best.start)) best = t;
	}
	return best;
}

/** The earlier of two ISO dates. */
export function minDate(a: string, b: string): string {
	return a < b ? a : b;
}

/**
 * The case as recorded up to and including `asOf`: events dated later (including later
 * corrections) are left out, so a past quarter reads as it stood at its end. The same object
 * when nothing is later (no copy in the common case).
 */
export function snapshotAsOf(snapshot: CaseSnapshot, asOf: string): CaseSnapshot {
	let later = false;
	for (const e of snapshot.events) if (e.date > asOf) later = true;
	if (!later) return snapshot;
	return { ...snapshot, events: snapshot.events.filter((e) => e.date <= asOf) };
}

/** The China-time day a case was created. */
export function createdOn(snapshot: CaseSnapshot): string {
	const t = Date.parse(snapshot.createdAt);
	return Number.isNaN(t) ? snapshot.createdAt.slice(0, 10) : chinaDate(new Date(t));
}
