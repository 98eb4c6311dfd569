import type * as Decoding from 'lib0/decoding';
import type { IndexeddbPersistence } from 'y-indexeddb';
import type { WebsocketProvider } from 'y-websocket';
import type * as Yjs from 'yjs';
import type { CaseEventInput, CaseSnapshot } from '../domain';
import type { Calendar, CheckResult, Evaluation } from '../rules';
import type { CalendarStore } from './calendar.svelte';
import type {
	CaseSessionApi,
	ConnectionState,
	EventDraft,
	Peer,
	RefusalView,
	SessionUser
} from './contract';
import { EVENT_SCHEMA_VERSION, PROTOCOL_VERSION } from '../domain/versions';
import { caseDbName, type AppDb, type ClockRange, type Intent } from './db';
import { peersOf } from './presence';
import type { Refused } from '../protocol/ws';

type Engine = typeof import('./engine');

export interface CaseSessionDeps {
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
	onChange: (s: CaseSessionImpl) => void;
	/** The relay says this user may not see the case, or it does not exist (4403, 4404). */
	onDenied?: (s: CaseSessionImpl) => void;
	/** Open a live connection (false: local only, e.g. while prefetching is not wanted). */
	live?: boolean;
}

/** A random 32-bit Yjs client id (what `new Y.Doc()` picks). */
const randomClientId = () => crypto.getRandomValues(new Uint32Array(1))[0] ?? 1;
const covers = (sv: Map<number, number>, r: ClockRange) => (sv.get(r.client) ?? 0) >= r.to;
const overlaps = (a: ClockRange, b: { client: number; from: number; to: number }) =>
	a.client === b.client && a.from < b.to && a.to > b.from;

/**
 * One open case: its Y.Doc persisted in IndexedDB (y-indexeddb), synced with the relay
 * (y-websocket), every user action kept as an intent until the relay accepts it, and refused
 * actions shown with the relay's reason while the rest is replayed on the relay's state.
 */
export class CaseSessionImpl implements CaseSessionApi {
	loaded = $state(false);
	denied = $state<'forbidden' | 'not-found' | 'unauthorized' | null>(null);
	snapshot = $state.raw<CaseSnapshot | null>(null);
	evaluation = $state.raw<Evaluation | null>(null);
	/** The calendar the evaluation used (G-T3), for pages that compute dates of this case. */
	calendar = $state.raw<Calendar | null>(null);
	connection = $state<ConnectionState>('offline');
	pending = $state(0);
	refusals = $state<RefusalView[]>([]);
	peers = $state<Peer[]>([]);
	plan = $state('');

	#e!: Engine;
	#doc!: Yjs.Doc;
	#persistence: IndexeddbPersistence | null = null;
	#provider: WebsocketProvider | null = null;
	#unobserve: (() => void) | null = null;
	#intents: Intent[] = [];
	#planListeners = new Set<(text: string, remote: boolean) => void>();
	#rebuilding: Promise<void> | null = null;
	/** Yjs client ids the relay said belong to another user: never written with again. */
	#takenIds = new Set<number>();
	/** Set while a rebuild re-applies pending intents. */
	#replaying = false;
	#closed = false;
	/** Resolves once the local copy is loaded, or the relay's state arrived. */
	readonly ready: Promise<void>;

	constructor(
		readonly id: string,
		private readonly deps: CaseSessionDeps
	) {
		this.ready = this.#start();
	}

	async #start(): Promise<void> {
		// Yjs, the providers and the rules load with the first case, not with the first screen.
		this.#e = await import('./engine');
		await this.deps.ready;
		this.#intents = await this.#e.pendingIntents(this.deps.db, this.id);
		this.pending = this.#intents.length;
		// Drafts of refused events are read back validated; with the engine, not the first screen.
		const { refusalView } = await import('./quarantine-drafts');
		this.refusals = (await this.deps.db.refusals.where('caseId').equals(this.id).toArray()).map(
			refusalView
		);
		await this.#open();
	}

	async #open(): Promise<void> {
		const { Y, IndexeddbPersistence, onCaseChange, isEmptyCaseDoc } = this.#e;
		const doc = new Y.Doc();
		// A fresh document has a fresh random id; never one the relay said is someone else's.
		while (this.#takenIds.has(doc.clientID)) doc.clientID = randomClientId();
		this.#doc = doc;
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
		const {
			WebsocketProvider,
			MESSAGE_ACCEPTED,
			MESSAGE_REFUSED,
			readAccepted,
			readRefused,
			Y,
			CLOSE,
			isEmptyCaseDoc
		} = this.#e;
		const provider = new WebsocketProvider(this.deps.wsBase, this.id, this.#doc, {
			params: { token },
			maxBackoffTime: 5000
		});
		this.#provider = provider;
		provider.messageHandlers[MESSAGE_ACCEPTED] = (_e, d: Decoding.Decoder) => {
			const sv = readAccepted(d);
			if (sv) void this.#accepted(Y.decodeStateVector(sv));
		};
		provider.messageHandlers[MESSAGE_REFUSED] = (_e, d: Decoding.Decoder) => {
			const r = readRefused(d);
			if (r) void this.#refused(r);
		};
		provider.on('status', ({ status }: { status: string }) => {
			this.connection =
				status === 'connected'
					? provider.synced
						? 'synced'
						: 'syncing'
					: status === 'connecting'
						? 'connecting'
						: 'offline';
		});
		provider.on('sync', (synced: boolean) => {
			if (provider.wsconnected) this.connection = synced ? 'synced' : 'syncing';
			if (synced && !isEmptyCaseDoc(this.#doc)) this.#changed(false);
		});
		provider.on('closed', (ev: { code: number }) => {
			this.connection = 'offline';
			if (ev.code === CLOSE.unauthorized) {
				this.denied = 'unauthorized';
				this.deps.onUnauthorized();
			} else if (ev.code === CLOSE.forbidden || ev.code === CLOSE.notFound) {
				this.denied = ev.code === CLOSE.forbidden ? 'forbidden' : 'not-found';
				this.deps.onDenied?.(this);
			}
		});
		const user = this.deps.user();
		if (user)
			provider.awareness.setLocalStateField('user', {
				name: user.displayName,
				orgName: user.orgName
			});
		provider.awareness.on('change', () => {
			// Issue 12: one entry per user, never the viewer's own tabs.
			this.peers = peersOf(provider.awareness.getStates(), {
				clientId: this.#doc.clientID,
				userId: this.deps.user()?.id ?? null
			});
		});
	}

	#changed(local: boolean): void {
		const { toSnapshot, evaluate, getPlan } = this.#e;
		const r = toSnapshot(this.#doc);
		if (!r.ok) return; // an empty or half-synced document: wait for more
		const calendar = this.#calendar();
		this.snapshot = r.value;
		this.calendar = calendar;
		this.evaluation = evaluate(r.value, this.deps.today(), { calendar });
		const text = getPlan(this.#doc);
		if (text !== this.plan) {
			this.plan = text;
			// A replayed plan is local to the document but not to the editor, which still shows
			// the relay's text: it must take the replayed one, as it would a remote change.
			for (const cb of this.#planListeners) cb(text, !local || this.#replaying);
		}
		this.loaded = true;
		this.deps.onChange(this);
	}

	#calendar(): Calendar {
		return this.deps.calendar?.current(this.#e) ?? this.#e.builtinCalendar();
	}

	/** Evaluates the case again (G-T3: the calendar changed); nothing is written. */
	reevaluate(): void {
		if (this.#doc && !this.#closed && this.loaded) this.#changed(false);
	}

	record(draft: EventDraft): CheckResult {
		const user = this.deps.user();
		if (!this.loaded) {
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
			id: `ev-${crypto.randomUUID()}`,
			recordedAt: new Date().toISOString(),
			author: {
				userId: user.id,
				orgId: user.orgId,
				orgKind: user.orgKind,
				role: user.role,
				name: user.displayName
			},
			v: EVENT_SCHEMA_VERSION
		} as CaseEventInput;
		const { localClock, appendEvent, caseEventSchema } = this.#e;
		const before = localClock(this.#doc);
		const r = appendEvent(this.#doc, event, this.deps.today(), this.#calendar());
		if (!r.ok) return r;
		void this.#keep({
			id: event.id,
			caseId: this.id,
			kind: 'event',
			event: caseEventSchema.parse(event),
			createdAt: event.recordedAt,
			ranges: [{ client: before.client, from: before.clock, to: localClock(this.#doc).clock }]
		});
		return r;
	}

	setPlan(text: string): void {
		if (!this.loaded) return;
		const { localClock, setPlan, getPlan } = this.#e;
		const before = localClock(this.#doc);
		setPlan(this.#doc, text);
		const after = localClock(this.#doc).clock;
		if (after === before.clock) return;
		// One plan intent per case: the latest text is what the user meant.
		const prev = this.#intents.find((i) => i.kind === 'plan');
		void this.#keep({
			id: `plan-${this.id}`,
			caseId: this.id,
			kind: 'plan',
			plan: getPlan(this.#doc),
			createdAt: prev?.createdAt ?? new Date().toISOString(),
			ranges: [...(prev?.ranges ?? []), { client: before.client, from: before.clock, to: after }]
		});
	}

	async #keep(intent: Intent): Promise<void> {
		this.#intents = [...this.#intents.filter((i) => i.id !== intent.id), intent];
		this.pending = this.#intents.length;
		this.deps.onChange(this);
		await this.deps.db.outbox.put(intent);
	}

	async #accepted(sv: Map<number, number>): Promise<void> {
		const done = this.#intents.filter((i) => i.ranges.every((r) => covers(sv, r)));
		if (!done.length) return;
		this.#intents = this.#intents.filter((i) => !done.includes(i));
		this.pending = this.#intents.length;
		this.deps.onChange(this);
		await this.deps.db.outbox.bulkDelete(done.map((i) => i.id));
	}

	async #refused(r: Refused): Promise<void> {
		// Updates built on a refused one come back as 'causality': the rebuild replays them.
		if (r.rule === 'causality') return;
		// protocol.ts's RULE_CLIENT_ID: its schemas (zod) load with the engine, not the first screen.
		if (r.rule === this.#e.RULE_CLIENT_ID) {
			// Not a refusal of what the user did: the id it was written under belongs to another
			// user (issue 10). Start again from the relay's state under a fresh id and replay
			// every pending intent; nothing is shown, nothing leaves the outbox.
			for (const range of r.ranges) this.#takenIds.add(range.client);
			return this.#rebuild();
		}
		const hit = this.#intents.filter((i) =>
			i.ranges.some((a) => r.ranges.some((b) => overlaps(a, b)))
		);
		const blamed = r.eventId ? hit.filter((i) => i.event?.id === r.eventId) : hit;
		const at = new Date().toISOString();
		const rows = (blamed.length ? blamed : [null]).map((i) => ({
			id: `refused-${r.id}-${i?.id ?? 'update'}`,
			caseId: this.id,
			what: i?.kind === 'plan' ? 'plan' : (i?.event?.type ?? 'update'),
			rule: r.rule,
			reason: r.reason,
			at,
			...(i?.event ? { draft: i.event } : {})
		}));
		await this.deps.db.refusals.bulkPut(rows);
		this.refusals = [...this.refusals.filter((x) => !rows.some((y) => y.id === x.id)), ...rows];
		this.#intents = this.#intents.filter((i) => !blamed.includes(i));
		await this.deps.db.outbox.bulkDelete(blamed.map((i) => i.id));
		this.pending = this.#intents.length;
		await this.#rebuild();
	}

	/**
	 * After a refusal the local document holds a change the relay will never take, and every
	 * later change builds on it. Start again from the relay's accepted state and re-apply the
	 * intents still pending, in order.
	 */
	#rebuild(): Promise<void> {
		this.#rebuilding ??= (async () => {
			this.#provider?.destroy();
			this.#provider = null;
			this.#unobserve?.();
			await this.#persistence?.clearData();
			this.#doc.destroy();
			await this.#open();
			await this.#whenSynced();
			const replay = this.#intents;
			this.#intents = [];
			this.#replaying = true;
			try {
				for (const intent of replay) {
					if (intent.kind === 'plan' && intent.plan !== undefined) this.setPlan(intent.plan);
					else if (intent.event) this.#replayEvent(intent);
				}
			} finally {
				this.#replaying = false;
			}
			// A plan the relay already has needs no replay: its old outbox row would otherwise
			// wait forever for clock ranges that will never be accepted.
			const settled = replay.filter((i) => !this.#intents.some((j) => j.id === i.id));
			if (settled.length) await this.deps.db.outbox.bulkDelete(settled.map((i) => i.id));
			this.pending = this.#intents.length;
			// The list's row counts the pending changes too (issue 12: one sync state).
			this.deps.onChange(this);
			this.#rebuilding = null;
		})();
		return this.#rebuilding;
	}

	/**
	 * Issue 11: the relay rewrote this case's stored log in place (ID numbers masked, retention):
	 * the local copy still holds what was removed. Start again from the relay's state and replay
	 * every pending intent, as after a refusal; nothing of the user's work is lost.
	 */
	replaceLocalCopy(): Promise<void> {
		return this.ready.then(() => this.#rebuild());
	}

	#replayEvent(intent: Intent): void {
		const ev = intent.event;
		if (!ev) return;
		const { localClock, appendEvent, hasEventId } = this.#e;
		// Already on the relay (its acknowledgement was lost, or the copy was replaced): settled.
		if (hasEventId(this.#doc, ev.id)) return;
		const before = localClock(this.#doc);
		const r = appendEvent(this.#doc, ev, this.deps.today(), this.#calendar());
		if (!r.ok) {
			void this.#refused({
				v: PROTOCOL_VERSION,
				id: 0,
				rule: r.rule,
				reason: r.reason,
				eventId: ev.id,
				ranges: intent.ranges
			});
			return;
		}
		void this.#keep({
			...intent,
			ranges: [{ client: before.client, from: before.clock, to: localClock(this.#doc).clock }]
		});
	}

	#whenSynced(): Promise<void> {
		const p = this.#provider;
		if (!p || p.synced) return Promise.resolve();
		return new Promise((resolve) => {
			const on = (s: boolean) => {
				if (!s) return;
				p.off('sync', on);
				resolve();
			};
			p.on('sync', on);
		});
	}

	/** Resolves once the relay's state has arrived (first sync), or right away when not live. */
	async synced(): Promise<void> {
		await this.ready;
		await this.#whenSynced();
	}

	/**
	 * Resolves once the relay has accepted every change this device holds for the case, or after
	 * `ms`: a background session closed sooner leaves its outbox rows waiting, and the list then
	 * says 「N 条修改未上传」 of changes the relay already has (issue 12: one sync state).
	 */
	async uploaded(ms: number): Promise<void> {
		const until = Date.now() + ms;
		while (this.pending > 0 && !this.#closed && Date.now() < until)
			await new Promise((r) => setTimeout(r, 50));
	}

	planCursor(): { save(index: number): unknown; restore(saved: unknown): number } {
		const doc = this.#doc;
		if (!this.loaded) return { save: () => null, restore: () => 0 };
		const { savePlanCursor, restorePlanCursor } = this.#e;
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
		this.refusals = this.refusals.filter((r) => r.id !== id);
		await this.deps.db.refusals.delete(id);
		this.deps.onChange(this);
	}

	resubmit(refusalId: string, draft: EventDraft): CheckResult {
		const r = this.record(draft);
		if (r.ok) void this.dismissRefusal(refusalId);
		return r;
	}

	async revealIdNumber(): Promise<string | null> {
		const token = this.deps.token();
		if (!token) return null;
		try {
			const res = await fetch(`${this.deps.apiBase}/api/cases/${this.id}/reveal`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}` }
			});
			if (res.status === 401) this.deps.onUnauthorized();
			if (res.status !== 200) return null;
			const body = (await res.json()) as { idNumber?: unknown };
			return typeof body.idNumber === 'string' ? body.idNumber : null;
		} catch {
			return null; // offline: revealing needs the relay, which records who looked
		}
	}

	async correctIdNumber(idNumber: string, guardianId?: string): Promise<CheckResult> {
		const token = this.deps.token();
		const offline: CheckResult = {
			ok: false,
			rule: 'schema',
			reason: {
				zh: '更正身份证号须联网（号码只保存在服务器）',
				en: 'correcting an ID number needs the relay (the number is kept there only)'
			}
		};
		if (!token) return offline;
		let res: Response;
		try {
			res = await fetch(`${this.deps.apiBase}/api/cases/${this.id}/id-number`, {
				method: 'PUT',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ idNumber, ...(guardianId ? { guardianId } : {}) })
			});
		} catch {
			return offline;
		}
		if (res.status === 401) this.deps.onUnauthorized();
		const body = (await res.json().catch(() => null)) as {
			idMasked?: unknown;
			errors?: { message?: unknown }[];
			message?: { zh?: unknown; en?: unknown };
		} | null;
		if (res.status !== 200 || typeof body?.idMasked !== 'string') {
			const m = body?.errors?.[0]?.message;
			const [zh, en] = typeof m === 'string' ? m.split(' / ') : [];
			return {
				ok: false,
				rule: 'schema',
				reason: {
					zh: zh ?? (typeof body?.message?.zh === 'string' ? body.message.zh : '更正失败'),
					en:
						en ??
						zh ??
						(typeof body?.message?.en === 'string' ? body.message.en : 'the correction failed')
				}
			};
		}
		return this.record({
			type: 'profile_updated',
			date: this.deps.today(),
			changes: [
				guardianId
					? { target: 'guardian', guardianId, field: 'idMasked', value: body.idMasked }
					: { target: 'student', field: 'idMasked', value: body.idMasked }
			]
		} as EventDraft);
	}

	/** Pending intents (for the index row and tests). */
	get intents(): readonly Intent[] {
		return this.#intents;
	}

	close(): void {
		this.#closed = true;
		this.#unobserve?.();
		this.#provider?.destroy();
		void this.#persistence?.destroy();
		this.#doc?.destroy();
	}
}
