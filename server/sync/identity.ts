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

/** A connection the watch looks after. */
export interface Watched {
	claims: ConnectionClaims;
	identity: Identity;
	revoked: boolean;
}

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

/**
 * Revocation at once (issue 10): every `everyMs` the user record of each open connection is
 * read again — the admin CLI may have disabled the user from another process on the same SQLite
 * file — and a connection whose user was disabled, moved to another org, given another role, or
 * whose token expired by the relay's clock is handed to `revoke`. `gate` is the check before
 * each update: it re-reads a record older than two periods (a stalled timer), so no update is
 * ever judged by a stale record.
 */
export class RevocationWatch<C extends Watched> {
	private readonly conns = new Set<C>();
	private timer: ReturnType<typeof setInterval> | null = null;
	private running = false;

	constructor(
		private readonly storage: Storage,
		private readonly now: () => Date,
		private readonly revoke: (conn: C, why: Revocation) => void,
		private readonly everyMs = 500
	) {}

	add(conn: C): void {
		this.conns.add(conn);
		if (this.timer) return;
		this.timer = setInterval(() => void this.tick(), this.everyMs);
		this.timer.unref();
	}

	delete(conn: C): void {
		this.conns.delete(conn);
		if (this.conns.size > 0 || !this.timer) return;
		clearInterval(this.timer);
		this.timer = null;
	}

	/** True when `conn` may still write; revokes it otherwise. */
	async gate(conn: C): Promise<boolean> {
		if (conn.revoked) return false;
		if (expired(conn.claims, this.now())) {
			this.revokeOnce(conn, 'expired');
			return false;
		}
		if (performance.now() - conn.identity.readAt > 2 * this.everyMs) {
			const read = await readIdentity(this.storage, conn.claims, this.now());
			if (!read.ok) {
				this.revokeOnce(conn, read.why);
				return false;
			}
			conn.identity = read.identity;
		}
		return !conn.revoked;
	}

	private revokeOnce(conn: C, why: Revocation): void {
		if (conn.revoked) return;
		conn.revoked = true;
		this.revoke(conn, why);
	}

	private async tick(): Promise<void> {
		if (this.running) return; // a slow storage: never stack reads
		this.running = true;
		try {
			const byUser = new Map<string, C[]>();
			for (const c of this.conns) {
				if (c.revoked) continue;
				const list = byUser.get(c.claims.userId);
				if (list) list.push(c);
				else byUser.set(c.claims.userId, [c]);
			}
			for (const [userId, conns] of byUser) {
				const readAt = performance.now();
				let user: UserRecord | null;
				try {
					user = await this.storage.getUser(userId);
				} catch {
					continue; // storage trouble: `gate` re-reads before the next update
				}
				const now = this.now();
				for (const c of conns) {
					const why = judge(c.claims, user, now);
					if (why) this.revokeOnce(c, why);
					else if (user) {
						c.identity = {
							...c.identity,
							sender: { ...c.identity.sender, name: user.displayName },
							readAt
						};
					}
				}
			}
		} finally {
			this.running = false;
		}
	}
}
