/**
 * Issue 11: this device's databases listed and deleted, and a user's localStorage keys removed,
 * with the browser's own IndexedDB API: the app shell does this at start, before anyone logs
 * in, without loading Dexie (issue 16). `device-data.ts` re-exports these beside what needs Dexie.
 */
import { dbOwner } from './db-names';

/** The part of `Storage` used (tests pass a plain object; storage may be missing). */
export type KeyStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/** localStorage prefix of the roster counts every user shared before issue 11. */
export const LEGACY_ROSTER_PREFIX = 'yishengyian.dashboard.roster.';

/** Names of this origin's IndexedDB databases; null where the browser cannot list them. */
export async function databaseNames(): Promise<string[] | null> {
	try {
		if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return null;
		return (await indexedDB.databases()).flatMap((d) => (d.name ? [d.name] : []));
	} catch {
		return null;
	}
}

/** The users that have a database of ours among `names`. */
export function usersWithData(names: readonly string[]): Set<string> {
	const out = new Set<string>();
	for (const n of names) {
		const u = dbOwner(n);
		if (u !== null) out.add(u);
	}
	return out;
}

/**
 * Deletes one database. Resolves also when the browser reports it blocked (it is then deleted
 * as soon as its last connection closes: y-indexeddb and Dexie close theirs when asked) or
 * when deleting fails, so a logout never hangs on it.
 */
export function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve) => {
		try {
			const req = indexedDB.deleteDatabase(name);
			req.onsuccess = req.onerror = req.onblocked = () => resolve();
		} catch {
			resolve();
		}
	});
}

/** Removes every localStorage key starting with `prefix`. */
export function removeKeys(store: KeyStore | null, prefix: string): void {
	if (!store) return;
	try {
		const keys: string[] = [];
		for (let i = 0; i < store.length; i++) {
			const k = store.key(i);
			if (k?.startsWith(prefix)) keys.push(k);
		}
		for (const k of keys) store.removeItem(k);
	} catch {
		// Storage went away: nothing of ours is left readable in it either.
	}
}
