import type * as Decoding from 'lib0/decoding';
import type { IndexeddbPersistence } from 'y-indexeddb';
import type { WebsocketProvider } from 'y-websocket';
import type * as Yjs from 'yjs';
import type { FamilySnapshot, Guardian } from '../domain';
import type { Bilingual } from '../rules/types';
import type { ConnectionState, SessionUser } from './contract';
import { caseDbName } from './db-names';

type Engine = typeof import('./engine');

export interface FamilySessionDeps {
	/** The logged-in user: the family's copy on this device is named after them (issue 11). */
	userId: string;
	wsBase: string;
	user: () => SessionUser | null;
	token: () => string | null;
}

/**
 * B-5 (一家一案): one open family document — its Y.Doc kept in IndexedDB (y-indexeddb, in the
 * user's own databases like a case's) and synced with the relay on `/sync/family-<id>`. Edits
 * are stored on the device at once and sent when online (the relay checks and stores them);
 * the shared plan has the same interface as a case's plan, so the plan editor serves both.
 */
export class FamilySession {
	loaded = $state(false);
	denied = $state(false);
	snapshot = $state.raw<FamilySnapshot | null>(null);
	connection = $state<ConnectionState>('offline');
	plan = $state('');
	/** Reasons the relay gave for refusing a change of this family (kept in its quarantine). */
	refusals = $state<Bilingual[]>([]);
	readonly ready: Promise<void>;

	#e!: Engine;
	#doc!: Yjs.Doc;
	#persistence: IndexeddbPersistence | null = null;
	#provider: WebsocketProvider | null = null;
	#unobserve: (() => void) | null = null;
	#listeners = new Set<(text: string, remote: boolean) => void>();
	#closed = false;

	constructor(
		readonly id: string,
		private readonly deps: FamilySessionDeps
	) {
		this.ready = this.#start();
	}

	async #start(): Promise<void> {
		this.#e = await import('./engine');
		const { Y, IndexeddbPersistence, onFamilyChange } = this.#e;
		const doc = new Y.Doc();
		this.#doc = doc;
		this.#persistence = new IndexeddbPersistence(caseDbName(this.deps.userId, this.id), doc);
		await this.#persistence.whenSynced;
		if (this.#closed) return;
		this.#unobserve = onFamilyChange(doc, (c) => this.#changed(c.local));
		this.#changed(false);
		this.#connect();
	}

	#connect(): void {
		const token = this.deps.token();
		if (!token) return;
		const { WebsocketProvider, MESSAGE_REFUSED, readRefused, CLOSE } = this.#e;
		const provider = new WebsocketProvider(this.deps.wsBase, this.id, this.#doc, {
			params: { token },
			maxBackoffTime: 5000
		});
		this.#provider = provider;
		provider.messageHandlers[MESSAGE_REFUSED] = (_e, d: Decoding.Decoder) => {
			const r = readRefused(d);
			if (r) this.refusals = [...this.refusals, r.reason];
		};
		provider.on('status', ({ status }: { status: string }) => {
			this.connection = status === 'connected' ? 'syncing' : 'offline';
		});
		provider.on('sync', (synced: boolean) => {
			if (provider.wsconnected) this.connection = synced ? 'synced' : 'syncing';
		});
		provider.on('closed', (ev: { code: number }) => {
			this.connection = 'offline';
			if (ev.code === CLOSE.forbidden) {
				this.denied = true;
				provider.disconnect(); // not again: the relay said no
			}
		});
	}

	#changed(local: boolean): void {
		const { toFamilySnapshot, getPlan } = this.#e;
		const r = toFamilySnapshot(this.#doc);
		if (r.ok) {
			this.snapshot = r.value;
			this.loaded = true;
		}
		const text = getPlan(this.#doc);
		if (text !== this.plan) {
			this.plan = text;
			for (const cb of this.#listeners) cb(text, !local);
		}
	}

	#author() {
		const u = this.deps.user();
		if (!u) return null;
		return { userId: u.id, orgId: u.orgId, orgKind: u.orgKind, role: u.role, name: u.displayName };
	}

	/** Creates the family from a case (its first member, with the case's masked guardians). */
	create(caseId: string, guardians: readonly Guardian[]): boolean {
		const author = this.#author();
		if (!author || !this.#e.isEmptyFamilyDoc(this.#doc)) return false;
		const at = new Date().toISOString();
		this.#e.initFamilyDoc(this.#doc, {
			id: this.id,
			createdAt: at,
			createdBy: author,
			caseId,
			guardians
		});
		return true;
	}

	/** Adds a sibling's case (and its guardians not yet shared) to the family. */
	addMember(caseId: string, guardians: readonly Guardian[]): boolean {
		const author = this.#author();
		if (!author || !this.loaded) return false;
		this.#e.addFamilyMember(this.#doc, caseId, new Date().toISOString(), author, guardians);
		return true;
	}

	/** The family has been loaded from this device or from the relay (or the relay said no). */
	async whenLoaded(ms = 10_000): Promise<boolean> {
		await this.ready;
		const deadline = Date.now() + ms;
		while (!this.loaded && !this.denied && Date.now() < deadline) {
			if (this.#provider?.synced) break; // synced and still empty: no such family yet
			await new Promise((r) => setTimeout(r, 50));
		}
		return this.loaded;
	}

	setPlan(text: string): void {
		if (!this.loaded) return;
		this.#e.setPlan(this.#doc, text);
	}

	planCursor(): { save(index: number): unknown; restore(saved: unknown): number } {
		const { savePlanCursor, restorePlanCursor } = this.#e;
		return {
			save: (index) => savePlanCursor(this.#doc, index),
			restore: (saved) => (saved instanceof Uint8Array ? restorePlanCursor(this.#doc, saved) : 0)
		};
	}

	onPlanChange(cb: (text: string, remote: boolean) => void): () => void {
		this.#listeners.add(cb);
		return () => this.#listeners.delete(cb);
	}

	close(): void {
		this.#closed = true;
		this.#unobserve?.();
		this.#provider?.destroy();
		void this.#persistence?.destroy();
		this.#doc?.destroy();
	}
}
