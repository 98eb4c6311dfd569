import { describe, expect, it } from 'vitest';
import {
	Calendar,
	CalendarRangeError,
	builtinCalendar,
	builtinCalendarData,
	calendarStatus,
	calendarWarnings,
	checkOfficialYear,
	checkTermYear,
	mergeCalendarData,
	parseCalendarData,
	provisionalYear,
	type OfficialYear
} from '../../src/lib/rules';
import { festivalDates } from '../../src/lib/rules/lunar';

// Expected dates are written by hand: the lunar dates from the published almanac (春节 2027-02-06,
// 2028-01-26; 端午 2027-06-09, 2028-05-28; 中秋 2027-09-15, 2028-10-03; 清明 2027-04-05,
// 2028-04-04), the weekdays from a wall calendar, and the rules of 《全国年节及纪念日放假办法》.

const cal = builtinCalendar();
const off = (d: string) => expect(cal.isWorkingDay(d), `${d} should be a rest day`).toBe(false);
const work = (d: string) => expect(cal.isWorkingDay(d), `${d} should be a working day`).toBe(true);

/** A test-only official 2027 schedule: invented values, not the State Council's (not out yet). */
const TEST_2027: OfficialYear = {
	year: 2027,
	source: '测试用放假安排（非真实通知）',
	holidays: [
		{ name: '元旦', from: '2027-01-01', to: '2027-01-04' },
		{ name: '春节', from: '2027-02-05', to: '2027-02-12' }
	],
	workdays: ['2027-02-20']
};

describe('provisional years (G-T3)', () => {
	it('[G-T3] the shipped notices are official, every other year provisional, to 2035 and beyond', () => {
		expect([2024, 2025, 2026].map(calendarStatus)).toEqual(['official', 'official', 'official']);
		for (const y of [2023, 2027, 2028, 2030, 2035, 2099])
			expect(calendarStatus(y)).toBe('provisional');
	});

	it('[G-T3] lunar festivals of 2027 and 2028 from the maintained package', () => {
		expect(festivalDates(2027)).toEqual({
			chuxi: '2027-02-05',
			chunjie: '2027-02-06',
			qingming: '2027-04-05',
			duanwu: '2027-06-09',
			zhongqiu: '2027-09-15'
		});
		expect(festivalDates(2028)).toMatchObject({ chunjie: '2028-01-26', zhongqiu: '2028-10-03' });
	});

	it('[G-T3] the package answers the same in every time zone', () => {
		const tz = process.env.TZ;
		try {
			for (const zone of ['America/Los_Angeles', 'Asia/Shanghai', 'UTC', 'Pacific/Kiritimati']) {
				process.env.TZ = zone;
				expect(festivalDates(2027).qingming, zone).toBe('2027-04-05');
				expect(festivalDates(2027).chunjie, zone).toBe('2027-02-06');
				expect(festivalDates(2028).duanwu, zone).toBe('2028-05-28');
			}
		} finally {
			if (tz === undefined) delete process.env.TZ;
			else process.env.TZ = tz;
		}
	});

	it('[G-T3] 2027: 春节 除夕 Fri 02-05 to Mon 02-08, its Saturday and Sunday give 补假 Tue 02-09 and Wed 02-10', () => {
		for (const d of ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10']) off(d);
		work('2027-02-04');
		work('2027-02-11');
		// No make-up working days in a provisional year: the Saturday after stays a rest day.
		off('2027-02-13');
		expect(provisionalYear(2027).holidays).toContainEqual({
			name: '春节',
			from: '2027-02-05',
			to: '2027-02-10'
		});
		expect(provisionalYear(2027).workdays).toEqual([]);
	});

	it.each([
		['元旦 Friday', ['2027-01-01'], ['2026-12-31', '2027-01-04']],
		['清明 Monday', ['2027-04-05'], ['2027-04-06']],
		[
			'劳动节 on Sat–Sun: 补假 Mon 05-03, Tue 05-04',
			['2027-05-01', '2027-05-03', '2027-05-04'],
			['2027-05-05', '2027-04-30']
		],
		['端午 Wednesday', ['2027-06-09'], ['2027-06-08', '2027-06-10']],
		['中秋 Wednesday', ['2027-09-15'], ['2027-09-14', '2027-09-16']],
		[
			'国庆 Fri–Sun: 补假 Mon 10-04, Tue 10-05',
			['2027-10-01', '2027-10-04', '2027-10-05'],
			['2027-10-06', '2027-09-30']
		]
	])('[G-T3] 2027 %s', (_name, rest, working) => {
		rest.forEach(off);
		working.forEach(work);
	});

	it.each([
		['元旦 Saturday: 补假 Monday 01-03', ['2028-01-01', '2028-01-03'], ['2028-01-04']],
		[
			'春节 Tue 01-25 to Fri 01-28: no weekend, no 补假',
			['2028-01-25', '2028-01-28'],
			['2028-01-24', '2028-01-31']
		],
		['劳动节 Monday–Tuesday', ['2028-05-01', '2028-05-02'], ['2028-05-03']],
		['端午 Sunday: 补假 Monday 05-29', ['2028-05-28', '2028-05-29'], ['2028-05-30']],
		[
			'国庆 Sun–Tue with 中秋 on 10-03 (one day): 补假 Wed 10-04',
			['2028-10-01', '2028-10-03', '2028-10-04'],
			['2028-10-05']
		]
	])('[G-T3] 2028 %s', (_name, rest, working) => {
		rest.forEach(off);
		working.forEach(work);
	});

	it('[G-T3] names a provisional holiday and its block', () => {
		expect(cal.holidayName('2027-02-09')).toBe('春节');
		expect(cal.holidayName('2028-10-03')).toBe('国庆节、中秋节');
		expect(cal.holidayName('2027-03-01')).toBeNull();
	});

	it('[G-T1][G-T3] 10 working days from Fri 2026-12-25 end on Mon 2027-01-11 (元旦 off), provisional', () => {
		// 12-28, 12-29, 12-30, 12-31, (01-01 元旦), 01-04 … 01-08, 01-11.
		expect(cal.addWorkingDays('2026-12-25', 10)).toBe('2027-01-11');
		expect(cal.provisionalBetween('2026-12-25', '2027-01-11')).toBe(true);
		expect(cal.provisionalBetween('2026-03-01', '2026-03-13')).toBe(false);
		expect(cal.workingDaysBetween('2026-12-25', '2027-01-11')).toBe(10);
	});

	it('[G-T3] working days across many provisional years add up', () => {
		// 2029-01-01 to 2029-12-31 counted both ways must agree with a day-by-day count.
		let n = 0;
		for (let d = '2029-01-01'; d <= '2030-12-31'; d = addDay(d)) if (cal.isWorkingDay(d)) n++;
		expect(cal.workingDaysBetween('2028-12-31', '2030-12-31')).toBe(n);
	});

	it('[G-T3] outside 2000–2099 a date is a clear error, not a guess', () => {
		expect(() => cal.isWorkingDay('2100-03-01')).toThrow(CalendarRangeError);
		expect(() => cal.isWorkingDay('1999-03-01')).toThrow('1999 年超出日历范围（2000–2099 年）');
	});
});

function addDay(d: string): string {
	const t = new Date(`${d}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() + 1);
	return t.toISOString().slice(0, 10);
}

describe('an official schedule entered by the bureau (G-T3)', () => {
	const withOfficial = new Calendar(
		mergeCalendarData(builtinCalendarData(), { years: [TEST_2027], termYears: [] }, 1)
	);

	it('[G-T3] replaces the provisional year: holidays, make-up days, status', () => {
		expect(withOfficial.status(2027)).toBe('official');
		expect(withOfficial.isWorkingDay('2027-01-04')).toBe(false);
		expect(withOfficial.isWorkingDay('2027-02-12')).toBe(false);
		expect(withOfficial.isWorkingDay('2027-02-20')).toBe(true); // a make-up Saturday
		expect(withOfficial.addWorkingDays('2026-12-25', 10)).toBe('2027-01-12');
		expect(withOfficial.provisionalBetween('2026-12-25', '2027-01-12')).toBe(false);
		expect(withOfficial.version).not.toBe(cal.version);
		// The built-in value is untouched: the calendar is a value, not module state.
		expect(cal.status(2027)).toBe('provisional');
	});

	it('[G-T3] a stored school year replaces the shipped one and adds the spring term of 2027', () => {
		const c = new Calendar(
			mergeCalendarData(
				builtinCalendarData(),
				{
					years: [],
					termYears: [
						{
							schoolYear: '2026-2027',
							terms: [
								{ start: '2026-09-01', end: '2027-01-22' },
								{ start: '2027-03-01', end: '2027-07-09' }
							]
						}
					]
				},
				2
			)
		);
		expect(c.isSchoolDay('2027-03-01', c.termsFor(null))).toBe(true);
		expect(cal.isSchoolDay('2027-03-01', cal.termsFor(null))).toBe(false);
		expect(c.lastTermEnd()).toBe('2027-07-09');
	});

	it('[G-T3] a school keeps its own terms where entered, the district’s elsewhere', () => {
		const c = new Calendar(
			mergeCalendarData(
				builtinCalendarData(),
				{
					years: [],
					termYears: [
						{
							schoolYear: '2025-2026',
							school: 'org-school9',
							terms: [{ start: '2025-08-25', end: '2026-01-16' }]
						}
					]
				},
				3
			)
		);
		expect(c.isSchoolDay('2025-08-25', c.termsFor('org-school9'))).toBe(true);
		expect(c.isSchoolDay('2025-08-25', c.termsFor('org-school1'))).toBe(false);
		// Other school years of that school follow the district.
		expect(c.isSchoolDay('2024-09-02', c.termsFor('org-school9'))).toBe(true);
	});

	it('parses what it serializes; refuses tampered data', () => {
		const data = mergeCalendarData(builtinCalendarData(), { years: [TEST_2027], termYears: [] }, 7);
		expect(parseCalendarData(JSON.parse(JSON.stringify(data)))).toEqual(data);
		expect(
			parseCalendarData({ ...data, years: [{ ...TEST_2027, workdays: ['2027-02-22'] }] })
		).toBeNull();
		expect(data.version).toMatch(/-7$/);
	});
});

describe('import validation names the bad entry (G-T3)', () => {
	const errorsOf = (input: unknown) => {
		const r = checkOfficialYear(input);
		return r.ok ? [] : r.errors.map((e) => e.zh);
	};

	it('accepts the test schedule', () => {
		expect(checkOfficialYear(TEST_2027)).toEqual({ ok: true, value: TEST_2027 });
	});

	it.each<[string, Partial<OfficialYear> | Record<string, unknown>, string]>([
		[
			'a date outside the year',
			{ holidays: [{ name: '元旦', from: '2026-12-31', to: '2027-01-01' }] },
			'holidays[0]（元旦 2026-12-31–2027-01-01） 不在 2027 年内'
		],
		[
			'a range ending before it starts',
			{ holidays: [{ name: '春节', from: '2027-02-12', to: '2027-02-05' }] },
			'holidays[0]（春节 2027-02-12–2027-02-05） 结束早于开始'
		],
		[
			'overlapping ranges',
			{
				holidays: [
					{ name: '春节', from: '2027-02-05', to: '2027-02-12' },
					{ name: '元宵', from: '2027-02-12', to: '2027-02-13' }
				]
			},
			'holidays[1]（元宵 2027-02-12–2027-02-13） 与 holidays[0]（春节 2027-02-05–2027-02-12） 重叠'
		],
		[
			'a make-up day inside a holiday',
			{ workdays: ['2027-02-06'] },
			'workdays[0]（2027-02-06） 在放假期间内'
		],
		[
			'a make-up day on a weekday',
			{ workdays: ['2027-02-15'] },
			'workdays[0]（2027-02-15） 不是周六或周日'
		],
		[
			'a make-up day in another year',
			{ workdays: ['2028-01-08'] },
			'workdays[0]（2028-01-08） 不在 2027 年内'
		],
		['a date that does not exist', { workdays: ['2027-02-30'] }, 'workdays.0：不存在的日期'],
		['no source', { source: '' }, 'source：']
	])('[G-T3] refuses %s', (_name, patch, message) => {
		const errors = errorsOf({ ...TEST_2027, ...patch });
		expect(errors.join('\n')).toContain(message);
	});

	it('[G-T3] terms: inside the school year, in order, not overlapping', () => {
		const bad = checkTermYear({
			schoolYear: '2026-2027',
			terms: [
				{ start: '2026-09-01', end: '2027-01-22' },
				{ start: '2027-01-20', end: '2027-09-10' }
			]
		});
		expect(bad.ok).toBe(false);
		const text = bad.ok ? '' : bad.errors.map((e) => e.zh).join('\n');
		expect(text).toContain(
			'terms[1]（2027-01-20–2027-09-10） 不在 2026-2027 学年内（2026-08-01–2027-08-31）'
		);
		expect(text).toContain('terms[1]（2027-01-20–2027-09-10） 与 terms[0] 重叠');
		expect(
			checkTermYear({
				schoolYear: '2026-2028',
				terms: [{ start: '2026-09-01', end: '2027-01-22' }]
			}).ok
		).toBe(false);
	});
});

describe('warnings for the bureau (G-T3)', () => {
	it('[G-T3] 60 days before the last term ends and before a year without a schedule begins', () => {
		// Built-in: last term ends 2027-01-22; 2027 has no official schedule.
		expect(calendarWarnings(cal, '2026-10-01')).toEqual([]);
		expect(calendarWarnings(cal, '2026-11-02').map((w) => w.key)).toEqual(['year:2027']);
		expect(calendarWarnings(cal, '2026-11-23').map((w) => w.key)).toEqual([
			'terms:2027-01-22',
			'year:2027'
		]);
		const official = new Calendar(
			mergeCalendarData(builtinCalendarData(), { years: [TEST_2027], termYears: [] }, 1)
		);
		expect(calendarWarnings(official, '2026-12-01').map((w) => w.key)).toEqual([
			'terms:2027-01-22'
		]);
	});
});
