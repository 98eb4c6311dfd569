import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { startupFailure } from '../../server/storage/startup';

/** What the relay prints when its database does not open (issue 10), from real SQLite errors. */
describe('startupFailure', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ysya-startup-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	/** The error real SQLite throws when it opens `path`. */
	const openError = (path: string): unknown => {
		try {
			void openSqliteStorage({ path }).close();
		} catch (err) {
			return err;
		}
		throw new Error(`${path} opened`);
	};

	it('a file that is not a database: the cause by its code and the restore command', () => {
		const path = join(dir, 'yishengyian.sqlite');
		writeFileSync(path, 'this is not an SQLite database, only text '.repeat(200));
		const text = startupFailure(openError(path), path, dir);
		const lines = text.split('\n');
		expect(lines[0]).toMatch(
			/^无法打开数据库，中继未启动：.+ \/ cannot open the database; the relay did not start: .+\(SQLITE_NOTADB\)$/
		);
		expect(lines[1]).toBe(`  文件 / file: ${path}`);
		expect(lines[3]).toBe(`    DATA_DIR=${dir} npm run admin -- restore --from <backup>`);
		expect(lines).toHaveLength(4);
	});

	it('a directory that does not exist: the driver’s own sentence (no SQLite code), no restore', () => {
		const path = join(dir, 'missing', 'deeper', 'yishengyian.sqlite');
		const text = startupFailure(openError(path), path, dir);
		expect(text).toBe(
			'无法打开数据库，中继未启动 / cannot open the database; the relay did not start ' +
				'(Cannot open database because the directory does not exist)\n' +
				`  文件 / file: ${path}`
		);
	});

	it('an error that is not the storage’s: its message, in both languages’ frame', () => {
		expect(startupFailure(new Error('boom'), '/x.sqlite', '/d')).toBe(
			'无法打开数据库，中继未启动 / cannot open the database; the relay did not start (boom)\n' +
				'  文件 / file: /x.sqlite'
		);
		expect(startupFailure('plain', '/x.sqlite', '/d').split('\n')[0]).toMatch(/\(plain\)$/);
	});
});
