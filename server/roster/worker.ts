import { Worker } from 'node:worker_threads';
import type { RosterStudent } from '../storage/types';
import type { RosterContext, RosterError } from './validate';

/** What the relay keeps of a checked roster file in memory: counts and a few rows, never all. */
export interface RosterCheck {
	kind: 'csv' | 'xlsx';
	/** Non-empty rows below the header. */
	dataRows: number;
	valid: number;
	errorCount: number;
	/** The first `maxErrors` errors (the count above is complete). */
	errors: RosterError[];
	/** The first `sampleRows` valid rows, as read (the HTTP layer masks the ID numbers). */
	sample: RosterStudent[];
	/** Valid rows per school id. */
	bySchool: Record<string, number>;
}

/** The order of a student's fields in a rows file (one array per student, not an object). */
export const ROW_FIELDS = [
	'registryNo',
	'name',
	'gender',
	'birthDate',
	'idNumber',
	'schoolId',
	'grade',
	'className',
	'hukouPlace',
	'residence',
	'guardianName',
	'guardianPhone',
	'focusGroups'
] as const satisfies readonly (keyof RosterStudent)[];

/**
 * Reads the roster file at `uploadPath`, checks every row, and — when no row has an error —
 * writes the valid rows to `rowsPath` (mode 0600), all on a short-lived worker thread: a
 * 50,000-row file takes seconds of CPU and hundreds of MiB while parsed, and neither must stay
 * with the relay's event loop. Only the summary comes back.
 */
export function checkRosterFileInWorker(
	uploadPath: string,
	rowsPath: string,
	ctx: RosterContext,
	opts: { maxErrors: number; sampleRows: number }
): Promise<RosterCheck> {
	return new Promise<RosterCheck>((resolve, reject) => {
		const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
			workerData: { uploadPath, rowsPath, ctx, fields: ROW_FIELDS, ...opts }
		});
		let settled = false;
		worker.once(
			'message',
			(m: { ok: true; value: RosterCheck } | { ok: false; message: string }) => {
				settled = true;
				if (m.ok) resolve(m.value);
				else reject(new Error(m.message));
				void worker.terminate();
			}
		);
		worker.once('error', (err) => {
			settled = true;
			reject(err);
		});
		worker.once('exit', (code) => {
			if (!settled) reject(new Error(`名册解析线程意外退出 / the roster parser exited (${code})`));
		});
	});
}

/** The students of a rows file written by `checkRosterFileInWorker`. */
export function readRows(text: string): RosterStudent[] {
	const rows = JSON.parse(text) as unknown;
	if (!Array.isArray(rows))
		throw new Error('名册预览文件已损坏 / the preview rows file is damaged');
	return rows.map((r: unknown) => {
		if (!Array.isArray(r) || r.length !== ROW_FIELDS.length) {
			throw new Error('名册预览文件已损坏 / the preview rows file is damaged');
		}
		// A field the file had no value for (focusGroups: none) stays absent.
		return Object.fromEntries(
			ROW_FIELDS.flatMap((f, i) =>
				r[i] === undefined || (r[i] === null && f === 'focusGroups') ? [] : [[f, r[i] as unknown]]
			)
		) as unknown as RosterStudent;
	});
}
