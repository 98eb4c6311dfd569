import type { ConnectionState } from './contract';

/**
 * Issue 12: the sync state is one value, derived from the network, the connection, the
 * changes the relay has not accepted yet and the session, and shown one way everywhere (the
 * case heading, the header). Before anyone logs in there is nothing to sync: only the network.
 */
export type SyncState =
	| { kind: 'signed-out'; online: boolean }
	| { kind: 'offline'; pending: number }
	| { kind: 'expired'; pending: number }
	| { kind: 'connecting'; pending: number }
	| { kind: 'syncing'; pending: number }
	| { kind: 'pending-upload'; pending: number }
	| { kind: 'synced' };

export interface SyncInputs {
	loggedIn: boolean;
	/** The session's token expired: nothing uploads until the password is asked again. */
	expired: boolean;
	/** The browser's network state (`navigator.onLine`). */
	online: boolean;
	/** The relay connection: one case's socket, or the device's summary of them. */
	connection: ConnectionState;
	/** Changes on this device the relay has not accepted. */
	pending: number;
}

export function syncState(i: SyncInputs): SyncState {
	if (!i.loggedIn) return { kind: 'signed-out', online: i.online };
	const pending = Math.max(0, i.pending);
	// A socket may look open a while after the network went: the network decides first.
	if (!i.online) return { kind: 'offline', pending };
	if (i.expired) return { kind: 'expired', pending };
	switch (i.connection) {
		case 'offline':
		case 'connecting':
			return { kind: 'connecting', pending };
		case 'syncing':
			return { kind: 'syncing', pending };
		case 'synced':
			return pending > 0 ? { kind: 'pending-upload', pending } : { kind: 'synced' };
	}
}

/** Changes waiting, when the state has any (shown beside the state, never with ✓). */
export function pendingOf(s: SyncState): number {
	return 'pending' in s ? s.pending : 0;
}

/** The state for a connection and a count, with the session's and the network's parts. */
export function syncStateOf(
	session: { readonly loggedIn: boolean; readonly expired: boolean },
	network: { readonly online: boolean },
	connection: ConnectionState,
	pending: number
): SyncState {
	const { loggedIn, expired } = session;
	return syncState({ loggedIn, expired, online: network.online, connection, pending });
}
