/** Options of `LoginThrottle`; `now` is injected so tests move time instead of sleeping. */
export interface LoginThrottleOptions {
	/** Failures allowed per username and per address within the window (default 10). */
	maxFailures?: number;
	/** Window length in milliseconds (default one minute). */
	windowMs?: number;
	/** Most keys kept per map; beyond it the oldest keys are dropped (default 50,000). */
	maxKeys?: number;
	now: () => number;
}

/**
 * Login brake: after `maxFailures` failed logins within the window for one username, or from
 * one address, further tries are refused (HTTP 429) until old failures slide out. With the
 * default 10 per minute, the 11th try within a minute is the first one blocked.
 *
 * A success clears nothing: an attacker who owns one account could otherwise log into it
 * between guesses to reset the limit of their address (or of a victim's username).
 */
export class LoginThrottle {
	private readonly maxFailures: number;
	private readonly windowMs: number;
	private readonly maxKeys: number;
	private readonly now: () => number;
	/** Failure times per key, oldest first, at most `maxFailures` kept (enough to decide). */
	private readonly byUser = new Map<string, number[]>();
	private readonly byAddress = new Map<string, number[]>();

	constructor(options: LoginThrottleOptions) {
		this.maxFailures = options.maxFailures ?? 10;
		this.windowMs = options.windowMs ?? 60_000;
		this.maxKeys = options.maxKeys ?? 50_000;
		this.now = options.now;
		if (!(this.maxFailures >= 1) || !(this.windowMs > 0) || !(this.maxKeys >= 1)) {
			throw new Error('登录限流参数无效 / invalid login throttle options');
		}
	}

	/** True when a login for this username or from this address must be refused now. */
	blocked(username: string, address: string): boolean {
		const t = this.now();
		return (
			this.recent(this.byUser, userKey(username), t) >= this.maxFailures ||
			this.recent(this.byAddress, address, t) >= this.maxFailures
		);
	}

	/** Counts one failed login against the username and the address. */
	recordFailure(username: string, address: string): void {
		const t = this.now();
		this.push(this.byUser, userKey(username), t);
		this.push(this.byAddress, address, t);
	}

	/** A successful login; deliberately clears no counter (see the class comment). */
	recordSuccess(_username: string, _address: string): void {
		// Nothing to do: failures expire with the window, never by logging in.
	}

	/** Keys currently held (for tests and metrics). */
	size(): { users: number; addresses: number } {
		return { users: this.byUser.size, addresses: this.byAddress.size };
	}

	private recent(map: Map<string, number[]>, key: string, t: number): number {
		const list = map.get(key);
		if (!list) return 0;
		const kept = fresh(list, t - this.windowMs);
		if (kept.length === 0) map.delete(key);
		else if (kept.length !== list.length) map.set(key, kept);
		return kept.length;
	}

	private push(map: Map<string, number[]>, key: string, t: number): void {
		const list = fresh(map.get(key) ?? [], t - this.windowMs);
		list.push(t);
		if (list.length > this.maxFailures) list.splice(0, list.length - this.maxFailures);
		// Delete first so the key moves to the end: Map order is then least recently failed first.
		map.delete(key);
		map.set(key, list);
		if (map.size > this.maxKeys) this.shrink(map, t);
	}

	/**
	 * Keeps memory bounded when many keys fail (a spray over usernames or addresses): drop
	 * expired keys, then, if still full, the least recently failed ones down to 90% of the cap,
	 * so the O(n) sweep runs once per many insertions, not on each.
	 */
	private shrink(map: Map<string, number[]>, t: number): void {
		const since = t - this.windowMs;
		for (const [k, list] of map) if ((list.at(-1) ?? -Infinity) <= since) map.delete(k);
		const target = Math.floor(this.maxKeys * 0.9);
		for (const k of map.keys()) {
			if (map.size <= target) break;
			map.delete(k);
		}
	}
}

/** Usernames are case-insensitive here so that `School1` cannot dodge the limit of `school1`. */
function userKey(username: string): string {
	return username.trim().toLowerCase();
}

/** The failure times after `since` (a new array only when some expired). */
function fresh(list: number[], since: number): number[] {
	let i = 0;
	while (i < list.length && (list[i] ?? 0) <= since) i++;
	return i === 0 ? list : list.slice(i);
}
