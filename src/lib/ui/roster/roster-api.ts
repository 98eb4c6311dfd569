/**
 * The roster endpoints of the relay (`/api/roster/*`, S-1, B-1, B-2) as the roster page calls
 * them. Online only: roster rows are not kept on the device. Issue 13: every answer is parsed by
 * its wire schema (src/lib/protocol/roster), loaded with the page's first call.
 */
import { RelayClient, lazy, type AnswerSchema, type RelayResult } from '../../protocol/client';
import { upload, type UploadStage } from '../../protocol/transfer';
import type { Bilingual } from '../../rules/types';
import type {
	ImportKind,
	PreviewView,
	SummaryView,
	TraceView,
	WatchView
} from '../../protocol/roster';
import { TEMPLATE_HEADER } from './template';

export { TEMPLATE_HEADER };
export type {
	DiffRowView,
	ImportKind,
	PreviewView,
	RosterDiffView,
	RosterErrorView,
	RosterRowView,
	SummaryView,
	TraceStudentView,
	TraceView,
	WatchStudentView,
	WatchView
} from '../../protocol/roster';
export type { UploadStage };

export type Result<T> = { ok: true; value: T } | { ok: false; status: number; message: Bilingual };

/** The page's access to the relay: its base URL, the session's token, and what to do on 401. */
export interface RosterClient {
	base: string;
	token: () => string | null;
	onUnauthorized: () => void;
}

const schemas = () => import('../../protocol/roster');
const createdCase = lazy(() => import('../../protocol/common'), 'createdCaseAnswer');

function relay(c: RosterClient): RelayClient {
	return new RelayClient({
		apiBase: c.base,
		get token() {
			return c.token();
		},
		markExpired: () => c.onUnauthorized()
	});
}

/** The page's form of a result: a failure's status is 0 when the relay cannot be reached. */
function result<T>(r: RelayResult<T>): Result<T> {
	if (r.ok) return { ok: true, value: r.value };
	const status =
		r.status === 'offline'
			? 0
			: r.status === 'logged-out'
				? 401
				: r.status === 'malformed'
					? 500
					: r.status;
	return { ok: false, status, message: r.message };
}

async function get<T>(c: RosterClient, path: string, answer: AnswerSchema<T>): Promise<Result<T>> {
	return result(await relay(c).get(path, answer));
}

async function post<T>(
	c: RosterClient,
	path: string,
	body: unknown,
	answer: AnswerSchema<T>
): Promise<Result<T>> {
	return result(await relay(c).post(path, body, answer));
}

const q = (term: string | null) => (term ? `?term=${encodeURIComponent(term)}` : '');

/** Counts per school for a term (default: the current term) and the term before. */
export function fetchSummary(c: RosterClient, term: string | null): Promise<Result<SummaryView>> {
	return get(c, `/api/roster/summary${q(term)}`, lazy(schemas, 'summaryAnswer'));
}

/** B-1: students of the previous term's roster not registered in `term`. */
export function fetchTrace(c: RosterClient, term: string | null): Promise<Result<TraceView>> {
	return get(c, `/api/roster/trace${q(term)}`, lazy(schemas, 'traceAnswer'));
}

/**
 * B-2: opens a case for a student of the trace list, named by the row's opaque `key`; resolves
 * to the new case's id.
 */
export function openTraceCase(
	c: RosterClient,
	term: string,
	key: string
): Promise<Result<{ id: string; caseNo?: string }>> {
	return openRowCase(c, '/api/roster/trace/case', term, key);
}

/** Issue 12 (B-6): the watch list of `term` — flagged roster students without a case. */
export function fetchWatch(c: RosterClient, term: string): Promise<Result<WatchView>> {
	return get(c, `/api/roster/watch${q(term)}`, lazy(schemas, 'watchAnswer'));
}

/** 立案 for a watch-list row, named by its opaque key. */
export function openWatchCase(
	c: RosterClient,
	term: string,
	key: string
): Promise<Result<{ id: string; caseNo?: string }>> {
	return openRowCase(c, '/api/roster/watch/case', term, key);
}

function openRowCase(
	c: RosterClient,
	path: string,
	term: string,
	key: string
): Promise<Result<{ id: string; caseNo?: string }>> {
	return post(c, path, { term, key }, createdCase);
}

/** Confirms a preview without errors: the rows are stored all at once. */
export function confirmImport(
	c: RosterClient,
	previewId: string
): Promise<Result<{ importId: number; rows: number; term: string }>> {
	return post(c, '/api/roster/import', { previewId }, lazy(schemas, 'importAnswer'));
}

/**
 * Uploads a roster file for a preview with the relay client's upload (XMLHttpRequest, whose
 * `upload.onprogress` reports the bytes sent); then the relay parses and checks every row.
 */
export async function uploadPreview(
	c: RosterClient,
	term: string,
	file: File,
	onProgress: (s: UploadStage) => void,
	kind: ImportKind = 'full'
): Promise<Result<PreviewView>> {
	const name = encodeURIComponent(file.name);
	const type = file.name.toLowerCase().endsWith('.xlsx')
		? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		: 'text/csv';
	return result(
		await upload(
			relay(c),
			`/api/roster/preview?term=${encodeURIComponent(term)}&name=${name}&kind=${kind}`,
			file,
			type,
			lazy(schemas, 'previewAnswer'),
			onProgress
		)
	);
}

/**
 * A `data:` URL of the CSV template: the header row only (an example row would be imported as a
 * student if left in), with a BOM so that Excel opens it as UTF-8.
 */
export function templateHref(): string {
	const csv = `\uFEFF${TEMPLATE_HEADER.join(',')}\r\n`;
	return `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
}
