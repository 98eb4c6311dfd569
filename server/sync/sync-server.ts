import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { chinaDate } from '../../src/lib/domain';
import type { Calendar } from '../../src/lib/rules';
import {
	CLOSE,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	encodeAccepted,
	encodeRefused
} from '../../src/lib/sync/protocol';
import type { Storage } from '../storage/types';
import type { DocRegistry, LoadedDoc } from './doc-registry';
import { checkUpdate, updateRanges, type Sender } from './update-check';

export interface SyncDeps {
	registry: DocRegistry;
	storage: Storage;
	now: () => Date;
	/** The relay's current calendar: every update is checked with it (G-T3, G-T4). */
	calendar: () => Calendar;
	/** One line per event; never personal data (ids of cases and users only). */
	log: (line: string) => void;
}

interface Conn {
	ws: WebSocket;
	sender: Sender;
	/** Awareness client ids this connection has announced (removed when it closes). */
	awarenessIds: Set<number>;
}

/**
 * The sync side of the relay: y-websocket's sync and awareness messages for one case per
 * socket, with every incoming update checked, stored, then applied and fanned out.
 */
export class SyncServer {
	private readonly wired = new WeakSet<LoadedDoc>();

	constructor(private readonly deps: SyncDeps) {}

	/**
	 * Takes over an authenticated socket. `buffered` holds messages that arrived while the
	 * relay was checking the token and access and loading the case (the client speaks first);
	 * `stopBuffering` detaches the caller's buffer once this side listens.
	 */
	async attach(
		ws: WebSocket,
		sender: Sender,
		caseId: string,
		buffered: Uint8Array[],
		stopBuffering: () => void
	): Promise<void> {
		const { registry, storage, now } = this.deps;
		let entry: LoadedDoc;
		try {
			entry = await registry.open(caseId);
		} catch {
			this.deps.log(`sync: case ${caseId} failed to load`);
			ws.close(CLOSE.internal, 'load failed');
			return;
		}
		this.wire(entry);
		const conn: Conn = { ws, sender, awarenessIds: new Set() };
		if (ws.readyState !== ws.OPEN) {
			registry.release(entry); // the client left while the case was loading
			return;
		}
		entry.conns.add(conn);
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
		await storage.audit({ userId: sender.userId, caseId, action: 'sync', at: now().toISOString() });
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
		if (!isBinary) return void conn.ws.close(CLOSE.malformed, 'binary messages only');
		try {
			const d = decoding.createDecoder(data);
			const type = decoding.readVarUint(d);
			switch (type) {
				case MESSAGE_SYNC: {
					const sub = decoding.readVarUint(d);
					if (sub === syncProtocol.messageYjsSyncStep1) {
						const sv = decoding.readVarUint8Array(d);
						const e = encoding.createEncoder();
						encoding.writeVarUint(e, MESSAGE_SYNC);
						encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
						encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(entry.doc, sv));
						send(conn.ws, encoding.toUint8Array(e));
					} else if (
						sub === syncProtocol.messageYjsSyncStep2 ||
						sub === syncProtocol.messageYjsUpdate
					) {
						const update = decoding.readVarUint8Array(d);
						void this.deps.registry.enqueue(entry, () => this.onUpdate(entry, conn, update));
					} else {
						throw new Error('unknown sync message');
					}
					break;
				}
				case MESSAGE_AWARENESS:
					awarenessProtocol.applyAwarenessUpdate(
						entry.awareness,
						decoding.readVarUint8Array(d),
						conn
					);
					break;
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

	private async onUpdate(entry: LoadedDoc, conn: Conn, update: Uint8Array): Promise<void> {
		const { registry, storage, now, log } = this.deps;
		const at = now();
		const receivedAt = at.toISOString();
		const verdict = checkUpdate(
			registry.shadowOf(entry),
			entry.snapshot,
			update,
			conn.sender,
			chinaDate(at),
			this.deps.calendar()
		);
		if (!verdict.ok) {
			registry.dropShadow(entry);
			// Nothing is lost: the refused update is kept with its reason, never applied.
			const id = await storage.quarantine({
				caseId: entry.caseId,
				update,
				userId: conn.sender.userId,
				receivedAt,
				rule: verdict.rule,
				reason: `${verdict.reason.zh} / ${verdict.reason.en}`
			});
			log(`sync: refused update ${id} on case ${entry.caseId} (rule ${verdict.rule})`);
			send(
				conn.ws,
				encodeRefused({
					v: 1,
					id,
					rule: verdict.rule,
					reason: verdict.reason,
					...(verdict.eventId ? { eventId: verdict.eventId } : {}),
					ranges: updateRanges(update)
				})
			);
			if (verdict.malformed) conn.ws.close(CLOSE.malformed, 'malformed update');
			return;
		}
		if (verdict.changed) {
			try {
				// Durable first: an update is applied and fanned out only once it is on disk.
				await registry.store(entry, update, conn.sender.userId, receivedAt);
			} catch {
				registry.dropShadow(entry);
				log(`sync: store failed on case ${entry.caseId}`);
				conn.ws.close(CLOSE.internal, 'store failed');
				return;
			}
			Y.applyUpdate(entry.doc, update, conn);
			entry.snapshot = verdict.snapshot;
			entry.cacheDirty = true;
			await registry.maybeCompact(entry, receivedAt);
		}
		const accepted = encodeAccepted(Y.encodeStateVector(entry.doc));
		for (const c of entry.conns as Set<Conn>) send(c.ws, accepted);
	}

	private onClose(entry: LoadedDoc, conn: Conn): void {
		entry.conns.delete(conn);
		if (conn.awarenessIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(entry.awareness, [...conn.awarenessIds], null);
		}
		this.deps.registry.release(entry);
	}
}

function awarenessMessage(entry: LoadedDoc, clients: number[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(entry.awareness, clients));
	return encoding.toUint8Array(e);
}

/** Bytes waiting to go out to one connection beyond which it is closed as a slow consumer. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

function send(ws: WebSocket, msg: Uint8Array): void {
	if (ws.readyState !== ws.OPEN) return;
	// A peer that stops reading would make the relay hold every message for it without limit
	// (a query-awareness byte is answered with every state). Once closing, nothing more is
	// queued and its messages are dropped unread (each would still build an answer); ws goes
	// on reading frames, so the peer's close reply ends the socket (or ws's close timeout).
	if (ws.bufferedAmount <= MAX_BUFFERED_BYTES) return ws.send(msg);
	ws.close(CLOSE.slowConsumer, 'slow consumer');
	ws.removeAllListeners('message');
}

/** The bytes of a ws message, whatever form ws delivered it in. */
export function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
