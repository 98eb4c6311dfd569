import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIdNumber } from '../../server/seed-cases';
import { login, startRelay, type TestRelay } from './relay-harness';

/**
 * Issue 12 (B-1): a full import replaces a school's roster of a term. The term 2025-09-01 has no
 * seeded roster (the relay's day is 2026-11-23; the demo seeds 2026-03-02 and 2026-09-01), so
 * every count below is this file's own. The quarterly report of 2025 Q4 takes its enrolment from
 * the term holding the quarter's last day, 2025-12-31: the autumn term 2025-09-01 (…–2026-01-23).
 */
const TERM = '2025-09-01';
const SCHOOL = 'org-school1';
const HEADER =
	'学籍号,姓名,性别,出生日期,身份证号,学校,年级,班级,户籍地,居住地,监护人,电话,重点群体';

/**
 * Student n of 示范区第一初级中学, grade 8 (初二) in 2025-09-01: born in January–August 2012,
 * the usual age of grade 8 that autumn (8 + 5 = 13 on 31 August 2025). A unique ID number per n
 * (sequence 2n or 2n + 1, n < 500).
 */
function line(n: number, change: { className?: string; groups?: string } = {}): string {
	const birth = `2012-0${(n % 8) + 1}-1${n % 10}`;
	const gender = n % 2 ? 'male' : 'female';
	const id = demoIdNumber(birth, n, gender);
	return [
		`G${id}`,
		`学生${n}`,
		n % 2 ? '男' : '女',
		birth,
		id,
		'示范区第一初级中学',
		'初二',
		change.className ?? '八年级（2）班',
		'河南省平顶山市',
		'示范区新华街道和平路1号',
		`家长${n}`,
		'13800000000',
		change.groups ?? ''
	].join(',');
}

const file = (lines: readonly string[]) => [HEADER, ...lines].join('\r\n');
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

interface Diff {
	schools: string[];
	before: number;
	after: number;
	added: number;
	removed: number;
	changed: number;
	unchanged: number;
	addedRows: { key: string; registryNo: string; name: string }[];
	removedRows: { key: string; registryNo: string; name: string }[];
	changedRows: {
		key: string;
		name: string;
		changes: { field: string; before: string | null; after: string | null }[];
	}[];
}

describe('[B-1] issue 12: a full roster import replaces the school’s roster of the term', () => {
	let t: TestRelay;
	let school1: string;
	let bureau: string;
	beforeAll(async () => {
		t = await startRelay();
		[school1, bureau] = await Promise.all([login(t, 'school1'), login(t, 'bureau1')]);
	});
	afterAll(async () => {
		await t.dispose();
	});

	const auth = (token: string) => ({ authorization: `Bearer ${token}` });
	async function preview(token: string, body: string, kind?: string) {
		const k = kind ? `&kind=${kind}` : '';
		const res = await fetch(`${t.url}/api/roster/preview?term=${TERM}&name=r.csv${k}`, {
			method: 'POST',
			headers: { ...auth(token), 'content-type': 'text/csv' },
			body
		});
		return {
			status: res.status,
			body: (await res.json()) as {
				previewId: string;
				errorCount: number;
				importKind: string;
				replace: Diff | null;
			}
		};
	}
	async function importFile(token: string, body: string, kind?: string) {
		const p = await preview(token, body, kind);
		expect(p.body.errorCount).toBe(0);
		const res = await fetch(`${t.url}/api/roster/import`, {
			method: 'POST',
			headers: { ...auth(token), 'content-type': 'application/json' },
			body: JSON.stringify({ previewId: p.body.previewId })
		});
		expect(res.status).toBe(200);
		return p.body;
	}
	const count = async () => (await t.storage.rosterCounts(TERM))[SCHOOL] ?? 0;
	const enrolled = async () => {
		const res = await fetch(`${t.url}/api/reports/quarterly?year=2025&quarter=4`, {
			headers: auth(bureau)
		});
		const r = (await res.json()) as {
			streets: { schools: { schoolId: string; counts: { enrolled: number | null } }[] }[];
		};
		return r.streets.flatMap((s) => s.schools).find((s) => s.schoolId === SCHOOL)?.counts.enrolled;
	};

	const first = file(range(0, 301).map((n) => line(n)));

	it('imports 301, and the same file again leaves 301 (idempotent); the report says 301', async () => {
		const p1 = await importFile(school1, first);
		expect(p1.importKind).toBe('full'); // the default
		expect(p1.replace).toMatchObject({ before: 0, after: 301, added: 301, removed: 0 });
		expect(await count()).toBe(301);
		const p2 = await importFile(school1, first);
		expect(p2.replace).toMatchObject({
			schools: [SCHOOL],
			before: 301,
			after: 301,
			added: 0,
			removed: 0,
			changed: 0,
			unchanged: 301
		});
		expect(await count()).toBe(301);
		expect(await enrolled()).toBe(301);
		const audit = await t.storage.listAudit({ caseId: `roster:${TERM}` });
		expect(audit.filter((a) => a.action === 'roster-replace')).toHaveLength(2);
	});

	it('a changed file: the preview lists exactly 3 removed, 2 added, 1 changed; commit replaces', async () => {
		// By hand: students 0–2 leave, 301 and 302 come, student 10 moves to class （5）班 and is
		// marked 留守; the other 297 stay as they were. 301 − 3 + 2 = 300 after.
		const changed = file([
			...range(3, 301).map((n) =>
				n === 10 ? line(n, { className: '八年级（5）班', groups: '留守' }) : line(n)
			),
			line(301),
			line(302)
		]);
		const p = await preview(school1, changed);
		const d = p.body.replace;
		if (!d) throw new Error('a full import previews its difference');
		expect(d).toMatchObject({
			before: 301,
			after: 300,
			added: 2,
			removed: 3,
			changed: 1,
			unchanged: 297
		});
		expect(d.removedRows.map((r) => r.name)).toEqual(['学生0', '学生1', '学生2']);
		expect(d.addedRows.map((r) => r.name)).toEqual(['学生301', '学生302']);
		expect(d.changedRows).toHaveLength(1);
		expect(d.changedRows[0]?.name).toBe('学生10');
		expect(d.changedRows[0]?.changes).toEqual([
			{ field: 'className', before: '八年级（2）班', after: '八年级（5）班' },
			{ field: 'focusGroups', before: '', after: 'left_behind' }
		]);
		// Keys are opaque and no full ID number or 学籍号 leaves the relay.
		for (const r of [...d.addedRows, ...d.removedRows]) {
			expect(r.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
			expect(r.registryNo).toMatch(/^G410499\*{12}$/);
		}
		expect(JSON.stringify(p.body)).not.toMatch(/\d{17}[\dXx]/);
		// Still 301 until confirmed.
		expect(await count()).toBe(301);
		await importFile(school1, changed);
		expect(await count()).toBe(300);
		expect(await enrolled()).toBe(300);
		const rows = await t.storage.listRoster(TERM, [SCHOOL]);
		expect(rows.find((r) => r.name === '学生10')).toMatchObject({
			className: '八年级（5）班',
			focusGroups: ['left_behind']
		});
		expect(rows.some((r) => r.name === '学生0')).toBe(false);
	});

	it('an additions-only import adds to the roster and previews no replacement', async () => {
		const p = await importFile(school1, file([line(400), line(401)]), 'additions');
		expect(p.importKind).toBe('additions');
		expect(p.replace).toBeNull();
		expect(await count()).toBe(302);
		expect((await preview(school1, first, 'everything')).status).toBe(400);
	});

	it('a bureau full import replaces only the schools its file names', async () => {
		const before = await t.storage.rosterCounts(TERM);
		// One student of 光明中学 with an L-number and no ID number.
		const other = 'L20120110001,外校生,男,2012-01-10,,示范区光明中学,初二,八年级（1）班,,,,,';
		await importFile(bureau, file([other]));
		const after = await t.storage.rosterCounts(TERM);
		expect(after[SCHOOL]).toBe(before[SCHOOL]);
		expect(after['org-school2']).toBe(1);
	});
});
