import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { maskIdsInBytes } from '../person-ids';
import { chinaDate } from '../../src/lib/domain';
import type { Calendar } from '../../src/lib/rules';
import {
	CLOSE,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	PROTOCOL_VERSION,
	encodeAccepted,
	encodeRefused
} from '../../src/lib/protocol/ws';
import { canSeeCase, isDepartment } from '../../src/lib/rules/access';
import type { Storage } from '../storage/types';
import { ClientIdOwners, writtenClients } from './client-ids';
import type { DocRegistry, LoadedDoc } from './doc-registry';
import {
	RevocationWatch,
	readIdentity,
	type ConnectionClaims,
	type Identity,
	type Revocation
} from './identity';
import { readPresence, writePresence, type PresenceEntry } from './presence';
import {
	checkClientIds,
	checkUpdate,
	clientIdTaken,
	updateRanges,
	type UpdateVerdict
} from './update-check';
import { accessOf, mayChangeTeam } from './team-access';
import { CasePipe, CommitQueue, corkForTurn, settled } from './pipeline';

export interface SyncDeps {
	registry: DocRegistry;
	storage: Storage;
	now: () => Date;
	/** The relay's current calendar: every update is checked with it (G-T3, G-T4). */
	calendar: () => Calendar;
	/** One line per event; never personal data (ids of cases and users only). */
	log: (line: string) => void;
	/** How often open connections' users are read again for revocation (default 500 ms). */
	recheckMs?: number;
}

interface Conn {
	ws: WebSocket;
	caseId: string;
	claims: ConnectionClaims;
	/** The relay's record of the user (refreshed by the revocation watch). */
	identity: Identity;
	/** Set once the user's access is revoked: nothing this socket sends is applied after. */
	revoked: boolean;
	/** Awareness client ids this connection has announced (removed when it closes). */
	awarenessIds: Set<number>;
}

/** Presence entries one connection may hold (a provider uses one; a rebuild opens a new socket). */
const MAX_PRESENCE_IDS = 4;

type Refusal = Extract<UpdateVerdict, { ok: false }>;

/** What the check of an update hands to the in-order stage (see pipeline.ts). */
type Finish = () => Promise<void> | void;

/**
 * The sync side of the relay: y-websocket's sync and awareness messages for one case per
 * socket, with every incoming update checked, stored, then applied and fanned out.
 */
export class SyncServer {
	private readonly wired = new WeakSet<LoadedDoc>();
	private readonly owners: ClientIdOwners;
	private readonly watch: RevocationWatch<Conn>;
	private readonly pipes = new WeakMap<LoadedDoc, CasePipe>();
	private readonly commit: CommitQueue;

	constructor(private readonly deps: SyncDeps) {
		this.commit = new CommitQueue(deps.storage);
		this.owners = new ClientIdOwners(deps.storage, deps.now);
		this.watch = new RevocationWatch(
			deps.storage,
			deps.now,
			(conn, why) => this.revoke(conn, why),
			deps.recheckMs
		);
	}

	/**
	 * Takes over an authenticated socket. `buffered` holds messages that arrived while the
	 * relay was checking the token and access and loading the case (the client speaks first);
	 * `stopBuffering` detaches the caller's buffer once this side listens. The user is read
	 * again here: a token issued before a change of org or role no longer admits (4401).
	 */
	async attach(
		ws: WebSocket,
		claims: ConnectionClaims,
		caseId: string,
		buffered: Uint8Array[],
		stopBuffering: () => void
	): Promise<void> {
		const { registry, storage, now } = this.deps;
		const read = await readIdentity(storage, claims, now());
		if (!read.ok) return ws.close(CLOSE.unauthorized, 'unauthorized');
		let entry: LoadedDoc;
		try {
			entry = await registry.open(caseId);
		} catch {
			this.deps.log(`sync: case ${caseId} failed to load`);
			ws.close(CLOSE.internal, 'load failed');
			return;
		}
		try {
			// Before any message is handled: updates and presence are checked against them.
			await this.owners.of(entry);
		} catch {
			this.deps.log(`sync: client ids of case ${caseId} failed to load`);
			ws.close(CLOSE.internal, 'load failed');
			registry.release(entry);
			return;
		}
		this.wire(entry);
		const conn: Conn = {
			ws,
			caseId,
			claims,
			identity: read.identity,
			revoked: false,
			awarenessIds: new Set()
		};
		if (ws.readyState !== ws.OPEN) {
			registry.release(entry); // the client left while the case was loading
			return;
		}
		// S-9: the admission read the cached team; the loaded document is the truth (a team
		// re-formed while this socket was being admitted must not let a left-out department in).
		if (
			isDepartment(read.identity.sender.orgKind) &&
			!canSeeCase(read.identity.sender, accessOf(entry.snapshot, this.deps.calendar()))
		) {
			registry.release(entry);
			ws.close(CLOSE.forbidden, 'forbidden');
			return;
		}
		// Issue 11: a case whose stored log is being rewritten is not joined (the client comes back).
		if (!registry.current(entry)) {
			registry.release(entry);
			ws.close(CLOSE.rewritten, 'case rewritten');
			return;
		}
		entry.conns.add(conn);
		this.watch.add(conn);
		// From here on no await until every buffered message is handled: messages that arrived
		// while the token was checked and the case loaded are kept by the caller until this
		// listener replaces its buffer (the client's sync step 1 comes right away).
		stopBuffering();
		ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
			this.onMessage(entry, conn, toBytes(data), isBinary);
		});
		ws.on('close', () => this.onClose(entry, conn));
		ws.on('error', () => ws.terminate());

		// Sync step 1 from the relay, then everyone's presence.
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(e, entry.doc);
		send(ws, encoding.toUint8Array(e));
		const states = entry.awareness.getStates();
		if (states.size > 0) send(ws, awarenessMessage(entry, [...states.keys()]));
		for (const m of buffered) this.onMessage(entry, conn, m, true);
		await storage.audit({ userId: claims.userId, caseId, action: 'sync', at: now().toISOString() });
	}

	private pipeOf(entry: LoadedDoc): CasePipe {
		let pipe = this.pipes.get(entry);
		if (!pipe) {
			pipe = new CasePipe(entry, this.deps.registry);
			this.pipes.set(entry, pipe);
		}
		return pipe;
	}

	private wire(entry: LoadedDoc): void {
		if (this.wired.has(entry)) return;
		this.wired.add(entry);
		entry.doc.on('update', (update: Uint8Array, origin: unknown) => {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, MESSAGE_SYNC);
			syncProtocol.writeUpdate(e, update);
			const msg = encoding.toUint8Array(e);
			for (const c of entry.conns as Set<Conn>) if (c !== origin) send(c.ws, msg);
		});
		entry.awareness.on(
			'update',
			(
				{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
				origin: unknown
			) => {
				const changed = [...added, ...updated, ...removed];
				const conn = origin as Conn | null;
				if (conn && (entry.conns as Set<Conn>).has(conn)) {
					for (const id of added) conn.awarenessIds.add(id);
					for (const id of removed) conn.awarenessIds.delete(id);
				}
				const msg = awarenessMessage(entry, changed);
				for (const c of entry.conns as Set<Conn>) send(c.ws, msg);
			}
		);
	}

	private onMessage(entry: LoadedDoc, conn: Conn, data: Uint8Array, isBinary: boolean): void {
		if (conn.revoked) return; // revocation takes effect at once (issue 10)
		if (!isBinary) return void conn.ws.close(CLOSE.malformed, 'binary messages only');
		try {
			const d = decoding.createDecoder(data);
			const type = decoding.readVarUint(d);
			switch (type) {
				case MESSAGE_SYNC: {
					const sub = decoding.readVarUint(d);
					if (sub === syncProtocol.messageYjsSyncStep1) {
						send(conn.ws, syncStep2(entry.doc, decoding.readVarUint8Array(d)));
					} else if (
						sub === syncProtocol.messageYjsSyncStep2 ||
						sub === syncProtocol.messageYjsUpdate
					) {
						const update = decoding.readVarUint8Array(d);
						this.pipeOf(entry).run((prior) =>
							this.onUpdate(entry, conn, update, prior).catch(() => {
								this.deps.log(`sync: update failed on case ${entry.caseId}`);
								conn.ws.close(CLOSE.internal, 'update failed');
							})
						);
					} else {
						throw new Error('unknown sync message');
					}
					break;
				}
				case MESSAGE_AWARENESS: {
					const entries = readPresence(decoding.readVarUint8Array(d));
					this.pipeOf(entry).run(async () => {
						await this.onPresence(entry, conn, entries);
					});
					break;
				}
				case MESSAGE_QUERY_AWARENESS:
					send(conn.ws, awarenessMessage(entry, [...entry.awareness.getStates().keys()]));
					break;
				default:
					throw new Error('unknown message type');
			}
		} catch {
			// Peer data is untrusted: a message we cannot read closes this connection only.
			conn.ws.close(CLOSE.malformed, 'malformed message');
		}
	}

	/**
	 * A user sets only their own presence (issue 10): not under a client id another user wrote
	 * or announced with, nor one another connection holds, and only a few per connection; the
	 * `user` shown is the relay's. Announcing presence under an unbound id binds it to the user,
	 * durably and before anyone sees it: presence is how others learn a client id, so nobody can
	 * take an id they saw in presence and write at its owner's clock positions.
	 */
	private async onPresence(
		entry: LoadedDoc,
		conn: Conn,
		entries: readonly PresenceEntry[]
	): Promise<void> {
		if (conn.revoked) return;
		const userId = conn.claims.userId;
		const owners = await this.owners.of(entry);
		const mine = entries.filter((p) => {
			if (!changesPresence(entry, p)) return false; // nothing to bind for, nothing to show
			const owner = owners.get(p.clientId);
			if (owner !== undefined && owner !== userId) return false;
			for (const c of entry.conns as Set<Conn>) {
				if (c !== conn && c.awarenessIds.has(p.clientId)) return false;
			}
			return conn.awarenessIds.has(p.clientId) || conn.awarenessIds.size < MAX_PRESENCE_IDS;
		});
		const fresh = mine.filter((p) => p.state !== null && !owners.has(p.clientId));
		let kept = mine;
		if (fresh.length > 0) {
			const ids = fresh.map((p) => p.clientId);
			let others: number[];
			try {
				others = await this.owners.bind(entry, ids, userId, this.deps.now().toISOString());
			} catch {
				this.deps.log(`sync: presence binding failed on case ${entry.caseId}`);
				return; // presence is transient: the client announces itself again
			}
			kept = mine.filter((p) => !others.includes(p.clientId));
		}
		// A connection that closed meanwhile would leave a state nobody removes.
		if (kept.length === 0 || conn.revoked || !entry.conns.has(conn)) return;
		const { name } = conn.identity.sender;
		const own = writePresence(kept, { id: userId, name, orgName: conn.identity.orgName });
		awarenessProtocol.applyAwarenessUpdate(entry.awareness, own, conn);
	}

	/**
	 * The check of one update (issue 14: the first stage of the case's pipeline, run while the
	 * updates before it are still being stored). Hands back what runs in order after every
	 * earlier update's finish: an accepted update is applied and broadcast only once durable; a
	 * refused one is answered, and the shadow it was checked on is rebuilt without it, so a later
	 * update that builds on it cannot integrate and is refused too (`causality`).
	 */
	private async onUpdate(
		entry: LoadedDoc,
		conn: Conn,
		update: Uint8Array,
		prior: Promise<void>
	): Promise<Finish | void> {
		const { registry, now, log } = this.deps;
		// Revocation at once: a revoked or expired connection's queued updates are not applied.
		if (!(await this.watch.gate(conn))) return;
		const pipe = this.pipeOf(entry);
		if (this.commit.hasFailed(entry.caseId)) {
			// A store of this case failed: its later updates were not stored either. Start
			// again from what is stored once every earlier finish has run.
			await prior;
			pipe.restart();
			this.commit.clear(entry.caseId);
		}
		const sender = conn.identity.sender;
		const at = now();
		const receivedAt = at.toISOString();
		const written = writtenClients(update);
		const owners = await this.owners.of(entry);
		const taken = checkClientIds(written, owners, sender.userId);
		if (taken) return this.refuse(entry, conn, update, receivedAt, taken);
		const calendar = this.deps.calendar();
		const base = pipe.base(calendar);
		const verdict = checkUpdate(
			registry.shadowOf(entry),
			base.snapshot,
			update,
			sender,
			chinaDate(at),
			calendar,
			base.state
		);
		if (!verdict.ok) {
			pipe.resetShadow();
			return this.refuse(entry, conn, update, receivedAt, verdict);
		}
		// A resend: nothing to store; `accepted` once everything before it is durable.
		if (!verdict.changed) return () => this.sendAccepted(entry);
		// The ids it writes with become the sender's before the update is stored.
		const fresh = (written ?? []).filter((c) => !owners.has(c));
		if (fresh.length > 0) {
			let others: number[];
			try {
				others = await this.owners.bind(entry, fresh, sender.userId, receivedAt);
			} catch {
				pipe.resetShadow();
				log(`sync: store failed on case ${entry.caseId}`);
				return () => conn.ws.close(CLOSE.internal, 'store failed');
			}
			if (others.length > 0) {
				pipe.resetShadow();
				return this.refuse(entry, conn, update, receivedAt, clientIdTaken());
			}
		}
		pipe.accept(base, calendar, update, verdict.snapshot, verdict.added);
		// Durable first: an update is applied and fanned out only once it is on disk.
		const durable = this.commit.append({
			caseId: entry.caseId,
			update,
			userId: sender.userId,
			receivedAt
		});
		durable.catch(() => undefined); // awaited by the finish, in order
		return async () => {
			let seq: number;
			try {
				seq = await durable;
			} catch {
				pipe.landed(null, conn);
				entry.storeFailed = true;
				log(`sync: store failed on case ${entry.caseId}`);
				conn.ws.close(CLOSE.internal, 'store failed');
				return;
			}
			const before = entry.snapshot;
			pipe.landed(seq, conn); // applies it: the doc's update handler broadcasts it
			if (mayChangeTeam(before, entry.snapshot)) await this.followTeam(entry);
			pipe.compact(receivedAt, log);
			this.sendAccepted(entry);
		};
	}

	/**
	 * Tells every connection the relay's state after a durable write, restricted to the client
	 * ids bound to its own user: `accepted` then never covers a clock range of someone else's,
	 * so an update of ours that was refused or looked already present because another user
	 * wrote at our clock positions can never pass for stored (issue 10).
	 */
	private sendAccepted(entry: LoadedDoc): void {
		const owners = this.owners.peek(entry);
		const byUser = new Map<string, Uint8Array>();
		for (const c of entry.conns as Set<Conn>) {
			const userId = c.claims.userId;
			let msg = byUser.get(userId);
			if (!msg) {
				const mine = new Map<number, number>();
				for (const client of entry.doc.store.clients.keys()) {
					if (owners.get(client) === userId) mine.set(client, Y.getState(entry.doc.store, client));
				}
				msg = encodeAccepted(Y.encodeStateVector(mine));
				byUser.set(userId, msg);
			}
			send(c.ws, msg);
		}
	}

	/**
	 * Nothing is lost: a refused update is kept with its reason, never applied. Quarantined at
	 * once; the sender hears of it in order, after the updates it sent before.
	 */
	private refuse(
		entry: LoadedDoc,
		conn: Conn,
		update: Uint8Array,
		receivedAt: string,
		verdict: Refusal
	): Finish {
		const kept = this.deps.storage.quarantine({
			caseId: entry.caseId,
			// Issue 11: kept, but never with a full ID number in it (masked in place).
			update: maskIdsInBytes(update),
			userId: conn.claims.userId,
			receivedAt,
			rule: verdict.rule,
			reason: `${verdict.reason.zh} / ${verdict.reason.en}`
		});
		kept.catch(() => undefined); // awaited by the finish, in order
		return async () => {
			const id = await kept;
			this.deps.log(`sync: refused update ${id} on case ${entry.caseId} (rule ${verdict.rule})`);
			send(
				conn.ws,
				encodeRefused({
					v: PROTOCOL_VERSION,
					id,
					rule: verdict.rule,
					reason: verdict.reason,
					...(verdict.eventId ? { eventId: verdict.eventId } : {}),
					ranges: updateRanges(update)
				})
			);
			if (verdict.malformed) conn.ws.close(CLOSE.malformed, 'malformed update');
		};
	}

	/**
	 * Closes every connection of a loaded case whose stored log is about to be rewritten (issue
	 * 11, retention) with `rewritten`: nothing they send is applied after this; the client
	 * replaces its copy once it sees the case's rewrite count rise.
	 */
	closeForRewrite(entry: LoadedDoc): void {
		for (const c of entry.conns as Set<Conn>) {
			c.revoked = true;
			c.ws.close(CLOSE.rewritten, 'case rewritten');
		}
	}

	/** Closes a revoked connection (4401); the watch has marked it so nothing more is applied. */
	private revoke(conn: Conn, why: Revocation): void {
		this.deps.log(`sync: user ${conn.claims.userId} revoked (${why}) on case ${conn.caseId}`);
		conn.ws.close(CLOSE.unauthorized, why);
	}

	/**
	 * S-9: access follows the current joint team. The cached team that HTTP reads and new
	 * sockets check is written before anyone hears `accepted`, and the open sockets of a
	 * department left out of a re-formed team are closed (4403); its records stay.
	 */
	private async followTeam(entry: LoadedDoc): Promise<void> {
		await this.deps.registry.writeCache(entry);
		const access = accessOf(entry.snapshot, this.deps.calendar());
		for (const c of entry.conns as Set<Conn>) {
			if (!canSeeCase(c.identity.sender, access)) c.ws.close(CLOSE.forbidden, 'forbidden');
		}
	}

	private onClose(entry: LoadedDoc, conn: Conn): void {
		entry.conns.delete(conn);
		this.watch.delete(conn);
		if (conn.awarenessIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(entry.awareness, [...conn.awarenessIds], null);
		}
		// Unloaded only once every update in flight is stored and applied.
		void settled(() => entry.queue).then(() => this.deps.registry.release(entry));
	}
}

/** Whether y-protocols would apply this entry (a newer clock, or a removal at the same one). */
function changesPresence(entry: LoadedDoc, p: PresenceEntry): boolean {
	const clock = entry.awareness.meta.get(p.clientId)?.clock ?? 0;
	return (
		clock < p.clock ||
		(clock === p.clock && p.state === null && entry.awareness.states.has(p.clientId))
	);
}

function awarenessMessage(entry: LoadedDoc, clients: number[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(entry.awareness, clients));
	return encoding.toUint8Array(e);
}

/**
 * Bytes waiting to go out to one connection, beyond the largest single message it was sent,
 * past which it is closed as a slow consumer.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** The largest message queued to each socket: a whole large case's sync answer is one message. */
const largestSent = new WeakMap<WebSocket, number>();

function send(ws: WebSocket, msg: Uint8Array): void {
	if (ws.readyState !== ws.OPEN) return;
	// One sync answer of a case near LIMITS.caseChars is itself many MiB: a client still reading
	// it is not slow, so the limit counts what waits beyond the largest message.
	const largest = Math.max(largestSent.get(ws) ?? 0, msg.length);
	largestSent.set(ws, largest);
	// A peer that stops reading would make the relay hold every message for it without limit
	// (a query-awareness byte is answered with every state). Once closing, nothing more is
	// queued and its messages are dropped unread (each would still build an answer); ws goes
	// on reading frames, so the peer's close reply ends the socket (or ws's close timeout).
	if (ws.bufferedAmount <= MAX_BUFFERED_BYTES + largest) {
		corkForTurn(ws); // issue 14: one write per socket per turn
		return ws.send(msg);
	}
	ws.close(CLOSE.slowConsumer, 'slow consumer');
	ws.removeAllListeners('message');
}

/** The answer to a client's sync step 1: what of `doc` its state vector `sv` lacks. */
export function syncStep2(doc: Y.Doc, sv: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_SYNC);
	encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
	encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, sv));
	return encoding.toUint8Array(e);
}

/** The bytes of a ws message, whatever form ws delivered it in. */
export function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
