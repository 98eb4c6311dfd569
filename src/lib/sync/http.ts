import type { Bilingual } from '../rules/types';
import type { SessionManager } from './session.svelte';

/** The answer of an authenticated `/api/*` call: the value, or why there is none. */
export type ApiResult<T> =
	| { ok: true; value: T }
	| { ok: false; status: number | 'offline' | 'logged-out'; message: Bilingual | null };

/**
 * GETs a JSON resource of the relay with the session's token. A 401 marks the session expired
 * (the UI then asks for the password, keeping local work); no network answers `offline`.
 */
export async function apiGet<T>(session: SessionManager, path: string): Promise<ApiResult<T>> {
	const token = session.token;
	if (!token) return { ok: false, status: 'logged-out', message: null };
	let res: Response;
	try {
		res = await fetch(`${session.apiBase}${path}`, {
			headers: { authorization: `Bearer ${token}` }
		});
	} catch {
		return { ok: false, status: 'offline', message: null };
	}
	if (res.status === 401) session.markExpired();
	if (res.ok) return { ok: true, value: (await res.json()) as T };
	let message: Bilingual | null = null;
	try {
		const body = (await res.json()) as { message?: Bilingual };
		if (body.message && typeof body.message.zh === 'string') message = body.message;
	} catch {
		// Not JSON (a proxy's error page): the status says enough.
	}
	return { ok: false, status: res.status, message };
}
