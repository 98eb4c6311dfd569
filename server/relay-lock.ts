import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Issue 11: `DATA_DIR/relay.lock` names the process of the relay running on the data directory.
 * A relay holds the documents it serves in memory, so work that rewrites stored cases (the
 * retention run) must go through that relay or wait until it stops; the admin command line
 * reads this file to know. A lock whose process is gone (a crash) is stale and ignored.
 */

export const RELAY_LOCK_FILE = 'relay.lock';

const lockPath = (dataDir: string) => join(dataDir, RELAY_LOCK_FILE);

/** Whether a process with this id is running (EPERM: it is, but not ours to signal). */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The pid a lock file names, or null when there is none or it is unreadable. */
function lockedPid(dataDir: string): number | null {
	try {
		const pid = (JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as { pid?: unknown }).pid;
		return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : null;
	} catch {
		return null;
	}
}

/** The pid of the relay running on `dataDir`, or null when none is (no lock, or a stale one). */
export function relayHolder(dataDir: string): number | null {
	const pid = lockedPid(dataDir);
	return pid !== null && pid !== process.pid && alive(pid) ? pid : null;
}

export interface RelayLock {
	/** The pid of another live relay whose lock this one replaced, if any (two on one DATA_DIR). */
	replaced: number | null;
	/** Removes the lock, if it is still this process's. */
	release(): void;
}

/** Takes the lock for this process (the relay, server/main.ts), replacing a stale one. */
export function acquireRelayLock(dataDir: string, now: Date): RelayLock {
	const replaced = relayHolder(dataDir);
	const pid = process.pid;
	writeFileSync(lockPath(dataDir), `${JSON.stringify({ pid, startedAt: now.toISOString() })}\n`, {
		mode: 0o600
	});
	return {
		replaced,
		release() {
			if (lockedPid(dataDir) === pid) rmSync(lockPath(dataDir), { force: true });
		}
	};
}
