import { Worker } from 'node:worker_threads';
import type { parseRosterFile } from './index';
import type { RosterContext } from './validate';

type Parsed = Awaited<ReturnType<typeof parseRosterFile>>;

/**
 * `parseRosterFile` on a short-lived worker thread, so a large upload does not pause the relay
 * (sync and fan-out of every other case go on while the file is checked). Same result.
 */
export function parseRosterFileInWorker(bytes: Uint8Array, ctx: RosterContext): Promise<Parsed> {
	return new Promise<Parsed>((resolve, reject) => {
		const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
			workerData: { bytes, ctx }
		});
		let settled = false;
		worker.once('message', (m: { ok: true; value: Parsed } | { ok: false; message: string }) => {
			settled = true;
			if (m.ok) resolve(m.value);
			else reject(new Error(m.message));
			void worker.terminate();
		});
		worker.once('error', (err) => {
			settled = true;
			reject(err);
		});
		worker.once('exit', (code) => {
			if (!settled) reject(new Error(`名册解析线程意外退出 / the roster parser exited (${code})`));
		});
	});
}
