import {
	CLOSURE_PATHS,
	REASONS,
	type CaseSnapshot,
	type ClosurePath,
	type Reason
} from '../domain';
import type { OrgKind } from '../domain';
import type { Calendar } from '../rules';
import { caseAsOf, hasEventIn, reasonOf } from './facts';
import { createdOn, minDate, quarterRange, reportDue, type Quarter } from './period';
import { orgWorkOfQuarter, type OrgWorkInput, type OrgWorkSection } from './org-work';

/**
 * S-5 《季度控辍保学排查整改工作统计表》: one row per school, a subtotal per street office and a
 * district total. The policy gives no column list, so these are the columns (research §1.5
 * 劝返清单 and the 2024 常态化报告 ledgers), each counted per school from the cases' events as
 * the shared rules fold them on the report day `asOf = min(quarter's last day, today)`, with the
 * events dated after `asOf` left out:
 *
 * | column | 中文 | definition |
 * | --- | --- | --- |
 * | `enrolled` | 在籍学生数 | students on the registry roster of the term holding the quarter's end (roster import); "—" when none is imported |
 * | `openCases` | 期末在案数 | cases created by `asOf` that are not closed (销号) on `asOf` |
 * | `suspectedNew` | 本季度新发现疑似辍学 | cases with a suspected-dropout investigation opened (S-4b `suspected_case_opened`) dated within the quarter |
 * | `returned` | 本季度劝返复学 | cases with a return to school (S-6 `returned`) dated within the quarter |
 * | `out.<reason>` | 仍未返校（按原因） | cases whose stage on `asOf` is 疑似辍学, 辍学报告, 限期返校 or 联合劝返, by the S-9 reason of the dropout file or joint team (the later one); `out.unknown` 原因待查 when none is recorded yet |
 * | `outTotal` | 仍未返校 小计 | the sum of the `out.*` columns |
 * | `deferred` | 延缓入学/休学 | cases in 延缓入学/休学 (S-10 deferral, not closed) on `asOf` |
 * | `closed.<path>` | 已销号（按路径） | cases closed on `asOf` whose closure (S-10 `closed`) is dated within the quarter, by path |
 * | `closedTotal` | 已销号 小计 | the sum of the `closed.*` columns |
 * | `overdue` | 期末逾期未办事项 | obligations (deadlines) in state `overdue` on `asOf`, over all the school's cases |
 *
 * A case counts under its school and under the street office of the case (属地: the street of
 * the student's residence, who sees the case). A school is listed under its own street even
 * without cases; its enrollment is shown on that row only, so every total stays a plain sum.
 * Totals are computed as sums of the rows (street subtotal = Σ its schools; district total =
 * Σ streets), never counted separately.
 */
export interface QuarterCounts {
	/** null: no roster for this school (shown as "—"). */
	enrolled: number | null;
	openCases: number;
	suspectedNew: number;
	returned: number;
	out: Record<OutReason, number>;
	outTotal: number;
	deferred: number;
	closed: Record<ClosurePath, number>;
	closedTotal: number;
	overdue: number;
}

/** S-9 reasons, and `unknown` while no reason is recorded. */
export type OutReason = Reason | 'unknown';
export const OUT_REASONS: readonly OutReason[] = [...REASONS, 'unknown'];

/** The stages in which a student is still out of school and being persuaded (S-4b … S-9). */
const OUT_STAGES = new Set(['suspected', 'dropout', 'notice', 'joint']);

/** A case for the report: its snapshot and the orgs it counts under. */
export interface ReportCase {
	snapshot: CaseSnapshot;
	schoolId: string;
	streetId: string;
	/** Issue 12: the relay's human case number (older documents do not carry it). */
	caseNo?: string;
}

/** An organisation as the report needs it. */
export interface ReportOrg {
	id: string;
	kind: OrgKind;
	name: string;
	streetId: string | null;
}

export interface QuarterlyInput {
	/**
	 * The cases, read once in order: an array, or a generator that parses each stored snapshot
	 * as it is reached so that only one is in memory at a time (the relay does this).
	 */
	cases: Iterable<ReportCase>;
	orgs: readonly ReportOrg[];
	/** Students on the roster per school id (may be empty). */
	enrollment: Readonly<Record<string, number>>;
	year: number;
	quarter: Quarter;
	/** China-time today: a running quarter is reported as of today. */
	today: string;
	/** Only these street offices (a street user's own); all when absent. */
	streetIds?: readonly string[];
	/** The calendar the relay evaluates with (G-T3); the built-in one when absent. */
	calendar?: Calendar;
	/** Issue 12: the org-level records (B-1, S-2, S-5) to count; no `orgWork` section without. */
	orgWork?: OrgWorkInput;
}

export interface QuarterlySchoolRow {
	schoolId: string;
	schoolName: string;
	counts: QuarterCounts;
}

export interface QuarterlyStreet {
	streetId: string;
	streetName: string;
	schools: QuarterlySchoolRow[];
	subtotal: QuarterCounts;
}

export interface QuarterlyReport {
	year: number;
	quarter: Quarter;
	/** The quarter's first and last day. */
	from: string;
	to: string;
	/** The day the counts are taken on: min(quarter end, today). */
	asOf: string;
	/** S-5 filing day (G-T2), or null when the calendar of that year is not loaded (G-T3). */
	due: string | null;
	/** The district government's name (the district org), or '' when there is none. */
	districtName: string;
	streets: QuarterlyStreet[];
	total: QuarterCounts;
	/** Cases counted (in scope and created by `asOf`). */
	caseCount: number;
	/** Issue 12: the schools' term checks and the bureau's round of the quarter, by state. */
	orgWork?: OrgWorkSection;
}

/** Zero counts; `enrolled` as given. */
export function emptyCounts(enrolled: number | null = null): QuarterCounts {
	const out = {} as Record<OutReason, number>;
	for (const r of OUT_REASONS) out[r] = 0;
	const closed = {} as Record<ClosurePath, number>;
	for (const p of CLOSURE_PATHS) closed[p] = 0;
	return {
		enrolled,
		openCases: 0,
		suspectedNew: 0,
		returned: 0,
		out,
		outTotal: 0,
		deferred: 0,
		closed,
		closedTotal: 0,
		overdue: 0
	};
}

/** The sum of several rows' counts (enrollment: sum of the known ones, null when none is known). */
export function sumCounts(rows: readonly QuarterCounts[]): QuarterCounts {
	const s = emptyCounts();
	for (const r of rows) {
		if (r.enrolled !== null) s.enrolled = (s.enrolled ?? 0) + r.enrolled;
		s.openCases += r.openCases;
		s.suspectedNew += r.suspectedNew;
		s.returned += r.returned;
		for (const k of OUT_REASONS) s.out[k] += r.out[k];
		s.outTotal += r.outTotal;
		s.deferred += r.deferred;
		for (const p of CLOSURE_PATHS) s.closed[p] += r.closed[p];
		s.closedTotal += r.closedTotal;
		s.overdue += r.overdue;
	}
	return s;
}

/** Adds one case, folded by the rules as of `asOf`, to its school's counts. */
function countCase(
	c: QuarterCounts,
	snapshot: CaseSnapshot,
	from: string,
	asOf: string,
	calendar?: Calendar
): void {
	const { state, obligations } = caseAsOf(snapshot, asOf, calendar);
	if (state.stage !== 'closed') c.openCases++;
	if (hasEventIn(state, 'suspected_case_opened', from, asOf)) c.suspectedNew++;
	if (hasEventIn(state, 'returned', from, asOf)) c.returned++;
	if (OUT_STAGES.has(state.stage)) {
		c.out[reasonOf(state) ?? 'unknown']++;
		c.outTotal++;
	}
	if (state.stage === 'deferred') c.deferred++;
	const closure = state.closed;
	if (closure && closure.date >= from && closure.date <= asOf) {
		c.closed[closure.path]++;
		c.closedTotal++;
	}
	for (const o of obligations) if (o.state === 'overdue') c.overdue++;
}

/** Collator for Chinese names (pinyin order where the runtime has ICU data). */
const byName = new Intl.Collator('zh-CN');

/**
 * S-5: builds the quarterly report from the cases in scope. Pure: every input is a parameter.
 * Rows: every school of the streets in scope, plus any school that has cases there.
 */
export function quarterlyReport(input: QuarterlyInput): QuarterlyReport {
	const range = quarterRange(input.year, input.quarter);
	const asOf = minDate(range.to, input.today);
	const orgs = new Map(input.orgs.map((o) => [o.id, o]));
	const inScope = (streetId: string) => !input.streetIds || input.streetIds.includes(streetId);

	// street id → school id → counts
	const streets = new Map<string, Map<string, QuarterCounts>>();
	const row = (streetId: string, schoolId: string): QuarterCounts => {
		let schools = streets.get(streetId);
		if (!schools) streets.set(streetId, (schools = new Map<string, QuarterCounts>()));
		let c = schools.get(schoolId);
		if (!c) {
			const home = orgs.get(schoolId)?.streetId === streetId;
			schools.set(schoolId, (c = emptyCounts(home ? (input.enrollment[schoolId] ?? null) : null)));
		}
		return c;
	};
	for (const o of input.orgs) {
		if (o.kind === 'street' && inScope(o.id) && !streets.has(o.id))
			streets.set(o.id, new Map<string, QuarterCounts>());
		if (o.kind === 'school' && o.streetId && inScope(o.streetId)) row(o.streetId, o.id);
	}
	let caseCount = 0;
	for (const c of input.cases) {
		if (!inScope(c.streetId) || createdOn(c.snapshot) > asOf) continue;
		caseCount++;
		countCase(row(c.streetId, c.schoolId), c.snapshot, range.from, asOf, input.calendar);
	}

	const groups: QuarterlyStreet[] = [];
	for (const [streetId, schools] of streets) {
		const rows = [...schools].map(([schoolId, counts]) => ({
			schoolId,
			schoolName: orgs.get(schoolId)?.name ?? schoolId,
			counts
		}));
		rows.sort((a, b) => byName.compare(a.schoolName, b.schoolName));
		groups.push({
			streetId,
			streetName: orgs.get(streetId)?.name ?? streetId,
			schools: rows,
			subtotal: sumCounts(rows.map((r) => r.counts))
		});
	}
	groups.sort((a, b) => byName.compare(a.streetName, b.streetName));
	const district = input.orgs.find((o) => o.kind === 'district');
	const orgWork = input.orgWork
		? orgWorkOfQuarter({
				work: input.orgWork,
				orgs: input.orgs,
				from: range.from,
				to: range.to,
				asOf,
				...(input.calendar ? { calendar: input.calendar } : {}),
				...(input.streetIds ? { streetIds: input.streetIds } : {})
			})
		: undefined;
	return {
		year: input.year,
		quarter: input.quarter,
		from: range.from,
		to: range.to,
		asOf,
		due: reportDue(input.year, input.quarter, input.calendar),
		districtName: district?.name ?? '',
		streets: groups,
		total: sumCounts(groups.map((g) => g.subtotal)),
		caseCount,
		...(orgWork ? { orgWork } : {})
	};
}

/** One numeric column of the report, in table order, with the group it sits under. */
export interface ReportColumn {
	id: string;
	group: 'out' | 'closed' | null;
	/** Key of the column's label in the i18n catalogue. */
	label:
		| `reports.col.${'enrolled' | 'openCases' | 'suspectedNew' | 'returned' | 'outUnknown' | 'subtotal' | 'deferred' | 'overdue'}`
		| `reason.${Reason}`
		| `closure.${ClosurePath}`;
	value: (c: QuarterCounts) => number | null;
}

/** The report's numeric columns in the order of the form (screen and xlsx alike). */
export const REPORT_COLUMNS: readonly ReportColumn[] = [
	{ id: 'enrolled', group: null, label: 'reports.col.enrolled', value: (c) => c.enrolled },
	{ id: 'openCases', group: null, label: 'reports.col.openCases', value: (c) => c.openCases },
	{
		id: 'suspectedNew',
		group: null,
		label: 'reports.col.suspectedNew',
		value: (c) => c.suspectedNew
	},
	{ id: 'returned', group: null, label: 'reports.col.returned', value: (c) => c.returned },
	...REASONS.map((r): ReportColumn => ({
		id: `out.${r}`,
		group: 'out',
		label: `reason.${r}`,
		value: (c) => c.out[r]
	})),
	{ id: 'out.unknown', group: 'out', label: 'reports.col.outUnknown', value: (c) => c.out.unknown },
	{ id: 'outTotal', group: 'out', label: 'reports.col.subtotal', value: (c) => c.outTotal },
	{ id: 'deferred', group: null, label: 'reports.col.deferred', value: (c) => c.deferred },
	...CLOSURE_PATHS.map((p): ReportColumn => ({
		id: `closed.${p}`,
		group: 'closed',
		label: `closure.${p}`,
		value: (c) => c.closed[p]
	})),
	{
		id: 'closedTotal',
		group: 'closed',
		label: 'reports.col.subtotal',
		value: (c) => c.closedTotal
	},
	{ id: 'overdue', group: null, label: 'reports.col.overdue', value: (c) => c.overdue }
];
