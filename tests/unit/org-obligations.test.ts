import { describe, expect, it } from 'vitest';
import {
	Calendar,
	builtinCalendarData,
	countOrgObligations,
	getProfile,
	mergeCalendarData,
	orgObligations,
	termDeadlines,
	type OrgObligation,
	type OrgWorkRecord
} from '../../src/lib/rules';
import { quarterlyReport, type ReportOrg } from '../../src/lib/reports';

/**
 * Issue 12: the obligations of a school or of the bureau (B-1, S-2, S-5). Every expected date
 * is counted by hand from the seed texts and the State Council schedules (2026 official:
 * 中秋 09-25..27, 国庆 10-01..07, make-up working days 09-20 Sun and 10-10 Sat; 2027 and 2028
 * provisional, G-T3), never by the rules under test:
 * - 「开学后5日内」「开学后10日内」 (Bishan) and 「开学后两周内」 (Shilong, = 14 days) count calendar
 *   days; the start day is not counted (G-T1); a last day that is not a working day moves to
 *   the next working day (G-T2).
 * - 「每个季度末上报」 (S-5): the quarter's last day, or the next working day (G-T2).
 */

const ORGS: ReportOrg[] = [
	{ id: 'sch-a', kind: 'school', name: '甲中学', streetId: 'st-1' },
	{ id: 'sch-b', kind: 'school', name: '乙中学', streetId: 'st-2' },
	{ id: 'st-1', kind: 'street', name: '一街道', streetId: null },
	{ id: 'bur', kind: 'bureau', name: '区教体局', streetId: null }
];

/** The shipped calendar plus the 2026–2027 school year with its spring term (2027-03-01). */
const calendar = new Calendar(
	mergeCalendarData(
		builtinCalendarData(),
		{
			years: [],
			termYears: [
				{
					schoolYear: '2026-2027',
					terms: [
						{ start: '2026-09-01', end: '2027-01-22', name: '秋季学期' },
						{ start: '2027-03-01', end: '2027-07-09', name: '春季学期' }
					]
				},
				// A school whose autumn term starts on Monday 2026-09-28, just before 国庆.
				{
					schoolYear: '2026-2027',
					school: 'sch-b',
					terms: [{ start: '2026-09-28', end: '2027-01-22' }]
				}
			]
		},
		1
	)
);

let nextId = 1;
function rec(
	kind: OrgWorkRecord['kind'],
	orgId: string,
	period: string,
	doneOn: string
): OrgWorkRecord {
	return {
		id: nextId++,
		orgId,
		kind,
		period,
		doneOn,
		count: null,
		note: '',
		userId: 'u',
		at: `${doneOn}T10:00:00+08:00`
	};
}

function list(
	profileId: 'shilong-2022' | 'bishan-2024',
	today: string,
	records: OrgWorkRecord[] = []
) {
	return orgObligations({
		profile: getProfile(profileId),
		calendar,
		orgs: ORGS,
		records,
		today,
		from: '2026-09-01'
	});
}

const find = (l: OrgObligation[], key: string) => {
	const o = l.find((x) => x.key === key);
	if (!o) throw new Error(`no ${key} in ${l.map((x) => x.key).join(', ')}`);
	return o;
};

describe('org-level obligations (issue 12: B-1, S-2, S-5)', () => {
	it('[S-2] Shilong: the registry review of the 2026 autumn term is due 2026-09-15', () => {
		// Tue 2026-09-01 + 14 days = Tue 2026-09-15, a working day.
		const o = find(list('shilong-2022', '2026-09-10'), 'registry-review:sch-a:2026-09-01');
		expect(o).toMatchObject({ rule: 'S-2', orgKind: 'school', streetId: 'st-1' });
		expect(o.due).toBe('2026-09-15');
		expect(o.state).toBe('pending');
		expect(o.provisional).toBeUndefined();
		// Shilong has no B-1 term check or report.
		expect(list('shilong-2022', '2026-09-10').map((x) => x.kind)).not.toContain('term-check');
	});

	it('[B-1][G-T2] Bishan: the 5-day check ends on a Sunday and moves to Monday 2026-09-07', () => {
		const l = list('bishan-2024', '2026-09-03');
		// Tue 09-01 + 5 = Sun 2026-09-06, not a working day → Mon 2026-09-07 (G-T2).
		expect(find(l, 'term-check:sch-a:2026-09-01')).toMatchObject({
			rule: 'B-1',
			due: '2026-09-07',
			state: 'pending'
		});
		// 09-01 + 10 = Fri 2026-09-11, a working day.
		expect(find(l, 'term-report:sch-a:2026-09-01').due).toBe('2026-09-11');
		// Bishan's registry changes are part of the 5-day check (seed: 学籍变化情况), no S-2 item.
		expect(l.filter((x) => x.kind === 'registry-review')).toEqual([]);
	});

	it('[B-1][S-2][G-T2] a term starting 2026-09-28 runs into 国庆', () => {
		const b = list('bishan-2024', '2026-09-29');
		// Mon 09-28 + 5 = Sat 10-03, inside 国庆 10-01..07 → Thu 2026-10-08 (first working day).
		expect(find(b, 'term-check:sch-b:2026-09-28').due).toBe('2026-10-08');
		// 09-28 + 10 = Thu 10-08, a working day.
		expect(find(b, 'term-report:sch-b:2026-09-28').due).toBe('2026-10-08');
		// Shilong: 09-28 + 14 = Mon 2026-10-12, a working day (Sat 10-10 was a make-up day anyway).
		const s = list('shilong-2022', '2026-09-29');
		expect(find(s, 'registry-review:sch-b:2026-09-28').due).toBe('2026-10-12');
		// sch-b keeps its own terms: nothing for the district's 2026-09-01 start.
		expect(s.some((x) => x.key === 'registry-review:sch-b:2026-09-01')).toBe(false);
	});

	it('[B-1][G-T3] the spring 2027 term is counted in a provisional year and marked 暂定', () => {
		const l = list('bishan-2024', '2027-03-02');
		// Mon 2027-03-01 + 5 = Sat 03-06 → Mon 2027-03-08; + 10 = Thu 2027-03-11.
		expect(find(l, 'term-check:sch-a:2027-03-01')).toMatchObject({
			due: '2027-03-08',
			provisional: true
		});
		expect(find(l, 'term-report:sch-a:2027-03-01').due).toBe('2027-03-11');
		// Shilong: + 14 = Mon 2027-03-15.
		const s = list('shilong-2022', '2027-03-02');
		expect(find(s, 'registry-review:sch-a:2027-03-01')).toMatchObject({
			due: '2027-03-15',
			provisional: true
		});
	});

	it('[S-2] states at fixed todays: pending, overdue, met, late; a record after today does not count', () => {
		const key = 'registry-review:sch-a:2026-09-01';
		expect(find(list('shilong-2022', '2026-09-15'), key).state).toBe('pending'); // due day
		expect(find(list('shilong-2022', '2026-09-16'), key).state).toBe('overdue');
		const onTime = [rec('registry-review', 'sch-a', '2026-09-01', '2026-09-15')];
		expect(find(list('shilong-2022', '2026-09-16', onTime), key)).toMatchObject({
			state: 'met',
			doneOn: '2026-09-15'
		});
		const late = [rec('registry-review', 'sch-a', '2026-09-01', '2026-09-20')];
		expect(find(list('shilong-2022', '2026-09-21', late), key).state).toBe('late');
		// As of 09-16 the 09-20 record had not been made yet.
		expect(find(list('shilong-2022', '2026-09-16', late), key).state).toBe('overdue');
		// G-M2: a second record of the same check: the earliest counts.
		const twice = [...late, rec('registry-review', 'sch-a', '2026-09-01', '2026-09-14')];
		expect(find(list('shilong-2022', '2026-09-21', twice), key)).toMatchObject({
			state: 'met',
			doneOn: '2026-09-14'
		});
		// Another school's record does not meet sch-a's obligation.
		const other = [rec('registry-review', 'sch-b', '2026-09-01', '2026-09-10')];
		expect(find(list('shilong-2022', '2026-09-21', other), key).state).toBe('overdue');
	});

	it('[S-5] the bureau’s quarterly round: due at quarter end, next working day on a rest day', () => {
		const l = list('shilong-2022', '2026-10-09');
		// Q3 2026 ends Wed 09-30, a working day (国庆 starts 10-01).
		expect(find(l, 'quarterly-round:bur:2026-Q3')).toMatchObject({
			rule: 'S-5',
			orgKind: 'bureau',
			orgId: 'bur',
			due: '2026-09-30',
			state: 'overdue'
		});
		// Q4 2026 began 10-01 and ends Thu 12-31.
		expect(find(l, 'quarterly-round:bur:2026-Q4')).toMatchObject({
			due: '2026-12-31',
			state: 'pending'
		});
		// Q2 2026 (due 06-30) is before `from`; Q1 2027 has not begun.
		expect(l.some((x) => x.period === '2026-Q2' || x.period === '2027-Q1')).toBe(false);
		// Q3 2028 ends Sat 09-30; provisional 2028: 国庆 10-01..03 (Sun–Tue), Sunday 10-01 gives
		// one 补假 on Wed 10-04 → first working day Thu 2028-10-05, 暂定.
		const far = orgObligations({
			profile: getProfile('shilong-2022'),
			calendar,
			orgs: ORGS,
			records: [rec('quarterly-round', 'bur', '2028-Q3', '2028-10-05')],
			today: '2028-10-06',
			from: '2028-09-01'
		});
		expect(find(far, 'quarterly-round:bur:2028-Q3')).toMatchObject({
			due: '2028-10-05',
			state: 'met',
			provisional: true
		});
	});

	it('[S-2][S-5] overdue first, then pending, late, met; counted by state', () => {
		const l = list('shilong-2022', '2026-10-09', [
			rec('registry-review', 'sch-b', '2026-09-28', '2026-09-30')
		]);
		expect(l.map((o) => [o.key, o.state])).toEqual([
			['registry-review:sch-a:2026-09-01', 'overdue'], // due 09-15
			['quarterly-round:bur:2026-Q3', 'overdue'], // due 09-30
			['quarterly-round:bur:2026-Q4', 'pending'], // due 12-31
			['registry-review:sch-b:2026-09-28', 'met'] // due 10-12, done 09-30
		]);
		expect(countOrgObligations(l)).toEqual({ overdue: 2, pending: 1, late: 0, met: 1 });
	});

	it('[S-2][B-1] termDeadlines gives no S-2 item for Bishan (its 5-day check covers the registry)', () => {
		expect(termDeadlines('2026-03-02', getProfile('bishan-2024')).map((d) => d.key)).toEqual([
			'term-check',
			'term-report'
		]);
	});
});

describe('the quarterly report counts the quarter’s org work (issue 12, S-5)', () => {
	const report = (
		records: OrgWorkRecord[],
		today: string,
		streetIds?: string[],
		quarter: 3 | 4 = 3
	) =>
		quarterlyReport({
			cases: [],
			orgs: ORGS,
			enrollment: {},
			year: 2026,
			quarter,
			today,
			calendar,
			orgWork: { profile: getProfile('bishan-2024'), records },
			...(streetIds ? { streetIds } : {})
		});
	const records = [
		rec('term-check', 'sch-a', '2026-09-01', '2026-09-07'), // on its due day: met
		rec('term-report', 'sch-a', '2026-09-01', '2026-09-14'), // after 09-11: late
		rec('term-check', 'sch-b', '2026-09-28', '2026-10-09'), // after its due day 10-08: late
		rec('quarterly-round', 'bur', '2026-Q3', '2026-09-30')
	];

	it('[B-1][S-5] per school and for the bureau, as of the quarter’s last day', () => {
		// Q3 2026: sch-a's term 2026-09-01 (check due 09-07, report due 09-11); the bureau's round
		// due Wed 09-30. sch-b's term starts 2026-09-28 but both its items fall due Thu 10-08, in
		// Q4: they are owed in Q4 and counted there, not here.
		const r = report(records, '2026-11-02');
		expect(r.asOf).toBe('2026-09-30');
		expect(r.orgWork?.rows.map((x) => [x.orgId, x.counts])).toEqual([
			['bur', { overdue: 0, pending: 0, late: 0, met: 1 }],
			['sch-a', { overdue: 0, pending: 0, late: 1, met: 1 }]
		]);
		expect(r.orgWork?.total).toEqual({ overdue: 0, pending: 0, late: 1, met: 2 });
		// A street office's report: its own schools, no bureau row.
		const street = report([], '2026-11-02', ['st-1']);
		expect(street.orgWork?.rows.map((x) => [x.orgId, x.counts.overdue])).toEqual([['sch-a', 2]]);
	});

	it('[B-1][S-5] a term check due after the quarter it started in is counted where it is due', () => {
		// Q4 2026 as of its last day Thu 12-31: sch-b's check (due 10-08, done 10-09) is late and
		// its report (due 10-08, never recorded) overdue; the bureau's Q4 round, not recorded, is
		// due that very day (Thu 12-31, a working day), so still pending on it.
		const r = report(records, '2027-01-15', undefined, 4);
		expect(r.asOf).toBe('2026-12-31');
		expect(r.orgWork?.rows.map((x) => [x.orgId, x.counts])).toEqual([
			['bur', { overdue: 0, pending: 1, late: 0, met: 0 }],
			['sch-b', { overdue: 1, pending: 0, late: 1, met: 0 }]
		]);
	});
});
