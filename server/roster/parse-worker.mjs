// Parses and checks one roster file on its own thread (see worker.ts): 50,000 rows take
// 0.7–2.7 s of CPU, which must not stall sync and fan-out on the relay's event loop.
import { parentPort, workerData } from 'node:worker_threads';

const { tsImport } = await import('tsx/esm/api');
const { parseRosterFile } = await tsImport('./index.ts', import.meta.url);
try {
	parentPort.postMessage({
		ok: true,
		value: await parseRosterFile(workerData.bytes, workerData.ctx)
	});
} catch (err) {
	parentPort.postMessage({ ok: false, message: String(err?.message ?? err) });
}
