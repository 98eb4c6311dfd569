import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free loopback port (the relay is started on it right after). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

/** A relay of a test's own: its URL, when it answered, and how to stop it. */
export interface RelayProcess {
	url: string;
	/** Real time (ms) at which it first answered: its clock's origin when `NOW` is set. */
	startedAt: number;
	stop: () => Promise<void>;
}

/**
 * Starts `scripts/start.mjs` on a free port with `env` (DATA_DIR, NOW, BUILD_DIR, SEED …) over
 * the suite's environment; resolves once `/api/health` answers. `cleanup` runs after it exits.
 */
export async function startRelayProcess(
	env: Record<string, string>,
	cleanup: () => void = () => undefined
): Promise<RelayProcess> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['scripts/start.mjs'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
		cleanup();
	};
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`relay exited with ${child.exitCode}`);
		const up = await fetch(`${url}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (up) return { url, startedAt: Date.now(), stop };
		if (Date.now() > deadline) {
			await stop();
			throw new Error('relay did not answer /api/health within 60 s');
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}
