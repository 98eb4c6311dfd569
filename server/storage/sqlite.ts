import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { orgKind, role, type OrgKind } from '../../src/lib/domain/org';
import type { FocusGroup } from '../../src/lib/domain/student';
import {
	caseNumberPrefix,
	caseNumberSequence,
	districtShortName,
	formatCaseNumber
} from '../../src/lib/domain/case-number';
import { checkOfficialYear, checkTermYear } from '../../src/lib/rules/calendar-data';
import type { OrgWorkRecord } from '../../src/lib/rules/org-obligations';
import {
	calendarLogEntry,
	foldCalendarRows,
	termKey,
	yearKey,
	type CalendarRow
} from './calendar-rows';
import { familyMethods, migrateFamilies } from './families';
import { CASE_NO_TAKEN } from './types';
import type {
	CalendarAuthor,
	AuditRecord,
	CaseLogBytes,
	CaseRewriteExtras,
	PersonIdRecord,
	ClientIdBinding,
	CaseRecord,
	CaseSnapshotState,
	NewCaseRecord,
	NewUpdate,
	OrgRecord,
	QuarantineRecord,
	RosterImportRecord,
	RosterRecord,
	RosterStudent,
	Storage,
	StoredUpdate,
	UserRecord
} from './types';

type Db = Database.Database;

/** Forward migrations; migration `i` takes the schema from version `i` to `i + 1`. */
const MIGRATIONS: readonly ((db: Db) => void)[] = [
	(db) =>
		db.exec(`
			CREATE TABLE orgs (
				id TEXT PRIMARY KEY,
				kind TEXT NOT NULL,
				name TEXT NOT NULL,
				street_id TEXT
			);
			CREATE TABLE users (
				id TEXT PRIMARY KEY,
				username TEXT NOT NULL UNIQUE,
				display_name TEXT NOT NULL,
				org_id TEXT NOT NULL REFERENCES orgs(id),
				role TEXT NOT NULL,
				password_hash TEXT NOT NULL,
				disabled INTEGER NOT NULL DEFAULT 0,
				created_at TEXT NOT NULL
			);
			CREATE TABLE cases (
				id TEXT PRIMARY KEY,
				profile TEXT NOT NULL,
				school_id TEXT NOT NULL,
				street_id TEXT NOT NULL,
				community_id TEXT,
				created_at TEXT NOT NULL,
				created_by TEXT NOT NULL,
				snapshot_json TEXT NOT NULL,
				team_json TEXT NOT NULL DEFAULT '[]'
			);
			CREATE TABLE updates (
				seq INTEGER PRIMARY KEY AUTOINCREMENT,
				case_id TEXT NOT NULL REFERENCES cases(id),
				data BLOB NOT NULL,
				user_id TEXT NOT NULL,
				received_at TEXT NOT NULL
			);
			CREATE INDEX updates_case_seq ON updates(case_id, seq);
			CREATE TABLE snapshots (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				case_id TEXT NOT NULL REFERENCES cases(id),
				upto_seq INTEGER NOT NULL,
				state BLOB NOT NULL,
				created_at TEXT NOT NULL
			);
			CREATE INDEX snapshots_case_upto ON snapshots(case_id, upto_seq);
			-- No foreign key: a refused update for a case that does not exist is still kept.
			CREATE TABLE quarantine (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				case_id TEXT NOT NULL,
				data BLOB NOT NULL,
				user_id TEXT NOT NULL,
				received_at TEXT NOT NULL,
				rule TEXT NOT NULL,
				reason TEXT NOT NULL
			);
			CREATE INDEX quarantine_case ON quarantine(case_id);
			CREATE TABLE audit (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				user_id TEXT NOT NULL,
				case_id TEXT NOT NULL,
				action TEXT NOT NULL,
				at TEXT NOT NULL
			);
			CREATE INDEX audit_case ON audit(case_id);
			CREATE INDEX audit_user ON audit(user_id);
			CREATE TABLE settings (
				key TEXT PRIMARY KEY,
				value TEXT NOT NULL
			);
		`),
	(db) =>
		db.exec(`
			CREATE TABLE roster_imports (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				term TEXT NOT NULL,
				user_id TEXT NOT NULL,
				file_name TEXT NOT NULL,
				rows INTEGER NOT NULL,
				at TEXT NOT NULL
			);
			CREATE TABLE roster (
				term TEXT NOT NULL,
				registry_no TEXT NOT NULL,
				name TEXT NOT NULL,
				gender TEXT NOT NULL,
				birth_date TEXT NOT NULL,
				id_number TEXT,
				school_id TEXT NOT NULL,
				grade INTEGER NOT NULL,
				class_name TEXT NOT NULL,
				hukou_place TEXT NOT NULL,
				residence TEXT NOT NULL,
				guardian_name TEXT NOT NULL,
				guardian_phone TEXT NOT NULL,
				import_id INTEGER NOT NULL REFERENCES roster_imports(id),
				PRIMARY KEY (term, registry_no)
			);
			CREATE INDEX roster_term_school ON roster(term, school_id);
		`),
	// G-T3: the official schedules and school terms the bureau enters. Append-only: the latest
	// entry of a key is in force and every earlier one stays, so no version is ever lost.
	(db) =>
		db.exec(`
			CREATE TABLE calendar_entries (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				kind TEXT NOT NULL CHECK (kind IN ('year', 'terms')),
				key TEXT NOT NULL,
				data TEXT NOT NULL,
				user_id TEXT NOT NULL,
				at TEXT NOT NULL
			);
			CREATE TRIGGER calendar_entries_no_update BEFORE UPDATE ON calendar_entries
			BEGIN SELECT RAISE(ABORT, 'calendar entries are append-only'); END;
			CREATE TRIGGER calendar_entries_no_delete BEFORE DELETE ON calendar_entries
			BEGIN SELECT RAISE(ABORT, 'calendar entries are append-only'); END;
		`),
	// Issue 10: per case, each Yjs client id belongs to the user who first wrote with it, so
	// nobody can write at another user's clock positions. A binding never changes or goes away.
	(db) =>
		db.exec(`
			CREATE TABLE client_ids (
				case_id TEXT NOT NULL REFERENCES cases(id),
				client_id INTEGER NOT NULL,
				user_id TEXT NOT NULL,
				bound_at TEXT NOT NULL,
				PRIMARY KEY (case_id, client_id)
			) WITHOUT ROWID;
			CREATE TRIGGER client_ids_no_update BEFORE UPDATE ON client_ids
			BEGIN SELECT RAISE(ABORT, 'client id bindings never change'); END;
			CREATE TRIGGER client_ids_no_delete BEFORE DELETE ON client_ids
			BEGIN SELECT RAISE(ABORT, 'client id bindings never change'); END;
		`),
	// Issue 11: full ID numbers leave the case documents for this table; `rewrites` counts the
	// in-place rewrites of a case's log, so devices know to replace their copy.
	(db) =>
		db.exec(`
			CREATE TABLE person_ids (
				case_id TEXT NOT NULL REFERENCES cases(id),
				subject TEXT NOT NULL,
				value TEXT NOT NULL,
				hash TEXT NOT NULL,
				updated_at TEXT NOT NULL,
				updated_by TEXT NOT NULL,
				PRIMARY KEY (case_id, subject)
			) WITHOUT ROWID;
			CREATE INDEX person_ids_hash ON person_ids(hash);
			ALTER TABLE cases ADD COLUMN rewrites INTEGER NOT NULL DEFAULT 0;
		`),
	// Issue 12 (B-6 early warning): the focus groups a roster row names (comma-separated ids,
	// '' for none); a full import says so in its record (B-1: it replaces the schools' roster).
	(db) =>
		db.exec(`
			ALTER TABLE roster ADD COLUMN focus_groups TEXT NOT NULL DEFAULT '';
			ALTER TABLE roster_imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'additions';
		`),
	// Issue 12: a school's term checks (B-1, S-2) and the bureau's quarterly round (S-5) are
	// recorded per org, not per case. Append-only: a second record stays, the earliest counts.
	(db) =>
		db.exec(`
			CREATE TABLE org_records (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				org_id TEXT NOT NULL REFERENCES orgs(id),
				kind TEXT NOT NULL,
				period TEXT NOT NULL,
				done_on TEXT NOT NULL,
				count INTEGER,
				note TEXT NOT NULL,
				user_id TEXT NOT NULL,
				at TEXT NOT NULL
			);
			CREATE INDEX org_records_org ON org_records(org_id, kind, period);
			CREATE TRIGGER org_records_no_update BEFORE UPDATE ON org_records
			BEGIN SELECT RAISE(ABORT, 'org records are append-only'); END;
			CREATE TRIGGER org_records_no_delete BEFORE DELETE ON org_records
			BEGIN SELECT RAISE(ABORT, 'org records are append-only'); END;
		`),
	// Issue 12, B-5 (一家一案): family documents and their logs (server/storage/families.ts).
	migrateFamilies,
	// Issue 12: every case gets a human number, `示范区-2026-0001`; the cases stored before
	// are numbered here in the order they were created (per China-time year).
	(db) => {
		db.exec('ALTER TABLE cases ADD COLUMN case_no TEXT');
		const district = districtOf(db);
		const set = db.prepare<[string, string]>('UPDATE cases SET case_no = ? WHERE id = ?');
		const last = new Map<string, number>();
		const rows = db
			.prepare<[], { id: string; createdAt: string }>(
				'SELECT id, created_at AS createdAt FROM cases ORDER BY created_at, rowid'
			)
			.all();
		for (const r of rows) {
			const prefix = caseNumberPrefix(district, r.createdAt);
			const n = (last.get(prefix) ?? 0) + 1;
			last.set(prefix, n);
			set.run(formatCaseNumber(prefix, n), r.id);
		}
		db.exec('CREATE UNIQUE INDEX cases_case_no ON cases(case_no)');
	}
];

/** The district's short name for case numbers, from its org (issue 12). */
function districtOf(db: Db): string {
	const org = db
		.prepare<[], { name: string }>("SELECT name FROM orgs WHERE kind = 'district' ORDER BY id")
		.get();
	return districtShortName(org?.name);
}

/** The schema version this code writes (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Tables every database of ours has; restoreBackup checks them. */
export const SQLITE_TABLES = [
	'orgs',
	'users',
	'cases',
	'updates',
	'snapshots',
	'quarantine',
	'audit',
	'settings',
	'roster_imports',
	'roster',
	'calendar_entries',
	'client_ids',
	'person_ids',
	'org_records',
	'families',
	'family_updates'
] as const;

/** The schema version that added a table (tables not named here are in version 1). */
const ADDED_IN: Partial<Record<(typeof SQLITE_TABLES)[number], number>> = {
	roster_imports: 2,
	roster: 2,
	calendar_entries: 3,
	client_ids: 4,
	person_ids: 5,
	org_records: 7,
	families: 8,
	family_updates: 8
};

/** The tables a database at schema `version` has: a backup from before an upgrade lacks later ones. */
export function sqliteTablesAt(version: number): string[] {
	return SQLITE_TABLES.filter((t) => (ADDED_IN[t] ?? 1) <= version);
}

/** Brings a database up to SCHEMA_VERSION; refuses one written by a newer version. */
function migrate(db: Db): void {
	const current = Number(db.pragma('user_version', { simple: true }));
	if (current > SCHEMA_VERSION) {
		throw new Error(
			`数据库版本 ${current} 比本程序 (${SCHEMA_VERSION}) 新，请升级程序 / database schema ${current} is newer than this build (${SCHEMA_VERSION}); upgrade the relay`
		);
	}
	for (let version = current; version < SCHEMA_VERSION; version++) {
		const step = MIGRATIONS[version];
		if (!step) break;
		// user_version is written inside the same transaction, so a crash mid-migration
		// leaves the old version and the old schema, never a half-applied mix.
		db.transaction(() => {
			step(db);
			db.pragma(`user_version = ${version + 1}`);
		}).immediate();
	}
}

// Rows come back under the record's own field names (SQL aliases below); only the columns
// whose type differs on disk are converted, and enums read from disk pass through zod.
type OrgRow = Omit<OrgRecord, 'kind'> & { kind: string };
type UserRow = Omit<UserRecord, 'role' | 'disabled'> & { role: string; disabled: number };
type CaseRow = Omit<CaseRecord, 'team' | 'snapshotJson'> & {
	team: string;
	snapshotJson: string | Buffer;
};

/**
 * The case-list cache (`cases.snapshot_json`) is stored deflated (issue 14: it was 3.4 of the
 * 9 MB that 10,000 events took; a case's JSON repeats the same keys in every event and shrinks
 * about tenfold). Rows written before are text and read as they are, so no migration.
 */
const packJson = (json: string): Buffer => deflateRawSync(json);
const unpackJson = (stored: string | Buffer): string =>
	typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8');
type BlobRow<T extends { update: Uint8Array }> = Omit<T, 'update'> & { update: Buffer };
type SnapshotRow = Omit<CaseSnapshotState, 'state'> & { state: Buffer };

const teamSchema = z.array(orgKind);

/** better-sqlite3 binds Buffers, not plain Uint8Arrays: a zero-copy view over the same bytes. */
function toBlob(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A plain Uint8Array copy, so callers never hold a Buffer subclass or a pooled slab. */
function fromBlob(blob: Buffer | null): Uint8Array {
	return blob ? new Uint8Array(blob) : new Uint8Array(0);
}

const toOrg = (r: OrgRow): OrgRecord => ({ ...r, kind: orgKind.parse(r.kind) });
const toUser = (r: UserRow): UserRecord => ({
	...r,
	role: role.parse(r.role),
	disabled: r.disabled !== 0
});
const toCase = (r: CaseRow): CaseRecord => ({
	...r,
	snapshotJson: unpackJson(r.snapshotJson),
	team: teamSchema.parse(JSON.parse(r.team))
});
const toUpdate = (r: BlobRow<StoredUpdate>): StoredUpdate => ({ ...r, update: fromBlob(r.update) });
const toQuarantine = (r: BlobRow<QuarantineRecord>): QuarantineRecord => ({
	...r,
	update: fromBlob(r.update)
});

const ORG_COLS = 'id, kind, name, street_id AS streetId';
const USER_COLS = `id, username, display_name AS displayName, org_id AS orgId, role,
	password_hash AS passwordHash, disabled, created_at AS createdAt`;
const CASE_COLS = `id, profile, school_id AS schoolId, street_id AS streetId,
	community_id AS communityId, created_at AS createdAt, created_by AS createdBy,
	snapshot_json AS snapshotJson, team_json AS team, rewrites, case_no AS caseNo`;
const PERSON_ID_COLS = `case_id AS caseId, subject, value, hash, updated_at AS updatedAt,
	updated_by AS updatedBy`;
const UPDATE_COLS =
	'seq, case_id AS caseId, data AS "update", user_id AS userId, received_at AS receivedAt';
const QUARANTINE_COLS = `id, case_id AS caseId, data AS "update", user_id AS userId,
	received_at AS receivedAt, rule, reason`;
const CLIENT_ID_COLS =
	'case_id AS caseId, client_id AS clientId, user_id AS userId, bound_at AS boundAt';
const AUDIT_COLS = 'id, user_id AS userId, case_id AS caseId, action, at';
const ROSTER_COLS = `term, registry_no AS registryNo, name, gender, birth_date AS birthDate,
	id_number AS idNumber, school_id AS schoolId, grade, class_name AS className,
	hukou_place AS hukouPlace, residence, guardian_name AS guardianName,
	guardian_phone AS guardianPhone, import_id AS importId, focus_groups AS focusGroups`;
const ROSTER_IMPORT_COLS = 'id, term, user_id AS userId, file_name AS fileName, rows, at';
type RosterRow = Omit<RosterRecord, 'gender' | 'focusGroups'> & {
	gender: string;
	focusGroups: string;
};
/** A stored row; `focusGroups` only when the row names some (B-6). */
const toRoster = ({ focusGroups, ...r }: RosterRow): RosterRecord => ({
	...r,
	gender: r.gender === 'female' ? 'female' : 'male',
	...(focusGroups ? { focusGroups: focusGroups.split(',') as FocusGroup[] } : {})
});

/**
 * Runs synchronous database work and hands back its result or error as a promise.
 * better-sqlite3 is synchronous: each call finishes its write (committed and, with
 * synchronous = FULL, fsynced) before the promise exists, so two stores never interleave
 * and "resolved" means "on disk". The price: the event loop waits for each fsync (~ms).
 */
function settle<T>(work: () => T): Promise<T> {
	try {
		return Promise.resolve(work());
	} catch (error) {
		return Promise.reject(error instanceof Error ? error : new Error(String(error)));
	}
}

/** Updates of a missing row are caller bugs: say so instead of succeeding silently. */
function mustChange(changes: number, zh: string, en: string): void {
	if (changes === 0) throw new Error(`找不到${zh} / unknown ${en}`);
}

/**
 * Creates the database file readable by its owner only (0600), or narrows an older one to that.
 * SQLite gives its -wal and -shm files the mode of the database file, so they follow.
 */
function ownerOnly(path: string): void {
	try {
		closeSync(openSync(path, 'wx', 0o600));
	} catch {
		// It exists (or cannot be made here: SQLite's own open says why).
	}
	try {
		if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
	} catch {
		// Not ours to change (another owner, a read-only mount): SQLite opens it as it is.
	}
}

/** Opens (creating and migrating if needed) the relay's SQLite database; `:memory:` for tests. */
export function openSqliteStorage(options: { path: string }): Storage {
	if (options.path !== ':memory:') ownerOnly(options.path);
	const db = new Database(options.path);
	try {
		db.pragma('journal_mode = WAL');
		// WAL + FULL fsyncs the log on every commit: an update the relay reported as accepted
		// survives a process kill and a power cut. NORMAL would survive only the former.
		db.pragma('synchronous = FULL');
		db.pragma('foreign_keys = ON');
		db.pragma('busy_timeout = 5000');
		migrate(db);
	} catch (error) {
		db.close();
		throw error;
	}

	const s = {
		insertOrg: db.prepare<[string, string, string, string | null]>(
			'INSERT INTO orgs (id, kind, name, street_id) VALUES (?, ?, ?, ?)'
		),
		getOrg: db.prepare<[string], OrgRow>(`SELECT ${ORG_COLS} FROM orgs WHERE id = ?`),
		listOrgs: db.prepare<[], OrgRow>(`SELECT ${ORG_COLS} FROM orgs ORDER BY id`),
		insertUser: db.prepare<[string, string, string, string, string, string, number, string]>(
			`INSERT INTO users (id, username, display_name, org_id, role, password_hash, disabled, created_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		),
		getUser: db.prepare<[string], UserRow>(`SELECT ${USER_COLS} FROM users WHERE id = ?`),
		getUserByName: db.prepare<[string], UserRow>(
			`SELECT ${USER_COLS} FROM users WHERE username = ?`
		),
		listUsers: db.prepare<[], UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY username`),
		setDisabled: db.prepare<[number, string]>('UPDATE users SET disabled = ? WHERE id = ?'),
		setPassword: db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?'),
		insertCase: db.prepare<
			[string, string, string, string, string | null, string, string, Buffer, string, string]
		>(
			`INSERT INTO cases (id, profile, school_id, street_id, community_id, created_at, created_by, snapshot_json, team_json, case_no)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		),
		caseNosOf: db.prepare<[string, string], { caseNo: string }>(
			'SELECT case_no AS caseNo FROM cases WHERE substr(case_no, 1, length(?)) = ?'
		),
		getCase: db.prepare<[string], CaseRow>(`SELECT ${CASE_COLS} FROM cases WHERE id = ?`),
		listCases: db.prepare<[], CaseRow>(`SELECT ${CASE_COLS} FROM cases ORDER BY created_at, id`),
		updateCache: db.prepare<[Buffer, string, string]>(
			'UPDATE cases SET snapshot_json = ?, team_json = ? WHERE id = ?'
		),
		insertUpdate: db.prepare<[string, Buffer, string, string]>(
			'INSERT INTO updates (case_id, data, user_id, received_at) VALUES (?, ?, ?, ?)'
		),
		loadUpdates: db.prepare<[string, number], BlobRow<StoredUpdate>>(
			`SELECT ${UPDATE_COLS} FROM updates WHERE case_id = ? AND seq > ? ORDER BY seq`
		),
		latestSnapshot: db.prepare<[string], SnapshotRow>(
			`SELECT case_id AS caseId, upto_seq AS uptoSeq, state, created_at AS createdAt
			 FROM snapshots WHERE case_id = ? ORDER BY upto_seq DESC, id DESC LIMIT 1`
		),
		insertSnapshot: db.prepare<[string, number, Buffer, string]>(
			'INSERT INTO snapshots (case_id, upto_seq, state, created_at) VALUES (?, ?, ?, ?)'
		),
		insertQuarantine: db.prepare<[string, Buffer, string, string, string, string]>(
			`INSERT INTO quarantine (case_id, data, user_id, received_at, rule, reason)
			 VALUES (?, ?, ?, ?, ?, ?)`
		),
		listQuarantineAll: db.prepare<[], BlobRow<QuarantineRecord>>(
			`SELECT ${QUARANTINE_COLS} FROM quarantine ORDER BY id`
		),
		listQuarantineCase: db.prepare<[string], BlobRow<QuarantineRecord>>(
			`SELECT ${QUARANTINE_COLS} FROM quarantine WHERE case_id = ? ORDER BY id`
		),
		insertAudit: db.prepare<[string, string, string, string]>(
			'INSERT INTO audit (user_id, case_id, action, at) VALUES (?, ?, ?, ?)'
		),
		auditAll: db.prepare<[], AuditRecord>(`SELECT ${AUDIT_COLS} FROM audit ORDER BY id`),
		auditByCase: db.prepare<[string], AuditRecord>(
			`SELECT ${AUDIT_COLS} FROM audit WHERE case_id = ? ORDER BY id`
		),
		auditByUser: db.prepare<[string], AuditRecord>(
			`SELECT ${AUDIT_COLS} FROM audit WHERE user_id = ? ORDER BY id`
		),
		auditByBoth: db.prepare<[string, string], AuditRecord>(
			`SELECT ${AUDIT_COLS} FROM audit WHERE case_id = ? AND user_id = ? ORDER BY id`
		),
		insertRosterImport: db.prepare<[string, string, string, number, string, string]>(
			'INSERT INTO roster_imports (term, user_id, file_name, rows, at, kind) VALUES (?, ?, ?, ?, ?, ?)'
		),
		deleteRosterOfSchool: db.prepare<[string, string]>(
			'DELETE FROM roster WHERE term = ? AND school_id = ?'
		),
		upsertRoster: db.prepare<
			[
				string,
				string,
				string,
				string,
				string,
				string | null,
				string,
				number,
				string,
				string,
				string,
				string,
				string,
				number,
				string
			]
		>(
			`INSERT OR REPLACE INTO roster (term, registry_no, name, gender, birth_date, id_number,
			 school_id, grade, class_name, hukou_place, residence, guardian_name, guardian_phone, import_id,
			 focus_groups)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		),
		listRoster: db.prepare<[string], RosterRow>(
			`SELECT ${ROSTER_COLS} FROM roster WHERE term = ? ORDER BY school_id, registry_no`
		),
		rosterCounts: db.prepare<[string], { schoolId: string; n: number }>(
			'SELECT school_id AS schoolId, COUNT(*) AS n FROM roster WHERE term = ? GROUP BY school_id'
		),
		rosterTerms: db.prepare<[], { term: string }>(
			'SELECT DISTINCT term FROM roster ORDER BY term DESC'
		),
		rosterImports: db.prepare<[], RosterImportRecord>(
			`SELECT ${ROSTER_IMPORT_COLS} FROM roster_imports ORDER BY id`
		),
		insertCalendar: db.prepare<[string, string, string, string, string]>(
			'INSERT INTO calendar_entries (kind, key, data, user_id, at) VALUES (?, ?, ?, ?, ?)'
		),
		calendarRows: db.prepare<[], CalendarRow>(
			'SELECT id, kind, key, data, user_id AS userId, at FROM calendar_entries ORDER BY id'
		),
		bindClientId: db.prepare<[string, number, string, string]>(
			`INSERT INTO client_ids (case_id, client_id, user_id, bound_at) VALUES (?, ?, ?, ?)
			 ON CONFLICT (case_id, client_id) DO NOTHING`
		),
		getClientId: db.prepare<[string, number], ClientIdBinding>(
			`SELECT ${CLIENT_ID_COLS} FROM client_ids WHERE case_id = ? AND client_id = ?`
		),
		listClientIds: db.prepare<[string], ClientIdBinding>(
			`SELECT ${CLIENT_ID_COLS} FROM client_ids WHERE case_id = ? ORDER BY client_id`
		),
		putPersonId: db.prepare<[string, string, string, string, string, string]>(
			`INSERT INTO person_ids (case_id, subject, value, hash, updated_at, updated_by)
			 VALUES (?, ?, ?, ?, ?, ?)
			 ON CONFLICT (case_id, subject) DO UPDATE SET value = excluded.value,
			 hash = excluded.hash, updated_at = excluded.updated_at, updated_by = excluded.updated_by`
		),
		getPersonIds: db.prepare<[string], PersonIdRecord>(
			`SELECT ${PERSON_ID_COLS} FROM person_ids WHERE case_id = ? ORDER BY subject`
		),
		listPersonIds: db.prepare<[string], PersonIdRecord>(
			`SELECT ${PERSON_ID_COLS} FROM person_ids WHERE subject = ? ORDER BY case_id`
		),
		findPersonIds: db.prepare<[string], PersonIdRecord>(
			`SELECT ${PERSON_ID_COLS} FROM person_ids WHERE hash = ? ORDER BY case_id, subject`
		),
		logUpdates: db.prepare<[string], { seq: number; update: Buffer }>(
			'SELECT seq, data AS "update" FROM updates WHERE case_id = ? ORDER BY seq'
		),
		logSnapshots: db.prepare<[string], { id: number; state: Buffer }>(
			'SELECT id, state FROM snapshots WHERE case_id = ? ORDER BY id'
		),
		rewriteUpdate: db.prepare<[Buffer, number, string]>(
			'UPDATE updates SET data = ? WHERE seq = ? AND case_id = ?'
		),
		rewriteSnapshot: db.prepare<[Buffer, number, string]>(
			'UPDATE snapshots SET state = ? WHERE id = ? AND case_id = ?'
		),
		countRewrite: db.prepare<[Buffer, string]>(
			'UPDATE cases SET snapshot_json = ?, rewrites = rewrites + 1 WHERE id = ?'
		),
		rewriteQuarantine: db.prepare<[Buffer, number]>('UPDATE quarantine SET data = ? WHERE id = ?'),
		rewriteCaseQuarantine: db.prepare<[Buffer, number, string]>(
			'UPDATE quarantine SET data = ? WHERE id = ? AND case_id = ?'
		),
		deletePersonIds: db.prepare<[string]>('DELETE FROM person_ids WHERE case_id = ?'),
		insertOrgRecord: db.prepare<
			[string, string, string, string, number | null, string, string, string]
		>(
			`INSERT INTO org_records (org_id, kind, period, done_on, count, note, user_id, at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		),
		listOrgRecords: db.prepare<[], OrgWorkRecord>(
			`SELECT id, org_id AS orgId, kind, period, done_on AS doneOn, count, note,
			 user_id AS userId, at FROM org_records ORDER BY id`
		),
		getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
		setSetting: db.prepare<[string, string]>(
			'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
		)
	};

	const putPersonIdsTx = db.transaction((records: readonly PersonIdRecord[]) => {
		for (const r of records)
			s.putPersonId.run(r.caseId, r.subject, r.value, r.hash, r.updatedAt, r.updatedBy);
	});
	const rewriteCaseLogTx = db.transaction(
		(
			caseId: string,
			log: CaseLogBytes,
			snapshotJson: string,
			audit: Omit<AuditRecord, 'id'>,
			also: CaseRewriteExtras
		) => {
			for (const r of also.quarantine ?? [])
				mustChange(
					s.rewriteCaseQuarantine.run(toBlob(r.update), r.id, caseId).changes,
					'隔离记录',
					'quarantine row'
				);
			if (also.deletePersonIds) s.deletePersonIds.run(caseId);
			for (const u of log.updates)
				mustChange(s.rewriteUpdate.run(toBlob(u.update), u.seq, caseId).changes, '更新', 'update');
			for (const x of log.snapshots)
				mustChange(
					s.rewriteSnapshot.run(toBlob(x.state), x.id, caseId).changes,
					'快照',
					'snapshot'
				);
			mustChange(s.countRewrite.run(packJson(snapshotJson), caseId).changes, '案件', 'case');
			s.insertAudit.run(audit.userId, audit.caseId, audit.action, audit.at);
		}
	);
	const rewriteQuarantineTx = db.transaction(
		(rows: readonly { id: number; update: Uint8Array }[]) => {
			for (const r of rows)
				mustChange(
					s.rewriteQuarantine.run(toBlob(r.update), r.id).changes,
					'隔离记录',
					'quarantine row'
				);
		}
	);

	const appendOne = (caseId: string, update: Uint8Array, userId: string, at: string): number =>
		Number(s.insertUpdate.run(caseId, toBlob(update), userId, at).lastInsertRowid);

	// The case row and its first update commit together: a case never exists without the
	// update that created it, and a refused duplicate id leaves no orphan update behind.
	// Issue 12: the next number of the case's district and year, read inside the transaction
	// that uses it (and unique by index), so two creations can never share or skip a number.
	const nextCaseNo = (createdAt: string): string => {
		const prefix = caseNumberPrefix(districtOf(db), createdAt);
		let last = 0;
		for (const r of s.caseNosOf.all(prefix, prefix)) {
			last = Math.max(last, caseNumberSequence(prefix, r.caseNo) ?? 0);
		}
		return formatCaseNumber(prefix, last + 1);
	};
	const createCaseTx = db.transaction(
		(r: NewCaseRecord, firstUpdate: Uint8Array, userId: string, receivedAt: string): number => {
			const caseNo = nextCaseNo(r.createdAt);
			if (r.caseNo !== undefined && r.caseNo !== caseNo) {
				throw Object.assign(new Error(`案件编号已被占用 / case number taken: ${r.caseNo}`), {
					name: CASE_NO_TAKEN
				});
			}
			s.insertCase.run(
				r.id,
				r.profile,
				r.schoolId,
				r.streetId,
				r.communityId,
				r.createdAt,
				r.createdBy,
				packJson(r.snapshotJson),
				JSON.stringify(r.team),
				caseNo
			);
			return appendOne(r.id, firstUpdate, userId, receivedAt);
		}
	);
	const appendManyTx = db.transaction((batch: readonly NewUpdate[]) =>
		batch.map((u) => appendOne(u.caseId, u.update, u.userId, u.receivedAt))
	);
	// First writer wins: an id already bound keeps its owner, and the caller gets every id's
	// binding back, so it sees in the same call whether one belongs to someone else.
	const bindClientIdsTx = db.transaction(
		(caseId: string, clientIds: readonly number[], userId: string, at: string) =>
			clientIds.map((clientId) => {
				if (!Number.isSafeInteger(clientId) || clientId < 0) {
					throw new Error(`无效的客户端标识 / invalid client id: ${clientId}`);
				}
				s.bindClientId.run(caseId, clientId, userId, at);
				const bound = s.getClientId.get(caseId, clientId);
				if (!bound) throw new Error(`客户端标识未能绑定 / client id not bound: ${clientId}`);
				return bound;
			})
	);
	const auditManyTx = db.transaction((records: readonly Omit<AuditRecord, 'id'>[]) => {
		for (const r of records) s.insertAudit.run(r.userId, r.caseId, r.action, r.at);
	});

	const importRosterTx = db.transaction(
		(
			meta: Omit<RosterImportRecord, 'id'>,
			rows: readonly RosterStudent[],
			replaceSchools: readonly string[]
		): number => {
			const importId = Number(
				s.insertRosterImport.run(
					meta.term,
					meta.userId,
					meta.fileName,
					meta.rows,
					meta.at,
					replaceSchools.length > 0 ? 'full' : 'additions'
				).lastInsertRowid
			);
			// B-1: a full import replaces these schools' roster of the term, in this transaction.
			for (const school of replaceSchools) s.deleteRosterOfSchool.run(meta.term, school);
			for (const r of rows) {
				s.upsertRoster.run(
					meta.term,
					r.registryNo,
					r.name,
					r.gender,
					r.birthDate,
					r.idNumber,
					r.schoolId,
					r.grade,
					r.className,
					r.hukouPlace,
					r.residence,
					r.guardianName,
					r.guardianPhone,
					importId,
					(r.focusGroups ?? []).join(',')
				);
			}
			return importId;
		}
	);

	/** Appends one calendar entry after checking it again: only valid data is ever stored. */
	const putCalendar = (kind: 'year' | 'terms', input: unknown, by: CalendarAuthor): number => {
		const c = kind === 'year' ? checkOfficialYear(input) : checkTermYear(input);
		if (!c.ok) {
			throw new Error(
				`日历数据无效 / invalid calendar data: ${c.errors.map((e) => e.en).join('; ')}`
			);
		}
		const key = 'year' in c.value ? yearKey(c.value) : termKey(c.value);
		const data = JSON.stringify(c.value);
		return Number(s.insertCalendar.run(kind, key, data, by.userId, by.at).lastInsertRowid);
	};

	// db.backup() copies pages across event-loop turns; close() waits for running backups
	// so it never pulls the connection out from under one.
	const backups = new Set<Promise<unknown>>();

	return {
		addOrg: (o) => settle(() => void s.insertOrg.run(o.id, o.kind, o.name, o.streetId)),
		getOrg: (id) => settle(() => row(s.getOrg.get(id), toOrg)),
		listOrgs: () => settle(() => s.listOrgs.all().map(toOrg)),
		addUser: (u) =>
			settle(() => {
				s.insertUser.run(
					u.id,
					u.username,
					u.displayName,
					u.orgId,
					u.role,
					u.passwordHash,
					u.disabled ? 1 : 0,
					u.createdAt
				);
			}),
		getUser: (id) => settle(() => row(s.getUser.get(id), toUser)),
		getUserByUsername: (name) => settle(() => row(s.getUserByName.get(name), toUser)),
		listUsers: () => settle(() => s.listUsers.all().map(toUser)),
		setUserDisabled: (id, disabled) =>
			settle(() => mustChange(s.setDisabled.run(disabled ? 1 : 0, id).changes, '用户', 'user')),
		setUserPassword: (id, hash) =>
			settle(() => mustChange(s.setPassword.run(hash, id).changes, '用户', 'user')),

		nextCaseNumber: (createdAt) => settle(() => nextCaseNo(createdAt)),
		createCase: (record, firstUpdate, userId, receivedAt) =>
			settle(() => createCaseTx.immediate(record, firstUpdate, userId, receivedAt)),
		getCase: (id) => settle(() => row(s.getCase.get(id), toCase)),
		listCases: () => settle(() => s.listCases.all().map(toCase)),
		updateCaseCache: (id, snapshotJson, team: readonly OrgKind[]) =>
			settle(() =>
				mustChange(
					s.updateCache.run(packJson(snapshotJson), JSON.stringify(team), id).changes,
					'案件',
					'case'
				)
			),
		appendUpdate: (caseId, update, userId, receivedAt) =>
			settle(() => appendOne(caseId, update, userId, receivedAt)),
		appendUpdates: (batch) => settle(() => appendManyTx.immediate(batch)),
		loadUpdates: (caseId, afterSeq = 0) =>
			settle(() => s.loadUpdates.all(caseId, afterSeq).map(toUpdate)),
		latestSnapshot: (caseId) =>
			settle(() => row(s.latestSnapshot.get(caseId), (r) => ({ ...r, state: fromBlob(r.state) }))),
		saveSnapshot: (snap: CaseSnapshotState) =>
			settle(() => {
				s.insertSnapshot.run(snap.caseId, snap.uptoSeq, toBlob(snap.state), snap.createdAt);
			}),

		listClientIds: (caseId) => settle(() => s.listClientIds.all(caseId)),
		bindClientIds: (caseId, clientIds, userId, at) =>
			settle(() => bindClientIdsTx.immediate(caseId, clientIds, userId, at)),

		quarantine: (q) =>
			settle(() =>
				Number(
					s.insertQuarantine.run(
						q.caseId,
						toBlob(q.update),
						q.userId,
						q.receivedAt,
						q.rule,
						q.reason
					).lastInsertRowid
				)
			),
		listQuarantine: (caseId) =>
			settle(() =>
				(caseId === undefined ? s.listQuarantineAll.all() : s.listQuarantineCase.all(caseId)).map(
					toQuarantine
				)
			),
		audit: (r) => settle(() => void s.insertAudit.run(r.userId, r.caseId, r.action, r.at)),
		auditMany: (records) => settle(() => auditManyTx.immediate(records)),
		listAudit: (filter = {}) =>
			settle(() => {
				const { caseId, userId } = filter;
				const rows =
					caseId !== undefined && userId !== undefined
						? s.auditByBoth.all(caseId, userId)
						: caseId !== undefined
							? s.auditByCase.all(caseId)
							: userId !== undefined
								? s.auditByUser.all(userId)
								: s.auditAll.all();
				return rows;
			}),

		importRoster: (meta, rows, replaceSchools = []) =>
			settle(() => importRosterTx.immediate(meta, rows, replaceSchools)),
		listRoster: (term, schoolIds) =>
			settle(() => {
				const all = s.listRoster.all(term).map(toRoster);
				if (!schoolIds) return all;
				const wanted = new Set(schoolIds);
				return all.filter((r) => wanted.has(r.schoolId));
			}),
		rosterCounts: (term) =>
			settle(() => Object.fromEntries(s.rosterCounts.all(term).map((r) => [r.schoolId, r.n]))),
		rosterTerms: () => settle(() => s.rosterTerms.all().map((r) => r.term)),
		listRosterImports: () => settle(() => s.rosterImports.all()),

		calendarState: () => settle(() => foldCalendarRows(s.calendarRows.all())),
		putCalendarYear: (year, by) => settle(() => putCalendar('year', year, by)),
		putTermYear: (terms, by) => settle(() => putCalendar('terms', terms, by)),
		calendarLog: () => settle(() => s.calendarRows.all().map(calendarLogEntry)),

		putPersonIds: (records) => settle(() => putPersonIdsTx.immediate(records)),
		getPersonIds: (caseId) => settle(() => s.getPersonIds.all(caseId)),
		listPersonIds: (subject) => settle(() => s.listPersonIds.all(subject)),
		findPersonIds: (hash) => settle(() => s.findPersonIds.all(hash)),
		caseLogBytes: (caseId) =>
			settle(() => ({
				updates: s.logUpdates.all(caseId).map((r) => ({ seq: r.seq, update: fromBlob(r.update) })),
				snapshots: s.logSnapshots.all(caseId).map((r) => ({ id: r.id, state: fromBlob(r.state) }))
			})),
		rewriteCaseLog: (caseId, log, snapshotJson, audit, also = {}) =>
			settle(() => rewriteCaseLogTx.immediate(caseId, log, snapshotJson, audit, also)),
		rewriteQuarantine: (rows) => settle(() => rewriteQuarantineTx.immediate(rows)),

		addOrgRecord: (r) =>
			settle(() =>
				Number(
					s.insertOrgRecord.run(
						r.orgId,
						r.kind,
						r.period,
						r.doneOn,
						r.count,
						r.note,
						r.userId,
						r.at
					).lastInsertRowid
				)
			),
		listOrgRecords: () => settle(() => s.listOrgRecords.all()),

		getSetting: (key) => settle(() => s.getSetting.get(key)?.value ?? null),
		setSetting: (key, value) => settle(() => void s.setSetting.run(key, value)),

		backup: async (toPath) => {
			// Same connection as the writers: SQLite folds their changes into the copy, so the
			// file is consistent and holds at least everything committed before the call.
			const running = db.backup(toPath);
			backups.add(running);
			try {
				await running;
			} finally {
				backups.delete(running);
			}
		},
		...familyMethods(db, settle),
		close: async () => {
			await Promise.allSettled([...backups]);
			if (db.open) db.close();
		}
	};
}

function row<R, T>(found: R | undefined, map: (r: R) => T): T | null {
	return found === undefined ? null : map(found);
}
