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

async function messageOf(res: Response): Promise<Bilingual> {
	const body = (await res.json().catch(() => null)) as { message?: Bilingual } | null;
	return body?.message ?? { zh: `服务器错误 ${res.status}`, en: `server error ${res.status}` };
}

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

	async #get(path: string): Promise<Response | 'expired' | 'offline'> {
		const token = this.session.token;
		if (!token) return 'expired';
		try {
			const res = await fetch(`${this.apiBase}${path}`, {
				headers: { authorization: `Bearer ${token}` }
			});
			if (res.status === 401) {
				this.session.markExpired();
				return 'expired';
			}
			return res;
		} catch {
			return 'offline';
		}
	}

	/** Loads the quarterly report as JSON. */
	async load(year: number, quarter: Quarter): Promise<void> {
		const seq = ++this.#seq;
		this.state = { kind: 'loading' };
		const res = await this.#get(
			`/api/reports/quarterly?year=${year}&quarter=${quarter}&format=json`
		);
		if (seq !== this.#seq) return;
		if (res === 'expired') this.state = { kind: 'expired' };
		else if (res === 'offline') this.state = { kind: 'error', message: NETWORK };
		else if (res.status === 403) this.state = { kind: 'forbidden' };
		else if (res.status !== 200) this.state = { kind: 'error', message: await messageOf(res) };
		else {
			const report = (await res.json().catch(() => null)) as QuarterlyReport | null;
			if (seq !== this.#seq) return;
			this.state =
				report && Array.isArray(report.streets)
					? { kind: 'ok', report }
					: { kind: 'error', message: { zh: '服务器返回的数据无效', en: 'invalid server answer' } };
		}
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
		const res = await this.#get(path);
		if (res === 'expired') {
			this.download = {
				kind: 'error',
				message: { zh: '登录已过期', en: 'your login has expired' }
			};
			return;
		}
		if (res === 'offline') {
			this.download = { kind: 'error', message: NETWORK };
			return;
		}
		if (res.status !== 200) {
			this.download = { kind: 'error', message: await messageOf(res) };
			return;
		}
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
