import type { CaseSnapshot } from '../domain';
import type { Calendar, CheckResult, Evaluation } from '../rules';
import type { CaseSync, CaseSyncDeps, CaseView } from './case/case-sync';
import type { CaseSessionApi, ConnectionState, EventDraft, Peer, RefusalView } from './contract';
import type { Intent } from './db';

export interface CaseSessionDeps extends Omit<CaseSyncDeps, 'onChange' | 'onDenied'> {
	/** The case changed: refresh its row in the local index. */
	onChange: (s: CaseSessionImpl) => void;
	/** The relay says this user may not see the case, or it does not exist (4403, 4404). */
	onDenied?: (s: CaseSessionImpl) => void;
}

const NOT_LOADED: CheckResult = {
	ok: false,
	rule: 'schema',
	reason: { zh: '案件尚未加载', en: 'the case is not loaded yet' }
};

/**
 * One open case as the UI sees it: rune state over `CaseSync` (case/case-sync.ts), which holds
 * the document, the connection and presence (case/connection.ts), the outbox with accepted and
 * refused updates (case/outbox.ts) and rebuild and replay (case/replay.ts).
 */
export class CaseSessionImpl implements CaseSessionApi, CaseView {
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

	/** Loaded with the engine (Yjs, the rules), not with the first screen. */
	#sync: CaseSync | null = null;
	#closed = false;
	#planListeners = new Set<(text: string, remote: boolean) => void>();
	/** Resolves once the local copy is loaded, or the relay's state arrived. */
	readonly ready: Promise<void>;

	constructor(
		readonly id: string,
		deps: CaseSessionDeps
	) {
		this.ready = (async () => {
			const { CaseSync } = await import('./case/case-sync');
			if (this.#closed) return;
			const sync = new CaseSync(id, this, {
				...deps,
				onChange: () => deps.onChange(this),
				onDenied: () => deps.onDenied?.(this)
			});
			sync.onPlanChange((text, remote) => {
				for (const cb of this.#planListeners) cb(text, remote);
			});
			this.#sync = sync;
			await sync.ready;
		})();
	}

	/** Evaluates the case again (G-T3: the calendar changed); nothing is written. */
	reevaluate(): void {
		this.#sync?.reevaluate();
	}

	record(draft: EventDraft): CheckResult {
		return this.#sync?.record(draft) ?? NOT_LOADED;
	}

	setPlan(text: string): void {
		this.#sync?.setPlan(text);
	}

	/**
	 * Issue 11: the relay rewrote this case's stored log in place (ID numbers masked, retention):
	 * replace the local copy from the relay's state and replay every pending intent.
	 */
	async replaceLocalCopy(): Promise<void> {
		await this.ready;
		await this.#sync?.replaceLocalCopy();
	}

	/** Resolves once the relay's state has arrived (first sync), or right away when not live. */
	async synced(): Promise<void> {
		await this.ready;
		await this.#sync?.whenSynced();
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
		return this.#sync?.planCursor() ?? { save: () => null, restore: () => 0 };
	}

	onPlanChange(cb: (text: string, remote: boolean) => void): () => void {
		this.#planListeners.add(cb);
		return () => this.#planListeners.delete(cb);
	}

	async dismissRefusal(id: string): Promise<void> {
		await this.ready;
		await this.#sync?.dismissRefusal(id);
	}

	resubmit(refusalId: string, draft: EventDraft): CheckResult {
		const r = this.record(draft);
		if (r.ok) void this.dismissRefusal(refusalId);
		return r;
	}

	async revealIdNumber(): Promise<string | null> {
		await this.ready;
		return (await this.#sync?.revealIdNumber()) ?? null;
	}

	async correctIdNumber(idNumber: string, guardianId?: string): Promise<CheckResult> {
		await this.ready;
		return (await this.#sync?.correctIdNumber(idNumber, guardianId)) ?? NOT_LOADED;
	}

	/** Pending intents (for the index row and tests). */
	get intents(): readonly Intent[] {
		return this.#sync?.outbox?.intents ?? [];
	}

	close(): void {
		this.#closed = true;
		this.#sync?.close();
	}
}
