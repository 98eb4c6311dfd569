import { ORG_KINDS, ROLES } from '../domain/kinds';
import type { Bilingual } from '../rules';
import type { LoginResult, Session, SessionUser } from './contract';
import { loginWipeDays } from './device-users';

/** localStorage key of the session (token and user) kept for offline use. */
export const SESSION_KEY = 'yishengyian.session';

/**
 * The user record from the relay or from localStorage, checked field by field (a trust
 * boundary; written by hand so the login page does not load a schema library).
 */
export function parseSessionUser(v: unknown): SessionUser | null {
	if (typeof v !== 'object' || v === null) return null;
	const u = v as Record<string, unknown>;
	const str = (k: string): string | null => {
		const x = u[k];
		return typeof x === 'string' ? x : null;
	};
	const [id, username, displayName, orgId, orgName, kind, role] = [
		str('id'),
		str('username'),
		str('displayName'),
		str('orgId'),
		str('orgName'),
		str('orgKind'),
		str('role')
	];
	if (!id || !username || !displayName || !orgId || orgName === null) return null;
	const orgKind = ORG_KINDS.find((k) => k === kind);
	const r = ROLES.find((x) => x === role);
	if (!orgKind || !r) return null;
	return { id, username, displayName, orgId, orgName, orgKind, role: r };
}

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
		let res: Response;
		try {
			res = await fetch(`${this.apiBase}/api/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username, password })
			});
		} catch {
			return { ok: false, status: 0, message: OFFLINE };
		}
		const body = (await res.json().catch(() => null)) as {
			token?: string;
			user?: unknown;
			message?: Bilingual;
		} | null;
		if (res.status !== 200 || !body?.token) {
			return {
				ok: false,
				status: res.status,
				message: body?.message ?? { zh: '登录失败', en: 'login failed' }
			};
		}
		const user = parseSessionUser(body.user);
		if (!user) {
			return {
				ok: false,
				status: 500,
				message: { zh: '服务器返回的数据无效', en: 'invalid server answer' }
			};
		}
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
