import * as Y from 'yjs';
import type { Storage } from '../storage/types';
import type { LoadedDoc } from './doc-registry';

/**
 * The client ids under which an update writes structs; null when it cannot be read (the check
 * that follows refuses it as malformed). Deletions are not counted: a delete set names the
 * items it removes by *their* client ids, so a user deleting plan text another user wrote
 * legitimately names that user's id. What may be deleted is the layout's rule (only plan text).
 */
export function writtenClients(update: Uint8Array): number[] | null {
	try {
		const { from, to } = Y.parseUpdateMeta(update);
		return [...to].filter(([client, end]) => end > (from.get(client) ?? 0)).map(([c]) => c);
	} catch {
		return null;
	}
}

/**
 * Who owns each Yjs client id of a loaded case (issue 10, rule 'client-id'): the user who first
 * wrote with it. Loaded once per document; a case stored before bindings existed (or written
 * straight to storage: the case's creation, the demo seed) is bound from its update log, each
 * id to the user of the first stored update that wrote with it.
 */
export class ClientIdOwners {
	private readonly loading = new WeakMap<LoadedDoc, Promise<Map<number, string>>>();
	private readonly loaded = new WeakMap<LoadedDoc, Map<number, string>>();

	constructor(
		private readonly storage: Storage,
		private readonly now: () => Date
	) {}

	/** The owners of a document's client ids, loading (and backfilling) them once. */
	of(entry: LoadedDoc): Promise<Map<number, string>> {
		let p = this.loading.get(entry);
		if (!p) {
			p = this.load(entry).then((owners) => {
				this.loaded.set(entry, owners);
				return owners;
			});
			// A failed load is tried again by the next caller.
			p.catch(() => this.loading.delete(entry));
			this.loading.set(entry, p);
		}
		return p;
	}

	/** The owners once loaded (attach loads them before it handles any message). */
	peek(entry: LoadedDoc): ReadonlyMap<number, string> {
		return this.loaded.get(entry) ?? new Map();
	}

	/**
	 * Binds the ids to `userId` durably, before the update that writes with them is stored;
	 * returns the ids that turned out to belong to someone else (nothing of them is bound).
	 */
	async bind(entry: LoadedDoc, ids: number[], userId: string, at: string): Promise<number[]> {
		const owners = await this.of(entry);
		const bound = await this.storage.bindClientIds(entry.caseId, ids, userId, at);
		for (const b of bound) owners.set(b.clientId, b.userId);
		return bound.filter((b) => b.userId !== userId).map((b) => b.clientId);
	}

	private async load(entry: LoadedDoc): Promise<Map<number, string>> {
		const owners = new Map<number, string>();
		for (const b of await this.storage.listClientIds(entry.caseId))
			owners.set(b.clientId, b.userId);
		const missing = new Set([...entry.doc.store.clients.keys()].filter((c) => !owners.has(c)));
		if (missing.size === 0) return owners;
		const first = new Map<number, string>();
		for (const u of await this.storage.loadUpdates(entry.caseId)) {
			for (const c of writtenClients(u.update) ?? []) {
				if (missing.has(c) && !first.has(c)) first.set(c, u.userId);
			}
			if (first.size === missing.size) break;
		}
		const byUser = new Map<string, number[]>();
		for (const [c, userId] of first) byUser.set(userId, [...(byUser.get(userId) ?? []), c]);
		const at = this.now().toISOString();
		for (const [userId, ids] of byUser) {
			for (const b of await this.storage.bindClientIds(entry.caseId, ids, userId, at)) {
				owners.set(b.clientId, b.userId);
			}
		}
		return owners;
	}
}
