/**
 * Issue 13: the one client of the relay's `/api/*`. Every call carries the session's token; a 401
 * marks the session expired (the UI asks for the password, keeping local work); no network
 * answers `offline`; a refusal brings the relay's own sentence in Chinese and English (or one
 * naming the status, for a proxy's error page that is not JSON); every answer is parsed by its
 * schema (src/lib/protocol/*), and one that does not parse is an error with a Chinese message,
 * never a cast.
 *
 * No schema library here: a schema is passed in, or a loader of one, so a screen's schemas (and
 * zod) load with the screen (`lazy`), and the first screen's answers use the zod-free parsers of
 * `./guards`. The file transfers (an upload with progress, a download) are in `./transfer`.
 */
import type { Bilingual } from '../rules/types';

/** What parses an answer: a zod schema, or a hand-written parser of the same form (`./guards`). */
export interface Parser<T> {
	safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** A parser, or a loader of one (a dynamic import of the screen's schema module). */
export type AnswerSchema<T> = Parser<T> | (() => Promise<Parser<T>>);

/** The schema `key` of the module `load` imports, loaded on first use. */
export function lazy<M, K extends keyof M>(load: () => Promise<M>, key: K): () => Promise<M[K]> {
	return async () => (await load())[key];
}

/** Why a call has no value: the relay's status, or no network, no login, a malformed answer. */
export type FailureStatus = number | 'offline' | 'logged-out' | 'malformed';

export interface RelayFailure {
	ok: false;
	status: FailureStatus;
	/** Chinese first; the UI shows it in the user's language. */
	message: Bilingual;
	/** The relay's JSON answer of a refusal (`{error, message, errors?}`), null when none. */
	body: unknown;
}

export type RelayResult<T> = { ok: true; status: number; value: T } | RelayFailure;

/** What the client needs of the session (SessionManager implements it). */
export interface RelaySession {
	readonly apiBase: string;
	readonly token: string | null;
	markExpired(): void;
}

export const RELAY_MESSAGES = {
	offline: {
		zh: '无法连接服务器，请联网后再试',
		en: 'cannot reach the server; try again when online'
	},
	loggedOut: { zh: '请先登录', en: 'please log in' },
	malformed: {
		zh: '服务器返回的数据格式不对',
		en: 'the server’s answer is not in the expected form'
	},
	status: (status: number): Bilingual => ({
		zh: `服务器错误（${status}）`,
		en: `server error (${status})`
	})
} as const;

export interface CallOptions {
	/** Send without the token (login). Default true. */
	auth?: boolean;
	/** Extra request headers. */
	headers?: Record<string, string>;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A call that could not send: nobody is logged in (no token). */
export const LOGGED_OUT: RelayFailure = {
	ok: false,
	status: 'logged-out',
	message: RELAY_MESSAGES.loggedOut,
	body: null
};
/** A call that got no answer: no network, or the relay is down. */
export const OFFLINE: RelayFailure = {
	ok: false,
	status: 'offline',
	message: RELAY_MESSAGES.offline,
	body: null
};

/** The relay's sentence of a refusal (`{message: {zh, en}}`), or one naming the status. */
export function refusalMessage(body: unknown, status: number): Bilingual {
	const m = isObj(body) ? body['message'] : null;
	if (isObj(m) && typeof m['zh'] === 'string')
		return { zh: m['zh'], en: typeof m['en'] === 'string' ? m['en'] : m['zh'] };
	return RELAY_MESSAGES.status(status);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

export class RelayClient {
	readonly #fetch: typeof fetch;

	constructor(
		private readonly session: RelaySession,
		/** The fetch to use (default the global one; tests of pure callers pass their own). */
		options: { fetch?: typeof fetch } = {}
	) {
		// Called unbound: `window.fetch` called as a method of another object throws.
		const given = options.fetch;
		this.#fetch = given ? (input, init) => given(input, init) : (input, init) => fetch(input, init);
	}

	/** The relay's base URL (empty: this page's origin). */
	get apiBase(): string {
		return this.session.apiBase;
	}

	get<T>(path: string, answer: AnswerSchema<T>, options?: CallOptions): Promise<RelayResult<T>> {
		return this.call('GET', path, undefined, answer, options);
	}

	post<T>(
		path: string,
		body: unknown,
		answer: AnswerSchema<T>,
		options?: CallOptions
	): Promise<RelayResult<T>> {
		return this.call('POST', path, body, answer, options);
	}

	put<T>(
		path: string,
		body: unknown,
		answer: AnswerSchema<T>,
		options?: CallOptions
	): Promise<RelayResult<T>> {
		return this.call('PUT', path, body, answer, options);
	}

	delete<T>(path: string, answer: AnswerSchema<T>, options?: CallOptions): Promise<RelayResult<T>> {
		return this.call('DELETE', path, undefined, answer, options);
	}

	/** Headers of a call: the token unless `auth: false`; null when there is no token to send. */
	headers(options: CallOptions | undefined, json: boolean): Record<string, string> | null {
		const headers: Record<string, string> = { ...(options?.headers ?? {}) };
		if (json) headers['content-type'] = 'application/json';
		if (options?.auth === false) return headers;
		const token = this.session.token;
		if (!token) return null;
		headers['authorization'] = `Bearer ${token}`;
		return headers;
	}

	/** One JSON call: `body` (when given) sent as JSON, the answer parsed by `answer`. */
	async call<T>(
		method: Method,
		path: string,
		body: unknown,
		answer: AnswerSchema<T>,
		options?: CallOptions
	): Promise<RelayResult<T>> {
		const headers = this.headers(options, body !== undefined);
		if (!headers) return LOGGED_OUT;
		let status: number;
		let text: string;
		try {
			const res = await this.#fetch(`${this.apiBase}${path}`, {
				method,
				headers,
				...(body === undefined ? {} : { body: JSON.stringify(body) })
			});
			status = res.status;
			text = await res.text();
		} catch {
			return OFFLINE;
		}
		return this.settle(status, text, answer, options?.auth !== false);
	}

	/**
	 * The result of an answer: a 401 to a call with the token marks the session expired (one
	 * without, the login, is a wrong password); 2xx is parsed by `answer`.
	 */
	async settle<T>(
		status: number,
		text: string,
		answer: AnswerSchema<T>,
		withToken = true
	): Promise<RelayResult<T>> {
		if (status === 401 && withToken) this.session.markExpired();
		const json = parseJson(text);
		if (status < 200 || status > 299) {
			const body = json.ok ? json.value : null;
			return { ok: false, status, message: refusalMessage(body, status), body };
		}
		if (!json.ok)
			return { ok: false, status: 'malformed', message: RELAY_MESSAGES.malformed, body: null };
		const parser = typeof answer === 'function' ? await answer() : answer;
		const parsed = parser.safeParse(json.value);
		return parsed.success
			? { ok: true, status, value: parsed.data }
			: { ok: false, status: 'malformed', message: RELAY_MESSAGES.malformed, body: json.value };
	}
}
