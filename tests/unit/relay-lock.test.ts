import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RELAY_LOCK_FILE, acquireRelayLock, relayHolder } from '../../server/relay-lock';

/**
 * Issue 11: DATA_DIR/relay.lock names the relay running on a data directory; the retention run
 * of the command line refuses while it names a live process. Real files, real processes.
 */
describe('relay lock (DATA_DIR/relay.lock)', () => {
	let dir: string;
	const lock = () => join(dir, RELAY_LOCK_FILE);
	const name = (pid: unknown) => writeFileSync(lock(), JSON.stringify({ pid }));
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'ysya-lock-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('is taken for this process (mode 0600) and released only while it is still ours', () => {
		const now = new Date('2026-11-23T02:00:00.000Z');
		const held = acquireRelayLock(dir, now);
		expect(held.replaced).toBeNull();
		expect(JSON.parse(readFileSync(lock(), 'utf8'))).toEqual({
			pid: process.pid,
			startedAt: '2026-11-23T02:00:00.000Z'
		});
		expect(statSync(lock()).mode & 0o777).toBe(0o600);
		// Our own lock is not "another relay".
		expect(relayHolder(dir)).toBeNull();
		// A lock another relay wrote meanwhile is not ours to remove.
		name(process.ppid);
		held.release();
		expect(relayHolder(dir)).toBe(process.ppid);
		name(process.pid);
		held.release();
		expect(() => statSync(lock())).toThrow();
		held.release(); // twice: nothing left to do
	});

	it('names a live other process, and says whose lock it replaced', () => {
		// The parent of the test process is alive and is not this process.
		name(process.ppid);
		expect(relayHolder(dir)).toBe(process.ppid);
		const held = acquireRelayLock(dir, new Date('2026-11-23T02:00:00.000Z'));
		expect(held.replaced).toBe(process.ppid);
		held.release();
	});

	it('ignores a stale lock (its process exited), a missing one and an unreadable one', () => {
		const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
		expect(typeof gone).toBe('number');
		name(gone);
		expect(relayHolder(dir)).toBeNull();
		expect(acquireRelayLock(dir, new Date('2026-11-23T02:00:00.000Z')).replaced).toBeNull();
		rmSync(lock());
		expect(relayHolder(dir)).toBeNull();
		for (const bad of ['not json', '{"pid":"12"}', '{"pid":-3}', '{"pid":1.5}', '{}']) {
			writeFileSync(lock(), bad);
			expect([bad, relayHolder(dir)]).toEqual([bad, null]);
		}
	});
});
