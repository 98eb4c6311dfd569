import type { Peer } from './contract';

/**
 * Who else has the case open, from the awareness states (issue 12): one entry per user, however
 * many tabs or devices they have it open in, and never the viewer — neither this tab nor the
 * viewer's other tabs. The relay writes `user` of every state itself (issue 10), with the id;
 * a state without an id (a relay before issue 12) is told apart by name and org.
 */
export function peersOf(
	states: ReadonlyMap<number, unknown>,
	own: { clientId: number; userId: string | null }
): Peer[] {
	const out = new Map<string, Peer>();
	for (const [clientId, state] of states) {
		if (clientId === own.clientId) continue;
		const u = (state as { user?: { id?: unknown; name?: unknown; orgName?: unknown } } | null)
			?.user;
		if (typeof u?.name !== 'string') continue;
		const orgName = typeof u.orgName === 'string' ? u.orgName : '';
		const userId = typeof u.id === 'string' ? u.id : null;
		if (userId !== null && userId === own.userId) continue;
		const key = userId ?? `${u.name}\u0000${orgName}`;
		if (!out.has(key)) out.set(key, { clientId, name: u.name, orgName });
	}
	return [...out.values()];
}
