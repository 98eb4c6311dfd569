import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSURE_PATHS, type CaseSnapshot, type ClosurePath } from '../../src/lib/domain';
import type { Ledger, QuarterCounts, QuarterlyReport } from '../../src/lib/reports';
import { REPORT_COLUMNS } from '../../src/lib/reports';
import { login, startRelay, type TestRelay } from './relay-harness';

// The harness's clock: 2026-11-23 (China time), i.e. inside Q4 2026 and the autumn 2026 term.
const FROM = '2026-10-01';
const TODAY = '2026-11-23';

/**
 * Counts straight from the seeded snapshots, without the rules: the demo has no amendments,
 * conflicts or reopenings, so an event present is an event that counts.
 */
function independentCounts(snapshots: CaseSnapshot[]) {
	const inQuarter = (d: string) => d >= FROM && d <= TODAY;
	const closedBy = Object.fromEntries(CLOSURE_PATHS.map((p) => [p, 0])) as Record<
		ClosurePath,
		number
	>;
	let open = 0;
	let suspectedNew = 0;
	let returned = 0;
	for (const s of snapshots) {
		const closure = s.events.find((e) => e.type === 'closed');
		if (!closure) open++;
		else if (closure.type === 'closed' && inQuarter(closure.date)) closedBy[closure.path]++;
		if (s.events.some((e) => e.type === 'suspected_case_opened' && inQuarter(e.date)))
			suspectedNew++;
		if (s.events.some((e) => e.type === 'returned' && inQuarter(e.date))) returned++;
	}
	return { open, suspectedNew, returned, closedBy };
}

const values = (c: QuarterCounts) => REPORT_COLUMNS.map((col) => col.value(c) ?? 0);

describe('relay: reports (S-5)', () => {
	let t: TestRelay;
	let snapshots: CaseSnapshot[];
	const tokens: Record<string, string> = {};
	const get = (path: string, user?: string) =>
		fetch(`${t.url}${path}`, {
			headers: user ? { authorization: `Bearer ${tokens[user]}` } : {}
		});

	beforeAll(async () => {
		t = await startRelay();
		for (const u of ['bureau1', 'district1', 'street1', 'school1', 'police1'])
			tokens[u] = await login(t, u);
		snapshots = (await t.storage.listCases()).map(
			(c) => JSON.parse(c.snapshotJson) as CaseSnapshot
		);
		// Enrollment from a roster of the term holding the quarter's end (autumn 2026), added to
		// whatever roster the demo seeds.
		await t.storage.importRoster(
			{ term: '2026-09-01', userId: 'bureau1', fileName: 'roster.csv', rows: 3, at: TODAY },
			['G410499201301010011', 'G410499201301010029', 'G410499201301010037'].map((no, i) => ({
				registryNo: no,
				name: `学生${i}`,
				gender: 'male' as const,
				birthDate: '2013-01-01',
				idNumber: null,
				schoolId: i < 2 ? 'org-school1' : 'org-school2',
				grade: 8,
				className: '（1）班',
				hukouPlace: '',
				residence: '',
				guardianName: '',
				guardianPhone: ''
			}))
		);
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('[S-5] bureau1 gets the JSON report; its numbers match the seeded cases and totals are sums of rows', async () => {
		const res = await get('/api/reports/quarterly?year=2026&quarter=4&format=json', 'bureau1');
		expect(res.status).toBe(200);
		const r = (await res.json()) as QuarterlyReport;
		expect(r).toMatchObject({ year: 2026, quarter: 4, from: FROM, asOf: TODAY });
		expect(r.districtName).toBe('示范区人民政府');
		expect(r.caseCount).toBe(snapshots.length);

		const rows = r.streets.flatMap((s) => s.schools);
		expect(rows.map((x) => x.schoolId).sort()).toEqual([
			'org-school1',
			'org-school2',
			'org-school3'
		]);
		const sum = (list: QuarterCounts[]) =>
			REPORT_COLUMNS.map((_, i) => list.reduce((n, c) => n + (values(c)[i] ?? 0), 0));
		expect(values(r.total)).toEqual(sum(rows.map((x) => x.counts)));
		for (const s of r.streets)
			expect(values(s.subtotal)).toEqual(sum(s.schools.map((x) => x.counts)));

		const want = independentCounts(snapshots);
		expect(r.total.openCases).toBe(want.open);
		expect(r.total.suspectedNew).toBe(want.suspectedNew);
		expect(r.total.returned).toBe(want.returned);
		expect(r.total.closed).toEqual(want.closedBy);
		expect(r.total.closedTotal).toBeGreaterThan(0);
		// Enrollment: the roster of the autumn 2026 term, counted here from its rows.
		const roster = await t.storage.listRoster('2026-09-01');
		expect(roster.length).toBeGreaterThanOrEqual(3);
		for (const x of rows) {
			const n = roster.filter((s) => s.schoolId === x.schoolId).length;
			expect(x.counts.enrolled, x.schoolId).toBe(n === 0 ? null : n);
		}
		expect(r.total.enrolled).toBe(roster.length);
		// Every case in the report is an audited read.
		const audit = await t.storage.listAudit({ userId: 'bureau1' });
		expect(new Set(audit.filter((a) => a.action === 'report').map((a) => a.caseId)).size).toBe(
			snapshots.length
		);
	});

	it('[S-5] the xlsx read back: the total row equals the sum of the school rows and the JSON', async () => {
		const json = (await (
			await get('/api/reports/quarterly?year=2026&quarter=4&format=json', 'bureau1')
		).json()) as QuarterlyReport;
		const res = await get('/api/reports/quarterly?year=2026&quarter=4&format=xlsx', 'bureau1');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('spreadsheetml');
		expect(res.headers.get('content-disposition')).toMatch(
			/^attachment; filename="quarterly-report-2026-Q4\.xlsx"; filename\*=UTF-8''%E5%AD%A3/
		);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(await res.arrayBuffer());
		const ws = wb.worksheets[0];
		if (!ws) throw new Error('no worksheet');
		const header: string[] = [];
		for (let r = 1; r <= 8; r++) header.push(`${ws.getCell(r, 1).text}=${ws.getCell(r, 2).text}`);
		expect(header).toContain('区县=示范区人民政府');
		expect(header).toContain('填报单位及填报人=示范区教育体育局　赵科长');
		expect(header).toContain(`填报日期=${TODAY}`);

		const schoolNames = new Set(json.streets.flatMap((s) => s.schools.map((x) => x.schoolName)));
		const schools: number[][] = [];
		let total: number[] | null = null;
		ws.eachRow((row, r) => {
			const nums = REPORT_COLUMNS.map((_, i) => {
				const v = ws.getCell(r, 3 + i).value;
				return typeof v === 'number' ? v : 0;
			});
			if (ws.getCell(r, 1).text === '合计') total = nums;
			else if (schoolNames.has(ws.getCell(r, 2).text)) schools.push(nums);
		});
		expect(schools).toHaveLength(3);
		const summed = REPORT_COLUMNS.map((_, i) => schools.reduce((n, s) => n + (s[i] ?? 0), 0));
		expect(total).toEqual(summed);
		expect(total).toEqual(values(json.total));
		expect(ws.views[0]).toMatchObject({ state: 'frozen' });
	});

	it('[S-5] a street office gets its own street only; the district government sees all', async () => {
		const res = await get('/api/reports/quarterly?year=2026&quarter=4', 'street1');
		expect(res.status).toBe(200);
		const r = (await res.json()) as QuarterlyReport;
		expect(r.streets.map((s) => s.streetId)).toEqual(['org-street1']);
		expect(
			r.streets
				.flatMap((s) => s.schools)
				.map((x) => x.schoolId)
				.sort()
		).toEqual(['org-school1', 'org-school3']);
		const mine = snapshots.filter((s) => s.orgs.streetId === 'org-street1');
		expect(r.caseCount).toBe(mine.length);
		expect(r.total.openCases).toBe(independentCounts(mine).open);

		const district = await get('/api/reports/quarterly?year=2026&quarter=4', 'district1');
		expect(district.status).toBe(200);
		expect(((await district.json()) as QuarterlyReport).streets).toHaveLength(2);
	});

	it('[S-5] school and partner-department users get 403 with a Chinese and English reason; no token 401', async () => {
		for (const u of ['school1', 'police1']) {
			const res = await get('/api/reports/quarterly?year=2026&quarter=4', u);
			expect(res.status).toBe(403);
			const body = (await res.json()) as { message: { zh: string; en: string } };
			expect(body.message.zh).toContain('报表');
			expect(body.message.en).toContain('reports');
			expect((await get('/api/reports/ledger?term=2026-09-01', u)).status).toBe(403);
		}
		expect((await get('/api/reports/quarterly?year=2026&quarter=4')).status).toBe(401);
		expect((await get('/api/reports/ledger?term=2026-09-01')).status).toBe(401);
	});

	it('[S-5] a bad year, quarter, format or term is 400; a quarter that has not begun too', async () => {
		for (const q of [
			'year=2026&quarter=5',
			'year=2026&quarter=0',
			'year=26&quarter=1',
			'year=abcd&quarter=1',
			'quarter=1',
			'year=2027&quarter=1',
			'year=2026&quarter=4&format=pdf'
		]) {
			const res = await get(`/api/reports/quarterly?${q}`, 'bureau1');
			expect(res.status, q).toBe(400);
			expect(((await res.json()) as { message: { zh: string } }).message.zh).toBeTruthy();
		}
		expect((await get('/api/reports/ledger?term=2026-09-02', 'bureau1')).status).toBe(400);
		expect((await get('/api/reports/nothing', 'bureau1')).status).toBe(404);
	});

	it('[S-10] the term ledger: one row per case active in the term, ID numbers masked, audited; xlsx download', async () => {
		const res = await get('/api/reports/ledger?term=2026-09-01&format=json', 'bureau1');
		expect(res.status).toBe(200);
		const ledger = (await res.json()) as Ledger;
		expect(ledger.term).toEqual({ name: '秋季学期', start: '2026-09-01', end: '2027-01-22' });
		expect(ledger.asOf).toBe(TODAY);
		const ids = new Set(ledger.rows.map((r) => r.caseId));
		expect(ids.size).toBe(ledger.rows.length);
		// Every open case is active in the current term.
		for (const s of snapshots)
			if (!s.events.some((e) => e.type === 'closed')) expect(ids).toContain(s.id);
		const withId = snapshots.filter((s) => s.student.idMasked);
		expect(withId.length).toBeGreaterThan(0);
		// Issue 11: no full ID number anywhere, and the "G" 学籍号 (G + ID number) masked too.
		expect(JSON.stringify(ledger)).not.toMatch(/\d{17}[\dXx]/);
		expect(ledger.rows.every((r) => /^G\d{6}\*{12}$/.test(r.registryNo))).toBe(true);
		const audit = await t.storage.listAudit({ userId: 'bureau1' });
		expect(new Set(audit.filter((a) => a.action === 'ledger').map((a) => a.caseId))).toEqual(ids);

		const xlsx = await get('/api/reports/ledger?term=2026-09-01', 'bureau1');
		expect(xlsx.status).toBe(200);
		expect(xlsx.headers.get('content-disposition')).toContain("filename*=UTF-8''");
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(await xlsx.arrayBuffer());
		const ws = wb.worksheets[0];
		let rows = 0;
		ws?.eachRow((row) => {
			if (typeof row.getCell(1).value === 'number') rows++;
		});
		expect(rows).toBe(ledger.rows.length);

		const street = (await (
			await get('/api/reports/ledger?term=2026-09-01&format=json', 'street1')
		).json()) as Ledger;
		expect(street.rows.length).toBeGreaterThan(0);
		expect(street.rows.every((r) => r.streetId === 'org-street1')).toBe(true);
	});
});
