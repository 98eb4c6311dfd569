import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreBackup } from '../../server/storage/backup';
import { openSqliteStorageInWorker } from '../../server/storage/worker';
import { openSqliteStorage, SCHEMA_VERSION } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/types';
import { INVENTED_2027, INVENTED_TERMS_2026_2027 } from './calendar-fixtures';
import { hex, make, storageContract } from './storage-contract';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const T0 = '2025-09-01T08:00:00.000Z';

function freshDir(): string {
	return mkdtempSync(join(tmpdir(), 'yishengyian-storage-'));
}

storageContract('sqlite file', () => {
	const dir = freshDir();
	const path = join(dir, 'yishengyian.sqlite');
	return Promise.resolve({
		storage: openSqliteStorage({ path }),
		reopen: () => Promise.resolve(openSqliteStorage({ path })),
		cleanup: () => rm(dir, { recursive: true, force: true })
	});
});

storageContract('sqlite :memory:', () =>
	Promise.resolve({
		storage: openSqliteStorage({ path: ':memory:' }),
		cleanup: () => Promise.resolve()
	})
);

/** Org, user and one case, so updates have somewhere to go. */
async function seed(storage: Storage): Promise<void> {
	await storage.addOrg(make.org());
	await storage.addUser(make.user());
	await storage.createCase(make.case(), make.bytes(8), 'u-1', T0);
}

/** Everything a restore must bring back, in comparable form. */
async function dump(storage: Storage) {
	return {
		orgs: await storage.listOrgs(),
		users: await storage.listUsers(),
		cases: await storage.listCases(),
		updates: (await storage.loadUpdates('case-1')).map((u) => ({
			...u,
			update: hex(u.update)
		})),
		quarantine: (await storage.listQuarantine()).length,
		audit: await storage.listAudit(),
		setting: await storage.getSetting('k'),
		calendar: await storage.calendarState(),
		calendarLog: await storage.calendarLog()
	};
}

/** Undoes the latest schemas (issue 12's case numbers and families tables). */
const V5_UNDO =
	'DROP INDEX cases_case_no; ALTER TABLE cases DROP COLUMN case_no; ' +
	'DROP TABLE family_updates; DROP TABLE families; ';
/**
 * Undoes schema 5 (issue 11's person_ids table and rewrite count) and the later ones (issue
 * 12's case numbers, families, org_records and roster columns): a database of release 4.
 */
const V4_UNDO =
	V5_UNDO +
	'DROP TABLE org_records; ' +
	'ALTER TABLE roster DROP COLUMN focus_groups; ALTER TABLE roster_imports DROP COLUMN kind; ' +
	'DROP TABLE person_ids; ALTER TABLE cases DROP COLUMN rewrites; ';

describe('sqlite specifics', () => {
	let dir: string;
	let path: string;
	const opened: Storage[] = [];
	const openAt = (p: string): Storage => {
		const s = openSqliteStorage({ path: p });
		opened.push(s);
		return s;
	};

	beforeEach(() => {
		dir = freshDir();
		path = join(dir, 'yishengyian.sqlite');
	});
	afterEach(async () => {
		await Promise.all(opened.splice(0).map((s) => s.close()));
		await rm(dir, { recursive: true, force: true });
	});

	it('runs in WAL mode at the current schema version', async () => {
		const storage = openAt(path);
		await seed(storage);
		expect(existsSync(`${path}-wal`)).toBe(true);
		const raw = new Database(path, { readonly: true });
		try {
			expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
			expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
		} finally {
			raw.close();
		}
	});

	it('refuses a database written by a newer schema version', () => {
		const raw = new Database(path);
		raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
		raw.close();
		expect(() => openAt(path)).toThrow(/newer than this build/);
	});

	it('backs up while writes continue; the copy has every update committed before it began', async () => {
		const storage = openAt(path);
		await seed(storage);
		const before = new Map<number, Uint8Array>();
		// ~1.2 MB: several hundred pages, so the backup takes several event-loop turns.
		for (let i = 0; i < 300; i++) {
			const bytes = make.bytes(4096, i);
			before.set(await storage.appendUpdate('case-1', bytes, 'u-1', T0), bytes);
		}
		const backupPath = join(dir, 'backup.sqlite');
		let finished = false;
		const running = storage.backup(backupPath).finally(() => (finished = true));
		const during = new Map<number, Uint8Array>();
		while (!finished) {
			const bytes = make.bytes(4096, 1000 + during.size);
			during.set(await storage.appendUpdate('case-1', bytes, 'u-1', T0), bytes);
			await new Promise<void>((resolve) => setImmediate(resolve)); // let the backup step
		}
		await running;
		expect(during.size).toBeGreaterThan(0);

		const raw = new Database(backupPath, { readonly: true });
		expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
		raw.close();
		const copy = await openAt(backupPath).loadUpdates('case-1');
		const bySeq = new Map(copy.map((u) => [u.seq, u.update]));
		for (const [seq, bytes] of before) expect(hex(bySeq.get(seq)), `seq ${seq}`).toBe(hex(bytes));
		// Writes made during the backup may or may not be in it, but never torn.
		for (const u of copy.slice(1 + before.size)) expect(hex(u.update)).toBe(hex(during.get(u.seq)));
	});

	it('restores a backup into a new path with the same data', async () => {
		const storage = openAt(path);
		await seed(storage);
		await storage.appendUpdate('case-1', make.bytes(1234, 5), 'u-1', T0);
		await storage.quarantine({
			caseId: 'case-1',
			update: make.bytes(3),
			userId: 'u-1',
			receivedAt: T0,
			rule: 'R',
			reason: 'r'
		});
		await storage.audit({ userId: 'u-1', caseId: 'case-1', action: 'read', at: T0 });
		await storage.setSetting('k', 'v');
		await storage.putCalendarYear(INVENTED_2027, { userId: 'u-1', at: T0 });
		const backupPath = join(dir, 'backup.sqlite');
		await storage.backup(backupPath);
		const expected = await dump(storage);

		const target = join(dir, 'restored.sqlite');
		await restoreBackup(backupPath, target);
		expect(await dump(openAt(target))).toEqual(expected);
	});

	it('[G-T3] migrates a schema-2 database forward: calendar entries added, older data kept', async () => {
		const storage = openAt(path);
		await seed(storage);
		await storage.close();
		// A database as release 2 left it: no calendar or client id table, user_version 2.
		const raw = new Database(path);
		raw.exec(V4_UNDO + 'DROP TABLE client_ids; DROP TABLE calendar_entries');
		raw.pragma('user_version = 2');
		raw.close();
		const again = openAt(path);
		expect(await again.getCase('case-1')).toEqual({
			...make.case(),
			rewrites: 0,
			// Issue 12: numbered by the migration; created 2025-09-01 (China), no district org.
			caseNo: '本区-2025-0001'
		});
		expect((await again.calendarState()).seq).toBe(0);
		await again.putCalendarYear(INVENTED_2027, { userId: 'u-1', at: T0 });
		expect((await again.calendarState()).years).toEqual([INVENTED_2027]);
	});

	it('[client-id] migrates a schema-3 database forward: client id bindings added, updates kept', async () => {
		const storage = openAt(path);
		await seed(storage);
		await storage.close();
		// A database as the previous release left it: no client_ids table, user_version 3.
		const raw = new Database(path);
		raw.exec(V4_UNDO + 'DROP TABLE client_ids');
		raw.pragma('user_version = 3');
		raw.close();
		const again = openAt(path);
		expect((await again.loadUpdates('case-1')).map((u) => hex(u.update))).toEqual([
			hex(make.bytes(8))
		]);
		expect(await again.listClientIds('case-1')).toEqual([]);
		await again.bindClientIds('case-1', [7], 'u-1', T0);
		expect((await again.listClientIds('case-1')).map((b) => b.userId)).toEqual(['u-1']);
		await again.close();
		const check = new Database(path);
		expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
		expect(() => check.prepare('DELETE FROM client_ids').run()).toThrow(/never change/);
		expect(() => check.prepare("UPDATE client_ids SET user_id = 'u-2'").run()).toThrow(
			/never change/
		);
		check.close();
	});

	it('[G-T3] skips and counts stored calendar rows that no longer validate; never rewrites them', async () => {
		const storage = openAt(path);
		const good = await storage.putCalendarYear(INVENTED_2027, { userId: 'u-1', at: T0 });
		await storage.putTermYear(INVENTED_TERMS_2026_2027, { userId: 'u-1', at: T0 });
		const raw = new Database(path);
		const insert = raw.prepare(
			'INSERT INTO calendar_entries (kind, key, data, user_id, at) VALUES (?, ?, ?, ?, ?)'
		);
		// Later rows for the same keys, damaged: the earlier valid entries stay in force.
		const overlapping = {
			...INVENTED_2027,
			holidays: [...INVENTED_2027.holidays, { name: '重叠', from: '2027-01-02', to: '2027-01-03' }]
		};
		insert.run('year', '2027', JSON.stringify(overlapping), 'u-1', T0);
		insert.run('terms', '2026-2027', '{not json', 'u-1', T0);
		// A valid year filed under another year's key.
		const last = Number(
			insert.run('year', '2030', JSON.stringify(INVENTED_2027), 'u-1', T0).lastInsertRowid
		);
		expect(() => raw.prepare('DELETE FROM calendar_entries').run()).toThrow(/append-only/);
		expect(() => raw.prepare("UPDATE calendar_entries SET data = '{}'").run()).toThrow(
			/append-only/
		);
		raw.close();
		expect(await storage.calendarState()).toEqual({
			seq: last,
			years: [INVENTED_2027],
			termYears: [INVENTED_TERMS_2026_2027],
			invalid: 3
		});
		const log = await storage.calendarLog();
		expect(log.map((e) => e.seq)).toEqual([good, good + 1, good + 2, good + 3, last]);
		expect(log[3]?.source).toBeNull();
	});

	it('[G-T3] restores a backup made before the calendar table existed, then migrates it', async () => {
		const storage = openAt(path);
		await seed(storage);
		const backupPath = join(dir, 'backup-v2.sqlite');
		await storage.backup(backupPath);
		// The backup as release 2 made it (no calendar or client id table).
		const raw = new Database(backupPath);
		raw.exec(V4_UNDO + 'DROP TABLE client_ids; DROP TABLE calendar_entries');
		raw.pragma('user_version = 2');
		raw.close();
		const target = join(dir, 'restored.sqlite');
		await restoreBackup(backupPath, target);
		const restored = openAt(target);
		expect(await restored.getCase('case-1')).toEqual({
			...make.case(),
			rewrites: 0,
			// Issue 12: numbered by the migration; created 2025-09-01 (China), no district org.
			caseNo: '本区-2025-0001'
		});
		expect((await restored.calendarState()).seq).toBe(0);
		expect(await restored.putCalendarYear(INVENTED_2027, { userId: 'u-1', at: T0 })).toBe(1);
	});

	it('moves the previous database and its -wal aside when restoring over it', async () => {
		const source = openAt(join(dir, 'source.sqlite'));
		await seed(source);
		await source.backup(join(dir, 'backup.sqlite'));
		const expected = await dump(source);
		const old = openAt(path);
		await old.setSetting('k', 'old');
		await old.close();
		writeFileSync(`${path}-wal`, 'stale wal');
		writeFileSync(`${path}-shm`, 'stale shm');

		await restoreBackup(join(dir, 'backup.sqlite'), path);
		const files = readdirSync(dir);
		expect(
			files.filter((f) => f.startsWith('yishengyian.sqlite.pre-restore-')).sort()
		).toHaveLength(2);
		expect(files).not.toContain('yishengyian.sqlite-shm');
		expect(files.filter((f) => f.includes('.restore-'))).toEqual([]);
		expect(await dump(openAt(path))).toEqual(expected);
	});

	it('refuses a file that is not a database, and one that is not ours', async () => {
		const junk = join(dir, 'junk.sqlite');
		writeFileSync(junk, 'hello, this is not a database at all');
		await expect(restoreBackup(junk, path)).rejects.toThrow(
			/不是 SQLite 数据库 \/ the backup file is not a SQLite database/
		);
		const foreign = join(dir, 'foreign.sqlite');
		const raw = new Database(foreign);
		raw.exec('CREATE TABLE foo (x)');
		raw.close();
		await expect(restoreBackup(foreign, path)).rejects.toThrow(/not a database of this system/);
		await expect(restoreBackup(join(dir, 'missing.sqlite'), path)).rejects.toThrow(
			/does not exist/
		);
		expect(readdirSync(dir).sort()).toEqual(['foreign.sqlite', 'junk.sqlite']);
	});

	it('keeps every update it acknowledged when the process is killed with SIGKILL', async () => {
		const storage = openAt(path);
		await seed(storage);
		await storage.close();

		// The child prints "seq i" only after appendUpdate resolved; stdout to a pipe is
		// synchronous on Linux, so a line we read was acknowledged before the kill.
		const child = join(dir, 'writer.mjs');
		const sqliteUrl = pathToFileURL(join(ROOT, 'server/storage/sqlite.ts')).href;
		writeFileSync(
			child,
			`import { openSqliteStorage } from ${JSON.stringify(sqliteUrl)};
const storage = openSqliteStorage({ path: process.argv[2] });
for (let i = 0; ; i++) {
	const bytes = Uint8Array.from({ length: 1 + (i % 64) }, (_, k) => (i * 7 + k) & 255);
	const seq = await storage.appendUpdate('case-1', bytes, 'u-1', '${T0}');
	process.stdout.write(seq + ' ' + i + '\\n');
}
`
		);
		const proc = spawn(process.execPath, ['--import', 'tsx', child, path], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stderr = '';
		proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const exited = new Promise<NodeJS.Signals | null>((resolve) =>
			proc.on('exit', (_code, signal) => resolve(signal))
		);

		const acknowledged: [number, number][] = [];
		let deadline: NodeJS.Timeout | undefined;
		const timedOut = new Promise<never>((_, reject) => {
			deadline = setTimeout(() => {
				proc.kill('SIGKILL');
				reject(new Error(`writer gave ${acknowledged.length} lines in 15 s; stderr: ${stderr}`));
			}, 15_000);
		});
		const reading = (async () => {
			for await (const line of createInterface({ input: proc.stdout })) {
				const [seq, i] = line.split(' ').map(Number);
				acknowledged.push([seq ?? NaN, i ?? NaN]);
				if (acknowledged.length === 200 && proc.pid !== undefined)
					process.kill(proc.pid, 'SIGKILL');
			}
		})();
		try {
			await Promise.race([reading, timedOut]);
		} finally {
			clearTimeout(deadline);
		}
		expect(await exited, stderr).toBe('SIGKILL');
		expect(acknowledged.length).toBeGreaterThanOrEqual(200);

		const stored = await openAt(path).loadUpdates('case-1');
		const bySeq = new Map(stored.map((u) => [u.seq, u.update]));
		for (const [seq, i] of acknowledged) {
			const bytes = Uint8Array.from({ length: 1 + (i % 64) }, (_, k) => (i * 7 + k) & 255);
			expect(hex(bySeq.get(seq)), `seq ${seq}`).toBe(hex(bytes));
		}
	});
});

storageContract('sqlite on a worker thread', async () => {
	const dir = freshDir();
	const path = join(dir, 'yishengyian.sqlite');
	return {
		storage: await openSqliteStorageInWorker({ path }),
		reopen: () => openSqliteStorageInWorker({ path }),
		cleanup: () => rm(dir, { recursive: true, force: true })
	};
});
