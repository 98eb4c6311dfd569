import { RelayClient, lazy } from '../protocol/client';
import { download } from '../protocol/transfer';
import type { Bilingual } from '../rules';
import type { Quarter } from './period';
import type { QuarterlyReport } from './quarterly';

/** What the reports page needs from the session: the token, and a way to say it expired. */
export interface ReportSession {
	readonly token: string | null;
	markExpired(): void;
}

export type ReportState =
	| { kind: 'idle' }
	| { kind: 'loading' }
	| { kind: 'ok'; report: QuarterlyReport }
	| { kind: 'forbidden' }
	| { kind: 'expired' }
	| { kind: 'error'; message: Bilingual };

export type DownloadState =
	| { kind: 'idle' }
	| { kind: 'busy' }
	| { kind: 'done'; file: string }
	| { kind: 'error'; message: Bilingual };

const NETWORK: Bilingual = { zh: '无法连接服务器', en: 'cannot reach the server' };

/** The file name the relay gave (RFC 6266 `filename*`, else `filename`), or a fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
	const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
	if (star?.[1]) {
		try {
			return decodeURIComponent(star[1]);
		} catch {
			// a malformed name: use the plain one
		}
	}
	const plain = /filename="([^"]+)"/i.exec(disposition ?? '');
	return plain?.[1] ?? fallback;
}

/** The report's schema, loaded with the reports page (issue 13). */
const quarterlyAnswer = lazy(() => import('../protocol/reports'), 'quarterlyAnswer');

/**
 * The quarterly report (S-5) and the .xlsx downloads, fetched from the relay with the session's
 * Bearer token: reports are built from every case in the district, so they are online-only.
 * A later request supersedes an earlier one still in flight (quick changes of quarter).
 */
export class ReportsClient {
	state = $state<ReportState>({ kind: 'idle' });
	download = $state<DownloadState>({ kind: 'idle' });
	#seq = 0;

	constructor(
		private readonly apiBase: string,
		private readonly session: ReportSession
	) {}

	/** Issue 13: the relay client; a 401 marks the session expired. */
	#relay(): RelayClient {
		return new RelayClient({
			apiBase: this.apiBase,
			token: this.session.token,
			markExpired: () => this.session.markExpired()
		});
	}

	/** Loads the quarterly report as JSON. */
	async load(year: number, quarter: Quarter): Promise<void> {
		const seq = ++this.#seq;
		this.state = { kind: 'loading' };
		const r = await this.#relay().get(
			`/api/reports/quarterly?year=${year}&quarter=${quarter}&format=json`,
			quarterlyAnswer
		);
		if (seq !== this.#seq) return;
		if (r.ok) this.state = { kind: 'ok', report: r.value };
		else if (r.status === 'logged-out' || r.status === 401) this.state = { kind: 'expired' };
		else if (r.status === 'offline') this.state = { kind: 'error', message: NETWORK };
		else if (r.status === 403) this.state = { kind: 'forbidden' };
		else this.state = { kind: 'error', message: r.message };
	}

	/**
	 * Downloads an .xlsx through a Blob URL (a plain link cannot carry the Bearer token).
	 * `save` receives the URL and the file name and clicks a link; the URL is revoked afterwards.
	 */
	async downloadXlsx(
		path: string,
		fallbackName: string,
		save: (url: string, name: string) => void
	) {
		this.download = { kind: 'busy' };
		const r = await download(this.#relay(), path);
		if (!r.ok) {
			const expired = r.status === 'logged-out' || r.status === 401;
			this.download = {
				kind: 'error',
				message: expired
					? { zh: '登录已过期', en: 'your login has expired' }
					: r.status === 'offline'
						? NETWORK
						: r.message
			};
			return;
		}
		const res = r.response;
		const name = fileNameOf(res.headers.get('content-disposition'), fallbackName);
		const url = URL.createObjectURL(await res.blob());
		try {
			save(url, name);
		} finally {
			// Revoke a little later: some browsers read the Blob after the click returns.
			setTimeout(() => URL.revokeObjectURL(url), 10_000);
		}
		this.download = { kind: 'done', file: name };
	}
}
