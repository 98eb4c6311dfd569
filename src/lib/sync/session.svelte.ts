import { RelayClient } from '../protocol/client';
import { loginAnswerGuard, parseSessionUser as parseUser } from '../protocol/guards';
import type { Bilingual } from '../rules';
import type { LoginResult, Session, SessionUser } from './contract';
import { loginWipeDays } from './device-users';

/** localStorage key of the session (token and user) kept for offline use. */
export const SESSION_KEY = 'yishengyian.session';

/**
 * The user record from the relay or from localStorage, checked field by field (a trust
 * boundary; zod-free so the login page does not load a schema library: src/lib/protocol/guards).
 */
export const parseSessionUser: (v: unknown) => SessionUser | null = parseUser;

const OFFLINE: Bilingual = {
	zh: '无法连接服务器，请联网后再登录',
	en: 'cannot reach the server; log in when online'
};

/** Expiry (ms since epoch) written in a JWT, or null when unreadable. */
export function tokenExpiry(token: string): number | null {
	try {
		const payload = token.split('.')[1] ?? '';
		const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
		const exp = (JSON.parse(json) as { exp?: unknown }).exp;
		return typeof exp === 'number' ? exp * 1000 : null;
	} catch {
		return null;
	}
}

/** What the device does when a user logs in or out (the workspace: issue 11). */
export interface SessionHooks {
	/** A user logged in; `wipeDays` is the bureau's setting from the login answer, if valid. */
	loggedIn?: (user: SessionUser, wipeDays: number | null) => Promise<void>;
	/** The user logged out; with `wipe`, their local data is to be deleted. */
	loggedOut?: (user: SessionUser, wipe: boolean) => Promise<void>;
}

/**
 * The logged-in user and token, kept in localStorage so the app works offline after one
 * online login. An expired token keeps the user (and every local edit); the UI asks for the
 * password again when back online.
 */
export class SessionManager implements Session {
	user = $state<SessionUser | null>(null);
	token = $state<string | null>(null);
	#revoked = $state(false);
	#now = $state(Date.now());
	readonly #timer: ReturnType<typeof setInterval> | null;

	constructor(
		readonly apiBase: string,
		private readonly hooks: SessionHooks = {}
	) {
		try {
			const stored = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as {
				token?: unknown;
				user?: unknown;
			} | null;
			const user = parseSessionUser(stored?.user);
			if (user && typeof stored?.token === 'string') {
				this.user = user;
				this.token = stored.token;
			}
		} catch {
			// Unreadable storage: start logged out.
		}
		this.#timer =
			typeof setInterval === 'function'
				? setInterval(() => (this.#now = Date.now()), 30_000)
				: null;
	}

	get loggedIn(): boolean {
		return this.user !== null && this.token !== null;
	}

	get expired(): boolean {
		if (!this.token) return false;
		const exp = tokenExpiry(this.token);
		return this.#revoked || (exp !== null && exp <= this.#now);
	}

	/** The relay refused the token (401 / close 4401): ask for the password again. */
	markExpired(): void {
		this.#revoked = true;
	}

	async login(username: string, password: string): Promise<LoginResult> {
		// Issue 13: the relay client; the login answer's parser is zod-free (first screen).
		const r = await new RelayClient(this).post(
			'/api/login',
			{ username, password },
			loginAnswerGuard,
			{ auth: false }
		);
		if (!r.ok) {
			const status = typeof r.status === 'number' ? r.status : r.status === 'offline' ? 0 : 500;
			return { ok: false, status, message: status ? r.message : OFFLINE };
		}
		const body = r.value;
		const user = body.user;
		// Another user on this device never sees the previous user's local cases: each has
		// databases of their own (issue 11), so the previous user's stay theirs, unsent work too.
		this.user = user;
		this.token = body.token;
		this.#revoked = false;
		this.#now = Date.now();
		try {
			localStorage.setItem(SESSION_KEY, JSON.stringify({ token: body.token, user }));
		} catch {
			// The session then lasts for this page only.
		}
		await this.hooks.loggedIn?.(user, loginWipeDays(body));
		return { ok: true };
	}

	async relogin(password: string): Promise<LoginResult> {
		if (!this.user)
			return { ok: false, status: 401, message: { zh: '请先登录', en: 'please log in' } };
		return this.login(this.user.username, password);
	}

	async logout(wipe: boolean): Promise<void> {
		const user = this.user;
		this.user = null;
		this.token = null;
		this.#revoked = false;
		try {
			localStorage.removeItem(SESSION_KEY);
		} catch {
			// nothing stored
		}
		if (user) await this.hooks.loggedOut?.(user, wipe);
	}

	/** Stops the expiry clock (tests, teardown). */
	dispose(): void {
		if (this.#timer) clearInterval(this.#timer);
	}
}
