/**
 * Which offices a new case may name (DOMAIN.md "Who works on a case"): the case's street is its
 * school's street, and the community that knows the family sits in that street (community →
 * street). A community of another street would see the case without its own street office.
 * Used by the relay's check and by the new-case form's picker alike.
 */

/** The part of a directory entry these checks read. */
export interface PlacedOrg {
	id: string;
	kind: string;
	streetId?: string | null;
}

/** Whether `community` is a community in the street of `school`. */
export function communityFitsSchool(school: PlacedOrg, community: PlacedOrg): boolean {
	return (
		school.kind === 'school' &&
		community.kind === 'community' &&
		!!school.streetId &&
		community.streetId === school.streetId
	);
}

/** The communities a case of `schoolId` may name: those of its street; none for an unknown school. */
export function communitiesOfSchool<T extends PlacedOrg>(
	orgs: readonly T[],
	schoolId: string
): T[] {
	const school = orgs.find((o) => o.id === schoolId);
	if (!school) return [];
	return orgs.filter((c) => communityFitsSchool(school, c));
}
