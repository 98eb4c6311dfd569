import type { FocusGroup, OrgKind, Role } from '../../src/lib/domain';
import type { OfficialYear, TermYear } from '../../src/lib/rules/calendar-data';
import type { OrgWorkRecord } from '../../src/lib/rules/org-obligations';

/** An organisation as stored. Schools and communities belong to a street. */
export interface OrgRecord {
	id: string;
	kind: OrgKind;
	name: string;
	streetId: string | null;
}

/** A user account. `passwordHash` is an argon2id PHC string; never leaves the server. */
export interface UserRecord {
	id: string;
	username: string;
	displayName: string;
	orgId: string;
	role: Role;
	passwordHash: string;
	disabled: boolean;
	createdAt: string;
}

/** The columns of a case the relay needs without opening its document. */
export interface CaseRecord {
	id: string;
	profile: string;
	schoolId: string;
	streetId: string;
	communityId: string | null;
	createdAt: string;
	createdBy: string;
	/** Latest validated CaseSnapshot as JSON (a cache for lists; the update log is the truth). */
	snapshotJson: string;
	/** Org kinds on the current joint team (S-9; the partner departments among them see the case). */
	team: OrgKind[];
	/**
	 * How many times the stored log was rewritten in place (issue 11: ID numbers masked,
	 * retention): a device whose copy is older replaces it.
	 */
	rewrites: number;
	/** Issue 12: the human case number (`示范区-2026-0001`), unique in the district. */
	caseNo: string;
}

/**
 * A case row as created (no rewrites yet). `caseNo`, when given, must be the next number of
 * its district and year (`nextCaseNumber`); without it the creating transaction assigns it.
 */
export type NewCaseRecord = Omit<CaseRecord, 'rewrites' | 'caseNo'> & { caseNo?: string };

/** Thrown by `createCase` when the `caseNo` it was given is no longer the next one. */
export const CASE_NO_TAKEN = 'case-no-taken';

/** One accepted update of a case document: the edit timeline (DESIGN.md "Persistence"). */
export interface StoredUpdate {
	/** Increasing per database. */
	seq: number;
	caseId: string;
	update: Uint8Array;
	userId: string;
	/** ISO instant the relay received it. */
	receivedAt: string;
}

/** An update to append (see `Storage.appendUpdates`). */
export interface NewUpdate {
	caseId: string;
	update: Uint8Array;
	userId: string;
	receivedAt: string;
}

/** A compacted state of a document up to and including update `uptoSeq`. */
export interface CaseSnapshotState {
	caseId: string;
	uptoSeq: number;
	state: Uint8Array;
	createdAt: string;
}

/** An update the relay refused: kept, never applied (nothing is lost). */
export interface QuarantineRecord {
	id: number;
	caseId: string;
	update: Uint8Array;
	userId: string;
	receivedAt: string;
	rule: string;
	reason: string;
}

/**
 * A full number the relay keeps out of case documents (issue 11): the student's ID number
 * (`student`), a 学籍号 that embeds one (`student-registry`), a guardian's (`guardian:<id>`).
 */
export interface PersonIdRecord {
	caseId: string;
	subject: string;
	value: string;
	/** Keyed hash of the value (HMAC-SHA256), to find the same person in other cases. */
	hash: string;
	updatedAt: string;
	updatedBy: string;
}

/** The stored log of one case as bytes, for an in-place rewrite (see `rewriteCaseLog`). */
export interface CaseLogBytes {
	updates: { seq: number; update: Uint8Array }[];
	snapshots: { id: number; state: Uint8Array }[];
}

/** What a rewrite of a case's log changes besides the log (see `rewriteCaseLog`). */
export interface CaseRewriteExtras {
	/** Quarantined updates of the case, with their new bytes (same rows). */
	quarantine?: readonly { id: number; update: Uint8Array }[];
	/** Delete every `person_ids` row of the case. */
	deletePersonIds?: boolean;
}

/** One read of a case (HTTP or sync), for the minors' data audit. */
export interface AuditRecord {
	id: number;
	userId: string;
	caseId: string;
	action: string;
	at: string;
}

/** One student of the registry roster (学籍花名册) for a term (S-1, B-1, B-2). */
export interface RosterStudent {
	/** 学籍号: unique within a term. */
	registryNo: string;
	name: string;
	gender: 'male' | 'female';
	birthDate: string;
	/** Sensitive: never logged; shown masked. */
	idNumber: string | null;
	schoolId: string;
	grade: number;
	className: string;
	hukouPlace: string;
	residence: string;
	guardianName: string;
	guardianPhone: string;
	/** B-6 focus groups the export names (重点群体); absent when none. */
	focusGroups?: FocusGroup[];
}

/** A stored roster row: the student, the term (its start date, `YYYY-MM-DD`) and the import. */
export interface RosterRecord extends RosterStudent {
	term: string;
	importId: number;
}

/** One confirmed roster import. */
export interface RosterImportRecord {
	id: number;
	term: string;
	userId: string;
	fileName: string;
	rows: number;
	at: string;
}

/** What a calendar entry holds: one year's official schedule, or one school year's terms. */
export type CalendarEntryKind = 'year' | 'terms';

/** Who entered a calendar entry, and when (ISO instant). */
export interface CalendarAuthor {
	userId: string;
	at: string;
}

/** The calendar data the district entered (G-T3): the latest valid entry per key. */
export interface CalendarState {
	/** The highest entry id (0 when none): the data's version counter. */
	seq: number;
	/** Per year, the latest official schedule entered. */
	years: OfficialYear[];
	/** Per (school or district, school year), the latest terms entered. */
	termYears: TermYear[];
	/** Stored entries that no longer validate and were skipped (nothing of them is logged). */
	invalid: number;
}

/** One line of the calendar log: every entry ever made, none ever removed. */
export interface CalendarLogEntry {
	seq: number;
	kind: CalendarEntryKind;
	/** `2027` for a year; `2026-2027` for the district's terms, `2026-2027/<schoolId>` for a school's. */
	key: string;
	userId: string;
	at: string;
	/** The notice or calendar it was entered from, when given. */
	source: string | null;
}

/**
 * The calendar and school terms as living data (G-T3): append-only entries, so every past
 * version stays readable; the latest entry of a year or school year wins.
 */
export interface CalendarStore {
	calendarState(): Promise<CalendarState>;
	/** Appends one year's official schedule; returns the new seq. */
	putCalendarYear(year: OfficialYear, by: CalendarAuthor): Promise<number>;
	/** Appends one school year's terms (the district's or one school's); returns the new seq. */
	putTermYear(terms: TermYear, by: CalendarAuthor): Promise<number>;
	/** Every entry in seq order. */
	calendarLog(): Promise<CalendarLogEntry[]>;
}

/**
 * A Yjs client id of one case and the user who first wrote with it (issue 10): only that user's
 * updates may carry changes under it, so no one can fill another user's next clock positions.
 */
export interface ClientIdBinding {
	caseId: string;
	clientId: number;
	userId: string;
	/** ISO instant the relay bound it. */
	boundAt: string;
}

/** Who owns each Yjs client id of a case. Bindings are never changed or removed. */
export interface ClientIdStore {
	/** The bindings of a case, by client id. */
	listClientIds(caseId: string): Promise<ClientIdBinding[]>;
	/**
	 * Binds each id of `clientIds` not yet bound in the case to `userId`, all in one transaction;
	 * an id already bound keeps its owner. Returns the binding of every id asked for, in order.
	 */
	bindClientIds(
		caseId: string,
		clientIds: readonly number[],
		userId: string,
		at: string
	): Promise<ClientIdBinding[]>;
}

/** Full ID numbers, kept in the relay's own table and nowhere else (issue 11). */
export interface PersonIdStore {
	/** Sets each subject's value of a case (replacing an earlier one), in one transaction. */
	putPersonIds(records: readonly PersonIdRecord[]): Promise<void>;
	getPersonIds(caseId: string): Promise<PersonIdRecord[]>;
	/** Every record of one subject across cases (e.g. each case's 学籍号), by case id. */
	listPersonIds(subject: string): Promise<PersonIdRecord[]>;
	/** Every record with this keyed hash (the same person in several cases). */
	findPersonIds(hash: string): Promise<PersonIdRecord[]>;
	/** The stored updates and compacted states of a case, with their row keys. */
	caseLogBytes(caseId: string): Promise<CaseLogBytes>;
	/**
	 * Replaces the bytes of the given updates and states of a case (same rows, same seqs),
	 * refreshes its cached snapshot, counts one more rewrite, and writes `audit`, all in one
	 * transaction (issue 11: masking in place keeps every seq and author of the timeline).
	 * `also`, in the same transaction: the case's quarantined updates to replace (same rows),
	 * and whether to delete the case's rows of this table (retention: the full numbers go).
	 */
	rewriteCaseLog(
		caseId: string,
		log: CaseLogBytes,
		snapshotJson: string,
		audit: Omit<AuditRecord, 'id'>,
		also?: CaseRewriteExtras
	): Promise<void>;
	/** Replaces the bytes of quarantined updates (same rows). */
	rewriteQuarantine(rows: readonly { id: number; update: Uint8Array }[]): Promise<void>;
}

/** Issue 12: the org-level records of B-1, S-2 and S-5 (append-only; the earliest counts). */
export interface OrgWorkStore {
	/** Appends one record; returns its id. */
	addOrgRecord(record: Omit<OrgWorkRecord, 'id'>): Promise<number>;
	/** Every record, by id. */
	listOrgRecords(): Promise<OrgWorkRecord[]>;
}

/** One accepted update of a family document (B-5). */
export interface StoredFamilyUpdate {
	seq: number;
	familyId: string;
	update: Uint8Array;
	userId: string;
	receivedAt: string;
}

/** B-5 (一家一案): family documents' update logs and their member cases. */
export interface FamilyStore {
	/**
	 * Appends an accepted update of a family with its member case ids as of that update, in one
	 * transaction (the family's row is made by its first); returns the update's seq.
	 */
	appendFamilyUpdate(
		familyId: string,
		update: Uint8Array,
		userId: string,
		receivedAt: string,
		memberIds: readonly string[]
	): Promise<number>;
	/** The family's updates in seq order. */
	loadFamilyUpdates(familyId: string): Promise<StoredFamilyUpdate[]>;
	/** The member case ids of a stored family; null when no such family is stored. */
	getFamilyMembers(familyId: string): Promise<string[] | null>;
	/** Every stored family with its member case ids. */
	listFamilies(): Promise<{ id: string; members: string[] }[]>;
}

/**
 * Everything the relay keeps. One interface, one contract test suite, several adapters
 * (SQLite now; PostgreSQL later). Async so that network-backed adapters fit.
 */
export interface Storage
	extends CalendarStore, ClientIdStore, PersonIdStore, OrgWorkStore, FamilyStore {
	// organisations and users
	addOrg(org: OrgRecord): Promise<void>;
	getOrg(id: string): Promise<OrgRecord | null>;
	listOrgs(): Promise<OrgRecord[]>;
	addUser(user: UserRecord): Promise<void>;
	getUser(id: string): Promise<UserRecord | null>;
	getUserByUsername(username: string): Promise<UserRecord | null>;
	listUsers(): Promise<UserRecord[]>;
	setUserDisabled(id: string, disabled: boolean): Promise<void>;
	setUserPassword(id: string, passwordHash: string): Promise<void>;

	// cases and their update log
	/**
	 * The number the next case created at `createdAt` gets (issue 12): district short name,
	 * China-time year, the year's next sequence. Reserves nothing; `createCase` checks it.
	 */
	nextCaseNumber(createdAt: string): Promise<string>;
	/**
	 * Creates the case row, its number and its first update atomically; returns the update's
	 * seq. Throws `CASE_NO_TAKEN` when `record.caseNo` is not the next number any more.
	 */
	createCase(
		record: NewCaseRecord,
		firstUpdate: Uint8Array,
		userId: string,
		receivedAt: string
	): Promise<number>;
	getCase(id: string): Promise<CaseRecord | null>;
	listCases(): Promise<CaseRecord[]>;
	/** Refreshes the cached snapshot JSON and team of a case. */
	updateCaseCache(id: string, snapshotJson: string, team: readonly OrgKind[]): Promise<void>;
	/**
	 * Appends several accepted updates in one transaction (one fsync: group commit); returns
	 * their seqs in order. All or none are stored.
	 */
	appendUpdates(batch: readonly NewUpdate[]): Promise<number[]>;
	/** Appends an accepted update durably before the relay applies or broadcasts it; returns its seq. */
	appendUpdate(
		caseId: string,
		update: Uint8Array,
		userId: string,
		receivedAt: string
	): Promise<number>;
	/** Updates of a case in seq order, optionally only those after `afterSeq`. */
	loadUpdates(caseId: string, afterSeq?: number): Promise<StoredUpdate[]>;
	/** The latest compacted state, if any. */
	latestSnapshot(caseId: string): Promise<CaseSnapshotState | null>;
	/** Adds a compacted state; updates are kept (every past version stays recoverable). */
	saveSnapshot(snapshot: CaseSnapshotState): Promise<void>;

	// quarantine and audit
	quarantine(record: Omit<QuarantineRecord, 'id'>): Promise<number>;
	listQuarantine(caseId?: string): Promise<QuarantineRecord[]>;
	audit(record: Omit<AuditRecord, 'id'>): Promise<void>;
	/** Several audit rows in one write (case lists). */
	auditMany(records: Omit<AuditRecord, 'id'>[]): Promise<void>;
	listAudit(filter?: { caseId?: string; userId?: string }): Promise<AuditRecord[]>;

	// the registry roster (S-1, B-1, B-2)
	/**
	 * Stores every row for the term in one transaction (all or nothing): a row with a 学籍号
	 * already on the term's roster replaces it. With `replaceSchools` (a full import, B-1, issue
	 * 12) those schools' roster of the term is removed first, in the same transaction, so the
	 * term holds exactly the file's rows for them. Returns the import's id.
	 */
	importRoster(
		meta: Omit<RosterImportRecord, 'id'>,
		rows: readonly RosterStudent[],
		replaceSchools?: readonly string[]
	): Promise<number>;
	/** The term's roster, ordered by school then 学籍号; optionally of some schools only. */
	listRoster(term: string, schoolIds?: readonly string[]): Promise<RosterRecord[]>;
	/** Students on the term's roster per school id. */
	rosterCounts(term: string): Promise<Record<string, number>>;
	/** Terms with a roster, newest first. */
	rosterTerms(): Promise<string[]>;
	listRosterImports(): Promise<RosterImportRecord[]>;

	// settings (e.g. the JWT secret when JWT_SECRET is not set)
	getSetting(key: string): Promise<string | null>;
	setSetting(key: string, value: string): Promise<void>;

	/** Consistent online backup to a file. */
	backup(toPath: string): Promise<void>;
	close(): Promise<void>;
}
