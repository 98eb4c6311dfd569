/**
 * Issue 12 (B-1, S-2, S-5): org-level obligations on a real relay with real SQLite, on the
 * relay's fixed clock: Tuesday 2025-10-21, 09:00 China time. The expected dates are counted by
 * hand from the seed texts and the 2025 State Council schedule (国庆/中秋 10-01..08):
 * - S-2 (Shilong, 开学后两周内): term Mon 2025-09-01 + 14 days = Mon 2025-09-15.
 * - S-5 (季度末): Q3 ends Tue 2025-09-30 (a working day), Q4 ends Wed 2025-12-31.
 * - B-1 (Bishan, 开学后5日内): 09-01 + 5 = Sat 09-06 → Mon 2025-09-08 (G-T2);
 *   开学后10日内: 09-01 + 10 = Thu 2025-09-11.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setOrgWork, showOrgWork } from '../../server/admin-org-work';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { QuarterlyReport } from '../../src/lib/reports';
import type { OrgObligation } from '../../src/lib/rules';
import { login, startRelay, type TestRelay } from './relay-harness';

interface ListAnswer {
	today: string;
	items: OrgObligation[];
	counts: Record<string, number>;
}

describe('issue 12: org-level obligations on the relay', () => {
	let t: TestRelay;
	beforeAll(async () => {
		t = await startRelay({ now: new Date('2025-10-21T01:00:00.000Z') });
	});
	afterAll(async () => {
		await t.dispose();
	});

	const list = async (user: string) => {
		const res = await fetch(`${t.url}/api/org-obligations`, {
			headers: { authorization: `Bearer ${await login(t, user)}` }
		});
		return { status: res.status, body: (await res.json()) as ListAnswer };
	};
	const record = async (user: string, body: unknown) => {
		const res = await fetch(`${t.url}/api/org-records`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: `Bearer ${await login(t, user)}`
			},
			body: JSON.stringify(body)
		});
		return {
			status: res.status,
			body: (await res.json()) as {
				item?: OrgObligation;
				message?: { zh: string; en: string };
			}
		};
	};
	const states = (items: OrgObligation[]) => items.map((o) => [o.key, o.due, o.state]);

	it('[S-2][S-5] lists each org’s obligations with states on the relay’s clock, scoped by org', async () => {
		const school = await list('school1');
		expect(school.status).toBe(200);
		expect(school.body.today).toBe('2025-10-21');
		expect(states(school.body.items)).toEqual([
			['registry-review:org-school1:2025-09-01', '2025-09-15', 'overdue']
		]);
		const street = await list('street1');
		expect(street.body.items.map((o) => o.orgId).sort()).toEqual(['org-school1', 'org-school3']);
		const bureau = await list('bureau1');
		expect(states(bureau.body.items.filter((o) => o.orgKind === 'bureau'))).toEqual([
			['quarterly-round:org-bureau:2025-Q3', '2025-09-30', 'overdue'],
			['quarterly-round:org-bureau:2025-Q4', '2025-12-31', 'pending']
		]);
		// Three schools' S-2 reviews and two quarters; the spring 2025 term (due 2025-03-03) is
		// before this school year (from 2025-08-01) and not listed.
		expect(bureau.body.counts).toEqual({ overdue: 4, pending: 1, late: 0, met: 0 });
		expect((await list('district1')).body.items).toHaveLength(5);
		for (const u of ['community1', 'police1']) expect((await list(u)).status, u).toBe(403);
	});

	it('[S-2] refuses a future date, a date before term start, and others’ obligations', async () => {
		const body = { kind: 'registry-review', period: '2025-09-01' };
		const future = await record('school1', { ...body, doneOn: '2025-10-22' });
		expect(future.status).toBe(400);
		expect(future.body.message?.zh).toContain('晚于今天（2025-10-21）');
		const early = await record('school1', { ...body, doneOn: '2025-08-31' });
		expect(early.status).toBe(400);
		expect(early.body.message?.zh).toContain('早于开学日期（2025-09-01）');
		const badDate = await record('school1', { ...body, doneOn: '2025/10/20' });
		expect(badDate.status).toBe(400);
		// Shilong has no B-1 term check; no such term.
		expect(
			(await record('school1', { ...body, kind: 'term-check', doneOn: '2025-10-20' })).status
		).toBe(400);
		expect(
			(await record('school1', { ...body, period: '2025-09-02', doneOn: '2025-10-20' })).status
		).toBe(400);
		// A school records its own term checks; the bureau the quarterly round.
		expect((await record('street1', { ...body, doneOn: '2025-10-20' })).status).toBe(403);
		expect((await record('bureau1', { ...body, doneOn: '2025-10-20' })).status).toBe(403);
		const q = { kind: 'quarterly-round', period: '2025-Q3', doneOn: '2025-09-30' };
		expect((await record('school1', q)).status).toBe(403);
		expect(await t.storage.listOrgRecords()).toEqual([]);
	});

	it('[S-2][S-5] a recorded check becomes late or met, is stored and audited', async () => {
		const late = await record('school1', {
			kind: 'registry-review',
			period: '2025-09-01',
			doneOn: '2025-10-20',
			count: 2,
			note: '两名学生学籍待转出'
		});
		expect(late.status).toBe(201);
		expect(late.body.item).toMatchObject({
			state: 'late',
			doneOn: '2025-10-20',
			due: '2025-09-15'
		});
		const met = await record('bureau1', {
			kind: 'quarterly-round',
			period: '2025-Q3',
			doneOn: '2025-09-30'
		});
		expect(met.body.item).toMatchObject({ state: 'met', due: '2025-09-30' });
		expect(states((await list('school1')).body.items)).toEqual([
			['registry-review:org-school1:2025-09-01', '2025-09-15', 'late']
		]);
		const stored = await t.storage.listOrgRecords();
		expect(stored.map((r) => [r.orgId, r.kind, r.period, r.doneOn, r.count])).toEqual([
			['org-school1', 'registry-review', '2025-09-01', '2025-10-20', 2],
			['org-bureau', 'quarterly-round', '2025-Q3', '2025-09-30', null]
		]);
		// Append-only: a record is never changed or deleted (a correction is a new record).
		const raw = new Database(join(t.dataDir, 'yishengyian.sqlite'));
		try {
			expect(() => raw.prepare("UPDATE org_records SET done_on = '2025-09-01'").run()).toThrow(
				/append-only/
			);
			expect(() => raw.prepare('DELETE FROM org_records').run()).toThrow(/append-only/);
		} finally {
			raw.close();
		}
		const audit = (await t.storage.listAudit()).filter((a) => a.action === 'org-record');
		expect(audit.map((a) => [a.userId, a.caseId])).toEqual([
			['school1', ''],
			['bureau1', '']
		]);
	});

	it('[S-5] the quarterly report counts the quarter’s org work as of its end, in JSON and xlsx', async () => {
		const get = async (user: string, format: 'json' | 'xlsx') =>
			fetch(`${t.url}/api/reports/quarterly?year=2025&quarter=3&format=${format}`, {
				headers: { authorization: `Bearer ${await login(t, user)}` }
			});
		// As of Q3's last day (2025-09-30): the three S-2 reviews of the 2025-09-01 term were due
		// 09-15 and not recorded by then (school1's record is dated 10-20): overdue; the bureau's
		// round was recorded on its due day 09-30: met.
		const report = (await (await get('bureau1', 'json')).json()) as QuarterlyReport;
		expect(report.orgWork?.total).toEqual({ overdue: 3, pending: 0, late: 0, met: 1 });
		expect(report.orgWork?.rows.map((r) => [r.orgId, r.counts.met, r.counts.overdue])).toEqual([
			['org-bureau', 1, 0],
			['org-school1', 0, 1],
			['org-school2', 0, 1],
			['org-school3', 0, 1]
		]);
		// A street office sees its own schools only, without the bureau's row.
		const street = (await (await get('street1', 'json')).json()) as QuarterlyReport;
		expect(street.orgWork?.rows.map((r) => r.orgId)).toEqual(['org-school1', 'org-school3']);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(await (await get('bureau1', 'xlsx')).arrayBuffer());
		const ws = wb.getWorksheet('单位工作事项');
		if (!ws) throw new Error('no org work sheet');
		const rows: string[] = [];
		ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).join('|')));
		expect(rows).toContain('单位|按期完成|逾期完成|逾期未完成|未到期');
		expect(rows).toContain('示范区教育体育局|1|0|0|0');
		expect(rows).toContain('合计|1|0|3|0');
	});

	it('[B-1] under the Bishan profile a school has the 5-day check and the 10-day report', async () => {
		await expect(setOrgWork(t.storage, { id: 'bishan-9999' })).rejects.toThrow(/--id/);
		await expect(setOrgWork(t.storage, { id: 'bishan-2024', date: '2025/08/01' })).rejects.toThrow(
			/--date/
		);
		// What `npm run admin -- org-work set --id bishan-2024` does; the running relay reads it.
		await setOrgWork(t.storage, { id: 'bishan-2024', date: '2025-08-01' });
		expect(await showOrgWork(t.storage, '2025-10-21')).toEqual([
			'政策方案 / profile: bishan-2024',
			'列出 2025-08-01 起到期的事项 / listing obligations due from 2025-08-01'
		]);
		expect(states((await list('school2')).body.items)).toEqual([
			['term-check:org-school2:2025-09-01', '2025-09-08', 'overdue'],
			['term-report:org-school2:2025-09-01', '2025-09-11', 'overdue']
		]);
	});
});
