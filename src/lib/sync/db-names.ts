/**
 * The names of this device's databases and localStorage keys (issue 11), without Dexie: the app
 * shell and the login page list and sort them before any local database is opened (issue 16).
 * `db.ts` re-exports them beside the Dexie store.
 */

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
