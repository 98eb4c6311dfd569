/** Org kinds of DOMAIN.md "Who works on a case" (plain data: no schema library, for light imports). */
export const ORG_KINDS = [
	'school',
	'community',
	'street',
	'bureau',
	'district',
	'justice',
	'police',
	'hr',
	'disability',
	'civil',
	'religion',
	'rural'
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Partner departments: they see a case only once its joint team includes them (S-9). */
export const DEPARTMENT_KINDS = [
	'justice',
	'police',
	'hr',
	'disability',
	'civil',
	'religion',
	'rural'
] as const satisfies readonly OrgKind[];
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/**
 * Roles inside an org. 班主任 and 校领导 are the school roles DOMAIN.md names; other orgs have
 * officers and a leader; `admin` manages users of the org but acts on cases like an officer.
 */
export const ROLES = ['head_teacher', 'school_leader', 'officer', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];
