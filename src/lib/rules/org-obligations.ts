import { CalendarRangeError, NoTermError, type Calendar, type Term } from './calendar';
import type { Profile } from './profile-schema';
import {
	TERM_DEADLINE_TITLES,
	quarterlyReportDue,
	termDeadlines,
	type TermDeadlineKey
} from './term';
import type { Bilingual, RuleId } from './types';

/**
 * Issue 12: the obligations of a school or of the bureau, not of a case — B-1 the term-start
 * check (开学后5日内全面清查) and dropout report (开学后10日内…报告, Bishan), S-2 the registry
 * review (开学后两周内全面梳理学籍异动, Shilong), S-5 the quarterly round and its
 * 《季度控辍保学排查整改工作统计表》 (每个季度末上报). Each arises per term (per school) or per
 * quarter (for the bureau), is met by an org-level record, and has a state for a given "today"
 * with the same meaning as a case's obligations (DOMAIN.md "Time"). Pure: every input is a
 * parameter.
 */

/** The kinds of org-level obligation; the term kinds are the keys of `termDeadlines`. */
export const ORG_OBLIGATION_KINDS = [
	'term-check',
	'term-report',
	'registry-review',
	'quarterly-round'
] as const;
export type OrgObligationKind = (typeof ORG_OBLIGATION_KINDS)[number];

/** Term kinds are per school and term; the quarterly round is the bureau's, per quarter. */
export function isTermKind(kind: OrgObligationKind): boolean {
	return kind !== 'quarterly-round';
}

/** "The check was done on date D": one org-level record (append-only; the earliest counts, G-M2). */
export interface OrgWorkRecord {
	id: number;
	orgId: string;
	kind: OrgObligationKind;
	/** The term's start day (term kinds) or `YYYY-Qn` (the quarterly round). */
	period: string;
	doneOn: string;
	/** What the check found (e.g. students not registered, dropouts reported); optional. */
	count: number | null;
	note: string;
	userId: string;
	/** ISO instant the relay stored it. */
	at: string;
}

/** An org as the obligations need it. */
export interface ObligationOrg {
	id: string;
	kind: string;
	name: string;
	streetId: string | null;
}

export type OrgObligationState = 'pending' | 'met' | 'late' | 'overdue';

export interface OrgObligation {
	/** `kind:orgId:period`, unique in the district. */
	key: string;
	kind: OrgObligationKind;
	rule: RuleId;
	title: Bilingual;
	orgId: string;
	orgName: string;
	orgKind: 'school' | 'bureau';
	/** The school's street (for a street office's view); null for the bureau. */
	streetId: string | null;
	period: string;
	/** The day the obligation arose: the term's start, the quarter's first day. */
	periodStart: string;
	/** Last day to meet it; null when the calendar cannot compute it (`error` says why). */
	due: string | null;
	state: OrgObligationState;
	doneOn: string | null;
	/** The record that met it (the earliest). */
	record: OrgWorkRecord | null;
	/** G-T3: counted through a year without an official State Council schedule (暂定). */
	provisional?: true;
	error?: Bilingual;
}

export interface OrgObligationsInput {
	profile: Profile;
	calendar: Calendar;
	orgs: readonly ObligationOrg[];
	records: readonly OrgWorkRecord[];
	today: string;
	/**
	 * Only obligations due on or after this day (when the district began keeping these records,
	 * or the window a screen shows); all since the first term entered when absent.
	 */
	from?: string;
}

const QUARTER_TITLE: Bilingual = {
	zh: '开展季度疑似辍学排查整改并上报《季度控辍保学排查整改工作统计表》',
	en: 'Run the quarterly suspected-dropout round and file the quarterly statistics form'
};

/** The quarter key `YYYY-Qn` and the quarter's first day. */
export function quarterKey(year: number, quarter: 1 | 2 | 3 | 4): string {
	return `${year}-Q${quarter}`;
}

/** `YYYY-Qn` → year, quarter and first day; null when malformed. */
export function parseQuarterKey(
	key: string
): { year: number; quarter: 1 | 2 | 3 | 4; start: string } | null {
	const m = /^(\d{4})-Q([1-4])$/.exec(key);
	if (!m) return null;
	const quarter = Number(m[2]) as 1 | 2 | 3 | 4;
	const month = String(quarter * 3 - 2).padStart(2, '0');
	return { year: Number(m[1]), quarter, start: `${m[1]}-${month}-01` };
}

/** The calendar's reason when it cannot count a period (G-T3 range, G-T4 no term). */
function calendarReason(err: unknown): Bilingual {
	if (err instanceof NoTermError || err instanceof CalendarRangeError) return err.reason;
	throw err;
}

/** pending / met / late / overdue, as for a case's obligations (obligations.ts). */
export function orgObligationState(
	due: string | null,
	doneOn: string | null,
	today: string
): OrgObligationState {
	if (doneOn) return due === null || doneOn <= due ? 'met' : 'late';
	return due !== null && today > due ? 'overdue' : 'pending';
}

/** The earliest record of each `kind:orgId:period`, recorded by `today` at the latest. */
function firstRecords(
	records: readonly OrgWorkRecord[],
	today: string
): Map<string, OrgWorkRecord> {
	const out = new Map<string, OrgWorkRecord>();
	for (const r of records) {
		if (r.doneOn > today) continue;
		const k = `${r.kind}:${r.orgId}:${r.period}`;
		const had = out.get(k);
		if (!had || r.doneOn < had.doneOn || (r.doneOn === had.doneOn && r.id < had.id)) out.set(k, r);
	}
	return out;
}

interface Pending {
	kind: OrgObligationKind;
	rule: RuleId;
	title: Bilingual;
	org: ObligationOrg;
	orgKind: 'school' | 'bureau';
	period: string;
	periodStart: string;
	due: string | null;
	error?: Bilingual;
}

/** B-1 / S-2: each school's obligations of each term that has started by today. */
function termItems(input: OrgObligationsInput, school: ObligationOrg): Pending[] {
	const { calendar, profile, today } = input;
	const terms: readonly Term[] = calendar.termsFor(school.id);
	const out: Pending[] = [];
	for (const term of terms) {
		if (term.start > today) continue;
		let deadlines: ReturnType<typeof termDeadlines> | null = null;
		let error: Bilingual | undefined;
		try {
			deadlines = termDeadlines(term.start, profile, calendar, terms);
		} catch (err) {
			error = calendarReason(err);
		}
		const titles = new Map((deadlines ?? []).map((d) => [d.key, d]));
		// G-T3: a term outside the calendar's years still lists its obligations, with the reason.
		for (const kind of termKindsOf(profile)) {
			const d = titles.get(kind);
			out.push({
				kind,
				rule: kind === 'registry-review' ? 'S-2' : 'B-1',
				title: d?.title ?? TERM_DEADLINE_TITLES[kind],
				org: school,
				orgKind: 'school',
				period: term.start,
				periodStart: term.start,
				due: d?.due ?? null,
				...(error ? { error } : {})
			});
		}
	}
	return out;
}

/** S-5: the bureau's round of each quarter that has begun by today, from the first term on. */
function quarterItems(input: OrgObligationsInput, bureau: ObligationOrg, first: string): Pending[] {
	const out: Pending[] = [];
	let year = Number(first.slice(0, 4));
	let q = Math.floor((Number(first.slice(5, 7)) - 1) / 3) + 1;
	for (;;) {
		const key = quarterKey(year, q as 1 | 2 | 3 | 4);
		const start = parseQuarterKey(key)?.start ?? '';
		if (start > input.today) break;
		let due: string | null = null;
		let error: Bilingual | undefined;
		try {
			due = quarterlyReportDue(year, q as 1 | 2 | 3 | 4, input.calendar);
		} catch (err) {
			error = calendarReason(err);
		}
		out.push({
			kind: 'quarterly-round',
			rule: 'S-5',
			title: QUARTER_TITLE,
			org: bureau,
			orgKind: 'bureau',
			period: key,
			periodStart: start,
			due,
			...(error ? { error } : {})
		});
		if (++q > 4) {
			q = 1;
			year++;
		}
	}
	return out;
}

const STATE_ORDER: Record<OrgObligationState, number> = { overdue: 0, pending: 1, late: 2, met: 3 };

/** Overdue first, then pending, late and met; each by due date, then org name. */
export function sortOrgObligations(list: OrgObligation[]): OrgObligation[] {
	return list.sort(
		(a, b) =>
			STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
			(a.due ?? '9999').localeCompare(b.due ?? '9999') ||
			a.orgName.localeCompare(b.orgName) ||
			a.key.localeCompare(b.key)
	);
}

/**
 * Every org-level obligation (B-1, S-2, S-5) of the district for `today`: per school per term
 * that has started, per quarter that has begun for the bureau, due on or after `from`. Records
 * dated after `today` are not counted (a report as of a past day reads as it stood).
 */
export function orgObligations(input: OrgObligationsInput): OrgObligation[] {
	const { orgs, today, calendar } = input;
	const records = firstRecords(input.records, today);
	const items: Pending[] = [];
	for (const o of orgs) if (o.kind === 'school') items.push(...termItems(input, o));
	const firstTerm = calendar.termsFor(null)[0]?.start;
	const bureau = orgs.find((o) => o.kind === 'bureau');
	if (bureau && firstTerm && firstTerm <= today)
		items.push(...quarterItems(input, bureau, input.from ?? firstTerm));
	const out: OrgObligation[] = [];
	for (const p of items) {
		if (input.from && p.due !== null && p.due < input.from) continue;
		const key = `${p.kind}:${p.org.id}:${p.period}`;
		const record = records.get(key) ?? null;
		const doneOn = record?.doneOn ?? null;
		const o: OrgObligation = {
			key,
			kind: p.kind,
			rule: p.rule,
			title: p.title,
			orgId: p.org.id,
			orgName: p.org.name,
			orgKind: p.orgKind,
			streetId: p.orgKind === 'school' ? p.org.streetId : null,
			period: p.period,
			periodStart: p.periodStart,
			due: p.due,
			state: orgObligationState(p.due, doneOn, today),
			doneOn,
			record
		};
		// G-T3: a due date counted through a provisional year is 暂定.
		if (p.due !== null && calendar.provisionalBetween(p.periodStart, p.due)) o.provisional = true;
		if (p.error) o.error = p.error;
		out.push(o);
	}
	return sortOrgObligations(out);
}

/** Counts by state, for the dashboard and the quarterly report. */
export function countOrgObligations(
	list: readonly OrgObligation[]
): Record<OrgObligationState, number> {
	const c: Record<OrgObligationState, number> = { overdue: 0, pending: 0, late: 0, met: 0 };
	for (const o of list) c[o.state]++;
	return c;
}

/** Which kinds a profile gives a school each term (S-2, and B-1 where the profile has it). */
export function termKindsOf(profile: Profile): TermDeadlineKey[] {
	const p = profile.periods;
	const out: TermDeadlineKey[] = [];
	if (p.registryReview) out.push('registry-review');
	if (p.termCheck) out.push('term-check');
	if (p.termReport) out.push('term-report');
	return out;
}
