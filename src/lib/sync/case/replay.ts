import type * as Yjs from 'yjs';
import type { Calendar } from '../../rules';
import { PROTOCOL_VERSION } from '../../domain/versions';
import type { Intent } from '../db';
import type { Refused } from '../../protocol/ws';
import type { Outbox } from './outbox';

type Engine = typeof import('../engine');

/** What a replay writes into: the case's fresh document and the session's own paths. */
export interface ReplayTarget {
	readonly e: Engine;
	readonly doc: Yjs.Doc;
	today(): string;
	calendar(): Calendar;
	/** The session's plan path (one plan intent per case). */
	setPlan(text: string): void;
	/** The session's outbox path (kept until the relay accepts it). */
	keep(intent: Intent): Promise<void>;
	/** The session's refusal path, for an intent the rules refuse on the relay's state. */
	refused(r: Refused): Promise<void>;
}

export interface RebuildHost extends ReplayTarget {
	readonly outbox: Outbox;
	/** Drops the live connection, the local copy and the document; opens a fresh one. */
	reopen(): Promise<void>;
	/** Resolves once the fresh document holds the relay's state (at once when not live). */
	whenSynced(): Promise<void>;
	/** The replay is over: the case's index row counts the pending changes again. */
	done(): void;
}

/**
 * Rebuild and replay (DESIGN.md "When the relay refuses an update"). After a refusal the local
 * document holds a change the relay will never take, and every later change builds on it; after
 * a `client-id` refusal (issue 10) or a rewrite of the stored log (issue 11) its copy is stale.
 * Start again from the relay's accepted state and re-apply the intents still pending, in order.
 * One rebuild runs at a time; asking during one joins it.
 */
export class Rebuilder {
	#running: Promise<void> | null = null;
	#replaying = false;

	constructor(private readonly host: RebuildHost) {}

	/** Set while a rebuild re-applies pending intents (a replayed plan counts as remote). */
	get replaying(): boolean {
		return this.#replaying;
	}

	run(): Promise<void> {
		this.#running ??= (async () => {
			const h = this.host;
			await h.reopen();
			await h.whenSynced();
			const replay = h.outbox.takeForReplay();
			this.#replaying = true;
			try {
				replayIntents(h, replay);
			} finally {
				this.#replaying = false;
			}
			await h.outbox.settle(replay);
			// The list's row counts the pending changes too (issue 12: one sync state).
			h.done();
			this.#running = null;
		})();
		return this.#running;
	}
}

/** Re-applies `intents`, in order, on the relay's state in `t.doc`. */
export function replayIntents(t: ReplayTarget, intents: readonly Intent[]): void {
	for (const intent of intents) {
		if (intent.kind === 'plan' && intent.plan !== undefined) t.setPlan(intent.plan);
		else if (intent.event) replayEvent(t, intent);
	}
}

function replayEvent(t: ReplayTarget, intent: Intent): void {
	const ev = intent.event;
	if (!ev) return;
	const { localClock, appendEvent, hasEventId } = t.e;
	// Already on the relay (its acknowledgement was lost, or the copy was replaced): settled.
	if (hasEventId(t.doc, ev.id)) return;
	const before = localClock(t.doc);
	const r = appendEvent(t.doc, ev, t.today(), t.calendar());
	if (!r.ok) {
		void t.refused({
			v: PROTOCOL_VERSION,
			id: 0,
			rule: r.rule,
			reason: r.reason,
			eventId: ev.id,
			ranges: intent.ranges
		});
		return;
	}
	void t.keep({
		...intent,
		ranges: [{ client: before.client, from: before.clock, to: localClock(t.doc).clock }]
	});
}
