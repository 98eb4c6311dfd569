import { z } from 'zod';
import { DEPARTMENT_KINDS, ORG_KINDS, ROLES } from './kinds';
import { id, shortText } from './primitives';

export { DEPARTMENT_KINDS, ORG_KINDS, ROLES } from './kinds';
export type { DepartmentKind, OrgKind, Role } from './kinds';

export const orgKind = z.enum(ORG_KINDS);
export const departmentKind = z.enum(DEPARTMENT_KINDS);
export const role = z.enum(ROLES);

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
