import { liveQuery } from 'dexie';
import { chinaDate } from '../domain/china-date';
import { maskRegistryNo } from '../domain/id-mask';
import type { CaseSnapshot } from '../domain';
import { nextOf } from '../dashboard/list-row';
import { RelayClient, lazy } from '../protocol/client';
import { caseListGuard } from '../protocol/guards';
import { CalendarStore } from './calendar.svelte';
import { CaseSessionImpl } from './case-session.svelte';
import type { CaseIndexRow, StorageStatus, WorkspaceApi } from './contract';
import { AppDb } from './db';
import { forgetCases } from './device-data';
import { Device } from './device.svelte';
import type { FamilySession } from './family-session.svelte';
import type { SessionManager } from './session.svelte';

/** `POST /api/cases` → `{id, caseNo}`, its schema loaded when a case is created (issue 13). */
const createdCase = lazy(() => import('../protocol/common'), 'createdCaseAnswer');

/** Delay before the background download of every case (see `refresh`). */
const PREFETCH_DELAY_MS = 1500;

/** An open case, with how many pages use it and its own close. */
interface OpenCase {
	s: CaseSessionImpl;
	refs: number;
	close: () => void;
}

/**
 * Everything of the logged-in user on this device: their local case index (Dexie), the open
 * cases, online state and the count of changes the relay has not accepted yet. Issue 11: each
 * user has databases of their own (`db.ts`); logging in as another user switches to theirs,
 * and a user whose last login here is older than the bureau's days is wiped (`device-users.ts`).
 */
export class Workspace implements WorkspaceApi {
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	#rows = $state.raw<CaseIndexRow[]>([]);
	/** Whose index `#rows` came from: rows are shown only while that user is logged in. */
	#rowsOf = $state<string | null>(null);
	storage = $state<StorageStatus>({ persisted: null, usage: null, quota: null });
	refreshing = $state(false);
	/** A refresh was asked for while one was running (see `refresh`). */
	#refreshAgain = false;
	/** Cases downloaded for offline use during the last refresh. */
	prefetch = $state<{ done: number; total: number }>({ done: 0, total: 0 });
	/** The calendar and terms this device evaluates with (G-T3), cached for offline use. */
	readonly calendar: CalendarStore;
	/** Done with the start-up work: the migration of before issue 11 and the wipe of expired users. */
	readonly ready: Promise<void>;
	readonly #open = new Map<string, OpenCase>();
	/** The logged-in user's database; null while nobody is. */
	#db: AppDb | null = null;
	#subscription: { unsubscribe(): void } | null = null;
	/** Cases of `#db` removed as no longer the user's: a session still open never indexes them. */
	readonly #gone = new Set<string>();
	#prefetching = false;
	/** Issue 13: the relay client, with this session's token. */
	readonly #relay: RelayClient;

	constructor(
		private readonly session: SessionManager,
		private readonly bases: { api: string; ws: string },
		/** The users of this device and the wipe of their data (issue 11). */
		readonly device = new Device()
	) {
		this.calendar = new CalendarStore(bases.api);
		this.#relay = new RelayClient({
			apiBase: bases.api,
			get token() {
				return session.token;
			},
			markExpired: () => session.markExpired()
		});
		// G-T3: a new calendar (an official schedule, new terms) re-evaluates every open case.
		this.calendar.onChange(() => {
			for (const { s } of this.#open.values()) s.reevaluate();
		});
		// The user's index is read once the start-up work may have moved data into it.
		this.ready = device
			.start(() => this.session.user?.id ?? null)
			.catch(() => undefined)
			.then(() => void this.#current());
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => {
				this.online = true;
				void this.refresh();
			});
			window.addEventListener('offline', () => (this.online = false));
		}
	}

	/** The logged-in user's case index; nothing of any other user's, whatever the timing. */
	get cases(): CaseIndexRow[] {
		const u = this.session.user?.id;
		return u !== undefined && this.#rowsOf === u ? this.#rows : [];
	}

	get pendingTotal(): number {
		return this.cases.reduce((n, c) => n + c.unsynced, 0);
	}

	get syncing(): boolean {
		return this.refreshing || [...this.#open.values()].some((o) => o.s.connection === 'syncing');
	}

	today(): string {
		return chinaDate(new Date());
	}

	async refresh(): Promise<void> {
		await this.ready;
		const token = this.session.token;
		const db = this.#current();
		if (!token || !db || !this.online) return;
		// A refresh asked for while one is on its way runs again after it: the list in flight
		// may have been answered before what the caller wants to see (a new calendar version).
		if (this.refreshing) {
			this.#refreshAgain = true;
			return;
		}
		this.refreshing = true;
		this.#refreshAgain = false;
		try {
			// Issue 11: the cases indexed before asking. One created while the list is on its way
			// (creating needs the relay, so every case is known to it) is not among them, so it is
			// never taken for one the user lost.
			const before = await db.cases.toCollection().primaryKeys();
			// Issue 13: the relay client (401 marks the session expired), zod-free parser (first screen).
			const r = await this.#relay.get('/api/cases', caseListGuard);
			if (!r.ok) return;
			const body = r.value;
			// Another user logged in meanwhile: nothing is written, nothing removed.
			if (this.#db !== db) return;
			// The relay evaluated these rows with its calendar; fetch it when ours differs.
			this.calendar.note(body.calendarVersion, token);
			// Read and write in one transaction: a case session indexing its case at the same
			// moment must not overwrite the names this list brings (or lose its own counts).
			// Issue 11: cases whose stored log the relay rewrote since this device's copy.
			const stale: { id: string; rewrites: number }[] = [];
			await db.transaction('rw', db.cases, async () => {
				const known = new Map((await db.cases.toArray()).map((r) => [r.id, r]));
				await db.cases.bulkPut(
					body.cases.map((c) => {
						const prev = known.get(c.id);
						const rewrites = typeof c.rewrites === 'number' ? c.rewrites : 0;
						if (prev && rewrites > (prev.rewrites ?? 0)) stale.push({ id: c.id, rewrites });
						const caseNo = typeof c.caseNo === 'string' ? c.caseNo : prev?.caseNo;
						return {
							id: c.id,
							...(caseNo ? { caseNo } : {}),
							student: c.student,
							// Issue 11: the index on the device holds the masked form only.
							registryNo: maskRegistryNo(c.registryNo),
							schoolId: c.schoolId,
							school: c.school,
							stage: c.stage,
							next: nextOf(c.next),
							daysLeft: c.daysLeft,
							overdue: c.overdue,
							waitingOn: prev?.waitingOn ?? (c.next ? [c.next.responsible] : []),
							unsynced: prev?.unsynced ?? 0,
							refused: prev?.refused ?? 0,
							local: prev?.local ?? false,
							// Raised only once the copy is replaced (below), so a crash replaces it later.
							rewrites: prev ? (prev.rewrites ?? 0) : rewrites,
							updatedAt: new Date().toISOString(),
							street: c.street ?? prev?.street,
							...(typeof c.family === 'string' ? { family: c.family } : {}),
							// Checked by its schema where read (`readSummary`), as the stored rows are.
							summary: (c.summary as CaseIndexRow['summary']) ?? prev?.summary,
							flags: c.flags // checked by the list's parser (issue 13)
						};
					})
				);
			});
			// Issue 11: a case the relay no longer lists is no longer this user's (their access
			// ended, or it is gone): its local copy goes with its pending work, which the relay
			// would refuse.
			const ids = body.cases.map((c) => c.id);
			const listed = new Set(ids);
			await this.#forget(
				db,
				before.filter((id) => !listed.has(id))
			);
			await this.#replaceStale(db, stale);
			// The download for offline use starts once the list is on screen and the page is idle:
			// it loads Yjs, the rules and every case, none of which the first screen needs.
			setTimeout(() => void this.#prefetch(ids, db), PREFETCH_DELAY_MS);
		} catch {
			// Offline or the relay is down: the local index stays as it is.
		} finally {
			this.refreshing = false;
		}
		if (this.#refreshAgain) {
			this.#refreshAgain = false;
			await this.refresh();
		}
	}

	/**
	 * Issue 11: the relay masked ID numbers (or anonymised a case) in its stored log in place;
	 * a copy from before still holds them. Each is downloaded again and its pending work replayed.
	 */
	async #replaceStale(
		db: AppDb,
		stale: readonly { id: string; rewrites: number }[]
	): Promise<void> {
		for (const { id, rewrites } of stale) {
			if (this.#db !== db) return;
			const s = this.openCase(id);
			try {
				await s.replaceLocalCopy();
				await s.uploaded(5_000);
				await db.cases.update(id, { rewrites });
			} finally {
				this.release(s);
			}
		}
	}

	/** Downloads every case for offline use, a few at a time, showing progress. */
	async #prefetch(ids: string[], db: AppDb): Promise<void> {
		if (this.#prefetching || !this.session.token || this.#db !== db) return;
		this.#prefetching = true;
		this.prefetch = { done: 0, total: ids.length };
		const queue = [...ids];
		const worker = async () => {
			// Stops when the user logs out or another logs in: their cases are not this user's.
			const mine = () => this.#db === db && this.session.user?.id === db.userId;
			for (let id = queue.shift(); id && mine(); id = queue.shift()) {
				const s = this.openCase(id);
				await Promise.race([s.synced(), new Promise((r) => setTimeout(r, 15_000))]);
				await s.uploaded(5_000);
				this.release(s);
				this.prefetch = { done: this.prefetch.done + 1, total: ids.length };
			}
		};
		await Promise.all([worker(), worker(), worker()]).finally(() => (this.#prefetching = false));
	}

	async createCase(
		input: Parameters<WorkspaceApi['createCase']>[0]
	): ReturnType<WorkspaceApi['createCase']> {
		const token = this.session.token;
		const offline = { zh: '新建案件需要联网', en: 'creating a case needs a connection' };
		if (!token || !this.online) return { ok: false, errors: [], message: offline };
		const r = await this.#relay.post('/api/cases', input, createdCase);
		if (r.ok) {
			void this.refresh();
			return { ok: true, id: r.value.id };
		}
		if (r.status === 'offline') return { ok: false, errors: [], message: offline };
		const body = r.body as { errors?: unknown; message?: unknown } | null;
		return {
			ok: false,
			errors: Array.isArray(body?.errors)
				? (body.errors as { path: string; message: string }[])
				: [],
			...(body?.message ? { message: r.message } : {})
		};
	}

	openCase(id: string): CaseSessionImpl {
		const db = this.#current();
		// Pages that open cases are shown to a logged-in user only (the root layout).
		if (!db) throw new Error('openCase: nobody is logged in');
		const hit = this.#open.get(id);
		if (hit) {
			hit.refs++;
			return hit.s;
		}
		this.#gone.delete(id); // opened again: the relay decides again
		const s = new CaseSessionImpl(id, {
			db,
			ready: this.ready,
			wsBase: this.bases.ws,
			apiBase: this.bases.api,
			user: () => this.session.user,
			token: () => this.session.token,
			today: () => this.today(),
			calendar: this.calendar,
			onUnauthorized: () => this.session.markExpired(),
			onChange: (c) => void this.#index(c, db).catch(() => undefined),
			// Issue 11: out of the socket's close handler first, then the copy goes.
			onDenied: (c) => queueMicrotask(() => void this.#forget(db, [c.id]))
		});
		const close = s.close.bind(s);
		s.close = () => this.release(s);
		this.#open.set(id, { s, refs: 1, close });
		return s;
	}

	/**
	 * B-5: opens a family document of the logged-in user (the caller closes it). Loaded on demand:
	 * only the case page's family panel needs it, never the first screen.
	 */
	async openFamily(id: string): Promise<FamilySession> {
		const { FamilySession } = await import('./family-session.svelte');
		const db = this.#current();
		if (!db) throw new Error('openFamily: nobody is logged in');
		return new FamilySession(id, {
			userId: db.userId,
			wsBase: this.bases.ws,
			user: () => this.session.user,
			token: () => this.session.token
		});
	}

	/** Drops one user of an open case; the last one closes it. */
	release(s: CaseSessionImpl): void {
		const hit = this.#open.get(s.id);
		if (!hit || hit.s !== s) return;
		if (--hit.refs > 0) return;
		this.#open.delete(s.id);
		hit.close();
	}

	/**
	 * Removes cases that are no longer the user's from their device: index rows, outbox,
	 * refusals and the case database. A page still showing one shows the denial instead.
	 */
	async #forget(db: AppDb, ids: readonly string[]): Promise<void> {
		if (!ids.length) return;
		// The open cases are all of `#db` (a new user closes them); another db has none open.
		for (const id of this.#db === db ? ids : []) {
			this.#gone.add(id);
			const hit = this.#open.get(id);
			if (!hit) continue;
			this.#open.delete(id);
			hit.s.denied ??= 'forbidden';
			hit.close();
		}
		await forgetCases(db, ids).catch(() => undefined);
	}

	/** Refreshes a case's index row from its snapshot: lists never open documents. */
	async #index(c: CaseSessionImpl, db: AppDb): Promise<void> {
		const snap: CaseSnapshot | null = c.snapshot;
		if (!snap || c.denied === 'forbidden' || c.denied === 'not-found') return;
		if (this.#db === db && this.#gone.has(c.id)) return;
		const today = this.today();
		const engine = await import('./engine');
		// The dashboard's summary of the case is the dashboard's (issue 13); with the engine.
		const { caseIndexRow } = await import('../dashboard/case-row');
		const row = caseIndexRow({
			id: c.id,
			snapshot: snap,
			evaluation: c.evaluation,
			calendar: this.calendar.current(engine),
			today,
			unsynced: c.pending,
			refused: c.refusals.length,
			now: new Date()
		});
		// One transaction: the list refresh may be writing this row's names right now.
		await db.transaction('rw', db.cases, async () => {
			await db.cases.put(row(await db.cases.get(c.id)));
		});
	}

	async requestPersistence(): Promise<void> {
		if (typeof navigator === 'undefined' || !navigator.storage) return;
		try {
			const persisted =
				(await navigator.storage.persisted()) || (await navigator.storage.persist());
			const est = await navigator.storage.estimate();
			this.storage = { persisted, usage: est.usage ?? null, quota: est.quota ?? null };
		} catch {
			this.storage = { persisted: false, usage: null, quota: null };
		}
	}

	/** The logged-in user's database, opened when the user changed. */
	#current(): AppDb | null {
		const user = this.session.user?.id ?? null;
		if ((this.#db?.userId ?? null) === user) return this.#db;
		this.#detach()?.close({ disableAutoOpen: false });
		if (user === null) return null;
		const db = new AppDb(user);
		this.#db = db;
		this.#subscription = liveQuery(() => db.cases.toArray()).subscribe({
			next: (rows) => {
				if (this.#db !== db) return;
				this.#rows = rows.sort(byNextDue);
				this.#rowsOf = user;
			},
			error: () => undefined
		});
		return db;
	}

	/** Closes every open case and leaves the user's database; returns it, still open. */
	#detach(): AppDb | null {
		for (const { close } of this.#open.values()) close();
		this.#open.clear();
		this.#subscription?.unsubscribe();
		this.#subscription = null;
		this.#gone.clear();
		this.#rows = [];
		this.#rowsOf = null;
		const db = this.#db;
		this.#db = null;
		return db;
	}

	/**
	 * A user logged in (SessionManager): their own databases from now on, their login entered in
	 * the registry with the bureau's days from the login answer, and expired users wiped.
	 */
	async loggedIn(userId: string, wipeDays: number | null): Promise<void> {
		const before = this.#db?.userId;
		this.#current();
		// One user after another without a logout: the first one's data stays theirs.
		if (before !== undefined && before !== userId) this.device.noteLogin(before);
		this.device.noteLogin(userId, wipeDays);
		await this.ready;
		await this.device.wipeExpired(() => this.session.user?.id ?? null).catch(() => undefined);
	}

	/**
	 * The user logged out: with `wipe` everything of theirs on this device is deleted; without,
	 * it stays for them alone, until their next login or the registry's wipe.
	 */
	async loggedOut(userId: string, wipe: boolean): Promise<void> {
		await this.ready;
		const db = this.#db?.userId === userId ? this.#detach() : null;
		if (!wipe) {
			db?.close({ disableAutoOpen: false });
			this.device.noteLogin(userId); // the last moment they were logged in here
			return;
		}
		await this.device.wipe(userId, db ?? undefined);
	}

	dispose(): void {
		this.#detach()?.close();
	}
}

function byNextDue(a: CaseIndexRow, b: CaseIndexRow): number {
	const ka = `${a.next?.state === 'overdue' ? 0 : 1}${a.next?.due ?? '9999'}`;
	const kb = `${b.next?.state === 'overdue' ? 0 : 1}${b.next?.due ?? '9999'}`;
	return ka.localeCompare(kb);
}
