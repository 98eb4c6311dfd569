import { RelayClient, type AnswerSchema, type RelayResult } from '../protocol/client';
import type { SessionManager } from './session.svelte';

/** The answer of an authenticated `/api/*` call: the value, or why there is none. */
export type ApiResult<T> = RelayResult<T>;

/**
 * GETs a JSON resource of the relay with the session's token, parsed by `answer` (issue 13:
 * the relay client, src/lib/protocol/client.ts). A 401 marks the session expired (the UI then
 * asks for the password, keeping local work); no network answers `offline`.
 */
export function apiGet<T>(
	session: SessionManager,
	path: string,
	answer: AnswerSchema<T>
): Promise<ApiResult<T>> {
	return new RelayClient(session).get(path, answer);
}
