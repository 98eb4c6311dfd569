import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { z } from 'zod';
import { PROTOCOL_VERSION } from '../domain/versions';

/**
 * The relay speaks the y-websocket protocol (sync 0, awareness 1, auth 2, query-awareness 3)
 * plus two message types of our own (DESIGN.md "When the relay refuses an update"). The stock
 * WebsocketProvider logs and ignores types it has no handler for; our client registers these.
 */
export { PROTOCOL_VERSION };
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** accepted: the relay's state vector after a durable write. */
export const MESSAGE_ACCEPTED = 100;
/** refused: why an update was refused and which one; the update is kept in quarantine. */
export const MESSAGE_REFUSED = 101;

/** Close codes of the sync socket. */
export const CLOSE = {
	/** Missing, bad or expired token. */
	unauthorized: 4401,
	/** The user may not see this case. */
	forbidden: 4403,
	/** No such case. */
	notFound: 4404,
	/** A message over the size limit. */
	tooBig: 1009,
	/** A malformed message. */
	malformed: 1007,
	/** The relay failed to store an accepted-looking update; reconnect and resync. */
	internal: 1011,
	/**
	 * The client read too slowly: more than the relay's send-buffer limit was waiting for it.
	 * 4408 (HTTP 408, like 4401/4403/4404) rather than 1013 "try again later", which says the
	 * server is overloaded; here only this one connection is, and the relay goes on serving
	 * every other client. The client reconnects and resyncs (state vectors): nothing is lost.
	 */
	slowConsumer: 4408,
	/**
	 * Issue 11: the relay rewrote the case's stored log in place (retention, ID masking): the
	 * client's copy holds what was replaced, under the same clocks, so a resync would keep it.
	 * 4409 (HTTP 409 Conflict): replace the local copy from the relay, then sync again.
	 */
	rewritten: 4409
} as const;

/**
 * The refusal rule for an update carrying changes under a Yjs client id that another user
 * wrote with first in this case: the client takes a fresh id and sends its work again.
 */
export const RULE_CLIENT_ID = 'client-id';

/** Which update was refused: the Yjs clock ranges it covers, per client id. */
export interface UpdateRange {
	client: number;
	from: number;
	to: number;
}

export const refusedSchema = z.strictObject({
	v: z.literal(PROTOCOL_VERSION),
	/** Quarantine id on the relay. */
	id: z.number().int(),
	rule: z.string(),
	reason: z.strictObject({ zh: z.string(), en: z.string() }),
	/** The event the rules refused, when one did (the rest of the update may be fine). */
	eventId: z.string().optional(),
	ranges: z.array(z.strictObject({ client: z.number(), from: z.number(), to: z.number() }))
});
export type Refused = z.infer<typeof refusedSchema>;

/** Encodes an accepted message. */
export function encodeAccepted(stateVector: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_ACCEPTED);
	encoding.writeVarUint(e, PROTOCOL_VERSION);
	encoding.writeVarUint8Array(e, stateVector);
	return encoding.toUint8Array(e);
}

/** Encodes a refused message. */
export function encodeRefused(refused: Refused): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_REFUSED);
	encoding.writeVarUint(e, PROTOCOL_VERSION);
	encoding.writeVarString(e, JSON.stringify(refused));
	return encoding.toUint8Array(e);
}

/** Reads the body of an accepted message (after its type); null when malformed or another version. */
export function readAccepted(decoder: decoding.Decoder): Uint8Array | null {
	try {
		if (decoding.readVarUint(decoder) !== PROTOCOL_VERSION) return null;
		return decoding.readVarUint8Array(decoder);
	} catch {
		return null;
	}
}

/** Reads the body of a refused message (after its type), validated; null when malformed. */
export function readRefused(decoder: decoding.Decoder): Refused | null {
	try {
		if (decoding.readVarUint(decoder) !== PROTOCOL_VERSION) return null;
		const r = refusedSchema.safeParse(JSON.parse(decoding.readVarString(decoder)));
		return r.success ? r.data : null;
	} catch {
		return null;
	}
}
