import Dexie, { type EntityTable } from 'dexie';
import type { CaseEvent } from '../domain';
import { maskRegistryNo } from '../domain/id-mask';
import type { CaseIndexRow } from './contract';
import { userDbName } from './db-names';

// The names are in a module without Dexie: the app shell and the login page use them (issue 16).
export {
	LEGACY_APP_DB,
	LEGACY_CASE_DB_PREFIX,
	caseDbName,
	caseDbPrefix,
	dbOwner,
	userDbName,
	userKey,
	userKeyPrefix
} from './db-names';

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

const STORES = {
	cases: 'id, stage, *waitingOn, unsynced',
	outbox: 'id, caseId, createdAt',
	refusals: 'id, caseId'
};

/** One user's local store on this device (besides y-indexeddb's one database per case). */
export class AppDb extends Dexie {
	cases!: EntityTable<CaseIndexRow, 'id'>;
	outbox!: EntityTable<Intent, 'id'>;
	refusals!: EntityTable<RefusalRow, 'id'>;

	/** `name` is for the migration, which reads the database of before issue 11 once. */
	constructor(
		readonly userId: string,
		name = userDbName(userId)
	) {
		super(name);
		this.version(1).stores(STORES);
		// Issue 11: index rows stored before it may hold a whole G+身份证号 学籍号 (also those of
		// the database of before the partition, which the migration reads through this class).
		this.version(2)
			.stores(STORES)
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
