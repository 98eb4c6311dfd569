import type { AppDb, ClockRange, Intent, RefusalRow } from '../db';
import type { Refused } from '../../protocol/ws';

/** Whether the relay's state vector `sv` holds the whole clock range `r`. */
const covers = (sv: Map<number, number>, r: ClockRange) => (sv.get(r.client) ?? 0) >= r.to;
const overlaps = (a: ClockRange, b: { client: number; from: number; to: number }) =>
	a.client === b.client && a.from < b.to && a.to > b.from;

/**
 * The outbox of one case (DESIGN.md "When the relay refuses an update"): every user action kept
 * as an intent, in memory and in Dexie, until the relay's `accepted` state vector covers its
 * clock ranges; a refused one leaves it as a refusal row (with the event as entered, for
 * 修改后重新提交). Plain TypeScript: the rune state the UI reads is the session's.
 */
export class Outbox {
	#intents: Intent[] = [];

	constructor(
		private readonly db: AppDb,
		private readonly caseId: string,
		/** Called after every change of the pending count (the session mirrors it). */
		private readonly changed: (pending: number) => void,
		private readonly now: () => Date = () => new Date()
	) {}

	/** Pending intents, oldest first. */
	get intents(): readonly Intent[] {
		return this.#intents;
	}

	get pending(): number {
		return this.#intents.length;
	}

	/** Reads back what an earlier session left pending (validated by the engine's schema). */
	load(intents: Intent[]): void {
		this.#intents = intents;
		this.changed(this.pending);
	}

	/** The plan's one intent per case, if pending: the latest text is what the user meant. */
	planIntent(): Intent | undefined {
		return this.#intents.find((i) => i.kind === 'plan');
	}

	/** Keeps (or replaces, by id) one intent until the relay accepts it. */
	async keep(intent: Intent): Promise<void> {
		this.#intents = [...this.#intents.filter((i) => i.id !== intent.id), intent];
		this.changed(this.pending);
		await this.db.outbox.put(intent);
	}

	/** The relay stored everything up to `sv` of our client ids: those intents are done. */
	async accepted(sv: Map<number, number>): Promise<void> {
		const done = this.#intents.filter((i) => i.ranges.every((r) => covers(sv, r)));
		if (!done.length) return;
		this.#intents = this.#intents.filter((i) => !done.includes(i));
		this.changed(this.pending);
		await this.db.outbox.bulkDelete(done.map((i) => i.id));
	}

	/**
	 * The intents a refusal names (by the event the rules refused, else every intent whose ranges
	 * the refused update overlaps) leave the outbox; returns the refusal rows to show, one per
	 * intent, or one for the update when it names none of ours.
	 */
	async refused(r: Refused): Promise<RefusalRow[]> {
		const hit = this.#intents.filter((i) =>
			i.ranges.some((a) => r.ranges.some((b) => overlaps(a, b)))
		);
		const blamed = r.eventId ? hit.filter((i) => i.event?.id === r.eventId) : hit;
		const at = this.now().toISOString();
		const rows: RefusalRow[] = (blamed.length ? blamed : [null]).map((i) => ({
			id: `refused-${r.id}-${i?.id ?? 'update'}`,
			caseId: this.caseId,
			what: i?.kind === 'plan' ? 'plan' : (i?.event?.type ?? 'update'),
			rule: r.rule,
			reason: r.reason,
			at,
			...(i?.event ? { draft: i.event } : {})
		}));
		await this.db.refusals.bulkPut(rows);
		this.#intents = this.#intents.filter((i) => !blamed.includes(i));
		await this.db.outbox.bulkDelete(blamed.map((i) => i.id));
		this.changed(this.pending);
		return rows;
	}

	/** Empties the in-memory list for a replay; the Dexie rows stay until settled. */
	takeForReplay(): Intent[] {
		const all = this.#intents;
		this.#intents = [];
		return all;
	}

	/**
	 * After a replay: an intent that was not kept again (a plan the relay already has, an event
	 * already on the relay) is settled; its old row would otherwise wait forever for clock
	 * ranges that will never be accepted.
	 */
	async settle(replayed: readonly Intent[]): Promise<void> {
		const settled = replayed.filter((i) => !this.#intents.some((j) => j.id === i.id));
		if (settled.length) await this.db.outbox.bulkDelete(settled.map((i) => i.id));
		this.changed(this.pending);
	}
}
