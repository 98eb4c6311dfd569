import type { OrgKind, Role } from '../../src/lib/domain';
import type { Storage, UserRecord } from '../storage/types';
import type { Sender } from './update-check';

/** What admission learned from a socket's token: who, in which org and role, until when. */
export interface ConnectionClaims {
	userId: string;
	orgId: string;
	orgKind: OrgKind;
	role: Role;
	/** The token's expiry, judged by the relay's clock (absent: never, e.g. tools). */
	expiresAt?: Date;
}

/** The relay's record of a connection's user, as last read from storage. */
export interface Identity {
	/** Author fields every new event must carry (issue 10, rule 'author'). */
	sender: Sender;
	/** The org's name, put into the user's presence entry. */
	orgName: string;
	/** `performance.now()` when the user record was read. */
	readAt: number;
}

/** Why a connection's user no longer holds; every reason closes its sockets with 4401. */
export type Revocation = 'disabled' | 'changed' | 'expired';

export type IdentityRead = { ok: true; identity: Identity } | { ok: false; why: Revocation };

const expired = (claims: ConnectionClaims, now: Date) =>
	claims.expiresAt !== undefined && now.getTime() >= claims.expiresAt.getTime();

/** Whether a user record still matches the token a connection was admitted with. */
function judge(claims: ConnectionClaims, user: UserRecord | null, now: Date): Revocation | null {
	if (expired(claims, now)) return 'expired';
	if (!user || user.disabled) return 'disabled';
	if (user.orgId !== claims.orgId || user.role !== claims.role) return 'changed';
	return null;
}

/**
 * Reads a connection's user and org and checks them against its token: a token issued before
 * the user was disabled, moved to another org or given another role no longer holds.
 */
export async function readIdentity(
	storage: Storage,
	claims: ConnectionClaims,
	now: Date
): Promise<IdentityRead> {
	const readAt = performance.now();
	const user = await storage.getUser(claims.userId);
	const why = judge(claims, user, now);
	if (why || !user) return { ok: false, why: why ?? 'disabled' };
	const org = await storage.getOrg(user.orgId);
	// Orgs never change kind; a token whose kind differs was issued for another org record.
	if (!org || org.kind !== claims.orgKind) return { ok: false, why: 'changed' };
	return {
		ok: true,
		identity: {
			sender: {
				userId: user.id,
				orgId: user.orgId,
				orgKind: org.kind,
				role: user.role,
				name: user.displayName
			},
			orgName: org.name,
			readAt
		}
	};
}
