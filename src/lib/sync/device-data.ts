/**
 * Issue 11: deleting and migrating the local data of one user of this device (IndexedDB and
 * localStorage). The decisions — whose data goes, and when — are `device-users.ts`'s; the
 * workspace calls these at start, login and logout, and when a case is no longer the user's.
 */
import Dexie from 'dexie';
import {
	AppDb,
	LEGACY_APP_DB,
	LEGACY_CASE_DB_PREFIX,
	caseDbName,
	caseDbPrefix,
	userKeyPrefix,
	type Intent,
	type RefusalRow
} from './db';
import type { CaseIndexRow } from './contract';
import {
	LEGACY_ROSTER_PREFIX,
	databaseNames,
	deleteDatabase,
	removeKeys,
	type KeyStore
} from './device-dbs';

// Listing and deleting databases needs no Dexie: the app shell does it before login (issue 16).
export { databaseNames, deleteDatabase, usersWithData, type KeyStore } from './device-dbs';

/** Case ids a Dexie database knows of: its index rows, outbox and refusals. */
async function caseIdsOf(db: AppDb): Promise<Set<string>> {
	const ids = new Set<string>();
	try {
		for (const id of await db.cases.toCollection().primaryKeys()) ids.add(id);
		for (const r of await db.outbox.toArray()) ids.add(r.caseId);
		for (const r of await db.refusals.toArray()) ids.add(r.caseId);
	} catch {
		// An unreadable database: the names the browser lists still find the case databases.
	}
	return ids;
}

/**
 * Deletes everything of one user on this device: the Dexie database (index, outbox,
 * refusals), every case database — those the index names and those the browser lists under
 * the user's prefix (`indexedDB.databases()` is missing in some browsers) — and the user's
 * localStorage keys. `db` is the workspace's open handle on the user's database, if any.
 */
export async function wipeUserData(
	userId: string,
	store: KeyStore | null,
	db?: AppDb
): Promise<void> {
	const own = db ?? new AppDb(userId);
	const ids = await caseIdsOf(own);
	await own.delete().catch(() => undefined);
	const names = new Set([...ids].map((id) => caseDbName(userId, id)));
	const prefix = caseDbPrefix(userId);
	for (const n of (await databaseNames()) ?? []) if (n.startsWith(prefix)) names.add(n);
	await Promise.all([...names].map(deleteDatabase));
	removeKeys(store, userKeyPrefix(userId));
}

/** Deletes the local data of cases of a user: their rows in the user's database, and their copies. */
export async function forgetCases(db: AppDb, ids: readonly string[]): Promise<void> {
	if (!ids.length) return;
	await db.transaction('rw', [db.cases, db.outbox, db.refusals], async () => {
		await db.cases.bulkDelete([...ids]);
		await db.outbox
			.where('caseId')
			.anyOf([...ids])
			.delete();
		await db.refusals
			.where('caseId')
			.anyOf([...ids])
			.delete();
	});
	await Promise.all(ids.map((id) => deleteDatabase(caseDbName(db.userId, id))));
}

/** The author's user id an event names, if it is one. */
function authorOf(event: unknown): string | null {
	const author = (event as { author?: { userId?: unknown } } | null | undefined)?.author;
	return typeof author?.userId === 'string' && author.userId ? author.userId : null;
}

/** Copies a case document from one y-indexeddb database to another, structs and clocks as they are. */
async function copyCaseDoc(from: string, to: string): Promise<void> {
	const { Y, IndexeddbPersistence, isEmptyCaseDoc } = await import('./engine');
	const doc = new Y.Doc();
	const src = new IndexeddbPersistence(from, doc);
	await src.whenSynced;
	if (!isEmptyCaseDoc(doc)) {
		// A persistence opened on a loaded document stores its whole state first (y-indexeddb).
		const dst = new IndexeddbPersistence(to, doc);
		await dst.whenSynced;
		await dst.destroy();
	}
	await src.destroy();
	doc.destroy();
}

interface Share {
	outbox: Intent[];
	refusals: RefusalRow[];
	cases: Set<string>;
}

/**
 * Issue 11, devices of before the partition: one Dexie database ('yishengyian') and one case
 * database per case ('yishengyian-case-<id>') served every user, and 「保留本机数据」 kept them
 * from one user to the next, so what they hold cannot be given to one user wholesale. Once, at
 * the first start of this build (the old databases are gone afterwards, so it never repeats):
 * - pending work goes to the user it names: an outbox event or a refused draft to its author;
 *   what names nobody (a plan edit, a refusal without a draft) to the user of the stored
 *   session, else nowhere. Each user who receives an intent also receives that case's index
 *   row and its document, copied with its client ids and clocks unchanged: the intents' clock
 *   ranges still name the pending updates, which the next sync uploads (a fresh copy would not
 *   do: the outbox is replayed only by a rebuild, after a refusal or `replaceLocalCopy`, in
 *   case-session.svelte.ts). Index rows were masked by the AppDb upgrade on the way. The
 *   relay checks the user may write the case, and a refused socket (4403) removes the copy;
 * - everything else is deleted: index rows and documents of other cases (the relay lists the
 *   user's cases again at the next refresh and they are downloaded anew), the old roster counts.
 * Returns the users who received data, for the device registry.
 */
export async function migrateLegacy(
	current: string | null,
	store: KeyStore | null
): Promise<string[]> {
	removeKeys(store, LEGACY_ROSTER_PREFIX);
	const names = await databaseNames();
	const oldCases = new Set(names?.filter((n) => n.startsWith(LEGACY_CASE_DB_PREFIX)) ?? []);
	const hasApp = names ? names.includes(LEGACY_APP_DB) : await Dexie.exists(LEGACY_APP_DB);
	if (!hasApp && !oldCases.size) return [];
	const shares = new Map<string, Share>();
	if (hasApp) {
		const old = new AppDb('(before issue 11)', LEGACY_APP_DB);
		const read = async <T>(rows: () => Promise<T[]>) => rows().catch(() => [] as T[]);
		const [outbox, refusals, index] = await Promise.all([
			read(() => old.outbox.toArray()),
			read(() => old.refusals.toArray()),
			read(() => old.cases.toArray())
		]);
		const share = (u: string | null): Share | null => {
			if (!u) return null;
			let s = shares.get(u);
			if (!s) shares.set(u, (s = { outbox: [], refusals: [], cases: new Set() }));
			return s;
		};
		for (const i of outbox) {
			const s = share(i.kind === 'event' ? authorOf(i.event) : current);
			s?.outbox.push(i);
			s?.cases.add(i.caseId);
		}
		for (const r of refusals) share(r.draft ? authorOf(r.draft) : current)?.refusals.push(r);
		for (const id of [...index.map((r) => r.id), ...outbox.map((i) => i.caseId)])
			oldCases.add(LEGACY_CASE_DB_PREFIX + id);
		for (const [u, s] of shares) {
			const rows: CaseIndexRow[] = index.filter((r) => s.cases.has(r.id));
			const db = new AppDb(u);
			await db.transaction('rw', [db.cases, db.outbox, db.refusals], async () => {
				await db.cases.bulkPut(rows);
				await db.outbox.bulkPut(s.outbox);
				await db.refusals.bulkPut(s.refusals);
			});
			db.close();
			for (const id of s.cases) await copyCaseDoc(LEGACY_CASE_DB_PREFIX + id, caseDbName(u, id));
		}
		await old.delete().catch(() => undefined);
	}
	await Promise.all([...oldCases].map(deleteDatabase));
	return [...shares.keys()];
}
