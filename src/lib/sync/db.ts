import Dexie, { type EntityTable } from 'dexie';
import type { CaseEvent } from '../domain';
import { maskRegistryNo } from '../domain/id-mask';
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

/*
 * Issue 11: every database of this device belongs to one user, named after the user's id, so
 * that a shared phone keeps users apart: `yishengyian-u-<user>` (the Dexie index, outbox and
 * refusals) and `yishengyian-u-<user>-case-<case>` (y-indexeddb, one per case document).
 * localStorage data of a user is keyed `yishengyian.u.<user>.<name>`. `<user>` is the id
 * percent-encoded with '-' and '.' encoded too, so a name splits at its separators exactly: one
 * user's prefix never matches another user's names.
 */
const STEM = 'yishengyian';
const USER_DB = `${STEM}-u-`;
const CASE_PART = '-case-';

/** Before issue 11: the one Dexie database every user of the device shared. */
export const LEGACY_APP_DB = STEM;
/** Before issue 11: the prefix of the case databases every user of the device shared. */
export const LEGACY_CASE_DB_PREFIX = `${STEM}-case-`;

function userPart(userId: string): string {
	return encodeURIComponent(userId).replace(/[-.]/g, (c) => (c === '-' ? '%2D' : '%2E'));
}

/** Name of the user's Dexie database (case index, outbox, refusals). */
export function userDbName(userId: string): string {
	return USER_DB + userPart(userId);
}

/** Prefix of every case database of the user. */
export function caseDbPrefix(userId: string): string {
	return userDbName(userId) + CASE_PART;
}

/** Name of the y-indexeddb database holding the user's copy of one case document. */
export function caseDbName(userId: string, caseId: string): string {
	return caseDbPrefix(userId) + caseId;
}

/** The user a database of ours belongs to (the Dexie one or a case one); null for other names. */
export function dbOwner(name: string): string | null {
	if (!name.startsWith(USER_DB)) return null;
	const rest = name.slice(USER_DB.length);
	const end = rest.indexOf('-');
	const part = end < 0 ? rest : rest.slice(0, end);
	if (!part || (end >= 0 && !rest.startsWith(CASE_PART, end))) return null;
	try {
		return decodeURIComponent(part);
	} catch {
		return null;
	}
}

/** Prefix of every localStorage key holding data of the user. */
export function userKeyPrefix(userId: string): string {
	return `${STEM}.u.${userPart(userId)}.`;
}

/** localStorage key of one item of the user's data (e.g. cached roster counts). */
export function userKey(userId: string, name: string): string {
	return userKeyPrefix(userId) + name;
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
