// The SQLite adapter running on its own thread (see worker.ts): better-sqlite3 is synchronous
// and a commit with synchronous=FULL waits for fsync, which must not stall the relay's event
// loop. Requests arrive in order and are answered in order.
import { parentPort, workerData } from 'node:worker_threads';

const { tsImport } = await import('tsx/esm/api');
const { openSqliteStorage } = await tsImport('./sqlite.ts', import.meta.url);
const storage = openSqliteStorage({ path: workerData.path });

parentPort.on('message', (msg) => {
	const { id, method, args } = msg;
	Promise.resolve()
		.then(() => storage[method](...args))
		.then(
			(value) => parentPort.postMessage({ id, ok: true, value }),
			(err) =>
				parentPort.postMessage({
					id,
					ok: false,
					error: { name: err?.name ?? 'Error', message: String(err?.message ?? err) }
				})
		);
});
parentPort.postMessage({ ready: true });
