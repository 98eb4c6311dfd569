// The SQLite adapter running on its own thread (see worker.ts): better-sqlite3 is synchronous
// and a commit with synchronous=FULL waits for fsync, which must not stall the relay's event
// loop. Requests arrive in order and are answered in order.
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

// In the server build a bundled `sqlite.mjs` lies beside this file (scripts/build-server.mjs);
// in the source tree (tests, admin) the TypeScript is loaded through tsx.
const bundled = new URL('./sqlite.mjs', import.meta.url);
const { openSqliteStorage } = existsSync(bundled)
	? await import(bundled.href)
	: await (await import('tsx/esm/api')).tsImport('./sqlite.ts', import.meta.url);
// The error's code (SQLITE_NOTADB, SQLITE_FULL, …) crosses the thread: a cloned SqliteError
// keeps only its code, and the relay needs code and message to say what is wrong.
const errorOf = (err) => ({
	name: err?.name ?? 'Error',
	message: String(err?.message ?? err),
	...(typeof err?.code === 'string' ? { code: err.code } : {})
});
let storage;
try {
	storage = openSqliteStorage({ path: workerData.path });
} catch (err) {
	// Nothing listens after this: the thread ends once the message is out.
	parentPort.postMessage({ ready: false, error: errorOf(err) });
}

if (storage) {
	parentPort.on('message', (msg) => {
		const { id, method, args } = msg;
		Promise.resolve()
			.then(() => storage[method](...args))
			.then(
				(value) => parentPort.postMessage({ id, ok: true, value }),
				(err) => parentPort.postMessage({ id, ok: false, error: errorOf(err) })
			);
	});
	parentPort.postMessage({ ready: true });
}
