import { liveQuery } from 'dexie';
import { chinaDate } from '../domain/china-date';
import { maskRegistryNo } from '../domain/student';
import type { CaseSnapshot } from '../domain';
import type { Obligation } from '../rules';
import { CalendarStore } from './calendar.svelte';
import { CaseSessionImpl } from './case-session.svelte';
import type { CaseIndexRow, StorageStatus, WorkspaceApi } from './contract';
import { AppDb, CASE_DB_PREFIX } from './db';
import type { SessionManager } from './session.svelte';

/** Delay before the background download of every case (see `refresh`). */
const PREFETCH_DELAY_MS = 1500;

interface ServerRow {
	id: string;
	student: string;
	registryNo: string;
	schoolId: string;
	school: string;
	stage: CaseIndexRow['stage'];
	next: Obligation | null;
	/** Working days to the next due date, computed by the relay with the same rules. */
	daysLeft: number | null;
	overdue: number;
	street?: string;
	/** Dashboard facts by the same shared rules; validated where read (`readSummary`). */
	summary?: CaseIndexRow['summary'];
}

function nextOf(o: Obligation | null): CaseIndexRow['next'] {
	if (!o || (o.state !== 'pending' && o.state !== 'overdue')) return null;
	const next = {
		rule: o.rule,
		title: o.title,
		due: o.due,
		state: o.state,
		responsible: o.responsible
	};
	// G-T3: a due date counted through a year without an official schedule is shown as 暂定.
	return o.provisional ? { ...next, provisional: true } : next;
}

/**
 * Everything on this device: the local case index (Dexie), the open cases, online state and
 * the count of changes the relay has not accepted yet.
 */
export class Workspace implements WorkspaceApi {
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	cases = $state<CaseIndexRow[]>([]);
	storage = $state<StorageStatus>({ persisted: null, usage: null, quota: null });
	refreshing = $state(false);
	/** Cases downloaded for offline use during the last refresh. */
	prefetch = $state<{ done: number; total: number }>({ done: 0, total: 0 });
	readonly db: AppDb;
	/** The calendar and terms this device evaluates with (G-T3), cached for offline use. */
	readonly calendar: CalendarStore;
	readonly #open = new Map<string, { s: CaseSessionImpl; refs: number }>();
	readonly #subscription: { unsubscribe(): void };
	#prefetching = false;

	constructor(
		private readonly session: SessionManager,
		private readonly bases: { api: string; ws: string },
		db = new AppDb()
	) {
		this.db = db;
		this.calendar = new CalendarStore(bases.api);
		// G-T3: a new calendar (an official schedule, new terms) re-evaluates every open case.
		this.calendar.onChange(() => {
			for (const { s } of this.#open.values()) s.reevaluate();
		});
		this.#subscription = liveQuery(() => db.cases.toArray()).subscribe({
			next: (rows) => (this.cases = rows.sort(byNextDue)),
			error: () => undefined
		});
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => {
				this.online = true;
				void this.refresh();
			});
			window.addEventListener('offline', () => (this.online = false));
		}
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
		const token = this.session.token;
		if (!token || !this.online || this.refreshing) return;
		this.refreshing = true;
		try {
			const res = await fetch(`${this.bases.api}/api/cases`, {
				headers: { authorization: `Bearer ${token}` }
			});
			if (res.status === 401) return this.session.markExpired();
			if (res.status !== 200) return;
			const body = (await res.json()) as { cases: ServerRow[]; calendarVersion?: unknown };
			// The relay evaluated these rows with its calendar; fetch it when ours differs.
			this.calendar.note(body.calendarVersion, token);
			// Read and write in one transaction: a case session indexing its case at the same
			// moment must not overwrite the names this list brings (or lose its own counts).
			await this.db.transaction('rw', this.db.cases, async () => {
				const known = new Map((await this.db.cases.toArray()).map((r) => [r.id, r]));
				await this.db.cases.bulkPut(
					body.cases.map((c) => {
						const prev = known.get(c.id);
						return {
							id: c.id,
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
							updatedAt: new Date().toISOString(),
							street: c.street ?? prev?.street,
							summary: c.summary ?? prev?.summary
						};
					})
				);
			});
			// The download for offline use starts once the list is on screen and the page is idle:
			// it loads Yjs, the rules and every case, none of which the first screen needs.
			const ids = body.cases.map((c) => c.id);
			setTimeout(() => void this.#prefetch(ids), PREFETCH_DELAY_MS);
		} catch {
			// Offline or the relay is down: the local index stays as it is.
		} finally {
			this.refreshing = false;
		}
	}

	/** Downloads every case for offline use, a few at a time, showing progress. */
	async #prefetch(ids: string[]): Promise<void> {
		if (this.#prefetching || !this.session.token) return;
		this.#prefetching = true;
		this.prefetch = { done: 0, total: ids.length };
		const queue = [...ids];
		const worker = async () => {
			for (let id = queue.shift(); id; id = queue.shift()) {
				const s = this.openCase(id);
				await Promise.race([s.synced(), new Promise((r) => setTimeout(r, 15_000))]);
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
		try {
			const res = await fetch(`${this.bases.api}/api/cases`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
				body: JSON.stringify(input)
			});
			const body = (await res.json()) as {
				id?: string;
				errors?: { path: string; message: string }[];
				message?: { zh: string; en: string };
			};
			if (res.status === 201 && body.id) {
				void this.refresh();
				return { ok: true, id: body.id };
			}
			if (res.status === 401) this.session.markExpired();
			return {
				ok: false,
				errors: body.errors ?? [],
				...(body.message ? { message: body.message } : {})
			};
		} catch {
			return { ok: false, errors: [], message: offline };
		}
	}

	openCase(id: string): CaseSessionImpl {
		const hit = this.#open.get(id);
		if (hit) {
			hit.refs++;
			return hit.s;
		}
		const s = new CaseSessionImpl(id, {
			db: this.db,
			wsBase: this.bases.ws,
			apiBase: this.bases.api,
			user: () => this.session.user,
			token: () => this.session.token,
			today: () => this.today(),
			calendar: this.calendar,
			onUnauthorized: () => this.session.markExpired(),
			onChange: (c) => void this.#index(c)
		});
		const close = s.close.bind(s);
		s.close = () => this.release(s, close);
		this.#open.set(id, { s, refs: 1 });
		return s;
	}

	/** Drops one user of an open case; the last one closes it. */
	release(s: CaseSessionImpl, close = s.close.bind(s)): void {
		const hit = this.#open.get(s.id);
		if (!hit || hit.s !== s) return;
		if (--hit.refs > 0) return;
		this.#open.delete(s.id);
		close();
	}

	/** Refreshes a case's index row from its snapshot: lists never open documents. */
	async #index(c: CaseSessionImpl): Promise<void> {
		const snap: CaseSnapshot | null = c.snapshot;
		if (!snap) return;
		const today = this.today();
		const engine = await import('./engine');
		const { summarizeState } = await import('../dashboard/summary');
		const calendar = this.calendar.current(engine);
		const e = c.evaluation ?? engine.evaluate(snap, today, { actions: false, calendar });
		const waitingOn = [
			...new Set(
				e.obligations
					.filter((o) => o.state === 'pending' || o.state === 'overdue')
					.map((o) => o.responsible)
			)
		];
		const state = engine.caseState(snap, calendar);
		const student = state.student.name; // G-M4: the name as last corrected
		const summary = summarizeState(state, e.obligations, today);
		// One transaction: the list refresh may be writing this row's names right now.
		await this.db.transaction('rw', this.db.cases, async () => {
			const prev = await this.db.cases.get(c.id);
			await this.db.cases.put({
				id: c.id,
				student,
				registryNo: maskRegistryNo(snap.student.registryNo),
				schoolId: snap.orgs.schoolId,
				school: prev?.school ?? snap.orgs.schoolId,
				stage: e.stage,
				next: nextOf(e.next),
				daysLeft: calendar.workingDaysLeft(today, e.next?.due ?? null),
				overdue: e.obligations.filter((o) => o.state === 'overdue').length,
				waitingOn,
				unsynced: c.pending,
				refused: c.refusals.length,
				local: true,
				updatedAt: new Date().toISOString(),
				street: prev?.street,
				summary
			});
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

	/** Deletes this device's case data (logout with wipe). */
	async wipe(): Promise<void> {
		for (const { s } of this.#open.values()) s.close();
		this.#open.clear();
		const ids = (await this.db.cases.toArray()).map((r) => r.id);
		await this.db.delete();
		await this.db.open();
		const names = new Set(ids.map((id) => CASE_DB_PREFIX + id));
		try {
			for (const d of await indexedDB.databases())
				if (d.name?.startsWith(CASE_DB_PREFIX)) names.add(d.name);
		} catch {
			// indexedDB.databases() is missing in some browsers: the index's ids suffice
		}
		await Promise.all(
			[...names].map(
				(n) =>
					new Promise((r) => {
						const req = indexedDB.deleteDatabase(n);
						req.onsuccess = req.onerror = req.onblocked = () => r(undefined);
					})
			)
		);
	}

	dispose(): void {
		this.#subscription.unsubscribe();
	}
}

function byNextDue(a: CaseIndexRow, b: CaseIndexRow): number {
	const ka = `${a.next?.state === 'overdue' ? 0 : 1}${a.next?.due ?? '9999'}`;
	const kb = `${b.next?.state === 'overdue' ? 0 : 1}${b.next?.due ?? '9999'}`;
	return ka.localeCompare(kb);
}
