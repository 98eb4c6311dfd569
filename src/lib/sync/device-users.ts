/**
 * Issue 11: which users have data on this device and when each was last logged in here, so that
 * a lost or shared phone forgets a user's cases after N days without login (a bureau setting).
 * Pure functions over a small record kept in localStorage: user ids and times only, never names
 * or other personal data.
 */

/** localStorage key of the device's user registry (shared by every user of the device). */
export const DEVICE_USERS_KEY = 'yishengyian.device-users';

/** Days without login after which a user's local data is wiped, unless the bureau set another. */
export const DEFAULT_WIPE_DAYS = 30;

/** The bounds a bureau setting is taken within; anything else keeps the previous value. */
const MIN_WIPE_DAYS = 1;
const MAX_WIPE_DAYS = 3650;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DeviceUsers {
	/** The bureau's setting as last received at a login on this device. */
	wipeDays: number;
	/** User id → the last time (ms since epoch) the user was logged in on this device. */
	users: Record<string, number>;
}

/** A registry with nobody in it. */
export function emptyDeviceUsers(): DeviceUsers {
	return { wipeDays: DEFAULT_WIPE_DAYS, users: {} };
}

/** A number of days as the bureau may set it, or null. */
export function parseWipeDays(v: unknown): number | null {
	return typeof v === 'number' && Number.isInteger(v) && v >= MIN_WIPE_DAYS && v <= MAX_WIPE_DAYS
		? v
		: null;
}

/** `settings.localWipeDays` of the relay's login answer, or null when absent or not valid. */
export function loginWipeDays(body: unknown): number | null {
	if (typeof body !== 'object' || body === null) return null;
	const settings = (body as { settings?: unknown }).settings;
	if (typeof settings !== 'object' || settings === null) return null;
	return parseWipeDays((settings as { localWipeDays?: unknown }).localWipeDays);
}

/**
 * The registry as stored (untrusted: storage outlives app versions and can be edited). Entries
 * that are not a user id with a finite time are dropped; an unreadable record reads as empty.
 */
export function parseDeviceUsers(raw: string | null): DeviceUsers {
	const out = emptyDeviceUsers();
	if (!raw) return out;
	let v: unknown;
	try {
		v = JSON.parse(raw);
	} catch {
		return out;
	}
	if (typeof v !== 'object' || v === null) return out;
	const r = v as { wipeDays?: unknown; users?: unknown };
	out.wipeDays = parseWipeDays(r.wipeDays) ?? DEFAULT_WIPE_DAYS;
	if (typeof r.users === 'object' && r.users !== null && !Array.isArray(r.users))
		for (const [id, at] of Object.entries(r.users))
			if (id && typeof at === 'number' && Number.isFinite(at)) out.users[id] = at;
	return out;
}

/** The registry with the user marked as logged in at `now` (and the bureau's setting, if any). */
export function noteUser(
	r: DeviceUsers,
	userId: string,
	now: number,
	wipeDays: number | null = null
): DeviceUsers {
	return { wipeDays: wipeDays ?? r.wipeDays, users: { ...r.users, [userId]: now } };
}

/** The registry without the user (their data was deleted). */
export function forgetUser(r: DeviceUsers, userId: string): DeviceUsers {
	const users = { ...r.users };
	delete users[userId];
	return { ...r, users };
}

/**
 * The registry with every user that has data on the device but no entry (`present`) entered at
 * `now`, and times in the future (the device clock was set back) brought to `now`: either way
 * the user's data is wiped N days from now rather than never.
 */
export function adoptUsers(r: DeviceUsers, present: Iterable<string>, now: number): DeviceUsers {
	const users = { ...r.users };
	for (const id of present) users[id] ??= now;
	for (const [id, at] of Object.entries(users)) if (at > now) users[id] = now;
	return { ...r, users };
}

/**
 * The users whose local data is to be wiped: last logged in here more than `wipeDays` days
 * before `now`. Never the user logged in now, however old their login: their pending work
 * stays until they log out.
 */
export function expiredUsers(r: DeviceUsers, now: number, current: string | null): string[] {
	const limit = now - r.wipeDays * DAY_MS;
	return Object.entries(r.users)
		.filter(([id, at]) => id !== current && at < limit)
		.map(([id]) => id);
}
