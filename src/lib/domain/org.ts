import { z } from 'zod';
import { id, shortText } from './primitives';

/** Org kinds of DOMAIN.md "Who works on a case". */
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
export const orgKind = z.enum(ORG_KINDS);
export type OrgKind = z.infer<typeof orgKind>;

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
export const departmentKind = z.enum(DEPARTMENT_KINDS);

/**
 * Roles inside an org. 班主任 and 校领导 are the school roles DOMAIN.md names; other orgs have
 * officers and a leader; `admin` manages users of the org but acts on cases like an officer.
 */
export const ROLES = ['head_teacher', 'school_leader', 'officer', 'leader', 'admin'] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

/** An organisation. Schools and communities sit in a street; a street sits in the district. */
export const orgSchema = z.strictObject({
	id,
	kind: orgKind,
	name: shortText,
	/** The street a school or community belongs to. */
	streetId: id.optional()
});
export type Org = z.infer<typeof orgSchema>;

/** A person using the system; belongs to exactly one org. */
export const userSchema = z.strictObject({
	id,
	username: z.string().regex(/^[a-z0-9_.-]{2,40}$/),
	displayName: shortText,
	orgId: id,
	orgKind,
	role
});
export type User = z.infer<typeof userSchema>;

/** Who recorded an event: the relay checks it equals the connection's user. */
export const authorSchema = z.strictObject({
	userId: id,
	orgId: id,
	orgKind,
	role,
	name: shortText
});
export type Author = z.infer<typeof authorSchema>;
