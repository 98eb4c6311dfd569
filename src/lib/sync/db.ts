import Dexie, { type EntityTable } from 'dexie';
import type { CaseEvent } from '../domain';
import { maskRegistryNo } from '../domain/student';
import type { CaseIndexRow } from './contract';

/** A Yjs clock range a local change occupies: `[from, to)` of `client`. */
export interface ClockRange {
	client: number;
	from: number;
	to: number;
}

/**
 * One user action kept until the relay accepts it (DESIGN.md "When the relay refuses an
 * update"): an event, or the latest plan text of a case. Replayed on top of the relay's state
 * after a refusal, so nothing the user did disappears without a trace.
 */
export interface Intent {
	id: string;
	caseId: string;
	kind: 'event' | 'plan';
	event?: CaseEvent;
	plan?: string;
	createdAt: string;
	ranges: ClockRange[];
}

/** A refused action, shown on its case until dismissed. */
export interface RefusalRow {
	id: string;
	caseId: string;
	what: string;
	rule: string;
	reason: { zh: string; en: string };
	at: string;
	/**
	 * The refused event as the user recorded it, kept on this device (the relay keeps its copy
	 * in quarantine) so the form can be opened again with these values, corrected and sent as a
	 * new event. Untrusted when read back: see `refusalView` (quarantine-drafts.ts).
	 */
	draft?: CaseEvent;
}

/** This device's local store (besides y-indexeddb's one database per case document). */
export class AppDb extends Dexie {
	cases!: EntityTable<CaseIndexRow, 'id'>;
	outbox!: EntityTable<Intent, 'id'>;
	refusals!: EntityTable<RefusalRow, 'id'>;

	constructor(name = 'yishengyian') {
		super(name);
		const stores = {
			cases: 'id, stage, *waitingOn, unsynced',
			outbox: 'id, caseId, createdAt',
			refusals: 'id, caseId'
		};
		this.version(1).stores(stores);
		// Issue 11: index rows stored before it may hold a whole G+身份证号 学籍号.
		this.version(2)
			.stores(stores)
			.upgrade((tx) =>
				tx
					.table<CaseIndexRow>('cases')
					.toCollection()
					.modify((row) => {
						row.registryNo = maskRegistryNo(row.registryNo);
					})
			);
	}
}

/** Prefix of the y-indexeddb database holding one case document. */
export const CASE_DB_PREFIX = 'yishengyian-case-';
