import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { CaseEvent, CaseSnapshot } from '../../src/lib/domain';
import { caseState, extendState, type Calendar, type CaseState } from '../../src/lib/rules';
import type { Storage } from '../storage/types';
import { loadCase, type SetAside } from './case-loader';

/** A case document held in memory while someone has it open. */
export interface LoadedDoc {
	caseId: string;
	doc: Y.Doc;
	awareness: Awareness;
	/** The validated case as of the last accepted update. */
	snapshot: CaseSnapshot;
	/**
	 * A replica of `doc` that incoming updates are applied to first, to check them (see
	 * `checkUpdate`); dropped after a refusal and rebuilt from `doc` when next needed.
	 */
	shadow: Y.Doc | null;
	/** Open sync connections (opaque to the registry). */
	conns: Set<unknown>;
	/** Seq of the last stored update, and of the last compacted snapshot. */
	lastSeq: number;
	snapshotSeq: number;
	/** This case's updates stored since that snapshot (seqs count every case's updates). */
	sinceSnapshot: number;
	/** Settles when the case's pipeline (pipeline.ts) and background work are done: unloads wait. */
	queue: Promise<void>;
	/** Set when a store failed: the doc stays in memory until a store succeeds. */
	storeFailed: boolean;
	/** The case-list cache (snapshot JSON, team) lags the log; written at most every few seconds. */
	cacheDirty: boolean;
	/** Stored updates the case loads without (issue 10), with why: the bureau's repair notice. */
	setAside: SetAside[];
	/**
	 * Issue 14: the rules' fold of `snapshot` under `stateCalendar`, extended by each accepted
	 * update (`extendState`) instead of folding every event again; null until first needed or
	 * after an update that extending cannot follow (an amendment, an event dated earlier).
	 */
	state: CaseState | null;
	stateCalendar: Calendar | null;
}

/** Compact after this many updates since the last snapshot (snapshots only speed up loading). */
const COMPACT_EVERY = 200;

/**
 * Loads each case document once however many clients connect at the same moment, serialises
 * work per document, and unloads a document only when no connection is left and its last
 * store succeeded (the Hocuspocus rules, STYLE.md).
 */
export class DocRegistry {
	private readonly loaded = new Map<string, LoadedDoc>();
	private readonly loading = new Map<string, Promise<LoadedDoc>>();
	/** Cases whose stored log is being rewritten (`exclusive`): nothing loads them meanwhile. */
	private readonly held = new Map<string, Promise<void>>();

	private readonly flushTimer: ReturnType<typeof setInterval>;

	/**
	 * The case-list cache is refreshed off the hot path: the update log is the truth and is
	 * written before every fan-out; the cached JSON only serves lists of unloaded cases. One
	 * document per tick, so a busy relay never stalls on re-serialising every case at once.
	 */
	constructor(
		private readonly storage: Storage,
		/** The relay's current calendar (G-T3): the team is folded with it like everything else. */
		private readonly calendar: () => Calendar,
		private readonly options: {
			cacheFlushMs?: number;
			/** The clock of repairs made while loading (issue 10). */
			now?: () => Date;
			/** One line per repair; ids and counts only. */
			log?: (line: string) => void;
		} = {}
	) {
		this.flushTimer = setInterval(() => void this.flushOne(), options.cacheFlushMs ?? 100);
		this.flushTimer.unref();
	}

	/** The in-memory case when loaded (fresher than the cache). */
	peek(caseId: string): LoadedDoc | undefined {
		return this.loaded.get(caseId);
	}

	/** Writes the list cache of every loaded case that changed since its last write. */
	async flushCaches(): Promise<void> {
		for (const entry of this.loaded.values()) await this.flushCache(entry);
	}

	/**
	 * Writes a case's list cache now, not on the next tick: its joint team changed, and every
	 * access check outside the document (HTTP reads, new sockets) reads the cached team (S-9).
	 */
	async writeCache(entry: LoadedDoc): Promise<void> {
		entry.cacheDirty = true;
		await this.flushCache(entry);
	}

	/** Writes the cache of the dirty case that has waited longest. */
	private async flushOne(): Promise<void> {
		for (const entry of this.loaded.values()) {
			if (!entry.cacheDirty) continue;
			// Move it to the back: Map iteration order is insertion order.
			this.loaded.delete(entry.caseId);
			this.loaded.set(entry.caseId, entry);
			await this.flushCache(entry);
			return;
		}
	}

	private async flushCache(entry: LoadedDoc): Promise<void> {
		if (!entry.cacheDirty) return;
		entry.cacheDirty = false;
		try {
			const team = [...caseState(entry.snapshot, this.calendar()).team];
			await this.storage.updateCaseCache(entry.caseId, JSON.stringify(entry.snapshot), team);
		} catch {
			entry.cacheDirty = true; // try again on the next tick; the log already has the update
		}
	}

	/** The loaded document, loading it if needed (concurrent callers share one load). */
	async open(caseId: string): Promise<LoadedDoc> {
		for (let h = this.held.get(caseId); h; h = this.held.get(caseId)) await h;
		const hit = this.loaded.get(caseId);
		if (hit) return hit;
		let pending = this.loading.get(caseId);
		if (!pending) {
			pending = this.load(caseId).finally(() => this.loading.delete(caseId));
			this.loading.set(caseId, pending);
		}
		return pending;
	}

	/** Number of documents in memory (tests, stats). */
	get size(): number {
		return this.loaded.size;
	}

	/** Whether a case is in memory. */
	has(caseId: string): boolean {
		return this.loaded.has(caseId);
	}

	/** Whether a connection may still join this loaded document (not unloaded, not held). */
	current(entry: LoadedDoc): boolean {
		return this.loaded.get(entry.caseId) === entry && !this.held.has(entry.caseId);
	}

	/**
	 * Runs `work` (a rewrite of the case's stored log, issue 11) with the case out of memory and
	 * kept out until it is done: a relay serving the old document would hand its content back
	 * to every device. `closeConns` closes the open connections first (and stops applying what
	 * they send); their pending stores finish, then the document is dropped. Loads wait.
	 */
	async exclusive<T>(
		caseId: string,
		closeConns: (entry: LoadedDoc) => void,
		work: () => Promise<T>
	): Promise<T> {
		for (let h = this.held.get(caseId); h; h = this.held.get(caseId)) await h;
		let done: () => void = () => undefined;
		const hold = new Promise<void>((resolve) => {
			done = resolve;
		});
		this.held.set(caseId, hold);
		try {
			await this.loading.get(caseId)?.catch(() => undefined);
			const entry = this.loaded.get(caseId);
			if (entry) {
				closeConns(entry);
				for (let q = entry.queue; ; q = entry.queue) {
					await q;
					if (q === entry.queue) break;
				}
				await this.flushCache(entry);
				this.unload(entry);
			}
			return await work();
		} finally {
			this.held.delete(caseId);
			done();
		}
	}

	private unload(entry: LoadedDoc): void {
		if (this.loaded.get(entry.caseId) === entry) this.loaded.delete(entry.caseId);
		entry.awareness.destroy();
		entry.shadow?.destroy();
		entry.doc.destroy();
	}

	/** Writes a compacted snapshot when enough updates have piled up since the last one. */
	async maybeCompact(entry: LoadedDoc, now: string): Promise<void> {
		// Counted per case (issue 14): the seq difference counts every case's updates, so with
		// 50 active cases it wrote a snapshot about every 4th update.
		if (entry.sinceSnapshot < COMPACT_EVERY) return;
		const uptoSeq = entry.lastSeq;
		const counted = entry.sinceSnapshot;
		await this.storage.saveSnapshot({
			caseId: entry.caseId,
			uptoSeq,
			state: Y.encodeStateAsUpdate(entry.doc),
			createdAt: now
		});
		entry.snapshotSeq = uptoSeq;
		entry.sinceSnapshot -= counted;
	}

	/** The fold of the case as it stands, under `calendar` (issue 14: kept and extended). */
	stateOf(entry: LoadedDoc, calendar: Calendar): CaseState {
		if (
			!entry.state ||
			entry.stateCalendar !== calendar ||
			entry.state.snapshot !== entry.snapshot
		) {
			entry.state = caseState(entry.snapshot, calendar);
			entry.stateCalendar = calendar;
		}
		return entry.state;
	}

	/** Moves the case to its snapshot after an accepted update, extending the fold when it can. */
	advance(entry: LoadedDoc, snapshot: CaseSnapshot, added: readonly CaseEvent[]): void {
		const kept = entry.state && entry.state.snapshot === entry.snapshot ? entry.state : null;
		entry.snapshot = snapshot;
		entry.state = kept ? extendState(kept, snapshot, added) : null;
	}

	/** The shadow replica of a document, rebuilt from the live one when missing. */
	shadowOf(entry: LoadedDoc): Y.Doc {
		if (!entry.shadow) {
			const shadow = new Y.Doc({ gc: true });
			Y.applyUpdate(shadow, Y.encodeStateAsUpdate(entry.doc));
			entry.shadow = shadow;
		}
		return entry.shadow;
	}

	/** Forgets the shadow (it took an update the live document did not). */
	dropShadow(entry: LoadedDoc): void {
		entry.shadow?.destroy();
		entry.shadow = null;
	}

	/** Drops the document from memory if nobody uses it and nothing is pending. */
	release(entry: LoadedDoc): void {
		const settled = entry.queue;
		void settled.then(() => {
			// Re-check after the queue drained: a client may have connected meanwhile.
			if (entry.conns.size > 0 || entry.storeFailed || entry.queue !== settled) return;
			// A held case is unloaded by its holder (`exclusive`).
			if (!this.current(entry)) return;
			void this.flushCache(entry).then(() => {
				if (entry.conns.size > 0 || entry.queue !== settled || !this.current(entry)) return;
				this.unload(entry);
			});
		});
	}

	/** Unloads everything (relay shutdown), after pending work. */
	async closeAll(): Promise<void> {
		clearInterval(this.flushTimer);
		const all = [...this.loaded.values()];
		await Promise.all(all.map((e) => e.queue));
		for (const e of all) await this.flushCache(e);
		for (const e of all) this.unload(e);
		this.loaded.clear();
	}

	/**
	 * The stored updates a case loads without (issue 10), loading it if needed so that a case
	 * nobody opened since its data broke is repaired now; unloaded again when nobody uses it.
	 */
	async setAsideOf(caseId: string): Promise<SetAside[]> {
		const entry = await this.open(caseId);
		if (entry.conns.size === 0) this.release(entry);
		return entry.setAside;
	}

	private async load(caseId: string): Promise<LoadedDoc> {
		// A case whose stored updates do not all load opens from those that do; the others are
		// set aside in quarantine with why (issue 10). Nothing is deleted.
		const loaded = await loadCase(this.storage, caseId, {
			record: true,
			now: (this.options.now ?? (() => new Date()))().toISOString()
		});
		if (loaded.found > 0) {
			this.options.log?.(`sync: case ${caseId}: ${loaded.found} stored update(s) set aside`);
		}
		const { doc } = loaded;
		const entry: LoadedDoc = {
			caseId,
			doc,
			awareness: new Awareness(doc),
			snapshot: loaded.snapshot,
			shadow: null,
			conns: new Set(),
			lastSeq: loaded.lastSeq,
			snapshotSeq: loaded.snapshotSeq,
			sinceSnapshot: loaded.sinceSnapshot,
			queue: Promise.resolve(),
			storeFailed: false,
			// A repair changed what the case is: refresh the list's copy too.
			cacheDirty: loaded.found > 0,
			setAside: loaded.setAside,
			state: null,
			stateCalendar: null
		};
		// The server's own awareness state is not a participant.
		entry.awareness.setLocalState(null);
		this.loaded.set(caseId, entry);
		return entry;
	}
}
