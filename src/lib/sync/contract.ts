/**
 * The client sync layer as the UI sees it (STYLE.md item 4: only `src/lib/sync` owns providers,
 * IndexedDB and Dexie; components read rune state from these managers and call their methods).
 * Implemented by `session.svelte.ts`, `workspace.svelte.ts` and `case-session.svelte.ts`.
 */
import type { CaseSummary } from '../dashboard/summary';
import type { CaseEvent, CaseEventInput, CaseSnapshot, OrgKind, Role } from '../domain';
import type { Bilingual, Calendar, CheckResult, Evaluation, Stage } from '../rules';

/** The logged-in user, as the relay returned it at login. Kept on the device for offline use. */
export interface SessionUser {
	id: string;
	username: string;
	displayName: string;
	orgId: string;
	orgName: string;
	orgKind: OrgKind;
	role: Role;
}

export type LoginResult = { ok: true } | { ok: false; status: number; message: Bilingual };

export interface Session {
	readonly user: SessionUser | null;
	readonly token: string | null;
	/** The token expired or the relay refused it: ask for the password when online; local edits stay. */
	readonly expired: boolean;
	readonly loggedIn: boolean;
	login(username: string, password: string): Promise<LoginResult>;
	/** Logs in again as the same user (after expiry). */
	relogin(password: string): Promise<LoginResult>;
	/**
	 * Logs out; with `wipe`, deletes this user's data on the device (IndexedDB, index, outbox).
	 * Without, it stays for the same user alone (issue 11: each user has databases of their own).
	 */
	logout(wipe: boolean): Promise<void>;
}

/** One row of the local case index (Dexie): lists and search never open a case document. */
export interface CaseIndexRow {
	id: string;
	/** Issue 12: the human case number (`示范区-2026-0001`); missing until the relay's list says. */
	caseNo?: string;
	student: string;
	registryNo: string;
	schoolId: string;
	school: string;
	stage: Stage;
	/** The next obligation not yet met, if any. */
	next: {
		rule: string;
		title: Bilingual;
		due: string | null;
		state: 'pending' | 'overdue';
		responsible: OrgKind;
		/** G-T3: counted through a year without an official schedule (暂定). */
		provisional?: true;
	} | null;
	/** Working days from today to the next due date (negative when overdue); null when undated. */
	daysLeft: number | null;
	overdue: number;
	/** Org kinds with a pending or overdue obligation on this case ("waiting on my org"). */
	waitingOn: OrgKind[];
	/** Changes made on this device that the relay has not accepted yet. */
	unsynced: number;
	/** Refusals on this case not yet dismissed. */
	refused: number;
	/** The case document is stored on this device (usable offline). */
	local: boolean;
	/**
	 * Issue 11: the relay's rewrite count of the case's log this device's copy was downloaded
	 * after; a higher count in the relay's list means the copy holds removed data: replace it.
	 */
	rewrites?: number;
	updatedAt: string;
	/** The street office's name (from the relay's list). */
	street?: string;
	/** B-5 (一家一案): the family the case belongs to (its latest `family_linked`), if any. */
	family?: string;
	/**
	 * Dashboard facts computed by the shared rules (B-7, S-4b, S-5, S-10). Missing on rows stored
	 * before it existed: "not yet summarised" until the next refresh; read back with `readSummary`.
	 */
	summary?: CaseSummary;
	/** Issue 12: the early-warning flags of the student (B-6, S-3), from the relay's list. */
	flags?: RiskFlagView[];
}

/** One early-warning flag as the list shows it (`riskFlags` of the rules). */
export interface RiskFlagView {
	rule: string;
	key: string;
	label: Bilingual;
}

export type ConnectionState = 'offline' | 'connecting' | 'syncing' | 'synced';

/** An action the relay refused, shown on the case with its reason; never silently dropped. */
export interface RefusalView {
	id: string;
	/** What was attempted (an event type, or 'plan'). */
	what: string;
	rule: string;
	reason: Bilingual;
	at: string;
	/** The refused event's contents (validated), to correct and send again as a new event. */
	draft?: CaseEvent;
}

/** Someone else who has the case open now (awareness). */
export interface Peer {
	clientId: number;
	name: string;
	orgName: string;
}

/** A new event as a form produces it: the layer adds id, author, recordedAt and version. */
export type EventDraft = Omit<CaseEventInput, 'id' | 'author' | 'recordedAt' | 'v'>;

export interface CaseSessionApi {
	readonly id: string;
	/** The local copy is loaded (from IndexedDB or the relay). */
	readonly loaded: boolean;
	/** The relay closed the case for this user: 'forbidden' | 'not-found' | 'unauthorized'. */
	readonly denied: 'forbidden' | 'not-found' | 'unauthorized' | null;
	readonly snapshot: CaseSnapshot | null;
	/** Rules' evaluation of the snapshot for today (stage, obligations, actions, closure). */
	readonly evaluation: Evaluation | null;
	/** The calendar that evaluation used (G-T3): dates a page computes for the case use it too. */
	readonly calendar: Calendar | null;
	readonly connection: ConnectionState;
	/** Changes not yet accepted by the relay (counted from its accepted messages). */
	readonly pending: number;
	readonly refusals: RefusalView[];
	readonly peers: Peer[];
	/** The plan text as it stands. */
	readonly plan: string;
	/** Records an event after the rules accept it locally; it syncs when online. */
	record(draft: EventDraft): CheckResult;
	/** Replaces the plan text (minimal diff, merges with others' typing). */
	setPlan(text: string): void;
	/** Maps a cursor index across remote edits of the plan (keeps the local cursor in place). */
	planCursor(): { save(index: number): unknown; restore(saved: unknown): number };
	/** Subscribes to plan text changes (remote or local). */
	onPlanChange(cb: (text: string, remote: boolean) => void): () => void;
	/** Dismisses a refusal after the user has read it. */
	dismissRefusal(id: string): Promise<void>;
	/**
	 * Records the corrected contents of a refused event as a new event (new id, the normal
	 * path); once the rules accept it locally the refusal is resolved and dismissed.
	 */
	resubmit(refusalId: string, draft: EventDraft): CheckResult;
	/** Reveals the student's ID number; audited on the relay. Resolves to the full number or null. */
	revealIdNumber(): Promise<string | null>;
	/**
	 * Issue 11: corrects the student's ID number (or a guardian's) in the relay's own table, then
	 * records the masked form on the timeline. Needs the relay; resolves to the refusal or ok.
	 */
	correctIdNumber(idNumber: string, guardianId?: string): Promise<CheckResult>;
	close(): void;
}

export interface SyncStatus {
	readonly online: boolean;
	/** Sum of pending changes over all cases on this device. */
	readonly pendingTotal: number;
	readonly syncing: boolean;
}

export interface StorageStatus {
	/** Persistent storage granted (null: not asked yet or unsupported). */
	persisted: boolean | null;
	usage: number | null;
	quota: number | null;
}

export interface WorkspaceApi extends SyncStatus {
	readonly cases: CaseIndexRow[];
	readonly storage: StorageStatus;
	/** Today in China time (the rules' `today`). */
	today(): string;
	/** Fetches the case list from the relay (when online) and downloads every case for offline use. */
	refresh(): Promise<void>;
	/** Creates a case on the relay (online only); returns its id or path-level errors. */
	createCase(input: {
		profile?: 'shilong-2022' | 'bishan-2024';
		student: Record<string, unknown>;
		guardians?: Record<string, unknown>[];
		schoolId?: string;
		communityId?: string;
	}): Promise<
		| { ok: true; id: string }
		| { ok: false; errors: { path: string; message: string }[]; message?: Bilingual }
	>;
	/** Opens a case (local first, then live). Close it when the page goes away. */
	openCase(id: string): CaseSessionApi;
	/** Asks the browser to keep our data (navigator.storage.persist) and refreshes `storage`. */
	requestPersistence(): Promise<void>;
}
