import type { OrgKind } from '../domain';
import type { Stage } from '../rules';
import type { CaseIndexRow } from '../sync/contract';

/** What the case list is filtered by. */
export interface CaseFilter {
	query: string;
	stage: Stage | '';
	overdueOnly: boolean;
	waitingOnMe: boolean;
}

export const NO_FILTER: CaseFilter = {
	query: '',
	stage: '',
	overdueOnly: false,
	waitingOnMe: false
};

/** Whether any filter is set. */
export function isFiltered(f: CaseFilter): boolean {
	return f.query.trim() !== '' || f.stage !== '' || f.overdueOnly || f.waitingOnMe;
}

/** Overdue first, then by next due date, undated last; then by student name. */
export function compareRows(a: CaseIndexRow, b: CaseIndexRow): number {
	const rank = (r: CaseIndexRow) =>
		`${r.next?.state === 'overdue' ? 0 : 1}${r.next?.due ?? '9999-99-99'}`;
	return rank(a).localeCompare(rank(b)) || a.student.localeCompare(b.student, 'zh-CN');
}

/**
 * The rows to show: search by student name, 学籍号 or case number (issue 12; case-insensitive),
 * by stage, overdue only,
 * waiting on the user's org kind; sorted by `compareRows`.
 */
export function filterCases(
	rows: readonly CaseIndexRow[],
	f: CaseFilter,
	orgKind: OrgKind | null
): CaseIndexRow[] {
	const q = f.query.trim().toLowerCase();
	return rows
		.filter(
			(r) =>
				(!q ||
					r.student.toLowerCase().includes(q) ||
					r.registryNo.toLowerCase().includes(q) ||
					(r.caseNo?.toLowerCase().includes(q) ?? false)) &&
				(!f.stage || r.stage === f.stage) &&
				(!f.overdueOnly || r.overdue > 0 || r.next?.state === 'overdue') &&
				(!f.waitingOnMe || (orgKind !== null && r.waitingOn.includes(orgKind)))
		)
		.sort(compareRows);
}

/** One group of the list grouped by family (B-5): a family's siblings, or the cases in none. */
export interface FamilyGroup {
	family: string | null;
	rows: CaseIndexRow[];
}

/**
 * B-5 (一家一案): the rows grouped by family, keeping their order: each family where its first
 * row is, its siblings together; the cases in no family last, as one group.
 */
export function groupByFamily(rows: readonly CaseIndexRow[]): FamilyGroup[] {
	const groups = new Map<string, FamilyGroup>();
	const none: CaseIndexRow[] = [];
	for (const r of rows) {
		if (!r.family) {
			none.push(r);
			continue;
		}
		let g = groups.get(r.family);
		if (!g) groups.set(r.family, (g = { family: r.family, rows: [] }));
		g.rows.push(r);
	}
	const out = [...groups.values()];
	return none.length ? [...out, { family: null, rows: none }] : out;
}
