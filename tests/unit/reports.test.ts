import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CLOSURE_PATHS, maskIdNumber, type CaseSnapshot } from '../../src/lib/domain';
import { CaseBuilder, shilongClosedBy, shilongToJointTeam } from '../../src/lib/demo';
import { evaluate } from '../../src/lib/rules';
import {
	OUT_REASONS,
	REPORT_COLUMNS,
	districtTerms,
	quarterRange,
	quarterlyReport,
	reportDue,
	snapshotAsOf,
	termLedger,
	termOf,
	type QuarterCounts,
	type QuarterlyReport,
	type ReportCase,
	type ReportOrg
} from '../../src/lib/reports';
import { ledgerXlsx, quarterlyXlsx } from '../../src/lib/reports/xlsx';

const ORGS: ReportOrg[] = [
	{ id: 'org-district', kind: 'district', name: '测试区人民政府', streetId: null },
	{ id: 'org-bureau', kind: 'bureau', name: '测试区教育体育局', streetId: null },
	{ id: 'st-a', kind: 'street', name: '甲街道办事处', streetId: null },
	{ id: 'st-b', kind: 'street', name: '乙街道办事处', streetId: null },
	{ id: 'sc-a1', kind: 'school', name: '甲一中学', streetId: 'st-a' },
	{ id: 'sc-a2', kind: 'school', name: '甲二中学', streetId: 'st-a' },
	{ id: 'sc-b1', kind: 'school', name: '乙一中学', streetId: 'st-b' }
];

/** A case of a school in a street, the snapshot's orgs matching. */
function at(snapshot: CaseSnapshot, schoolId: string, streetId: string): ReportCase {
	return { snapshot: { ...snapshot, orgs: { schoolId, streetId } }, schoolId, streetId };
}

/** A Shilong case: `n` unexcused absences from 24 Sep 2025 (S-4a/S-4b), optionally more steps. */
function absentFrom(id: string, opened = true): CaseBuilder {
	const b = new CaseBuilder({
		id,
		profile: 'shilong-2022',
		student: { name: '张三', grade: 8, idMasked: maskIdNumber('410402201205140014') },
		createdOn: '2025-09-24'
	}).absences(['2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29']);
	if (opened) b.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } });
	return b;
}

const numbers = (c: QuarterCounts): (number | null)[] => REPORT_COLUMNS.map((col) => col.value(c));

function sumRows(rows: QuarterCounts[]): (number | null)[] {
	return REPORT_COLUMNS.map((col) => {
		const vals = rows.map((r) => col.value(r)).filter((v): v is number => v !== null);
		return vals.length ? vals.reduce((a, b) => a + b, 0) : null;
	});
}

function allRows(r: QuarterlyReport): QuarterCounts[] {
	return r.streets.flatMap((s) => s.schools.map((x) => x.counts));
}

/** Six cases walked to each S-10 closure path, spread over three schools in two streets. */
function mixedCases(): ReportCase[] {
	const places: [string, string][] = [
		['sc-a1', 'st-a'],
		['sc-a2', 'st-a'],
		['sc-b1', 'st-b']
	];
	const closed = CLOSURE_PATHS.map((p, i) => {
		const [school, street] = places[i % 3] ?? ['sc-a1', 'st-a'];
		return at(shilongClosedBy(p), school, street);
	});
	return [
		...closed,
		at(shilongToJointTeam('case-joint-work', 'work').build(), 'sc-a1', 'st-a'),
		at(absentFrom('case-open').build(), 'sc-b1', 'st-b')
	];
}

describe('quarterly report (S-5)', () => {
	it('[S-5] a quarter runs from its first to its last day; the form is due on its last day or the next working day (G-T2)', () => {
		expect(quarterRange(2025, 1)).toMatchObject({ from: '2025-01-01', to: '2025-03-31' });
		expect(quarterRange(2025, 4)).toMatchObject({ from: '2025-10-01', to: '2025-12-31' });
		// 2025-06-30 is a Monday; 2024-03-31 a Sunday → Monday 1 April.
		expect(reportDue(2025, 2)).toBe('2025-06-30');
		expect(reportDue(2024, 1)).toBe('2024-04-01');
		// G-T3: a provisional year still has a date: Monday 2031-03-31 is a working day.
		expect(reportDue(2031, 1)).toBe('2031-03-31');
	});

	it('[S-5] a running quarter is counted as of today, a past one as of its last day', () => {
		const cases = mixedCases();
		const running = quarterlyReport({
			cases,
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2025-11-20'
		});
		expect(running.asOf).toBe('2025-11-20');
		const past = quarterlyReport({
			cases,
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2026-02-01'
		});
		expect(past.asOf).toBe('2025-12-31');
		expect(past.due).toBe('2025-12-31');
		// The missing-person closure (2 Dec) is after 20 Nov: counted only in the later report.
		expect(running.total.closed.missing_or_deceased).toBe(0);
		expect(past.total.closed.missing_or_deceased).toBe(1);
	});

	it('[S-5] every street subtotal is the sum of its school rows and the total the sum of all rows, in every column', () => {
		const cases = mixedCases();
		for (const [year, quarter, today] of [
			[2025, 3, '2026-01-10'],
			[2025, 4, '2026-01-10'],
			[2026, 3, '2026-10-01']
		] as const) {
			const r = quarterlyReport({
				cases,
				orgs: ORGS,
				enrollment: { 'sc-a1': 900, 'sc-b1': 450 },
				year,
				quarter,
				today
			});
			for (const s of r.streets) {
				expect(numbers(s.subtotal)).toEqual(sumRows(s.schools.map((x) => x.counts)));
			}
			expect(numbers(r.total)).toEqual(sumRows(allRows(r)));
			expect(numbers(r.total)).toEqual(sumRows(r.streets.map((s) => s.subtotal)));
			expect(r.total.outTotal).toBe(OUT_REASONS.reduce((n, k) => n + r.total.out[k], 0));
			expect(r.total.closedTotal).toBe(CLOSURE_PATHS.reduce((n, p) => n + r.total.closed[p], 0));
			expect(r.caseCount).toBe(cases.length);
		}
	});

	it('[S-5][S-10] closures within the quarter count by path; a case deferred at quarter end counts as deferred', () => {
		const q4 = quarterlyReport({
			cases: mixedCases(),
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2026-01-10'
		});
		expect(q4.total.closed).toEqual({
			returned: 1,
			enrolled_elsewhere: 1,
			refuses_after_judicial: 0,
			unfit_to_study: 1,
			poor_family_refuses: 0,
			missing_or_deceased: 1
		});
		expect(q4.total.closedTotal).toBe(4);
		// Judicial and poor-family cases are suspended (S-10) at the end of 2025, closed in 2026.
		expect(q4.total.deferred).toBe(2);
		expect(q4.total.openCases).toBe(4);
		const q3of2026 = quarterlyReport({
			cases: mixedCases(),
			orgs: ORGS,
			enrollment: {},
			year: 2026,
			quarter: 3,
			today: '2026-10-01'
		});
		expect(q3of2026.total.closed.refuses_after_judicial).toBe(1);
		expect(q3of2026.total.closed.poor_family_refuses).toBe(1);
		expect(q3of2026.total.closed.returned).toBe(0);
		expect(q3of2026.total.deferred).toBe(0);
	});

	it('[S-5][S-4b] a past quarter leaves out later events: at the end of Q3 2025 every case is a new suspected dropout without a reason yet', () => {
		const r = quarterlyReport({
			cases: mixedCases(),
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 3,
			today: '2026-01-10'
		});
		expect(r.asOf).toBe('2025-09-30');
		expect(r.total.suspectedNew).toBe(8);
		expect(r.total.outTotal).toBe(8);
		expect(r.total.out.unknown).toBe(8);
		expect(r.total.closedTotal).toBe(0);
		expect(r.total.returned).toBe(0);
		// In Q4 the same openings are no longer "new".
		const q4 = quarterlyReport({
			cases: mixedCases(),
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2026-01-10'
		});
		expect(q4.total.suspectedNew).toBe(0);
	});

	it('[S-5][S-9] students still out are counted by the reason of the dropout file or, when later, of the joint team', () => {
		// Dropout file says learning; the joint team, formed later, says work.
		const relabelled = absentFrom('case-relabel')
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-09', { mode: 'home_visit', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-10', { mode: 'home_visit', outcome: 'refused' })
			.add('dropout_file_created', '2025-10-11', { reason: 'learning' })
			.add('written_report', '2025-10-11', { to: ['street', 'bureau'] })
			.by('street')
			.add('joint_team_formed', '2025-10-13', { reason: 'work', departments: ['hr', 'police'] })
			.build();
		const fileOnly = absentFrom('case-file')
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-09', { mode: 'home_visit', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-10', { mode: 'home_visit', outcome: 'refused' })
			.add('dropout_file_created', '2025-10-11', { reason: 'religion' })
			.build();
		const r = quarterlyReport({
			cases: [
				at(relabelled, 'sc-a1', 'st-a'),
				at(fileOnly, 'sc-a1', 'st-a'),
				at(absentFrom('case-suspected').build(), 'sc-a2', 'st-a')
			],
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2025-10-20'
		});
		expect(r.total.out).toMatchObject({ work: 1, religion: 1, learning: 0, unknown: 1 });
		expect(r.total.outTotal).toBe(3);
	});

	it('[S-5][S-6] a return to school within the quarter counts as persuaded back, and the case leaves "still out"', () => {
		const back = absentFrom('case-back')
			.add('persuasion_attempt', '2025-09-30', { mode: 'home_visit', outcome: 'promised' })
			.add('returned', '2025-10-09', { placement: 'join_class' })
			.build();
		const input = {
			cases: [at(back, 'sc-a1', 'st-a')],
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4 as const,
			today: '2025-10-20'
		};
		const r = quarterlyReport(input);
		expect(r.total.returned).toBe(1);
		expect(r.total.outTotal).toBe(0);
		expect(r.total.openCases).toBe(1);
		const q3 = quarterlyReport({ ...input, quarter: 3 });
		expect(q3.total.returned).toBe(0);
		expect(q3.total.outTotal).toBe(1);
	});

	it('[S-5][S-4b] overdue obligations at quarter end are those the rules judge overdue on that day', () => {
		// Opened 29 Sep, one persuasion only: the 3 attempts in 10 working days (S-4b) are late.
		const stuck = absentFrom('case-stuck')
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'refused' })
			.build();
		const r = quarterlyReport({
			cases: [at(stuck, 'sc-a1', 'st-a')],
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2026-02-01'
		});
		const expected = evaluate(snapshotAsOf(stuck, '2025-12-31'), '2025-12-31').obligations.filter(
			(o) => o.state === 'overdue'
		).length;
		expect(expected).toBeGreaterThan(0);
		expect(r.total.overdue).toBe(expected);
	});

	it('[S-5] enrollment comes from the roster: "—" (null) where none is imported; the total sums the known ones', () => {
		const r = quarterlyReport({
			cases: mixedCases(),
			orgs: ORGS,
			enrollment: { 'sc-a1': 900, 'sc-b1': 450 },
			year: 2025,
			quarter: 4,
			today: '2026-01-10'
		});
		const row = (id: string) =>
			r.streets.flatMap((s) => s.schools).find((x) => x.schoolId === id)?.counts;
		expect(row('sc-a1')?.enrolled).toBe(900);
		expect(row('sc-a2')?.enrolled).toBeNull();
		expect(r.total.enrolled).toBe(1350);
		const none = quarterlyReport({
			cases: [],
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2026-01-10'
		});
		expect(none.total.enrolled).toBeNull();
		// Every school is listed, even without cases.
		expect(none.streets.flatMap((s) => s.schools.map((x) => x.schoolId)).sort()).toEqual([
			'sc-a1',
			'sc-a2',
			'sc-b1'
		]);
	});

	it('[S-5] a case counts under its street office: a school with cases in another street gets a row there, without enrollment', () => {
		const r = quarterlyReport({
			cases: [at(absentFrom('case-cross').build(), 'sc-a1', 'st-b')],
			orgs: ORGS,
			enrollment: { 'sc-a1': 900 },
			year: 2025,
			quarter: 4,
			today: '2025-10-20'
		});
		const b = r.streets.find((s) => s.streetId === 'st-b');
		const cross = b?.schools.find((x) => x.schoolId === 'sc-a1');
		expect(cross?.counts.openCases).toBe(1);
		expect(cross?.counts.enrolled).toBeNull();
		expect(r.total.enrolled).toBe(900);
	});

	it('[S-5] a street office sees only its own street; cases created after the counting day are left out', () => {
		const later = new CaseBuilder({
			id: 'case-later',
			profile: 'shilong-2022',
			student: { name: '李四' },
			createdOn: '2025-11-03'
		}).build();
		const r = quarterlyReport({
			cases: [...mixedCases(), at(later, 'sc-b1', 'st-b')],
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2025-10-31',
			streetIds: ['st-b']
		});
		expect(r.streets.map((s) => s.streetId)).toEqual(['st-b']);
		expect(r.streets[0]?.schools.map((s) => s.schoolId)).toEqual(['sc-b1']);
		// st-b holds two closure walks and the open case; `case-later` starts after 31 Oct.
		expect(r.caseCount).toBe(3);
		expect(r.districtName).toBe('测试区人民政府');
	});
});

describe('term ledger (台账)', () => {
	const term = { start: '2025-09-01', end: '2026-01-23' };

	it('[S-10] one row per case active in the term; a case closed before it or begun after it is left out', () => {
		const before = new CaseBuilder({
			id: 'case-before',
			profile: 'shilong-2022',
			student: { name: '早结' },
			createdOn: '2025-05-06'
		})
			.absences(['2025-05-06'])
			.add('home_visit', '2025-05-07', { mode: 'phone', contacted: '母亲', findings: '' })
			.build();
		const closedBefore = shilongClosedBy('returned');
		const ledger = termLedger({
			cases: [
				...mixedCases(),
				at(before, 'sc-a1', 'st-a'),
				at({ ...closedBefore, id: 'case-closed-2025' }, 'sc-a1', 'st-a')
			],
			orgs: ORGS,
			term: { start: '2026-03-02', end: '2026-07-10' },
			today: '2026-10-01'
		});
		// Spring 2026: the two cases suspended until their 2026 closure, plus the open ones
		// (joint team, suspected) and the one with no closure (the May 2025 absence).
		expect(ledger.rows.map((r) => r.caseId).sort()).toEqual(
			['case-before', 'case-joint-work', 'case-open', 'case-judicial', 'case-poor'].sort()
		);
		const autumn = termLedger({ cases: mixedCases(), orgs: ORGS, term, today: '2026-10-01' });
		expect(autumn.rows).toHaveLength(8);
	});

	it('[S-8][S-9] a row carries the 台账 fields as the rules fold the case, with the ID number masked', () => {
		const snapshot = {
			...shilongToJointTeam('case-ledger', 'work').build(),
			student: {
				...shilongToJointTeam('x').build().student,
				idMasked: '410402************',
				className: '（3）班',
				hukouPlace: '河南省平顶山市'
			}
		};
		const ledger = termLedger({
			cases: [at(snapshot, 'sc-a1', 'st-a')],
			orgs: ORGS,
			term,
			today: '2025-10-22'
		});
		const row = ledger.rows[0];
		expect(ledger.asOf).toBe('2025-10-22');
		expect(row).toMatchObject({
			schoolName: '甲一中学',
			streetName: '甲街道办事处',
			gradeClass: '九年级（3）班',
			name: '李小明',
			gender: 'male',
			idNumberMasked: '410402************',
			hukouPlace: '河南省平顶山市',
			guardians: ['家长（父亲）'],
			phones: ['13800000000'],
			reason: 'work',
			responsible: { name: '王老师', phone: '' },
			firstAbsence: '2025-09-24',
			attempts: 3,
			notice: { number: '石龙街限〔2025〕1号', date: '2025-10-13' },
			stage: 'joint',
			closure: null
		});
		expect(JSON.stringify(ledger)).not.toContain('410402201003010017');
		// The next deadline is the rules' next obligation on that day.
		const next = evaluate(snapshot, '2025-10-22').next;
		expect(next).not.toBeNull();
		expect(row?.next).toEqual({ title: next?.title, due: next?.due, state: next?.state });
	});

	it('[S-6][S-10] whereabouts and closure: placement after return, deferral, closure path and date', () => {
		const ledger = termLedger({
			cases: [
				at(shilongClosedBy('returned'), 'sc-a1', 'st-a'),
				at(shilongClosedBy('unfit_to_study'), 'sc-a1', 'st-a'),
				at(shilongClosedBy('enrolled_elsewhere'), 'sc-a1', 'st-a')
			],
			orgs: ORGS,
			term,
			today: '2026-02-01'
		});
		const byId = new Map(ledger.rows.map((r) => [r.caseId, r]));
		expect(byId.get('case-returned')).toMatchObject({
			whereabouts: { kind: 'placement', placement: 'join_class', date: '2025-10-30' },
			closure: { path: 'returned', date: '2025-11-07' },
			stage: 'closed'
		});
		expect(byId.get('case-unfit')?.whereabouts).toMatchObject({
			kind: 'deferral',
			deferral: 'deferred_enrollment'
		});
		expect(byId.get('case-elsewhere')?.whereabouts).toMatchObject({ kind: 'elsewhere' });
	});

	it('[S-5] terms come from the profiles; a day between terms belongs to the term just ended', () => {
		const terms = districtTerms();
		expect(terms.length).toBeGreaterThan(3);
		expect(termOf('2025-12-31', terms)?.start).toBe('2025-09-01');
		expect(termOf('2025-08-10', terms)?.start).toBe('2025-02-17');
		expect(termOf('2000-01-01', terms)).toBeNull();
	});
});

describe('xlsx files', () => {
	const by = { name: '赵科长', org: '测试区教育体育局', on: '2026-01-10' };

	it('[S-5] the quarterly xlsx has the header block, merged group headers, and a total row equal to the sum of the school rows', async () => {
		const report = quarterlyReport({
			cases: mixedCases(),
			orgs: ORGS,
			enrollment: { 'sc-a1': 900 },
			year: 2025,
			quarter: 4,
			today: '2026-01-10'
		});
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await quarterlyXlsx(report, by)).buffer as ArrayBuffer);
		const ws = wb.worksheets[0];
		if (!ws) throw new Error('no sheet');
		const text = (r: number, c: number) => ws.getCell(r, c).text;
		expect(text(1, 1)).toContain('季度控辍保学排查整改工作统计表');
		const cells: string[] = [];
		ws.eachRow((row) => row.eachCell((c) => cells.push(c.text)));
		expect(cells).toContain('测试区人民政府');
		expect(cells).toContain('测试区教育体育局　赵科长');
		expect(cells).toContain('仍未返校（按原因）');
		expect(cells).toContain('已销号（按路径）');
		expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2 });

		let schools: number[][] = [];
		let total: number[] = [];
		const width = REPORT_COLUMNS.length;
		ws.eachRow((row, r) => {
			const vals = Array.from({ length: width }, (_, i) => {
				const v = ws.getCell(r, 3 + i).value;
				return typeof v === 'number' ? v : 0;
			});
			if (text(r, 1) === '合计') total = vals;
			else if (ORGS.some((o) => o.kind === 'school' && o.name === text(r, 2)))
				schools = [...schools, vals];
		});
		expect(schools).toHaveLength(3);
		expect(total).toEqual(
			Array.from({ length: width }, (_, i) => schools.reduce((n, s) => n + (s[i] ?? 0), 0))
		);
		expect(total[REPORT_COLUMNS.findIndex((c) => c.id === 'closedTotal')]).toBe(4);
	});

	it('[S-10] the ledger xlsx has one row per case and never the full ID number', async () => {
		const snapshot = {
			...shilongClosedBy('returned'),
			student: { ...shilongClosedBy('returned').student, idNumber: '410402201003010017' }
		};
		const ledger = termLedger({
			cases: [at(snapshot, 'sc-a1', 'st-a'), ...mixedCases().slice(1)],
			orgs: ORGS,
			term: { start: '2025-09-01', end: '2026-01-23' },
			today: '2026-01-10'
		});
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await ledgerXlsx(ledger, by)).buffer as ArrayBuffer);
		const ws = wb.worksheets[0];
		if (!ws) throw new Error('no sheet');
		const cells: string[] = [];
		ws.eachRow((row) => row.eachCell((c) => cells.push(c.text)));
		expect(cells.join('|')).not.toContain('410402201003010017');
		expect(cells).toContain('410402************');
		expect(cells).toContain('复学：插班（2025-10-30）');
		expect(cells).toContain('复学（2025-11-07）');
		const indexes: number[] = [];
		ws.eachRow((row) => {
			const v = row.getCell(1).value;
			if (typeof v === 'number') indexes.push(v);
		});
		expect(indexes).toEqual(ledger.rows.map((_, i) => i + 1));
		expect(ledger.rows).toHaveLength(8);
	});
});
