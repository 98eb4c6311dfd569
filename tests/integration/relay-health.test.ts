import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startRelay, type TestRelay } from './relay-harness';

/**
 * A small tmpfs as DATA_DIR, so the disk can really fill up. Mounting needs root (CI and this
 * machine run tests as root); elsewhere the disk-full tests are skipped and say why.
 */
function mountTmpfs(
	sizeMiB: number
): { dir: string; reason: null } | { dir: null; reason: string } {
	if (process.getuid?.() !== 0) return { dir: null, reason: 'not root: cannot mount a tmpfs' };
	const dir = mkdtempSync(join(tmpdir(), 'ysya-full-'));
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir], {
			stdio: 'pipe'
		});
		return { dir, reason: null };
	} catch (err) {
		rmSync(dir, { recursive: true, force: true });
		return { dir: null, reason: `mount -t tmpfs failed: ${String(err).split('\n')[0]}` };
	}
}

/** Fills the file system of `dir` to the last byte; returns the filler's path. */
function fill(dir: string): string {
	const path = join(dir, 'filler');
	const fd = openSync(path, 'w');
	const chunk = Buffer.alloc(1024 * 1024, 1);
	try {
		for (;;) writeSync(fd, chunk);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
	}
	// The last partial chunk: down to single pages, so not even one more page fits.
	const page = Buffer.alloc(4096, 1);
	try {
		for (;;) writeSync(fd, page);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
	} finally {
		closeSync(fd);
	}
	return path;
}

const tmpfs = mountTmpfs(48);
if (tmpfs.reason) console.log(`relay-health: disk-full tests skipped: ${tmpfs.reason}`);

// Skipped only where a tmpfs cannot be mounted (not root); the reason is printed above.
describe.skipIf(tmpfs.dir === null)('health and a full disk (issue 10)', () => {
	const dir = tmpfs.dir ?? '';
	let t: TestRelay;
	const lines: string[] = [];
	let token: string;
	let caseId: string;
	beforeAll(async () => {
		t = await startRelay({
			dataDir: dir,
			log: (l) => lines.push(l),
			relay: { health: { minIntervalMs: 0 } }
		});
		token = await login(t, 'school1');
		const list = (await (
			await fetch(`${t.url}/api/cases`, { headers: { authorization: `Bearer ${token}` } })
		).json()) as { cases: { id: string; student: string }[] };
		caseId = list.cases[0]?.id ?? '';
	});
	afterAll(async () => {
		await t?.stop();
		execFileSync('umount', [dir]);
		rmSync(dir, { recursive: true, force: true });
	});

	const health = async () => {
		const res = await fetch(`${t.url}/api/health`);
		return { status: res.status, body: (await res.json()) as Record<string, unknown> };
	};
	const read = async () =>
		(await fetch(`${t.url}/api/cases/${caseId}`, { headers: { authorization: `Bearer ${token}` } }))
			.status;

	it('answers 503 with SQLITE_FULL and a bilingual reason while the disk is full, 200 after', async () => {
		expect(await health()).toEqual({ status: 200, body: { ok: true } });
		expect(await read()).toBe(200);

		const filler = fill(dir);
		// SQLite reuses the pages its log already holds, so reads (each one an audit write) go
		// on until the log needs a new page; from then on none is unaudited: the read fails.
		let status = 200;
		for (let i = 0; i < 10_000 && status === 200; i++) status = await read();
		expect(status).toBe(500);
		const h = await health();
		expect(h.status).toBe(503);
		expect(h.body).toMatchObject({
			ok: false,
			error: 'storage',
			cause: 'SQLITE_FULL',
			message: {
				zh: '磁盘已满，数据库无法写入',
				en: 'the disk is full; the database cannot be written'
			}
		});
		// The log names the cause, for the request and for the health check, without personal data.
		const faults = lines.filter((l) => l.includes('SQLITE_FULL'));
		expect(faults).toContain(
			'http: request failed (SQLITE_FULL: the disk is full; the database cannot be written)'
		);
		expect(faults.some((l) => l.startsWith('health: the database cannot be written'))).toBe(true);
		for (const l of faults) {
			expect(l).not.toContain(caseId);
			expect(l).not.toContain('school1');
			expect(l).not.toContain(token);
		}

		unlinkSync(filler);
		expect(await health()).toEqual({ status: 200, body: { ok: true } });
		expect(await read()).toBe(200);
		expect(lines).toContain('health: the database is writable again');
	});
});
