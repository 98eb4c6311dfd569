import type { IndexeddbPersistence } from 'y-indexeddb';
import type * as Yjs from 'yjs';
import type { CaseEventInput, CaseSnapshot } from '../../domain';
import { EVENT_SCHEMA_VERSION } from '../../domain/versions';
import type { Calendar, CheckResult, Evaluation } from '../../rules';
import type { CalendarStore } from '../calendar.svelte';
import type { ConnectionState, EventDraft, Peer, RefusalView, SessionUser } from '../contract';
import { caseDbName, type AppDb, type Intent } from '../db';
import type { Refused } from '../../protocol/ws';
import { putIdNumber, revealIdNumber } from './case-http';
import { Connection, type ConnectionOptions, type Denial } from './connection';
import { Outbox } from './outbox';
import { Rebuilder, type RebuildHost } from './replay';

type Engine = typeof import('../engine');

/** What the UI reads of an open case: the session's rune state, written only from here. */
export interface CaseView {
	loaded: boolean;
	denied: Denial | null;
	snapshot: CaseSnapshot | null;
	evaluation: Evaluation | null;
	/** The calendar the evaluation used (G-T3), for pages that compute dates of this case. */
	calendar: Calendar | null;
	connection: ConnectionState;
	pending: number;
	refusals: RefusalView[];
	peers: Peer[];
	plan: string;
}

export interface CaseSyncDeps {
	/** The logged-in user's database; the case's copy is named after its user too (issue 11). */
	db: AppDb;
	/** Resolves when the device's start-up work is done (it may move this user's data). */
	ready?: Promise<void>;
	wsBase: string;
	apiBase: string;
	user: () => SessionUser | null;
	token: () => string | null;
	today: () => string;
	/** The calendar the device evaluates with (G-T3); the built-in one without it. */
	calendar?: CalendarStore;
	/** The relay refused our token (4401). */
	onUnauthorized: () => void;
	/** The case changed: refresh its row in the local index. */
	onChange: () => void;
	/** The relay says this user may not see the case, or it does not exist (4403, 4404). */
	onDenied?: () => void;
	/** Open a live connection (false: local only, e.g. while prefetching is not wanted). */
	live?: boolean;
	/** The engine module (tests import it; the app loads it with the first case). */
	engine?: Engine;
	/** The clock of `recordedAt` and refusal times (default: the device's). */
	now?: () => Date;
	/** A fresh random 32-bit Yjs client id (tests: a seeded PRNG). */
	clientId?: () => number;
	/** A fresh event id (tests: a seeded PRNG). */
	eventId?: () => string;
	/** Socket options of the live connection (tests: a hand-flushed socket pair). */
	socket?: Pick<ConnectionOptions, 'WebSocketPolyfill' | 'disableBc' | 'maxBackoffTime'>;
}

/** A random 32-bit Yjs client id (what `new Y.Doc()` picks). */
const randomClientId = () => crypto.getRandomValues(new Uint32Array(1))[0] ?? 1;

/**
 * One open case without Svelte: its Y.Doc persisted in IndexedDB (y-indexeddb), synced with the
 * relay (`Connection`), every user action kept in the `Outbox` until the relay accepts it, and
 * refused actions shown with the relay's reason while the rest is replayed on the relay's state
 * (`Rebuilder`). Writes what the UI reads into `view` (the session's rune state).
 */
export class CaseSync implements RebuildHost {
	e!: Engine;
	doc!: Yjs.Doc;
	outbox!: Outbox;
	#persistence: IndexeddbPersistence | null = null;
	#connection: Connection | null = null;
	#unobserve: (() => void) | null = null;
	#planListeners = new Set<(text: string, remote: boolean) => void>();
	readonly #rebuilder = new Rebuilder(this);
	/** Yjs client ids the relay said belong to another user: never written with again. */
	#takenIds = new Set<number>();
	#closed = false;
	readonly #now: () => Date;
	/** Resolves once the local copy is loaded, or the relay's state arrived. */
	readonly ready: Promise<void>;

	constructor(
		readonly id: string,
		readonly view: CaseView,
		private readonly deps: CaseSyncDeps
	) {
		this.#now = deps.now ?? (() => new Date());
		this.ready = this.#start();
	}

	get closed(): boolean {
		return this.#closed;
	}

	async #start(): Promise<void> {
		// Yjs, the providers and the rules load with the first case, not with the first screen.
		this.e = this.deps.engine ?? (await import('../engine'));
		await this.deps.ready;
		this.outbox = new Outbox(this.deps.db, this.id, (n) => (this.view.pending = n), this.#now);
		this.outbox.load(await this.e.pendingIntents(this.deps.db, this.id));
		// Drafts of refused events are read back validated; with the engine, not the first screen.
		const { refusalView } = await import('../quarantine-drafts');
		this.view.refusals = (
			await this.deps.db.refusals.where('caseId').equals(this.id).toArray()
		).map(refusalView);
		await this.#open();
	}

	async #open(): Promise<void> {
		const { Y, IndexeddbPersistence, onCaseChange, isEmptyCaseDoc } = this.e;
		const doc = new Y.Doc();
		if (this.deps.clientId) doc.clientID = this.deps.clientId();
		// A fresh document has a fresh random id; never one the relay said is someone else's.
		while (this.#takenIds.has(doc.clientID))
			doc.clientID = (this.deps.clientId ?? randomClientId)();
		this.doc = doc;
		this.#persistence = new IndexeddbPersistence(caseDbName(this.deps.db.userId, this.id), doc);
		await this.#persistence.whenSynced;
		if (this.#closed) return;
		this.#unobserve = onCaseChange(doc, (c) => this.#changed(c.local));
		if (!isEmptyCaseDoc(doc)) this.#changed(false);
		if (this.deps.live !== false) this.#connect();
	}

	#connect(): void {
		const token = this.deps.token();
		if (!token) return;
		const v = this.view;
		this.#connection = new Connection(this.e, {
			wsBase: this.deps.wsBase,
			caseId: this.id,
			token,
			doc: this.doc,
			user: this.deps.user,
			...this.deps.socket,
			onState: (s) => (v.connection = s),
			onPeers: (p) => (v.peers = p),
			onSynced: () => {
				if (!this.e.isEmptyCaseDoc(this.doc)) this.#changed(false);
			},
			onAccepted: (sv) => void this.#accepted(sv),
			onRefused: (r) => void this.refused(r),
			onDenied: (why) => {
				v.denied = why;
				if (why === 'unauthorized') this.deps.onUnauthorized();
				else this.deps.onDenied?.();
			}
		});
	}

	#changed(local: boolean): void {
		const { toSnapshot, evaluate, getPlan } = this.e;
		const r = toSnapshot(this.doc);
		if (!r.ok) return; // an empty or half-synced document: wait for more
		const calendar = this.calendar();
		const v = this.view;
		v.snapshot = r.value;
		v.calendar = calendar;
		v.evaluation = evaluate(r.value, this.deps.today(), { calendar });
		const text = getPlan(this.doc);
		if (text !== v.plan) {
			v.plan = text;
			// A replayed plan is local to the document but not to the editor, which still shows
			// the relay's text: it must take the replayed one, as it would a remote change.
			for (const cb of this.#planListeners) cb(text, !local || this.#rebuilder.replaying);
		}
		v.loaded = true;
		this.deps.onChange();
	}

	calendar(): Calendar {
		return this.deps.calendar?.current(this.e) ?? this.e.builtinCalendar();
	}

	today(): string {
		return this.deps.today();
	}

	/** Evaluates the case again (G-T3: the calendar changed); nothing is written. */
	reevaluate(): void {
		if (this.doc && !this.#closed && this.view.loaded) this.#changed(false);
	}

	record(draft: EventDraft): CheckResult {
		const user = this.deps.user();
		if (!this.view.loaded) {
			return {
				ok: false,
				rule: 'schema',
				reason: { zh: '案件尚未加载', en: 'the case is not loaded yet' }
			};
		}
		if (!user)
			return { ok: false, rule: 'author', reason: { zh: '请先登录', en: 'please log in' } };
		const event = {
			...draft,
			id: `ev-${this.deps.eventId?.() ?? crypto.randomUUID()}`,
			recordedAt: this.#now().toISOString(),
			author: {
				userId: user.id,
				orgId: user.orgId,
				orgKind: user.orgKind,
				role: user.role,
				name: user.displayName
			},
			v: EVENT_SCHEMA_VERSION
		} as CaseEventInput;
		const { localClock, appendEvent, caseEventSchema } = this.e;
		const before = localClock(this.doc);
		const r = appendEvent(this.doc, event, this.deps.today(), this.calendar());
		if (!r.ok) return r;
		void this.keep({
			id: event.id,
			caseId: this.id,
			kind: 'event',
			event: caseEventSchema.parse(event),
			createdAt: event.recordedAt,
			ranges: [{ client: before.client, from: before.clock, to: localClock(this.doc).clock }]
		});
		return r;
	}

	setPlan(text: string): void {
		if (!this.view.loaded) return;
		const { localClock, setPlan, getPlan } = this.e;
		const before = localClock(this.doc);
		setPlan(this.doc, text);
		const after = localClock(this.doc).clock;
		if (after === before.clock) return;
		// One plan intent per case: the latest text is what the user meant.
		const prev = this.outbox.planIntent();
		void this.keep({
			id: `plan-${this.id}`,
			caseId: this.id,
			kind: 'plan',
			plan: getPlan(this.doc),
			createdAt: prev?.createdAt ?? this.#now().toISOString(),
			ranges: [...(prev?.ranges ?? []), { client: before.client, from: before.clock, to: after }]
		});
	}

	async keep(intent: Intent): Promise<void> {
		const stored = this.outbox.keep(intent);
		this.deps.onChange();
		await stored;
	}

	async #accepted(sv: Map<number, number>): Promise<void> {
		const before = this.outbox.pending;
		const stored = this.outbox.accepted(sv);
		if (this.outbox.pending !== before) this.deps.onChange();
		await stored;
	}

	async refused(r: Refused): Promise<void> {
		// Updates built on a refused one come back as 'causality': the rebuild replays them.
		if (r.rule === 'causality') return;
		// protocol.ts's RULE_CLIENT_ID: its schemas (zod) load with the engine, not the first screen.
		if (r.rule === this.e.RULE_CLIENT_ID) {
			// Not a refusal of what the user did: the id it was written under belongs to another
			// user (issue 10). Start again from the relay's state under a fresh id and replay
			// every pending intent; nothing is shown, nothing leaves the outbox.
			for (const range of r.ranges) this.#takenIds.add(range.client);
			return this.#rebuilder.run();
		}
		const rows = await this.outbox.refused(r);
		const v = this.view;
		v.refusals = [...v.refusals.filter((x) => !rows.some((y) => y.id === x.id)), ...rows];
		await this.#rebuilder.run();
	}

	/** RebuildHost: drops the connection, the local copy and the document; opens a fresh one. */
	async reopen(): Promise<void> {
		this.#connection?.destroy();
		this.#connection = null;
		this.#unobserve?.();
		await this.#persistence?.clearData();
		this.doc.destroy();
		await this.#open();
	}

	/** RebuildHost: the replay is over. */
	done(): void {
		this.deps.onChange();
	}

	/**
	 * Issue 11: the relay rewrote this case's stored log in place (ID numbers masked, retention):
	 * the local copy still holds what was removed. Start again from the relay's state and replay
	 * every pending intent, as after a refusal; nothing of the user's work is lost.
	 */
	replaceLocalCopy(): Promise<void> {
		return this.ready.then(() => this.#rebuilder.run());
	}

	/** Resolves once the relay's state has arrived, or right away when not live. */
	whenSynced(): Promise<void> {
		return this.#connection?.whenSynced() ?? Promise.resolve();
	}

	planCursor(): { save(index: number): unknown; restore(saved: unknown): number } {
		const doc = this.doc;
		if (!this.view.loaded) return { save: () => null, restore: () => 0 };
		const { savePlanCursor, restorePlanCursor } = this.e;
		return {
			save: (index: number) => savePlanCursor(doc, index),
			restore: (saved: unknown) => (saved instanceof Uint8Array ? restorePlanCursor(doc, saved) : 0)
		};
	}

	onPlanChange(cb: (text: string, remote: boolean) => void): () => void {
		this.#planListeners.add(cb);
		return () => this.#planListeners.delete(cb);
	}

	async dismissRefusal(id: string): Promise<void> {
		this.view.refusals = this.view.refusals.filter((r) => r.id !== id);
		await this.deps.db.refusals.delete(id);
		this.deps.onChange();
	}

	revealIdNumber(): Promise<string | null> {
		return revealIdNumber(this.deps, this.id);
	}

	async correctIdNumber(idNumber: string, guardianId?: string): Promise<CheckResult> {
		const r = await putIdNumber(this.deps, this.id, idNumber, guardianId);
		if (!r.ok) return r;
		return this.record({
			type: 'profile_updated',
			date: this.deps.today(),
			changes: [
				guardianId
					? { target: 'guardian', guardianId, field: 'idMasked', value: r.idMasked }
					: { target: 'student', field: 'idMasked', value: r.idMasked }
			]
		} as EventDraft);
	}

	close(): void {
		this.#closed = true;
		this.#unobserve?.();
		this.#connection?.destroy();
		void this.#persistence?.destroy();
		this.doc?.destroy();
	}
}
