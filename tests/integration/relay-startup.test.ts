import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build-server.mjs';

/** The relay as `npm start` runs it: the server bundle on plain Node (scripts/build-server.mjs). */
const MAIN = await buildServer();

/** Starts the relay as `npm start` does on `dataDir`, with no demo data. */
function spawnRelay(dataDir: string): ChildProcessWithoutNullStreams {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		DATA_DIR: dataDir,
		PORT: '0',
		HOST: '127.0.0.1',
		SEED: 'none',
		JWT_SECRET: 'x'.repeat(40)
	};
	delete env.NODE_ENV;
	delete env.NOW;
	return spawn(process.execPath, [MAIN], { env });
}

/** Runs the relay on `dataDir`; resolves when it exits. */
function runRelay(
	dataDir: string
): Promise<{ code: number | null; stderr: string; stdout: string }> {
	const child = spawnRelay(dataDir);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
	child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`the relay did not exit within 30 s\n${stdout}\n${stderr}`));
		}, 30_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stderr, stdout });
		});
	});
}

describe('a corrupt database at start-up (issue 10)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ysya-corrupt-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('exits non-zero naming the file, the cause and the restore command; the file is left as it was', async () => {
		const path = join(dir, 'yishengyian.sqlite');
		const garbage = Buffer.from('这不是数据库 / not a database\n'.repeat(400));
		writeFileSync(path, garbage);
		const r = await runRelay(dir);
		expect(r.code).not.toBe(0);
		expect(r.code).not.toBeNull();
		expect(r.stdout).not.toContain('listening');
		expect(r.stderr).toContain('数据库文件已损坏');
		expect(r.stderr).toContain('the database file is corrupt');
		expect(r.stderr).toContain('SQLITE_NOTADB');
		expect(r.stderr).toContain(`文件 / file: ${path}`);
		expect(r.stderr).toContain(`DATA_DIR=${dir} npm run admin -- restore --from <backup>`);
		// Nothing was written over the damaged file: it is the evidence, and a restore keeps it.
		expect(readFileSync(path).equals(garbage)).toBe(true);
	}, 40_000);
});

describe('issue 11: the relay holds DATA_DIR/relay.lock while it runs', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ysya-lock-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('writes its pid there when it starts and removes it on a clean shutdown', async () => {
		const child = spawnRelay(dir);
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('the relay did not start')), 30_000);
			child.stdout.on('data', (c: Buffer) => {
				if (!c.toString().includes('listening')) return;
				clearTimeout(timer);
				resolve();
			});
		});
		const lock = join(dir, 'relay.lock');
		expect((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid).toBe(child.pid);
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(existsSync(lock)).toBe(false);
	}, 40_000);
});
