/**
 * Issue 13: the relay client's file transfers, apart from `./client` so that the first screen
 * does not carry them: an upload with progress (the roster import) and a download (the reports'
 * .xlsx). Same rules as every call: the token, 401 → expired, offline, the relay's refusal.
 */
import {
	LOGGED_OUT,
	OFFLINE,
	RELAY_MESSAGES,
	type AnswerSchema,
	type RelayClient,
	type RelayFailure,
	type RelayResult
} from './client';

/** Where an upload is: sending (with the fraction sent) or waiting for the relay's checks. */
export type UploadStage = { stage: 'sending'; fraction: number } | { stage: 'checking' };

/**
 * POSTs a file as the raw request body with XMLHttpRequest, whose `upload.onprogress` reports
 * the bytes sent (fetch cannot); then the relay checks it ("checking") and answers as `call`.
 */
export function upload<T>(
	client: RelayClient,
	path: string,
	file: Blob,
	contentType: string,
	answer: AnswerSchema<T>,
	onProgress: (s: UploadStage) => void
): Promise<RelayResult<T>> {
	const headers = client.headers(undefined, false);
	if (!headers) return Promise.resolve(LOGGED_OUT);
	return new Promise((resolve) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', `${client.apiBase}${path}`);
		for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
		xhr.setRequestHeader('content-type', contentType);
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) onProgress({ stage: 'sending', fraction: e.loaded / e.total });
		};
		xhr.upload.onload = () => onProgress({ stage: 'checking' });
		xhr.onerror = () => resolve(OFFLINE);
		xhr.onload = () => void client.settle(xhr.status, xhr.responseText, answer).then(resolve);
		xhr.send(file);
	});
}

/** A GET of a file (an .xlsx): the Response when the relay answers 2xx, else the refusal. */
export async function download(
	client: RelayClient,
	path: string
): Promise<{ ok: true; response: Response } | RelayFailure> {
	const headers = client.headers(undefined, false);
	if (!headers) return LOGGED_OUT;
	let res: Response;
	try {
		res = await fetch(`${client.apiBase}${path}`, { headers });
	} catch {
		return OFFLINE;
	}
	if (res.ok) return { ok: true, response: res };
	const failed = await client.settle(res.status, await res.text().catch(() => ''), {
		safeParse: () => ({ success: false })
	});
	return failed.ok
		? { ok: false, status: 'malformed', message: RELAY_MESSAGES.malformed, body: null }
		: failed;
}
