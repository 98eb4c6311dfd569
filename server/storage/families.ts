import type Database from 'better-sqlite3';
import type { FamilyStore, StoredFamilyUpdate } from './types';

type Db = Database.Database;

/**
 * B-5 (一家一案): the families' tables. A family document has its own update log (the case log's
 * rows reference `cases`); `members_json` is the member case ids as of the last accepted update,
 * which decides who may open the family (anyone who sees one of its cases).
 */
export function migrateFamilies(db: Db): void {
	db.exec(`
		CREATE TABLE families (
			id TEXT PRIMARY KEY,
			members_json TEXT NOT NULL,
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL
		) WITHOUT ROWID;
		CREATE TABLE family_updates (
			seq INTEGER PRIMARY KEY AUTOINCREMENT,
			family_id TEXT NOT NULL REFERENCES families(id),
			data BLOB NOT NULL,
			user_id TEXT NOT NULL,
			received_at TEXT NOT NULL
		);
		CREATE INDEX family_updates_family ON family_updates(family_id, seq);
	`);
}

/** The families' storage methods on one SQLite connection (synchronous work, see `settle`). */
export function familyMethods(db: Db, settle: <T>(work: () => T) => Promise<T>): FamilyStore {
	const upsert = db.prepare<[string, string, string, string]>(
		`INSERT INTO families (id, members_json, created_at, updated_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT(id) DO UPDATE SET members_json = excluded.members_json, updated_at = excluded.updated_at`
	);
	const insert = db.prepare<[string, Buffer, string, string]>(
		'INSERT INTO family_updates (family_id, data, user_id, received_at) VALUES (?, ?, ?, ?)'
	);
	const load = db.prepare<
		[string],
		{ seq: number; data: Buffer; userId: string; receivedAt: string }
	>(
		`SELECT seq, data, user_id AS userId, received_at AS receivedAt
		 FROM family_updates WHERE family_id = ? ORDER BY seq`
	);
	const members = db.prepare<[string], { members: string }>(
		'SELECT members_json AS members FROM families WHERE id = ?'
	);
	const all = db.prepare<[], { id: string; members: string }>(
		'SELECT id, members_json AS members FROM families ORDER BY created_at, id'
	);
	const append = db.transaction(
		(familyId: string, update: Uint8Array, userId: string, at: string, ids: readonly string[]) => {
			// The row first (the log references it), its members as of this update in the same commit.
			upsert.run(familyId, JSON.stringify(ids), at, at);
			return Number(
				insert.run(
					familyId,
					Buffer.from(update.buffer, update.byteOffset, update.byteLength),
					userId,
					at
				).lastInsertRowid
			);
		}
	);
	const parseIds = (json: string): string[] => {
		const v: unknown = JSON.parse(json);
		return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
	};
	return {
		appendFamilyUpdate: (familyId, update, userId, receivedAt, memberIds) =>
			settle(() => append.immediate(familyId, update, userId, receivedAt, memberIds)),
		loadFamilyUpdates: (familyId) =>
			settle(() =>
				load.all(familyId).map((r): StoredFamilyUpdate => ({
					seq: r.seq,
					familyId,
					update: new Uint8Array(r.data),
					userId: r.userId,
					receivedAt: r.receivedAt
				}))
			),
		getFamilyMembers: (familyId) =>
			settle(() => {
				const r = members.get(familyId);
				return r ? parseIds(r.members) : null;
			}),
		listFamilies: () =>
			settle(() => all.all().map((r) => ({ id: r.id, members: parseIds(r.members) })))
	};
}
