import { createHash } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { checkFamilyChange, toFamilySnapshot } from '../../src/lib/case-doc';
import type { FamilySnapshot, OrgKind } from '../../src/lib/domain';
import { CLOSE, MESSAGE_SYNC, PROTOCOL_VERSION, encodeRefused } from '../../src/lib/protocol/ws';
import { canSeeCase, type OfficeUser } from '../../src/lib/rules/access';
import { maskIdsInBytes } from '../person-ids';
import type { Storage } from '../storage/types';
import { syncStep2, toBytes } from './sync-server';

/** Who may link a case into a family (B-5): the profile's `family_linked` permission. */
const LINKERS: ReadonlySet<OrgKind> = new Set(['school', 'community', 'street', 'bureau']);

interface FamilyConn {
	ws: WebSocket;
	user: OfficeUser & { userId: string };
}

interface LoadedFamily {
	id: string;
	doc: Y.Doc;
	snapshot: FamilySnapshot | null;
	conns: Set<FamilyConn>;
	queue: Promise<void>;
}

export interface FamilySyncDeps {
	storage: Storage;
	now: () => Date;
	/** One line per event; ids only, never personal data. */
	log: (line: string) => void;
}

/**
 * B-5 (一家一案): the sync side of family documents (`/sync/family-<uuid>`). The y-websocket
 * sync messages of the case path, with a check of its own (`checkFamilyChange`): persisted
 * first, then applied and fanned out. Access: anyone who sees at least one member case (a
 * family not stored yet admits, but its first update may only name cases its sender sees, and
 * every open socket is checked again after each accepted update). No presence on families.
 */
export class FamilySync {
	private readonly loaded = new Map<string, LoadedFamily>();
	private readonly loading = new Map<string, Promise<LoadedFamily>>();
	/**
	 * Refused updates already quarantined, by family and content hash, with their quarantine id:
	 * a device re-sends a refused family edit on each reconnect (it keeps it until the user acts),
	 * and the quarantine must hold it once, not once per reconnect.
	 */
	private readonly refusedOnce = new Map<string, number>();

	constructor(private readonly deps: FamilySyncDeps) {}

	/** Whether the user sees at least one of the cases (a family's access). */
	private async seesAny(user: OfficeUser, caseIds: readonly string[]): Promise<boolean> {
		for (const id of caseIds) {
			const c = await this.deps.storage.getCase(id);
			if (c && canSeeCase(user, c)) return true;
		}
		return false;
	}

	/** Takes over an authenticated socket for a family document (see `SyncServer.attach`). */
	async attach(
		ws: WebSocket,
		user: OfficeUser & { userId: string },
		familyId: string,
		buffered: Uint8Array[],
		stopBuffering: () => void
	): Promise<void> {
		const members = await this.deps.storage.getFamilyMembers(familyId);
		if (members && !(await this.seesAny(user, members))) {
			return ws.close(CLOSE.forbidden, 'forbidden');
		}
		const entry = await this.open(familyId);
		if (ws.readyState !== ws.OPEN) return this.release(entry);
		const conn: FamilyConn = { ws, user };
		entry.conns.add(conn);
		stopBuffering();
		ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) =>
			this.onMessage(entry, conn, toBytes(data), isBinary)
		);
		ws.on('close', () => {
			entry.conns.delete(conn);
			this.release(entry);
		});
		ws.on('error', () => ws.terminate());
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(e, entry.doc);
		send(ws, encoding.toUint8Array(e));
		for (const m of buffered) this.onMessage(entry, conn, m, true);
		await this.deps.storage.audit({
			userId: user.userId,
			caseId: familyId,
			action: 'sync',
			at: this.deps.now().toISOString()
		});
	}

	private async open(familyId: string): Promise<LoadedFamily> {
		const hit = this.loaded.get(familyId);
		if (hit) return hit;
		let p = this.loading.get(familyId);
		if (!p) {
			p = (async () => {
				const doc = new Y.Doc({ gc: false });
				for (const u of await this.deps.storage.loadFamilyUpdates(familyId)) {
					Y.applyUpdate(doc, u.update);
				}
				const parsed = toFamilySnapshot(doc);
				const entry: LoadedFamily = {
					id: familyId,
					doc,
					snapshot: parsed.ok ? parsed.value : null,
					conns: new Set(),
					queue: Promise.resolve()
				};
				doc.on('update', (update: Uint8Array, origin: unknown) => {
					const e = encoding.createEncoder();
					encoding.writeVarUint(e, MESSAGE_SYNC);
					syncProtocol.writeUpdate(e, update);
					const msg = encoding.toUint8Array(e);
					for (const c of entry.conns) if (c !== origin) send(c.ws, msg);
				});
				this.loaded.set(familyId, entry);
				return entry;
			})().finally(() => this.loading.delete(familyId));
			this.loading.set(familyId, p);
		}
		return p;
	}

	private release(entry: LoadedFamily): void {
		// Unloaded once nobody is connected and nothing is queued (every store has finished).
		void entry.queue.then(() => {
			if (entry.conns.size === 0 && this.loaded.get(entry.id) === entry) {
				this.loaded.delete(entry.id);
				entry.doc.destroy();
			}
		});
	}

	private onMessage(entry: LoadedFamily, conn: FamilyConn, data: Uint8Array, isBinary: boolean) {
		if (!isBinary) return void conn.ws.close(CLOSE.malformed, 'binary messages only');
		try {
			const d = decoding.createDecoder(data);
			const type = decoding.readVarUint(d);
			if (type !== MESSAGE_SYNC) return; // presence is not kept for families
			const sub = decoding.readVarUint(d);
			if (sub === syncProtocol.messageYjsSyncStep1) {
				send(conn.ws, syncStep2(entry.doc, decoding.readVarUint8Array(d)));
			} else if (
				sub === syncProtocol.messageYjsSyncStep2 ||
				sub === syncProtocol.messageYjsUpdate
			) {
				const update = decoding.readVarUint8Array(d);
				entry.queue = entry.queue
					.then(() => this.onUpdate(entry, conn, update))
					.catch(() => {
						this.deps.log(`sync: store failed on family ${entry.id}`);
						conn.ws.close(CLOSE.internal, 'store failed');
					});
			} else {
				throw new Error('unknown sync message');
			}
		} catch {
			conn.ws.close(CLOSE.malformed, 'malformed message');
		}
	}

	private async onUpdate(entry: LoadedFamily, conn: FamilyConn, update: Uint8Array): Promise<void> {
		if (!entry.conns.has(conn)) return;
		const { storage, now } = this.deps;
		const user = await storage.getUser(conn.user.userId);
		if (!user || user.disabled) return conn.ws.close(CLOSE.unauthorized, 'unauthorized');
		const receivedAt = now().toISOString();
		const copy = new Y.Doc({ gc: false });
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(entry.doc));
		const before = Y.encodeSnapshot(Y.snapshot(copy));
		let verdict;
		try {
			Y.applyUpdate(copy, update);
			verdict = checkFamilyChange(entry.id, entry.snapshot, before, copy, conn.user);
		} catch {
			verdict = {
				ok: false as const,
				rule: 'family',
				reason: { zh: '无法读取的修改', en: 'an update that cannot be read' }
			};
		} finally {
			copy.destroy();
		}
		if (verdict.ok && verdict.changed && verdict.added.length > 0) {
			// B-5: a case joins only through someone who may see it and may link it.
			const mayLink = LINKERS.has(conn.user.orgKind);
			for (const m of verdict.added) {
				const c = await storage.getCase(m.caseId);
				if (!mayLink || !c || !canSeeCase(conn.user, c)) {
					verdict = {
						ok: false as const,
						rule: 'B-5',
						reason: {
							zh: '只能把本单位可以查看的案件加入家庭',
							en: 'only a case your organisation sees can join a family'
						}
					};
					break;
				}
			}
		}
		if (!verdict.ok) {
			const key = `${entry.id}:${conn.user.userId}:${createHash('sha256').update(update).digest('hex')}`;
			let id = this.refusedOnce.get(key);
			if (id === undefined) {
				id = await storage.quarantine({
					caseId: entry.id,
					update: maskIdsInBytes(update),
					userId: conn.user.userId,
					receivedAt,
					rule: verdict.rule,
					reason: `${verdict.reason.zh} / ${verdict.reason.en}`
				});
				this.refusedOnce.set(key, id);
				// Bounded: the oldest is forgotten first (it is then quarantined once more at most).
				if (this.refusedOnce.size > 10_000) {
					const oldest = this.refusedOnce.keys().next().value;
					if (oldest !== undefined) this.refusedOnce.delete(oldest);
				}
				this.deps.log(`sync: refused update ${id} on family ${entry.id} (rule ${verdict.rule})`);
			}
			send(
				conn.ws,
				encodeRefused({
					v: PROTOCOL_VERSION,
					id,
					rule: verdict.rule,
					reason: verdict.reason,
					ranges: []
				})
			);
			return;
		}
		if (!verdict.changed) return;
		const memberIds = verdict.snapshot.members.map((m) => m.caseId);
		// Durable first: applied and fanned out only once it is on disk.
		await storage.appendFamilyUpdate(entry.id, update, conn.user.userId, receivedAt, memberIds);
		// A socket admitted while the family was not stored yet must see one of its cases: it
		// leaves before the update is fanned out.
		for (const c of [...entry.conns]) {
			if (c !== conn && !(await this.seesAny(c.user, memberIds))) {
				entry.conns.delete(c);
				c.ws.close(CLOSE.forbidden, 'forbidden');
			}
		}
		Y.applyUpdate(entry.doc, update, conn);
		entry.snapshot = verdict.snapshot;
	}
}

function send(ws: WebSocket, msg: Uint8Array): void {
	if (ws.readyState === ws.OPEN) ws.send(msg);
}
