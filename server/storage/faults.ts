import type { Bilingual } from '../../src/lib/rules/types';

/** What kind of trouble the database is in, from an error's SQLite (or errno) code. */
export type StorageFaultKind = 'full' | 'readonly' | 'corrupt' | 'io' | 'cantopen' | 'other';

/** A storage error as the relay reports it: the code and a fixed text, never the error's own. */
export interface StorageFault {
	/** The SQLite result code (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, …) or errno (`ENOSPC`). */
	code: string;
	kind: StorageFaultKind;
	message: Bilingual;
}

const MESSAGES: Record<StorageFaultKind, Bilingual> = {
	full: {
		zh: '磁盘已满，数据库无法写入',
		en: 'the disk is full; the database cannot be written'
	},
	readonly: {
		zh: '数据库只读（文件权限或只读文件系统），无法写入',
		en: 'the database is read-only (file permissions or a read-only file system)'
	},
	corrupt: {
		zh: '数据库文件已损坏，请从备份恢复',
		en: 'the database file is corrupt; restore it from a backup'
	},
	io: {
		zh: '读写数据库时发生磁盘 I/O 错误',
		en: 'a disk I/O error occurred on the database'
	},
	cantopen: { zh: '无法打开数据库文件', en: 'the database file cannot be opened' },
	other: { zh: '数据库出错', en: 'a database error occurred' }
};

// Extended codes carry a suffix (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED): the prefix decides.
const KINDS: [string, StorageFaultKind][] = [
	['SQLITE_FULL', 'full'],
	['ENOSPC', 'full'],
	['EDQUOT', 'full'],
	['SQLITE_READONLY', 'readonly'],
	['EROFS', 'readonly'],
	['EACCES', 'readonly'],
	['SQLITE_CORRUPT', 'corrupt'],
	['SQLITE_NOTADB', 'corrupt'],
	['SQLITE_IOERR', 'io'],
	['EIO', 'io'],
	['SQLITE_CANTOPEN', 'cantopen']
];

/**
 * The storage fault behind an error, or null when it is not one (a bug, a bad request).
 * Only the code is read: SQLite's messages may name tables and constraints, and the relay's
 * logs and answers carry fixed texts (no personal data).
 */
export function storageFault(err: unknown): StorageFault | null {
	const code = (err as { code?: unknown } | null)?.code;
	if (typeof code !== 'string') return null;
	const known = KINDS.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`));
	const kind = known?.[1] ?? (code.startsWith('SQLITE_') ? 'other' : null);
	return kind ? { code, kind, message: MESSAGES[kind] } : null;
}
