import { Worker } from 'node:worker_threads';
import type { Storage } from './types';

/** Every method of the Storage interface, for the proxy below. */
const METHODS = [
	'addOrg',
	'getOrg',
	'listOrgs',
	'addUser',
	'getUser',
	'getUserByUsername',
	'listUsers',
	'setUserDisabled',
	'setUserPassword',
	'nextCaseNumber',
	'createCase',
	'getCase',
	'listCases',
	'updateCaseCache',
	'appendUpdates',
	'appendUpdate',
	'loadUpdates',
	'latestSnapshot',
	'saveSnapshot',
	'listClientIds',
	'bindClientIds',
	'quarantine',
	'listQuarantine',
	'audit',
	'auditMany',
	'listAudit',
	'importRoster',
	'listRoster',
	'rosterCounts',
	'rosterTerms',
	'listRosterImports',
	'calendarState',
	'putCalendarYear',
	'putTermYear',
	'calendarLog',
	'putPersonIds',
	'getPersonIds',
	'listPersonIds',
	'findPersonIds',
	'caseLogBytes',
	'rewriteCaseLog',
	'rewriteQuarantine',
	'addOrgRecord',
	'listOrgRecords',
	'appendFamilyUpdate',
	'loadFamilyUpdates',
	'getFamilyMembers',
	'listFamilies',
	'getSetting',
	'setSetting',
	'backup',
	'close'
] as const satisfies readonly (keyof Storage)[];

interface ErrorReply {
	name: string;
	message: string;
	/** SQLite's result code (SQLITE_FULL, …): server/storage/faults.ts reads it. */
	code?: string;
}
type Reply =
	{ id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorReply };

const toError = (e: ErrorReply): Error =>
	Object.assign(new Error(e.message), { name: e.name }, e.code ? { code: e.code } : {});

/**
 * The SQLite storage on a worker thread: the same adapter and contract, but its synchronous
 * commits and fsyncs no longer block the relay's event loop, so fan-out of other documents goes
 * on while one batch is being made durable. Resolves once the database is open.
 */
export async function openSqliteStorageInWorker(options: { path: string }): Promise<Storage> {
	const worker = new Worker(new URL('./sqlite-worker.mjs', import.meta.url), {
		workerData: options
	});
	const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	let next = 1;
	let failed: Error | null = null;
	const failAll = (err: Error) => {
		failed = err;
		for (const p of pending.values()) p.reject(err);
		pending.clear();
	};
	await new Promise<void>((resolve, reject) => {
		worker.once('error', reject);
		worker.once('message', (m: { ready: true } | { ready: false; error: ErrorReply }) => {
			worker.off('error', reject);
			if (m.ready) resolve();
			else reject(toError(m.error));
		});
	});
	worker.on('error', (err) => failAll(err));
	worker.on('exit', () => failAll(new Error('存储线程已退出 / the storage thread exited')));
	worker.on('message', (m: Reply) => {
		const p = pending.get(m.id);
		if (!p) return;
		pending.delete(m.id);
		if (m.ok) p.resolve(m.value);
		else p.reject(toError(m.error));
	});
	const call = (method: string, args: unknown[]): Promise<unknown> =>
		new Promise((resolve, reject) => {
			if (failed) return reject(failed);
			const id = next++;
			pending.set(id, { resolve, reject });
			worker.postMessage({ id, method, args });
		});
	const storage = {} as Record<string, (...args: unknown[]) => Promise<unknown>>;
	for (const m of METHODS) storage[m] = (...args: unknown[]) => call(m, args);
	let closed: Promise<void> | null = null;
	storage.close = () =>
		(closed ??= call('close', []).then(async () => {
			worker.removeAllListeners('exit');
			await worker.terminate();
		}));
	return storage as unknown as Storage;
}
