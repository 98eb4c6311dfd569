import type { OrgKind, Role } from '../domain/kinds';

/**
 * Issue 12: the rules demo (a case as JSON, rule ids, the engine's raw output) is developer
 * material. Only the bureau's system administrators see it, or anyone in development.
 */
export function maySeeDeveloperPages(
	user: { orgKind: OrgKind; role: Role } | null | undefined,
	inDevelopment: boolean
): boolean {
	return inDevelopment || (user?.orgKind === 'bureau' && user.role === 'admin');
}
