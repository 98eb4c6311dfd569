import { describe, expect, it } from 'vitest';
import { storageFault } from '../../server/storage/faults';

describe('storage faults are named by their code (issue 10)', () => {
	it.each([
		['SQLITE_FULL', 'full'],
		['ENOSPC', 'full'],
		['SQLITE_READONLY', 'readonly'],
		['SQLITE_READONLY_DBMOVED', 'readonly'],
		['EROFS', 'readonly'],
		['EACCES', 'readonly'],
		['SQLITE_CORRUPT', 'corrupt'],
		['SQLITE_CORRUPT_INDEX', 'corrupt'],
		['SQLITE_NOTADB', 'corrupt'],
		['SQLITE_IOERR', 'io'],
		['SQLITE_IOERR_WRITE', 'io'],
		['SQLITE_CANTOPEN', 'cantopen'],
		['SQLITE_BUSY', 'other']
	])('%s is a %s fault, with a Chinese and an English text', (code, kind) => {
		const f = storageFault(Object.assign(new Error('near "x": anything at all'), { code }));
		expect(f).toMatchObject({ code, kind });
		expect(f?.message.zh).toMatch(/[\u4e00-\u9fff]/);
		expect(f?.message.en).not.toContain('anything at all');
	});

	it.each([
		[new Error('plain')],
		[null],
		['SQLITE_FULL'],
		[{ code: 42 }],
		[{ code: 'ECONNRESET' }]
	])('%o is no storage fault', (err) => expect(storageFault(err)).toBeNull());
});
