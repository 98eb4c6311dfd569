import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { CaseEvent, CaseSnapshot } from '../../src/lib/domain';
import { caseState, extendState, type Calendar, type CaseState } from '../../src/lib/rules';
import type { NewUpdate, Storage } from '../storage/types';
import type { DocRegistry, LoadedDoc } from './doc-registry';

/**
 * Issue 14: the relay's hot path as a pipeline per case. Update n+1 of a case is checked while
 * update n is being stored; each is applied and broadcast strictly in order, and only once it is
 * durable. The accepted updates of every case that wait while one transaction is being made
 * durable go to the storage thread together: one round trip and one transaction (one fsync) for
 * all of them.
 */

/** Settles once nothing is pending behind `read()` (it may change while awaited). */
export async function settled(read: () => Promise<unknown>): Promise<void> {
	for (let p = read(); ;) {
		await p.catch(() => undefined);
		const q = read();
		if (q === p) return;
		p = q;
	}
}

interface Waiting {
	rec: NewUpdate;
	done: (seq: number) => void;
	fail: (err: unknown) => void;
}

/** Thrown for an update of a case whose earlier update failed to store: it is not written. */
export class EarlierStoreFailed extends Error {
	constructor() {
		super('存储此前的修改失败 / an earlier update of this case failed to store');
	}
}

/**
 * Group commit with at most one transaction in flight: the appends that arrive while one batch
 * is being written form the next batch, so the busier the relay, the more updates each fsync
 * covers (the storage thread is never handed a queue of one-update transactions). When a batch
 * fails, its cases' later appends are refused until `clear` (an update built on one that is not
 * on disk must not be stored either: the log would hold it without what it depends on).
 */
export class CommitQueue {
	private waiting: Waiting[] = [];
	private busy = false;
	private readonly failed = new Set<string>();

	constructor(private readonly storage: Pick<Storage, 'appendUpdates'>) {}

	/** Resolves with the update's seq once it is durable. */
	append(rec: NewUpdate): Promise<number> {
		// The update is usually a view into the socket's read buffer (up to 64 KiB): posting the
		// view to the storage thread would copy all of that buffer, so only its own bytes go.
		const { update } = rec;
		const own = update.byteLength === update.buffer.byteLength ? update : update.slice();
		return new Promise((done, fail) => {
			this.waiting.push({ rec: { ...rec, update: own }, done, fail });
			if (this.busy) return;
			this.busy = true;
			// Everything appended during this turn of the event loop goes in the first batch.
			setImmediate(() => void this.flush());
		});
	}

	/** Whether a store of this case failed since its pipeline last started afresh. */
	hasFailed(caseId: string): boolean {
		return this.failed.has(caseId);
	}

	/** The case's pipeline has drained and starts again from what is stored. */
	clear(caseId: string): void {
		this.failed.delete(caseId);
	}

	private async flush(): Promise<void> {
		const batch: Waiting[] = [];
		for (const w of this.waiting) {
			if (this.failed.has(w.rec.caseId)) w.fail(new EarlierStoreFailed());
			else batch.push(w);
		}
		this.waiting = [];
		if (batch.length > 0) {
			try {
				const seqs = await this.storage.appendUpdates(batch.map((b) => b.rec));
				batch.forEach((b, i) => b.done(seqs[i] ?? 0));
			} catch (err) {
				for (const b of batch) this.failed.add(b.rec.caseId);
				for (const b of batch) b.fail(err);
			}
		}
		// The next batch is posted at once: the storage thread starts its fsync while this
		// batch's broadcasts are sent.
		if (this.waiting.length > 0) void this.flush();
		else this.busy = false;
	}
}

/** An update that passed the check and waits to be durable, applied and broadcast. */
interface InFlight {
	update: Uint8Array;
	snapshot: CaseSnapshot;
	added: CaseEvent[];
}

/** Where the next check of a case starts from: the case with every update in flight applied. */
export interface Tip {
	snapshot: CaseSnapshot;
	/** The rules' fold of `snapshot` (issue 14); only read by the check. */
	state: CaseState;
}

/**
 * One case's pipeline. `run` takes a check (run after every earlier check of the case) that may
 * hand back a finish (run after every earlier finish, in order: applying, broadcasting, telling
 * the sender). The registry's `entry.queue` covers both stages and background work, so an
 * unload or a rewrite of the case's log (`DocRegistry.exclusive`) waits for all of it.
 */
export class CasePipe {
	private checks: Promise<void> = Promise.resolve();
	private finishes: Promise<void> = Promise.resolve();
	/** Accepted by the check, not yet applied to `entry.doc` (in order). */
	private readonly inflight: InFlight[] = [];
	private tip: { snapshot: CaseSnapshot; state: CaseState | null; calendar: Calendar } | null =
		null;
	private compacting = false;

	constructor(
		private readonly entry: LoadedDoc,
		private readonly registry: DocRegistry
	) {}

	run(check: (prior: Promise<void>) => Promise<(() => Promise<void> | void) | void>): void {
		// `prior`: every finish queued before this one (a check may wait for them; its own
		// finish waits for the check, so awaiting the whole chain would never end).
		const prior = this.finishes;
		const checked = this.checks.then(() => check(prior));
		this.checks = checked.then(
			() => undefined,
			() => undefined
		);
		const finished = this.finishes.then(async () => {
			const finish = await checked.catch(() => undefined);
			if (finish) await finish();
		});
		this.finishes = finished.catch(() => undefined);
		this.hold(this.finishes);
	}

	/** Makes the registry's queue of the case wait for `p` too. */
	hold(p: Promise<unknown>): void {
		const e = this.entry;
		e.queue = Promise.all([e.queue, p.catch(() => undefined)]).then(() => undefined);
	}

	/** Resolves once every queued finish has run (not from a check: see `run`'s `prior`). */
	drained(): Promise<void> {
		return settled(() => this.finishes);
	}

	/** Whether updates are in flight (checked, not yet applied). */
	get busy(): boolean {
		return this.inflight.length > 0;
	}

	/** What the next update is checked against: the stored case plus every update in flight. */
	base(calendar: Calendar): Tip {
		const t = this.tip;
		if (!t) {
			const { entry } = this;
			return { snapshot: entry.snapshot, state: this.registry.stateOf(entry, calendar) };
		}
		if (!t.state || t.calendar !== calendar) {
			t.state = caseState(t.snapshot, calendar);
			t.calendar = calendar;
		}
		return { snapshot: t.snapshot, state: t.state };
	}

	/**
	 * Records an update the check accepted: the next check starts from it. `base` is what
	 * `base()` returned for this check; its fold is extended in place (it is not read again).
	 */
	accept(
		base: Tip,
		calendar: Calendar,
		update: Uint8Array,
		snapshot: CaseSnapshot,
		added: CaseEvent[]
	) {
		const state = extendState(base.state, snapshot, added);
		this.tip = { snapshot, state, calendar };
		this.inflight.push({ update, snapshot, added });
	}

	/**
	 * After a refusal the shadow holds an update the case will never have: it is rebuilt from
	 * the live document and the updates still in flight (a later update that depends on the
	 * refused one then cannot integrate, and is refused as `causality`).
	 */
	resetShadow(): void {
		const { entry, registry } = this;
		registry.dropShadow(entry);
		if (this.inflight.length === 0) return; // rebuilt from the live document when next needed
		const shadow = registry.shadowOf(entry);
		for (const f of this.inflight) Y.applyUpdate(shadow, f.update);
	}

	/**
	 * After a failed store: everything in flight was refused by the commit queue; start again
	 * from what is stored (call after `drained`).
	 */
	restart(): void {
		this.inflight.length = 0;
		this.tip = null;
		this.registry.dropShadow(this.entry);
	}

	/**
	 * The oldest update in flight is durable (seq) or failed (null): applies it to the live
	 * document (which broadcasts it, see SyncServer.wire) and moves the case to its snapshot.
	 */
	landed(seq: number | null, origin: unknown): InFlight | undefined {
		const f = this.inflight.shift();
		const { entry } = this;
		if (!f || seq === null) return f;
		entry.lastSeq = seq;
		entry.sinceSnapshot++;
		entry.storeFailed = false;
		Y.applyUpdate(entry.doc, f.update, origin);
		entry.snapshot = f.snapshot;
		entry.cacheDirty = true;
		// The fold follows the stored case once nothing is in flight (it was extended up to the
		// tip by the checks); meanwhile the registry's own is stale and folded again if read.
		const t = this.tip;
		if (this.inflight.length === 0 && t) {
			entry.state = t.state && t.state.snapshot === f.snapshot ? t.state : null;
			entry.stateCalendar = t.calendar;
			this.tip = null;
		} else if (entry.state && entry.state.snapshot !== entry.snapshot) {
			entry.state = null;
		}
		return f;
	}

	/** Compaction off the hot path: broadcasts never wait for a snapshot to be written. */
	compact(at: string, log: (line: string) => void): void {
		if (this.compacting) return;
		this.compacting = true;
		const done = this.registry
			.maybeCompact(this.entry, at)
			.catch(() => log(`sync: compaction failed on case ${this.entry.caseId}`))
			.finally(() => {
				this.compacting = false;
			});
		this.hold(done);
	}
}

/**
 * Sockets corked for the rest of this turn: every message queued to one socket in a turn (an
 * update, its `accepted`, the next case's) leaves in one write instead of one each.
 */
const corked = new Set<Socket>();

function uncorkAll(): void {
	for (const s of corked) s.uncork();
	corked.clear();
}

/** Corks the socket under `ws` until the current turn's callbacks and promises have run. */
export function corkForTurn(ws: WebSocket): void {
	// ws has no public handle on its socket; `_socket` is stable across ws 8.
	const socket = (ws as unknown as { _socket?: Socket })._socket;
	if (!socket || corked.has(socket) || socket.destroyed) return;
	if (corked.size === 0) process.nextTick(uncorkAll);
	socket.cork();
	corked.add(socket);
}
