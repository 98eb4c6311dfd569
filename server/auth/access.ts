import { DEPARTMENT_KINDS, type OrgKind } from '../../src/lib/domain';

/** The user side of a visibility check. */
export interface AccessUser {
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

const DEPARTMENTS: ReadonlySet<OrgKind> = new Set(DEPARTMENT_KINDS);

/**
 * DOMAIN.md "Who works on a case": the student's school, the street and community of the
 * residence, the bureau and the district see a case; a partner department only while it is on
 * the case's current joint team (S-9). Nobody else.
 */
export function canSeeCase(user: AccessUser, c: AccessCase): boolean {
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
			return DEPARTMENTS.has(user.orgKind) && c.team.includes(user.orgKind);
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
