/**
 * Issue 12: every case has a human number, `<district>-<year>-<sequence>` (示范区-2026-0001),
 * unique in the district, given by the relay in the transaction that creates the case, written
 * into the case document's meta and answered in the case list. Cases of an older database are
 * numbered by the migration in the order they were created.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { createCase, login, startRelay, type TestRelay } from './relay-harness';

interface ListRow {
	id: string;
	caseNo: string;
}

async function list(t: TestRelay, token: string): Promise<ListRow[]> {
	const res = await fetch(`${t.url}/api/cases`, { headers: { authorization: `Bearer ${token}` } });
	expect(res.status).toBe(200);
	return ((await res.json()) as { cases: ListRow[] }).cases;
}

describe('[issue 12] case numbers on the relay', () => {
	let t: TestRelay;
	let school: string;
	let bureau: string;

	beforeAll(async () => {
		// The harness's clock: 2026-11-23T02:00Z = 2026-11-23 10:00 in China. The demo district's
		// 20 cases are dated back from it (2026-04 … 2026-11), all in China-time year 2026.
		t = await startRelay();
		school = await login(t, 'school1');
		bureau = await login(t, 'bureau1');
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('numbers the seeded demo cases 示范区-2026-0001 … 0020, one each', async () => {
		const numbers = (await list(t, bureau)).map((r) => r.caseNo).sort();
		const expected = Array.from(
			{ length: 20 },
			(_, i) => `示范区-2026-${String(i + 1).padStart(4, '0')}`
		);
		expect(numbers).toEqual(expected);
	});

	it('gives two new cases consecutive numbers, in the list and in the document', async () => {
		// After the 20 demo cases of 2026 the next two are 0021 and 0022.
		const a = await createCase(t, school, { name: '编号甲' });
		const b = await createCase(t, school, { name: '编号乙' });
		const rows = await list(t, bureau);
		expect(rows.find((r) => r.id === a)?.caseNo).toBe('示范区-2026-0021');
		expect(rows.find((r) => r.id === b)?.caseNo).toBe('示范区-2026-0022');
		// The document's meta has it too, so an offline copy and a print show it.
		const res = await fetch(`${t.url}/api/cases/${b}`, {
			headers: { authorization: `Bearer ${school}` }
		});
		expect(((await res.json()) as { caseNo?: string }).caseNo).toBe('示范区-2026-0022');
		// The UUID stays the internal id.
		expect(b).toMatch(/^case-[0-9a-f-]{36}$/);
	});

	it('keeps numbers unique and gap-free under concurrent creation', async () => {
		const before = new Set((await list(t, bureau)).map((r) => r.caseNo));
		const ids = await Promise.all(
			Array.from({ length: 8 }, (_, i) => createCase(t, school, { name: `并发${i}` }))
		);
		const rows = await list(t, bureau);
		const made = ids.map((id) => rows.find((r) => r.id === id)?.caseNo ?? '').sort();
		// 22 cases of 2026 before this test: the eight get 0023 … 0030, each once.
		expect(made).toEqual(
			Array.from({ length: 8 }, (_, i) => `示范区-2026-${String(i + 23).padStart(4, '0')}`)
		);
		for (const n of made) expect(before.has(n)).toBe(false);
		expect(new Set(rows.map((r) => r.caseNo)).size).toBe(rows.length);
	});
});

describe('[issue 12] the migration numbers the cases of an old database', () => {
	let dir: string;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'ysya-caseno-'));
		copyFileSync('tests/fixtures/v10-district.sqlite', join(dir, 'db.sqlite'));
	});
	afterAll(() => {
		rmSync(dir, { recursive: true, force: true });
	});

	it('in the order they were created, per China-time year', async () => {
		const storage = openSqliteStorage({ path: join(dir, 'db.sqlite') });
		try {
			const byId = new Map((await storage.listCases()).map((c) => [c.id, c.caseNo]));
			// The fixture's cases by created_at (each at 08:00Z = 16:00 China time, all in 2025),
			// read off the fixture with sqlite; the four of 2025-09-02 in the order they were
			// stored (demo-07, -13, -19, -20).
			const order = [
				'demo-15', // 2025-03-26
				'demo-11', // 2025-05-12
				'demo-14', // 2025-05-26
				'demo-18', // 2025-06-10
				'demo-10', // 2025-06-17
				'demo-12', // 2025-06-24
				'demo-17', // 2025-07-01
				'demo-07', // 2025-09-02
				'demo-13',
				'demo-19',
				'demo-20',
				'demo-08', // 2025-09-04
				'demo-09', // 2025-09-16
				'demo-06', // 2025-09-24
				'demo-05', // 2025-09-26
				'demo-16', // 2025-09-30
				'demo-04', // 2025-10-09
				'demo-02', // 2025-10-11
				'demo-03', // 2025-10-15
				'demo-01' // 2025-10-17
			];
			expect(order.map((id) => byId.get(id))).toEqual(
				order.map((_, i) => `示范区-2025-${String(i + 1).padStart(4, '0')}`)
			);
			// The next case of 2025 continues the sequence; 2026 starts at 0001.
			expect(await storage.nextCaseNumber('2025-12-01T02:00:00.000Z')).toBe('示范区-2025-0021');
			expect(await storage.nextCaseNumber('2026-01-05T02:00:00.000Z')).toBe('示范区-2026-0001');
		} finally {
			await storage.close();
		}
	});
});
