/**
 * The dashboard's numbers as pure functions over the local case index (B-7, S-4b, S-5, S-10):
 * plain rows in, plain data out, `today` always a parameter. The page only draws them.
 */
import { ORG_KINDS, type OrgKind } from '../domain/kinds';
import { addCalendarDays } from '../rules/calendar';
import type { Stage } from '../rules/types';
import type { CaseSummary } from './summary';
import { STAGES as ALL_STAGES } from '../protocol/stages';

/** Stages in procedure order (the case list uses the same order): one list, `protocol/stages`. */
export const STAGES: readonly Stage[] = ALL_STAGES;

/**
 * Stages of a dropout who has not returned (辍学未返校): the dropout file or report is made
 * (S-4c) and the student is neither back nor the case closed (S-10).
 */
export const STILL_OUT_STAGES: readonly Stage[] = ['dropout', 'notice', 'joint'];

/** Days ahead that count as "due soon" (this week: today and the next 7 calendar days). */
export const DUE_SOON_DAYS = 7;

/** What the dashboard needs of a local index row (`CaseIndexRow`, summary already read back). */
export interface DashboardRow {
	id: string;
	student: string;
	schoolId: string;
	school: string;
	/** The street office's name, when the relay gave it. */
	street?: string;
	stage: Stage;
	/** Null: the row was stored before summaries existed; the next refresh fills it. */
	summary: CaseSummary | null;
	updatedAt: string;
}

export interface Term {
	start: string;
	end: string;
}

export interface DashboardFilter {
	/** Street org id, or '' for all. */
	street: string;
	/** School org id, or '' for all. */
	school: string;
	/** Start date of a term, or '' for all terms. */
	term: string;
}

export const NO_DASHBOARD_FILTER: DashboardFilter = { street: '', school: '', term: '' };

/** The filter from a URL query (`?street=…&school=…&term=…`); unknown terms are dropped. */
export function filterFromQuery(query: URLSearchParams, terms: readonly Term[]): DashboardFilter {
	const term = query.get('term') ?? '';
	return {
		street: query.get('street') ?? '',
		school: query.get('school') ?? '',
		term: terms.some((t) => t.start === term) ? term : ''
	};
}

/** The URL query of a filter, without empty parts (`''` when nothing is filtered). */
export function filterToQuery(f: DashboardFilter): '' | `?${string}` {
	const q = new URLSearchParams();
	if (f.street) q.set('street', f.street);
	if (f.school) q.set('school', f.school);
	if (f.term) q.set('term', f.term);
	const s = q.toString();
	return s ? `?${s}` : '';
}

/** Every term of the given profiles, once each, latest first. */
export function mergeTerms(lists: readonly (readonly Term[])[]): Term[] {
	const byStart = new Map<string, Term>();
	for (const list of lists)
		for (const t of list) if (!byStart.has(t.start)) byStart.set(t.start, t);
	return [...byStart.values()].sort((a, b) => b.start.localeCompare(a.start));
}

/** The term `today` falls in; between terms, the last one that started; else the earliest. */
export function currentTerm(terms: readonly Term[], today: string): Term | null {
	const sorted = [...terms].sort((a, b) => a.start.localeCompare(b.start));
	let best: Term | null = null;
	for (const t of sorted) if (t.start <= today) best = t;
	return best ?? sorted[0] ?? null;
}

/**
 * Whether a case was being worked on during a term: it started (created or first absence) no
 * later than the term's end and was not closed before the term's start.
 */
export function activeInTerm(s: CaseSummary, term: Term): boolean {
	const start = s.firstAbsence && s.firstAbsence < s.openedOn ? s.firstAbsence : s.openedOn;
	return start <= term.end && (s.closedOn === null || s.closedOn >= term.start);
}

/**
 * Rows matching the filter. A street or term filter needs the summary: rows not yet summarised
 * are left out of a filtered view (and counted by `unsummarised`).
 */
export function filterRows(
	rows: readonly DashboardRow[],
	f: DashboardFilter,
	terms: readonly Term[]
): DashboardRow[] {
	const term = f.term ? (terms.find((t) => t.start === f.term) ?? null) : null;
	return rows.filter((r) => {
		if (f.school && r.schoolId !== f.school) return false;
		if (f.street && r.summary?.streetId !== f.street) return false;
		if (term && !(r.summary && activeInTerm(r.summary, term))) return false;
		return true;
	});
}

/** Rows stored before summaries existed (shown as "not yet summarised"). */
export function unsummarised(rows: readonly DashboardRow[]): number {
	return rows.reduce((n, r) => n + (r.summary ? 0 : 1), 0);
}

export interface StageCount {
	stage: Stage;
	count: number;
}

/** S-5: cases per stage, every stage listed in procedure order (zeros included). */
export function countByStage(rows: readonly DashboardRow[]): StageCount[] {
	const counts = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
	for (const r of rows) counts.set(r.stage, (counts.get(r.stage) ?? 0) + 1);
	return STAGES.map((stage) => ({ stage, count: counts.get(stage) ?? 0 }));
}

export interface OrgDeadlines {
	org: OrgKind;
	/** Not met, due day passed (judged for today, not for the summary's day). */
	overdue: number;
	/** Not met, due today or within the next `DUE_SOON_DAYS` calendar days. */
	dueSoon: number;
}

/**
 * Open obligations by the org kind responsible: overdue, and due within the next 7 calendar
 * days. States are judged again for `today` from the due dates (a summary may be days old).
 * Only org kinds with something to show, in DOMAIN.md order.
 */
export function deadlinesByOrg(rows: readonly DashboardRow[], today: string): OrgDeadlines[] {
	const horizon = addCalendarDays(today, DUE_SOON_DAYS);
	const by = new Map<OrgKind, OrgDeadlines>();
	for (const r of rows) {
		for (const o of r.summary?.open ?? []) {
			if (o.due === null) continue;
			const overdue = today > o.due;
			const soon = !overdue && o.due <= horizon;
			if (!overdue && !soon) continue;
			let e = by.get(o.responsible);
			if (!e) by.set(o.responsible, (e = { org: o.responsible, overdue: 0, dueSoon: 0 }));
			if (overdue) e.overdue++;
			else e.dueSoon++;
		}
	}
	return ORG_KINDS.flatMap((k) => {
		const e = by.get(k);
		return e ? [e] : [];
	});
}

/**
 * S-4b: open cases that need a responsible person (专人) and have none, longest-waiting first.
 * Returned and closed cases are past it.
 */
export function withoutResponsible(rows: readonly DashboardRow[]): DashboardRow[] {
	const since = (r: DashboardRow) => r.summary?.firstAbsence ?? r.summary?.openedOn ?? '9999';
	return rows
		.filter(
			(r) => r.summary?.responsible === 'missing' && r.stage !== 'closed' && r.stage !== 'returned'
		)
		.sort((a, b) => since(a).localeCompare(since(b)) || a.id.localeCompare(b.id));
}

/** The roster counts of one term (`GET /api/roster/summary`). */
export interface RosterCounts {
	term: string;
	counts: Record<string, number>;
	previousTerm: string | null;
	previousCounts: Record<string, number> | null;
	/** School names by org id, when the relay gives them. */
	schools?: Record<string, string>;
}

export interface SchoolIndicator {
	schoolId: string;
	name: string;
	/** Students on the roster this term (null: no roster data). */
	enrolled: number | null;
	/** On the roster the term before (null: no data). */
	previousEnrolled: number | null;
	/** Cases at a suspected-dropout stage (S-4b), not yet confirmed. */
	suspected: number;
	/** Dropouts not returned (`STILL_OUT_STAGES`). */
	stillOut: number;
	/** Of them, registered-poor students (B-7 target: 100 % retention). */
	poorStillOut: number;
	/** B-7 in-term retention = (enrolled − stillOut) ÷ enrolled; null without a roster. */
	retention: number | null;
	/** B-7: retention ≥ target (null when unknown). */
	meetsTarget: boolean | null;
}

/**
 * B-7 per school: 在校巩固率 (term) = (名册人数 − 仍未返校的辍学人数) ÷ 名册人数, against the
 * profile's target (≥ 99 %). An operational in-term indicator, not the statistical nine-year
 * 巩固率 of research §2.1 (graduates ÷ entrants of a cohort). Schools come from the cases and
 * from the roster, so a school without cases still shows its rate.
 */
export function schoolIndicators(
	rows: readonly DashboardRow[],
	roster: RosterCounts | null,
	target: number,
	schoolFilter = ''
): SchoolIndicator[] {
	const names = new Map<string, string>();
	for (const r of rows) if (!names.has(r.schoolId)) names.set(r.schoolId, r.school);
	const named = (id: string) => roster?.schools?.[id] ?? id;
	if (roster && !schoolFilter)
		for (const id of Object.keys(roster.counts)) if (!names.has(id)) names.set(id, named(id));
	if (schoolFilter && !names.has(schoolFilter)) names.set(schoolFilter, named(schoolFilter));
	const out: SchoolIndicator[] = [];
	for (const [schoolId, name] of names) {
		if (schoolFilter && schoolId !== schoolFilter) continue;
		const mine = rows.filter((r) => r.schoolId === schoolId);
		const stillOut = mine.filter((r) => STILL_OUT_STAGES.includes(r.stage));
		const enrolled = roster ? (roster.counts[schoolId] ?? null) : null;
		const retention =
			enrolled !== null && enrolled > 0 ? Math.max(0, enrolled - stillOut.length) / enrolled : null;
		out.push({
			schoolId,
			name,
			enrolled,
			previousEnrolled: roster?.previousCounts ? (roster.previousCounts[schoolId] ?? null) : null,
			suspected: mine.filter((r) => r.stage === 'suspected').length,
			stillOut: stillOut.length,
			poorStillOut: stillOut.filter((r) => r.summary?.focusGroups.includes('registered_poor'))
				.length,
			retention,
			meetsTarget: retention === null ? null : retention >= target - 1e-12
		});
	}
	return out.sort(
		(a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.schoolId.localeCompare(b.schoolId)
	);
}

export interface MonthTrend {
	/** `YYYY-MM`. */
	month: string;
	/** Suspected-dropout cases opened that month (S-4b). */
	suspected: number;
	/** Returns to school (S-6). */
	returned: number;
	/** Closures (S-10). */
	closed: number;
}

/** The `n` months ending with `today`'s month, oldest first (`YYYY-MM`). */
export function lastMonths(today: string, n = 12): string[] {
	let y = Number(today.slice(0, 4));
	let m = Number(today.slice(5, 7));
	const out: string[] = [];
	for (let i = 0; i < n; i++) {
		out.unshift(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
		if (--m === 0) {
			m = 12;
			y--;
		}
	}
	return out;
}

/** Trends by month over the last 12 months: new suspected cases, returns, closures (S-5, S-10). */
export function monthlyTrend(rows: readonly DashboardRow[], today: string, n = 12): MonthTrend[] {
	const months = lastMonths(today, n);
	const by = new Map<string, MonthTrend>(
		months.map((month) => [month, { month, suspected: 0, returned: 0, closed: 0 }])
	);
	const bump = (date: string | null | undefined, key: 'suspected' | 'returned' | 'closed') => {
		if (!date || date > today) return;
		const e = by.get(date.slice(0, 7));
		if (e) e[key]++;
	};
	for (const r of rows) {
		bump(r.summary?.suspectedOn, 'suspected');
		bump(r.summary?.returnedOn, 'returned');
		bump(r.summary?.closedOn, 'closed');
	}
	return months.map((m) => by.get(m) as MonthTrend);
}

/** When this device last refreshed a row of its index (null when it has none). */
export function lastSynced(rows: readonly DashboardRow[]): string | null {
	let best: string | null = null;
	for (const r of rows) if (!best || r.updatedAt > best) best = r.updatedAt;
	return best;
}

/** Filter choices: the streets and schools that occur in the local rows, by name. */
export function filterOptions(rows: readonly DashboardRow[]): {
	streets: { id: string; name: string }[];
	schools: { id: string; name: string }[];
} {
	const streets = new Map<string, string>();
	const schools = new Map<string, string>();
	for (const r of rows) {
		schools.set(r.schoolId, r.school);
		const s = r.summary?.streetId;
		if (s && (!streets.has(s) || streets.get(s) === s)) streets.set(s, r.street ?? s);
	}
	const list = (m: Map<string, string>) =>
		[...m]
			.map(([id, name]) => ({ id, name }))
			.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
	return { streets: list(streets), schools: list(schools) };
}
