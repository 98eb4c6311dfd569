import { DEPARTMENT_KINDS, type OrgKind, type Role } from '../domain/kinds';

/**
 * Issue 13: who may do what in the office — see a case, open one, import a roster, read a
 * report, record a school's checks — as pure functions of the user's org, each citing the rule
 * that gives the duty. The relay enforces them and the screens use the same ones to offer only
 * what will be accepted. Plain data only (no schema library): the app shell imports this file.
 * Event permissions (who may record what on a case) stay with the rules of each profile.
 */

/** The user side of a check: the org the user belongs to. */
export interface OfficeUser {
	orgId: string;
	orgKind: OrgKind;
}

/** The case side of a visibility check (the columns of a stored case). */
export interface AccessCase {
	schoolId: string;
	streetId: string;
	communityId: string | null;
	/**
	 * Org kinds on the case's current joint team (S-9): the latest formation of the current
	 * episode (`CaseState.team`), so a department left out of a re-formed team loses the case.
	 */
	team: readonly OrgKind[];
}

/** A school as the office scopes see it: its id and its street office. */
export interface ScopedSchool {
	id: string;
	streetId: string | null;
}

const DEPARTMENTS: ReadonlySet<OrgKind> = new Set(DEPARTMENT_KINDS);

/** Whether the org kind is a partner department (S-9: it joins a case through the joint team). */
export function isDepartment(orgKind: OrgKind): boolean {
	return DEPARTMENTS.has(orgKind);
}

/**
 * DOMAIN.md "Who works on a case": the student's school, the street and community of the
 * residence, the bureau and the district see a case; a partner department only while it is on
 * the case's current joint team (S-9). Nobody else.
 */
export function canSeeCase(user: OfficeUser, c: AccessCase): boolean {
	switch (user.orgKind) {
		case 'school':
			return user.orgId === c.schoolId;
		case 'street':
			return user.orgId === c.streetId;
		case 'community':
			return c.communityId !== null && user.orgId === c.communityId;
		case 'bureau':
		case 'district':
			return true;
		default:
			// S-9: a department joins a case through the joint team, never by place.
			return isDepartment(user.orgKind) && c.team.includes(user.orgKind);
	}
}

/** Who opens a case: the school (S-4a, absences) or the bureau (S-1 roster, B-2 tracing). */
export function canCreateCase(orgKind: OrgKind): boolean {
	return orgKind === 'school' || orgKind === 'bureau';
}

/** G-T3: who enters the official schedules and the school terms, and reads their log. */
export function canEditCalendar(orgKind: OrgKind): boolean {
	return orgKind === 'bureau';
}

/**
 * DESIGN.md "When the relay refuses an update": who reviews the refused updates the relay keeps
 * in quarantine — the bureau, which oversees every case of the district.
 */
export function canReviewQuarantine(orgKind: OrgKind): boolean {
	return orgKind === 'bureau';
}

/** Issue 10: who is told that a case loads without some stored updates (the repair notice). */
export function canSeeRepairs(orgKind: OrgKind): boolean {
	return orgKind === 'bureau';
}

/**
 * Issue 11: who may correct a student's identity (name, birth date, sex, ID number): the school
 * that keeps the registry and the bureau, as DOMAIN.md gives them the student's record.
 */
export function canCorrectIdentity(orgKind: OrgKind): boolean {
	return orgKind === 'school' || orgKind === 'bureau';
}

/**
 * Issue 11: who sets how long closed cases are kept in full and how soon devices wipe a user's
 * local data, and who runs the retention (anonymisation) of closed cases: the bureau.
 */
export function canManageRetention(orgKind: OrgKind): boolean {
	return orgKind === 'bureau';
}

/**
 * Which schools' rosters, watch lists and term checks a user sees (S-1, B-1, S-2): the bureau
 * and the district every school, a street office the schools of its street, a school itself.
 * Null: none at all (communities and partner departments do not keep registries).
 */
export type SchoolScope = { all: true } | { streetId: string } | { schoolId: string };

export function schoolScope(user: OfficeUser): SchoolScope | null {
	switch (user.orgKind) {
		case 'bureau':
		case 'district':
			return { all: true };
		case 'street':
			return { streetId: user.orgId };
		case 'school':
			return { schoolId: user.orgId };
		default:
			return null;
	}
}

/** Whether `school` is in the user's school scope (`schoolScope`). */
export function seesSchool(user: OfficeUser, school: ScopedSchool): boolean {
	const s = schoolScope(user);
	if (!s) return false;
	if ('all' in s) return true;
	if ('streetId' in s) return school.streetId === s.streetId;
	return school.id === s.schoolId;
}

/**
 * S-1: who imports a registry roster: the bureau (which builds it with the police, any school)
 * and a school (its own). A street office sees its schools' rosters but does not import them.
 */
export function canImportRoster(orgKind: OrgKind): boolean {
	return orgKind === 'bureau' || orgKind === 'school';
}

/**
 * S-5: who reads the quarterly report and the term ledger, and over which street offices: the
 * bureau and the district every street (`{}`), a street office its own; null for everyone else.
 */
export function reportScope(user: OfficeUser): { streetIds?: string[] } | null {
	if (user.orgKind === 'bureau' || user.orgKind === 'district') return {};
	if (user.orgKind === 'street') return { streetIds: [user.orgId] };
	return null;
}

/**
 * Issue 12: who records an org-level obligation as done: a school its own term checks (B-1,
 * S-2), the bureau the quarterly round (S-5). `termKind` tells which of the two it is.
 */
export function canRecordOrgWork(orgKind: OrgKind, termKind: boolean): boolean {
	return termKind ? orgKind === 'school' : orgKind === 'bureau';
}

/**
 * Issue 12: whether an org-level obligation of `orgId` (a school of `streetId`, or the bureau
 * with `streetId` null) is shown to the user: the bureau and district all, a street office its
 * schools', a school its own.
 */
export function seesOrgWork(
	user: OfficeUser,
	o: { orgId: string; streetId: string | null }
): boolean {
	const s = schoolScope(user);
	if (!s) return false;
	if ('all' in s) return true;
	if ('streetId' in s) return o.streetId === s.streetId;
	return o.orgId === s.schoolId;
}

/**
 * Issue 12 (README "Case numbers"): the rules demo (`/rules`: a case as JSON, rule ids, the
 * engine's raw output) is developer material, not a policy duty — no S-/B-/G- rule gives it to
 * an office. Only the bureau's system administrators (role `admin` of the bureau, the org that
 * oversees every case of the district, DOMAIN.md "Who works on a case") see it, or anyone in
 * development.
 */
export function maySeeDeveloperPages(
	user: { orgKind: OrgKind; role: Role } | null | undefined,
	inDevelopment: boolean
): boolean {
	return inDevelopment || (user?.orgKind === 'bureau' && user.role === 'admin');
}
