/**
 * The roster endpoints of the relay (`/api/roster/*`, S-1, B-1, B-2) as the roster page calls
 * them. Online only: roster rows are not kept on the device. Answers are checked for the fields
 * the page reads (a trust boundary, by hand, to keep zod out of this page's bundle).
 */
import type { Bilingual } from '../../rules/types';
import { TEMPLATE_HEADER } from './template';

export { TEMPLATE_HEADER };

export interface RosterErrorView {
	row: number | null;
	column: string | null;
	message: Bilingual;
}

/** A preview row: the 学籍号 and ID number come masked (issue 11). */
export interface RosterRowView {
	registryNo: string;
	name: string;
	gender: 'male' | 'female';
	birthDate: string;
	idNumber: string | null;
	schoolId: string;
	grade: number;
	className: string;
}

export interface PreviewView {
	previewId: string;
	term: string;
	fileName: string;
	rows: number;
	valid: number;
	errorCount: number;
	errors: RosterErrorView[];
	sample: RosterRowView[];
	bySchool: Record<string, number>;
	schools: Record<string, string>;
	/** Issue 12 (B-1): the schools' full roster of the term (the default), or additions only. */
	importKind?: ImportKind;
	/** A full import's difference to the stored roster (null for additions, or with errors). */
	replace?: RosterDiffView | null;
}

export type ImportKind = 'full' | 'additions';

/** A student of a difference list: masked, named by the relay's opaque key. */
export interface DiffRowView {
	key: string;
	registryNo: string;
	name: string;
	schoolId: string;
	grade: number;
	className: string;
}

/** What a full import changes (server/roster/diff.ts); the row lists may be cut, never the counts. */
export interface RosterDiffView {
	schools: string[];
	before: number;
	after: number;
	added: number;
	removed: number;
	changed: number;
	unchanged: number;
	addedRows: DiffRowView[];
	removedRows: DiffRowView[];
	changedRows: (DiffRowView & {
		changes: { field: string; before: string | null; after: string | null }[];
	})[];
}

/** A student of the watch list (B-6): masked, with the rules' flags. */
export interface WatchStudentView {
	key: string;
	registryNo: string;
	name: string;
	schoolId: string;
	school: string;
	grade: number;
	className: string;
	flags: { rule: string; key: string; label: Bilingual }[];
}

export interface WatchView {
	term: string;
	students: WatchStudentView[];
}

export interface SummaryView {
	term: string;
	currentTerm: string;
	terms: string[];
	counts: Record<string, number>;
	previousTerm: string | null;
	previousCounts: Record<string, number>;
	schools: Record<string, string>;
}

/** A student to trace: the 学籍号 and ID number come masked (issue 11). */
export interface TraceStudentView {
	/** Opaque, from the relay: names the row when a case is opened for it (never the 学籍号). */
	key: string;
	registryNo: string;
	name: string;
	gender: 'male' | 'female';
	idNumber: string | null;
	schoolId: string;
	school: string;
	grade: number;
	className: string;
	previousTerm: string;
}

export interface TraceView {
	term: string;
	previousTerm: string | null;
	pendingSchools: string[];
	students: TraceStudentView[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; status: number; message: Bilingual };

const OFFLINE: Bilingual = {
	zh: '无法连接服务器，请联网后再试',
	en: 'cannot reach the server; try again when online'
};
const INVALID: Bilingual = { zh: '服务器返回的数据无效', en: 'invalid server answer' };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const messageOf = (body: unknown, status: number): Bilingual =>
	isObj(body) && isObj(body['message']) && typeof body['message']['zh'] === 'string'
		? (body['message'] as unknown as Bilingual)
		: { zh: `请求失败（${status}）`, en: `request failed (${status})` };

/** The page's access to the relay: its base URL, the session's token, and what to do on 401. */
export interface RosterClient {
	base: string;
	token: () => string | null;
	onUnauthorized: () => void;
}

function answer<T>(
	c: RosterClient,
	status: number,
	body: unknown,
	okStatus: number,
	check: (b: Record<string, unknown>) => boolean
): Result<T> {
	if (status === 401) c.onUnauthorized();
	if (status !== okStatus) return { ok: false, status, message: messageOf(body, status) };
	if (!isObj(body) || !check(body)) return { ok: false, status: 500, message: INVALID };
	return { ok: true, value: body as T };
}

async function call<T>(
	c: RosterClient,
	path: string,
	init: RequestInit,
	okStatus: number,
	check: (b: Record<string, unknown>) => boolean
): Promise<Result<T>> {
	let res: Response;
	try {
		res = await fetch(`${c.base}${path}`, {
			...init,
			headers: { ...(init.headers ?? {}), authorization: `Bearer ${c.token() ?? ''}` }
		});
	} catch {
		return { ok: false, status: 0, message: OFFLINE };
	}
	const body: unknown = await res.json().catch(() => null);
	return answer<T>(c, res.status, body, okStatus, check);
}

const q = (term: string | null) => (term ? `?term=${encodeURIComponent(term)}` : '');

/** Counts per school for a term (default: the current term) and the term before. */
export function fetchSummary(c: RosterClient, term: string | null): Promise<Result<SummaryView>> {
	return call(c, `/api/roster/summary${q(term)}`, {}, 200, (b) => Array.isArray(b['terms']));
}

/** B-1: students of the previous term's roster not registered in `term`. */
export function fetchTrace(c: RosterClient, term: string | null): Promise<Result<TraceView>> {
	return call(
		c,
		`/api/roster/trace${q(term)}`,
		{},
		200,
		(b) =>
			Array.isArray(b['students']) &&
			b['students'].every((s) => isObj(s) && typeof s['key'] === 'string')
	);
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
	return call(
		c,
		`/api/roster/watch${q(term)}`,
		{},
		200,
		(b) =>
			Array.isArray(b['students']) &&
			b['students'].every(
				(s) => isObj(s) && typeof s['key'] === 'string' && Array.isArray(s['flags'])
			)
	);
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
	return call(
		c,
		path,
		{
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ term, key })
		},
		201,
		(b) => typeof b['id'] === 'string'
	);
}

/** Confirms a preview without errors: the rows are stored all at once. */
export function confirmImport(
	c: RosterClient,
	previewId: string
): Promise<Result<{ importId: number; rows: number; term: string }>> {
	return call(
		c,
		'/api/roster/import',
		{
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ previewId })
		},
		200,
		(b) => typeof b['rows'] === 'number'
	);
}

/** Where an upload is: sending (with the fraction sent) or waiting for the relay's checks. */
export type UploadStage = { stage: 'sending'; fraction: number } | { stage: 'checking' };

/**
 * Uploads a roster file for a preview with XMLHttpRequest, whose `upload.onprogress` reports
 * the bytes sent (fetch cannot); then the relay parses and checks every row ("checking").
 */
export function uploadPreview(
	c: RosterClient,
	term: string,
	file: File,
	onProgress: (s: UploadStage) => void,
	kind: ImportKind = 'full'
): Promise<Result<PreviewView>> {
	return new Promise((resolve) => {
		const xhr = new XMLHttpRequest();
		const name = encodeURIComponent(file.name);
		xhr.open(
			'POST',
			`${c.base}/api/roster/preview?term=${encodeURIComponent(term)}&name=${name}&kind=${kind}`
		);
		xhr.setRequestHeader('authorization', `Bearer ${c.token() ?? ''}`);
		xhr.setRequestHeader(
			'content-type',
			file.name.toLowerCase().endsWith('.xlsx')
				? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
				: 'text/csv'
		);
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) onProgress({ stage: 'sending', fraction: e.loaded / e.total });
		};
		xhr.upload.onload = () => onProgress({ stage: 'checking' });
		xhr.onerror = () => resolve({ ok: false, status: 0, message: OFFLINE });
		xhr.onload = () => {
			let body: unknown = null;
			try {
				body = JSON.parse(xhr.responseText) as unknown;
			} catch {
				body = null;
			}
			resolve(
				answer<PreviewView>(
					c,
					xhr.status,
					body,
					200,
					(b) => typeof b['previewId'] === 'string' && Array.isArray(b['errors'])
				)
			);
		};
		xhr.send(file);
	});
}

/**
 * A `data:` URL of the CSV template: the header row only (an example row would be imported as a
 * student if left in), with a BOM so that Excel opens it as UTF-8.
 */
export function templateHref(): string {
	const csv = `\uFEFF${TEMPLATE_HEADER.join(',')}\r\n`;
	return `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
}
