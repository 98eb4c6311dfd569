import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIdNumber } from '../../server/seed-cases';
import { login, startRelay, type TestRelay } from './relay-harness';

/** A term without a seeded roster: the tests that import own it. */
const TERM = '2025-09-01';
const HEADER = '学籍号,姓名,性别,出生日期,身份证号,学校,年级,班级,户籍地,居住地,监护人,电话';

/** A valid CSV line for student n of a school (unique 学籍号 and ID number per n). */
function line(
	n: number,
	school = '示范区第一初级中学',
	extra: Partial<Record<string, string>> = {}
) {
	const birth = `2012-0${(n % 8) + 1}-1${n % 10}`;
	const id = extra['id'] ?? demoIdNumber(birth, 300 + n, n % 2 ? 'male' : 'female');
	return [
		extra['registryNo'] ?? `G${id}`,
		`测试${n}`,
		extra['gender'] ?? (n % 2 ? '男' : '女'),
		extra['birth'] ?? birth,
		id,
		school,
		'初二',
		'八年级（2）班',
		'河南省平顶山市',
		'"示范区新华街道和平路1号, 3单元"',
		'测试家长',
		extra['phone'] ?? '13800000000'
	].join(',');
}

interface Preview {
	previewId: string;
	term: string;
	rows: number;
	errorCount: number;
	errors: { row: number | null; column: string | null; message: { zh: string; en: string } }[];
	sample: { registryNo: string; idNumber: string | null; schoolId: string }[];
	bySchool: Record<string, number>;
}

interface TraceStudent {
	key: string;
	registryNo: string;
	name: string;
	idNumber: string | null;
	schoolId: string;
	grade: number;
	previousTerm: string;
}

describe('roster import and the term-start check (S-1, B-1, B-2)', () => {
	let t: TestRelay;
	let bureau: string;
	let school1: string;
	beforeAll(async () => {
		t = await startRelay();
		[bureau, school1] = await Promise.all([login(t, 'bureau1'), login(t, 'school1')]);
	});
	afterAll(async () => {
		await t.dispose();
	});

	const auth = (token: string) => ({ authorization: `Bearer ${token}` });
	const preview = async (
		token: string,
		body: string | Uint8Array<ArrayBuffer>,
		term = TERM,
		name = 'x.csv'
	) => {
		const res = await fetch(
			`${t.url}/api/roster/preview?term=${term}&name=${encodeURIComponent(name)}`,
			{ method: 'POST', headers: { ...auth(token), 'content-type': 'text/csv' }, body }
		);
		return { status: res.status, body: (await res.json()) as Preview };
	};
	const confirm = (token: string, previewId: string) =>
		fetch(`${t.url}/api/roster/import`, {
			method: 'POST',
			headers: { ...auth(token), 'content-type': 'application/json' },
			body: JSON.stringify({ previewId })
		});
	const get = async <T>(token: string, path: string) => {
		const res = await fetch(`${t.url}${path}`, { headers: auth(token) });
		return { status: res.status, body: (await res.json()) as T };
	};
	const trace = async (token: string) =>
		(
			await get<{ students: TraceStudent[]; previousTerm: string }>(
				token,
				'/api/roster/trace?term=2026-09-01'
			)
		).body;

	it('[S-1] a file with bad rows gives the error list with row numbers, and nothing is imported', async () => {
		const bad = [
			HEADER,
			line(1),
			line(2, '示范区第一初级中学', { id: '410499201203120041' }), // wrong check digit
			line(3, '示范区第一初级中学', { birth: '2012-02-30' }),
			line(4, '没有的学校'),
			line(5),
			line(5)
		].join('\r\n');
		const p = await preview(bureau, bad);
		expect(p.status).toBe(200);
		expect(p.body.rows).toBe(6);
		const where = p.body.errors.map((e) => [e.row, e.column]);
		expect(where).toEqual([
			[3, '身份证号'],
			[4, '出生日期'],
			[5, '学校'],
			[6, '学籍号'],
			[7, '学籍号']
		]);
		expect(p.body.errors[2]?.message.zh).toContain('没有这所学校');
		expect(p.body.errors[3]?.message.en).toContain('row 7');
		expect(p.body.errorCount).toBe(5);
		const r = await confirm(bureau, p.body.previewId);
		expect(r.status).toBe(409);
		expect(((await r.json()) as { message: { zh: string; en: string } }).message.zh).toContain(
			'未导入'
		);
		expect(await t.storage.rosterCounts(TERM)).toEqual({});
		// The preview was consumed.
		expect((await confirm(bureau, p.body.previewId)).status).toBe(404);
	});

	it('[S-1] issue 11: rows whose birth date, ID number or phone do not hold are listed in Chinese, nothing imported', async () => {
		const bad = [
			HEADER,
			line(1),
			// Grade 8 in 2025–2026: a 2030 birth date is after today (the relay's 2026-11-23).
			line(2, '示范区第一初级中学', { birth: '2030-05-01', id: '', registryNo: 'L20300501001' }),
			line(3, '示范区第一初级中学', { birth: '2012-04-14' }), // the ID says 2012-04-13
			line(4, '示范区第一初级中学', { gender: '男' }), // an even 17th digit: female
			line(5, '示范区第一初级中学', { phone: 'abc' })
		].join('\r\n');
		const p = await preview(bureau, bad);
		expect(p.status).toBe(200);
		expect(p.body.errors.map((e) => [e.row, e.column, e.message.zh])).toEqual([
			[3, '出生日期', '出生日期 2030-05-01 晚于今天（2026-11-23）'],
			[4, '身份证号', '身份证号中的出生日期（2012-04-13）与出生日期（2012-04-14）不一致'],
			[5, '身份证号', '身份证号第 17 位表示女性，与性别（男）不一致'],
			[
				6,
				'电话',
				'电话号码格式不正确：abc（手机号为 11 位，如 138 0000 0000；座机如 0375-1234567）'
			]
		]);
		expect((await confirm(bureau, p.body.previewId)).status).toBe(409);
		expect(await t.storage.rosterCounts(TERM)).toEqual({});
	});

	it('[S-1] a file without a required column is one file-level error', async () => {
		const p = await preview(bureau, '学籍号,姓名,性别\r\nG410499201203120041,王,男\r\n');
		expect(p.body.errorCount).toBe(1);
		expect(p.body.errors[0]?.message.zh).toContain('出生日期');
		expect(p.body.errors[0]?.message.zh).toContain('学校');
	});

	it('[S-1] a clean CSV is previewed with masked ID numbers, then imported and counted', async () => {
		const csv = [
			HEADER,
			...Array.from({ length: 30 }, (_, i) =>
				line(10 + i, i % 3 ? '示范区第一初级中学' : 'org-school2')
			)
		].join('\n');
		const p = await preview(bureau, csv);
		expect(p.body.errorCount).toBe(0);
		expect(p.body.bySchool).toEqual({ 'org-school1': 20, 'org-school2': 10 });
		expect(p.body.sample).toHaveLength(20);
		// Issue 11: the ID number and the G+身份证号 学籍号 are masked to the region.
		for (const s of p.body.sample) {
			expect(s.idNumber).toBe('410499************');
			expect(s.registryNo).toBe('G410499************');
		}
		expect(JSON.stringify(p.body)).not.toMatch(/\d{17}[\dXx]/);
		const r = await confirm(bureau, p.body.previewId);
		expect(r.status).toBe(200);
		expect(await r.json()).toMatchObject({ rows: 30, term: TERM });
		expect(await t.storage.rosterCounts(TERM)).toEqual({ 'org-school1': 20, 'org-school2': 10 });
		const audit = await t.storage.listAudit({ caseId: `roster:${TERM}` });
		expect(audit.some((a) => a.action === 'roster-preview' && a.userId === 'bureau1')).toBe(true);
	});

	it('[S-1] an XLSX file built with exceljs (date cells, numbers) is imported', async () => {
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('花名册');
		ws.addRow([]);
		ws.addRow([
			'Registry No',
			'Name',
			'Gender',
			'Birth Date',
			'ID number',
			'School',
			'Grade',
			'Class',
			'Phone'
		]);
		for (let i = 0; i < 12; i++) {
			const birth = `2013-0${(i % 8) + 1}-0${(i % 9) + 1}`;
			const id = demoIdNumber(birth, 400 + i, 'female');
			ws.addRow([
				`G${id}`,
				`表格${i}`,
				'F',
				new Date(`${birth}T00:00:00Z`),
				id,
				'org-school3',
				6,
				'六年级（1）班',
				13900000000 + i
			]);
		}
		const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
		const p = await preview(school1, bytes, TERM, 'roster.xlsx');
		// school1 may not import students of 新华小学: every row is an error.
		expect(p.body.errorCount).toBe(12);
		expect(p.body.errors[0]).toMatchObject({ row: 3, column: 'School' });
		const ok = await preview(bureau, bytes, TERM, 'roster.xlsx');
		expect(ok.body.errorCount).toBe(0);
		expect(ok.body.bySchool).toEqual({ 'org-school3': 12 });
		expect((await confirm(bureau, ok.body.previewId)).status).toBe(200);
		const stored = await t.storage.listRoster(TERM, ['org-school3']);
		expect(stored).toHaveLength(12);
		expect(stored[0]).toMatchObject({ gender: 'female', grade: 6, guardianPhone: '13900000000' });
		expect(stored.map((s) => s.birthDate)).toContain('2013-01-01');
	});

	it('[S-1] school1 importing a row of school2 gets an error for that row; its own rows pass', async () => {
		const csv = [HEADER, line(60), line(61, '示范区光明中学'), line(62, '')].join('\n');
		const p = await preview(school1, csv);
		expect(p.body.errors.map((e) => [e.row, e.column])).toEqual([[3, '学校']]);
		expect(p.body.errors[0]?.message.zh).toContain('只能导入本校');
		const own = await preview(school1, [HEADER, line(60), line(62, '')].join('\n'));
		expect(own.body.errorCount).toBe(0);
		expect(own.body.bySchool).toEqual({ 'org-school1': 2 });
		// Another user cannot confirm school1's preview.
		expect((await confirm(bureau, own.body.previewId)).status).toBe(404);
	});

	it('police1 may neither import nor see the roster (403)', async () => {
		const police = await login(t, 'police1');
		expect((await preview(police, [HEADER, line(70)].join('\n'))).status).toBe(403);
		expect((await get(police, '/api/roster/summary')).status).toBe(403);
		expect((await get(police, '/api/roster/trace')).status).toBe(403);
		const street = await login(t, 'street1');
		expect((await preview(street, [HEADER, line(70)].join('\n'))).status).toBe(403);
	});

	it('[S-1] the summary counts the seeded roster per visible school, with the previous term', async () => {
		const all = await get<{
			term: string;
			counts: Record<string, number>;
			previousTerm: string;
			previousCounts: Record<string, number>;
		}>(bureau, '/api/roster/summary');
		expect(all.body.term).toBe('2026-09-01');
		expect(all.body.previousTerm).toBe('2026-03-02');
		expect(Object.keys(all.body.counts).sort()).toEqual([
			'org-school1',
			'org-school2',
			'org-school3'
		]);
		for (const n of Object.values(all.body.counts)) expect(n).toBeGreaterThan(250);
		const street = await get<{ counts: Record<string, number> }>(
			await login(t, 'street1'),
			'/api/roster/summary?term=2026-03-02'
		);
		expect(Object.keys(street.body.counts).sort()).toEqual(['org-school1', 'org-school3']);
		expect((await get(bureau, '/api/roster/summary?term=2031-01-01')).status).toBe(400);
	});

	it('[B-1] the trace list: on the spring roster, not the autumn one, no case, not finished grade 9', async () => {
		const all = await trace(bureau);
		expect(all.students).toHaveLength(5);
		expect(all.students.every((s) => s.previousTerm === '2026-03-02' && s.grade < 9)).toBe(true);
		// Issue 11: masked 学籍号 and ID numbers, each row named by an opaque key.
		expect(JSON.stringify(all)).not.toMatch(/\d{17}[\dXx]/);
		for (const s of all.students) {
			expect(s.registryNo).toMatch(/^G\d{6}\*{12}$/);
			expect(s.idNumber ?? '410499************').toBe('410499************');
			expect(s.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
		}
		expect(new Set(all.students.map((s) => s.key)).size).toBe(all.students.length);
		// The same key in the next answer: stable between the list and the click.
		expect((await trace(bureau)).students.map((s) => s.key)).toEqual(
			all.students.map((s) => s.key)
		);
		const mine = await trace(school1);
		expect(mine.students.map((s) => s.schoolId)).toEqual(['org-school1', 'org-school1']);
		// The Bishan demo cases' students (demo-19/20) are not registered this term but have
		// cases: on the spring roster, not the autumn one, and not on the list.
		const cases = await t.storage.listCases();
		const caseStudents = new Set(
			cases.map((c) => {
				const s = (JSON.parse(c.snapshotJson) as { student: { name: string; birthDate: string } })
					.student;
				return `${s.name}|${s.birthDate}`;
			})
		);
		const spring = await t.storage.listRoster('2026-03-02');
		const autumn = new Set((await t.storage.listRoster('2026-09-01')).map((r) => r.registryNo));
		const leftWithCase = spring.filter(
			(r) => !autumn.has(r.registryNo) && caseStudents.has(`${r.name}|${r.birthDate}`)
		);
		expect(leftWithCase.length).toBeGreaterThanOrEqual(2);
		const listed = new Set(all.students.map((s) => s.name));
		for (const r of leftWithCase) expect(listed.has(r.name)).toBe(false);
		const audit = await t.storage.listAudit({ caseId: 'roster:2026-09-01' });
		expect(audit.some((a) => a.action === 'roster-trace' && a.userId === 'school1')).toBe(true);
	});

	it('[B-2] a student of the trace list becomes a case with one action, and leaves the list', async () => {
		const before = await trace(school1);
		const student = before.students[0];
		if (!student) throw new Error('no student to trace');
		const post = (token: string, body: unknown) =>
			fetch(`${t.url}/api/roster/trace/case`, {
				method: 'POST',
				headers: { ...auth(token), 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
		const open = (token: string) => post(token, { term: '2026-09-01', key: student.key });
		// Issue 11: the row is named by its key; a 学籍号 is not taken, whole or masked.
		const full = (await t.storage.listRoster('2026-03-02')).find(
			(r) => r.name === student.name && r.schoolId === student.schoolId
		);
		if (!full) throw new Error('the traced student is not on the spring roster');
		for (const registryNo of [full.registryNo, student.registryNo])
			expect((await post(school1, { term: '2026-09-01', registryNo })).status).toBe(400);
		expect((await post(school1, { term: '2026-09-01', key: 'A'.repeat(22) })).status).toBe(404);
		// A key is of its term: another term's list has other keys.
		expect((await post(school1, { term: '2026-03-02', key: student.key })).status).toBe(404);
		// school2 cannot see school1's student; a street office does not open cases.
		expect((await open(await login(t, 'school2'))).status).toBe(404);
		expect((await open(await login(t, 'street1'))).status).toBe(403);
		const res = await open(school1);
		expect(res.status).toBe(201);
		const { id } = (await res.json()) as { id: string };
		const c = await get<{
			student: { registryNo: string; name: string; grade: number; schoolId: string };
			guardians: { name: string; phone: string }[];
			plan: string;
		}>(school1, `/api/cases/${id}`);
		expect(c.status).toBe(200);
		expect(c.body.student).toMatchObject({
			registryNo: student.registryNo, // masked, as in the document
			name: student.name,
			schoolId: 'org-school1',
			grade: student.grade + 1
		});
		expect(c.body.guardians[0]?.phone).toMatch(/^138\d{8}$/);
		expect(c.body.plan).toContain('B-2');
		const after = await trace(school1);
		expect(after.students.map((s) => s.key)).toEqual(before.students.slice(1).map((s) => s.key));
		expect((await open(school1)).status).toBe(409);
	});
});
