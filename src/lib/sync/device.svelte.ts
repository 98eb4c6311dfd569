import type { AppDb } from './db';
import { LEGACY_APP_DB, LEGACY_CASE_DB_PREFIX } from './db-names';
import {
	LEGACY_ROSTER_PREFIX,
	databaseNames,
	removeKeys,
	usersWithData,
	type KeyStore
} from './device-dbs';
import {
	DEVICE_USERS_KEY,
	adoptUsers,
	expiredUsers,
	forgetUser,
	noteUser,
	parseDeviceUsers,
	type DeviceUsers
} from './device-users';

function browserStore(): KeyStore | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null; // privacy settings: nothing is remembered beyond this page
	}
}

/**
 * Whether `names` may hold data of before issue 11's partition (true where the browser cannot
 * list its databases: only Dexie can tell then).
 */
function mayHoldLegacy(names: readonly string[] | null): boolean {
	return (
		names === null || names.some((n) => n === LEGACY_APP_DB || n.startsWith(LEGACY_CASE_DB_PREFIX))
	);
}

/** Issue 16: what deletes and migrates local data needs Dexie; loaded when there is some to do. */
const localData = () => import('./device-data');

/**
 * Issue 11: the users of this device and the life of their local data. Keeps the registry of
 * who was last logged in here when (`device-users.ts`, in localStorage), and wipes a user's
 * databases at a logout that asks for it or once their last login is older than the bureau's
 * days. Never the data of the user logged in now.
 * Issue 16: the class itself loads nothing of the local database, so the app shell runs its
 * start before login; Dexie comes only when a migration or a wipe is due.
 */
export class Device {
	/** The bureau's days without login after which a user's data leaves this device. */
	wipeDays = $state(0);
	readonly #store: KeyStore | null;
	readonly #now: () => number;
	/** The start-ups asked for, one after the other (the shell's, then the workspace's). */
	#started: Promise<void> = Promise.resolve();

	/** `store`: default localStorage, null for none; `now`: ms since epoch. */
	constructor(options: { store?: KeyStore | null; now?: () => number } = {}) {
		this.#store = options.store === undefined ? browserStore() : options.store;
		this.#now = options.now ?? Date.now;
		this.wipeDays = this.#registry().wipeDays;
	}

	#registry(): DeviceUsers {
		try {
			return parseDeviceUsers(this.#store?.getItem(DEVICE_USERS_KEY) ?? null);
		} catch {
			return parseDeviceUsers(null);
		}
	}

	#save(r: DeviceUsers): void {
		this.wipeDays = r.wipeDays;
		try {
			this.#store?.setItem(DEVICE_USERS_KEY, JSON.stringify(r));
		} catch {
			// Full or disabled storage: the registry lasts for this page.
		}
	}

	/**
	 * At start-up, with the user of the stored session (if any): moves the data of before the
	 * partition (`migrateLegacy`), enters every user with data here in the registry, and wipes
	 * those whose last login is too old.
	 */
	start(current: () => string | null): Promise<void> {
		const run = this.#started.then(() => this.#start(current));
		this.#started = run.catch(() => undefined);
		return run;
	}

	async #start(current: () => string | null): Promise<void> {
		if (typeof indexedDB === 'undefined') return;
		const user = current();
		removeKeys(this.#store, LEGACY_ROSTER_PREFIX);
		const moved = mayHoldLegacy(await databaseNames())
			? await localData()
					.then((m) => m.migrateLegacy(user, this.#store))
					.catch(() => [])
			: [];
		const present = usersWithData((await databaseNames()) ?? []);
		let r = adoptUsers(this.#registry(), [...moved, ...present], this.#now());
		if (user) r = noteUser(r, user, this.#now());
		this.#save(r);
		await this.wipeExpired(current);
	}

	/** Wipes every user last logged in here longer ago than the bureau's days, but `current()`. */
	async wipeExpired(current: () => string | null): Promise<void> {
		const due = expiredUsers(this.#registry(), this.#now(), current());
		if (!due.length) return;
		const { wipeUserData } = await localData();
		for (const u of due) {
			if (u === current()) continue; // logged in while the previous one was wiped
			await wipeUserData(u, this.#store);
			this.#save(forgetUser(this.#registry(), u));
		}
	}

	/** Enters a login (or the last moment a user was logged in here), with the bureau's days if sent. */
	noteLogin(userId: string, wipeDays: number | null = null): void {
		this.#save(noteUser(this.#registry(), userId, this.#now(), wipeDays));
	}

	/** Deletes everything of the user here; `db` is the open handle on their database, if any. */
	async wipe(userId: string, db?: AppDb): Promise<void> {
		const { wipeUserData } = await localData();
		await wipeUserData(userId, this.#store, db);
		this.#save(forgetUser(this.#registry(), userId));
	}
}
