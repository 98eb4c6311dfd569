import {
	builtinCalendar,
	countOrgObligations,
	orgObligations,
	type Calendar,
	type ObligationOrg,
	type OrgObligation,
	type OrgObligationState,
	type OrgWorkRecord,
	type Profile
} from '../rules';

/**
 * Issue 12: the org-level obligations of a quarter in the quarterly report (S-5): the term-start
 * checks (B-1, S-2) that fall due in the quarter, per school, and the bureau's own
 * quarterly round, counted met / late / overdue / pending as of the report day `asOf` (records
 * dated later are left out, so a past quarter reads as it stood at its end).
 */
export interface OrgWorkRow {
	orgId: string;
	orgName: string;
	orgKind: 'school' | 'bureau';
	/** The school's street office; null for the bureau. */
	streetId: string | null;
	counts: Record<OrgObligationState, number>;
	/** The obligations counted, overdue first (for the screen's list). */
	items: OrgObligation[];
}

/** The report's columns, in order: done in time, done late, overdue, not yet due. */
export const ORG_WORK_STATES: readonly OrgObligationState[] = ['met', 'late', 'overdue', 'pending'];

export interface OrgWorkSection {
	rows: OrgWorkRow[];
	total: Record<OrgObligationState, number>;
}

/** What the report needs to count them: the district's profile and the org-level records. */
export interface OrgWorkInput {
	profile: Profile;
	records: readonly OrgWorkRecord[];
}

/**
 * The day that puts an obligation in a quarter's report: a term check in the quarter it falls due
 * (a term starting Mon 2026-09-28 has its B-1 check due Thu 10-08, in Q4 — counted where it is
 * owed, not in Q3 as "not yet due" and then never again); the quarterly round (S-5) in its own
 * quarter, though its due day may move past the quarter's end (G-T2).
 */
function quarterDay(o: OrgObligation): string {
	return o.kind === 'quarterly-round' ? o.periodStart : (o.due ?? o.periodStart);
}

/** The org-level obligations of the quarter [from, to] (see `quarterDay`), as of `asOf`. */
export function orgWorkOfQuarter(args: {
	work: OrgWorkInput;
	orgs: readonly ObligationOrg[];
	from: string;
	to: string;
	asOf: string;
	calendar?: Calendar;
	/** Only schools of these street offices, and no bureau row (a street user's report). */
	streetIds?: readonly string[];
}): OrgWorkSection {
	const all = orgObligations({
		profile: args.work.profile,
		calendar: args.calendar ?? builtinCalendar(),
		orgs: args.orgs,
		records: args.work.records,
		today: args.asOf,
		from: args.from
	});
	const streets = args.streetIds;
	const inQuarter = all.filter((o) => {
		const day = quarterDay(o);
		return (
			day >= args.from &&
			day <= args.to &&
			(!streets || (o.streetId !== null && streets.includes(o.streetId)))
		);
	});
	const byOrg = new Map<string, OrgObligation[]>();
	for (const o of inQuarter) byOrg.set(o.orgId, [...(byOrg.get(o.orgId) ?? []), o]);
	const rows: OrgWorkRow[] = [...byOrg.values()].map((items) => {
		const first = items[0] as OrgObligation;
		return {
			orgId: first.orgId,
			orgName: first.orgName,
			orgKind: first.orgKind,
			streetId: first.streetId,
			counts: countOrgObligations(items),
			items
		};
	});
	// The bureau first, then schools by name.
	const byName = new Intl.Collator('zh-CN');
	rows.sort(
		(a, b) =>
			Number(a.orgKind === 'school') - Number(b.orgKind === 'school') ||
			byName.compare(a.orgName, b.orgName)
	);
	return { rows, total: countOrgObligations(inQuarter) };
}
