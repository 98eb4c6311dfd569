import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Who a presence entry shows, as the relay knows the connection's user. */
export interface PresenceUser {
	/** The user's id: one user with several tabs or devices is one name (issue 12). */
	id: string;
	name: string;
	orgName: string;
}

/** One entry of an awareness update: a client id's state (null: it left) at a clock. */
export interface PresenceEntry {
	clientId: number;
	clock: number;
	state: Record<string, unknown> | null;
}

/**
 * The entries of an awareness update (y-protocols: count, then client id, clock and JSON state
 * each). Entries whose state is neither an object nor null are dropped. Throws on bytes that
 * are not an awareness update (the caller closes the socket as malformed).
 */
export function readPresence(update: Uint8Array): PresenceEntry[] {
	const d = decoding.createDecoder(update);
	const count = decoding.readVarUint(d);
	const out: PresenceEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(d);
		const clock = decoding.readVarUint(d);
		const state: unknown = JSON.parse(decoding.readVarString(d));
		if (state === null) out.push({ clientId, clock, state: null });
		else if (typeof state === 'object' && !Array.isArray(state)) {
			out.push({ clientId, clock, state: state as Record<string, unknown> });
		}
	}
	return out;
}

/**
 * An awareness update of `entries` in which every state's `user` is the relay's, whatever the
 * client put there (issue 10: a user's presence shows who they are, not who they claim to be).
 */
export function writePresence(entries: readonly PresenceEntry[], user: PresenceUser): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, entries.length);
	for (const k of entries) {
		encoding.writeVarUint(e, k.clientId);
		encoding.writeVarUint(e, k.clock);
		encoding.writeVarString(e, JSON.stringify(k.state === null ? null : { ...k.state, user }));
	}
	return encoding.toUint8Array(e);
}
