import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SCHEMA_VERSION, sqliteTablesAt } from './sqlite';

const SQLITE_HEADER = 'SQLite format 3\0';

/** Why a restore was refused; the message is Chinese / English and names no personal data. */
export class RestoreError extends Error {
	override name = 'RestoreError';
}

function fail(zh: string, en: string): never {
	throw new RestoreError(`${zh} / ${en}`);
}

async function exists(path: string): Promise<boolean> {
	return stat(path).then(
		() => true,
		() => false
	);
}

async function fsyncPath(path: string): Promise<void> {
	const handle = await open(path, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Refuses anything but a complete, intact database of ours at `path`. */
async function checkOurDatabase(path: string): Promise<void> {
	const head = Buffer.alloc(SQLITE_HEADER.length);
	const handle = await open(path, 'r');
	try {
		await handle.read(head, 0, head.length, 0);
	} finally {
		await handle.close();
	}
	if (head.toString('latin1') !== SQLITE_HEADER) {
		fail('备份文件不是 SQLite 数据库', 'the backup file is not a SQLite database');
	}
	let db: Database.Database;
	try {
		db = new Database(path, { readonly: true, fileMustExist: true });
	} catch {
		return fail('无法打开备份文件', 'the backup file cannot be opened as a database');
	}
	try {
		const integrity = db.pragma('integrity_check', { simple: true });
		if (integrity !== 'ok') fail('备份文件已损坏', 'the backup file failed its integrity check');
		const names = new Set(
			db
				.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
				.all()
				.map((t) => t.name)
		);
		const version = Number(db.pragma('user_version', { simple: true }));
		// The tables of the backup's own version: the next open migrates it forward.
		const missing = sqliteTablesAt(Math.max(1, version)).filter((t) => !names.has(t));
		if (missing.length > 0) {
			fail('备份文件不是本系统的数据库', 'the backup file is not a database of this system');
		}
		if (version < 1 || version > SCHEMA_VERSION) {
			fail(
				`备份文件的数据版本 ${version} 不受支持（本程序 1–${SCHEMA_VERSION}）`,
				`backup schema version ${version} is not supported (this build: 1-${SCHEMA_VERSION})`
			);
		}
	} catch (error) {
		// A damaged file can also make SQLite itself throw (SQLITE_CORRUPT, SQLITE_NOTADB).
		if (error instanceof RestoreError) throw error;
		fail('备份文件已损坏', 'the backup file is damaged');
	} finally {
		db.close();
	}
}

/**
 * Replaces the database at `toPath` with the backup at `fromPath`. Stop the relay first:
 * a running relay holds the file open and would keep writing to the replaced inode.
 * The previous database (with its -wal) is kept beside it as `<name>.pre-restore-<time>`.
 */
export async function restoreBackup(fromPath: string, toPath: string): Promise<void> {
	const source = await stat(fromPath).catch(() => null);
	if (!source?.isFile()) fail('找不到备份文件', 'the backup file does not exist');
	// A live database's recent commits sit in its -wal; copying the main file alone would
	// silently drop them. Backups made by storage.backup() are single, self-contained files.
	const sourceWal = await stat(`${fromPath}-wal`).catch(() => null);
	if (sourceWal && sourceWal.size > 0) {
		fail(
			'备份文件旁有未合并的 -wal 文件（正在使用的数据库？请用 backup 命令生成备份）',
			'the backup has an un-checkpointed -wal beside it (a live database? make one with backup)'
		);
	}

	const dir = dirname(toPath);
	const temp = join(dir, `.${basename(toPath)}.restore-${randomBytes(6).toString('hex')}`);
	try {
		// Check the copy, not the source, so the bytes checked are the bytes renamed in.
		await copyFile(fromPath, temp, constants.COPYFILE_EXCL);
		await checkOurDatabase(temp);
		await Promise.all([rm(`${temp}-wal`, { force: true }), rm(`${temp}-shm`, { force: true })]);
		await fsyncPath(temp);

		// A stale -wal left beside the new file would be replayed onto it at the next open and
		// corrupt it, so the old database moves aside together with its -wal and -shm first.
		if (await exists(toPath)) {
			const aside = `${toPath}.pre-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
			// The -wal moves first: a crash after it leaves the old database short of its latest
			// frames (kept, beside it) rather than a stale -wal waiting for the next open.
			if (await exists(`${toPath}-wal`)) await rename(`${toPath}-wal`, `${aside}-wal`);
			await rm(`${toPath}-shm`, { force: true });
			await rename(toPath, aside);
		} else {
			await Promise.all([
				rm(`${toPath}-wal`, { force: true }),
				rm(`${toPath}-shm`, { force: true })
			]);
		}
		await rename(temp, toPath);
		await fsyncPath(dir);
	} finally {
		await Promise.all([temp, `${temp}-wal`, `${temp}-shm`].map((p) => rm(p, { force: true })));
	}
}
