import { describe, expect, it } from 'vitest';
// chinese-days is CommonJS: only its default export survives Node's ESM interop.
import chineseDays from 'chinese-days';
import {
	addCalendarDays,
	builtinCalendar,
	compareDates,
	daysBetween,
	fromDayNumber,
	isWorkingDay,
	addWorkingDays,
	toDayNumber,
	type Term
} from '../../src/lib/rules/calendar';
import type { Period } from '../../src/lib/rules/types';

// The rules take the calendar as a value; these tests read the built-in one (2024–2026 official).
const cal = builtinCalendar();
const nextWorkingDay = (d: string) => cal.nextWorkingDay(d);
const workingDaysBetween = (a: string, b: string) => cal.workingDaysBetween(a, b);
const endOfCalendarDayPeriod = (d: string, n: number) => cal.endOfCalendarDayPeriod(d, n);
const isSchoolDay = (d: string, t: readonly Term[]) => cal.isSchoolDay(d, t);
const addSchoolDays = (d: string, n: number, t: readonly Term[]) => cal.addSchoolDays(d, n, t);
const nextSchoolDay = (d: string, t: readonly Term[]) => cal.nextSchoolDay(d, t);
const previousSchoolDay = (d: string, t: readonly Term[]) => cal.previousSchoolDay(d, t);
const addPeriod = (d: string, p: Period, t: readonly Term[]) => cal.addPeriod(d, p, t);

describe('day numbers and plain arithmetic', () => {
	it.each([
		['1970-01-01', 0],
		['1970-01-02', 1],
		['1969-12-31', -1],
		['2000-03-01', 11017],
		['2024-02-29', 19782],
		['2025-10-14', 20375]
	])('%s is day %i and back', (date, n) => {
		expect(toDayNumber(date)).toBe(n);
		expect(fromDayNumber(n)).toBe(date);
	});

	it('round-trips every day from 1899 to 2101 against Date', () => {
		for (let n = toDayNumber('1899-01-01'); n <= toDayNumber('2101-12-31'); n++) {
			const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
			expect(fromDayNumber(n)).toBe(iso);
			expect(toDayNumber(iso)).toBe(n);
		}
	});

	it('pads years before 1000', () => {
		expect(fromDayNumber(toDayNumber('0999-12-31'))).toBe('0999-12-31');
	});

	it.each([
		'2025-02-29',
		'2025-13-01',
		'2025-00-10',
		'2025-01-00',
		'2025-1-01',
		'2025/01/01',
		'202x-01-01',
		'2025-0a-01',
		'2025-01-3!',
		'2025-01-01 ',
		'',
		'abcd-ef-gh',
		'2100-02-29'
	])('rejects %j as a date', (bad) => {
		expect(() => toDayNumber(bad)).toThrow(/not a real date/);
		expect(() => isWorkingDay(bad)).toThrow(/not a real date/);
	});

	it('rejects a non-integer day number', () => {
		expect(() => fromDayNumber(1.5)).toThrow(/not a day number/);
	});

	it.each([
		['2025-01-01', '2025-01-02', -1],
		['2025-01-02', '2025-01-01', 1],
		['2025-01-01', '2025-01-01', 0]
	])('compareDates(%s, %s) = %i', (a, b, r) => expect(compareDates(a, b)).toBe(r));

	it.each([
		['2025-01-01', '2025-12-31', 364],
		['2024-03-01', '2024-02-28', -2],
		['2025-09-30', '2025-10-14', 14]
	])('daysBetween(%s, %s) = %i', (a, b, r) => expect(daysBetween(a, b)).toBe(r));

	it.each([
		['2024-02-28', 1, '2024-02-29'],
		['2025-03-01', -1, '2025-02-28'],
		['2027-06-01', 10, '2027-06-11'],
		['2025-12-31', 1, '2026-01-01']
	])('addCalendarDays(%s, %i) = %s (no holiday data needed)', (d, n, r) =>
		expect(addCalendarDays(d, n)).toBe(r)
	);
});

describe('working days', () => {
	it('[G-T1] 5 working days from 2025-09-30 end on 2025-10-14', () => {
		expect(addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
	});

	it.each([
		['2025-09-30', 5, '2025-10-14'],
		['2026-02-13', 5, '2026-02-27'],
		['2025-09-26', 5, '2025-10-10'],
		['2026-09-30', 2, '2026-10-09'],
		['2025-09-30', 0, '2025-09-30'],
		['2025-10-04', 0, '2025-10-04'],
		['2025-10-03', 1, '2025-10-09'],
		['2024-02-09', 1, '2024-02-18'],
		['2025-12-31', 1, '2026-01-04'], // a make-up Sunday
		['2024-12-31', 1, '2025-01-02'],
		['2025-01-03', 250, '2026-01-07']
	])('[G-T1] addWorkingDays(%s, %i) = %s (start day not counted)', (d, n, r) => {
		expect(addWorkingDays(d, n)).toBe(r);
	});

	it.each([
		'2025-01-26',
		'2025-02-08',
		'2025-04-27',
		'2025-09-28',
		'2025-10-11',
		'2026-01-04',
		'2026-02-14',
		'2026-02-28',
		'2026-05-09',
		'2026-09-20',
		'2026-10-10',
		'2024-02-04',
		'2024-02-18',
		'2024-04-07',
		'2024-04-28',
		'2024-05-11',
		'2024-09-14',
		'2024-09-29',
		'2024-10-12'
	])('[G-T1] make-up day %s (调休上班, a weekend day) is a working day', (d) => {
		expect(isWorkingDay(d)).toBe(true);
	});

	it.each([
		'2025-10-08',
		'2026-02-23',
		'2024-10-07',
		'2025-05-05',
		'2025-01-01',
		'2025-06-02',
		'2026-01-02',
		'2026-09-25',
		'2024-06-10'
	])('[G-T1] holiday weekday %s is not a working day', (d) => {
		expect(isWorkingDay(d)).toBe(false);
	});

	it.each(['2025-03-08', '2025-03-09', '2026-07-11', '2026-07-12', '2024-12-28', '2024-12-29'])(
		'[G-T1] ordinary weekend day %s is not a working day',
		(d) => expect(isWorkingDay(d)).toBe(false)
	);

	it.each(['2025-03-10', '2026-07-10', '2024-12-31'])('ordinary weekday %s is a working day', (d) =>
		expect(isWorkingDay(d)).toBe(true)
	);

	it('[G-T1] every date of 2024–2026 agrees with chinese-days isWorkday', () => {
		const diffs: string[] = [];
		for (let n = toDayNumber('2024-01-01'); n <= toDayNumber('2026-12-31'); n++) {
			const d = fromDayNumber(n);
			if (isWorkingDay(d) !== chineseDays.isWorkday(d)) diffs.push(d);
		}
		expect(diffs).toEqual([]);
	});

	it.each([
		['2025-09-30', '2025-10-09'],
		['2025-10-11', '2025-10-13'],
		['2026-02-13', '2026-02-14'],
		['2023-12-31', '2024-01-02']
	])('nextWorkingDay(%s) = %s (strictly after)', (d, r) => expect(nextWorkingDay(d)).toBe(r));

	it.each([
		['2025-09-30', '2025-10-14', 5],
		['2025-09-30', '2025-09-30', 0],
		['2025-10-14', '2025-09-30', 0],
		['2025-09-30', '2025-10-08', 0],
		['2024-01-01', '2024-12-31', 251],
		['2023-12-31', '2026-12-31', 251 + 248 + 248]
	])('workingDaysBetween(%s, %s) = %i (from < d ≤ to)', (a, b, r) => {
		expect(workingDaysBetween(a, b)).toBe(r);
	});

	it('workingDaysBetween agrees with addWorkingDays', () => {
		for (const n of [1, 3, 7, 20, 100]) {
			expect(workingDaysBetween('2025-01-27', addWorkingDays('2025-01-27', n))).toBe(n);
		}
	});

	it.each([-1, 1.5, Number.NaN])('rejects a count of %d', (n) => {
		expect(() => addWorkingDays('2025-01-02', n)).toThrow(/integer/);
		expect(() => endOfCalendarDayPeriod('2025-01-02', n)).toThrow(/integer/);
		expect(() => addSchoolDays('2025-01-02', n, [])).toThrow(/integer/);
	});
});

describe('calendar-day periods', () => {
	it.each([
		['2025-09-29', 2, '2025-10-09'], // 10-01 is 国庆
		['2025-03-05', 3, '2025-03-10'], // Saturday 03-08 → Monday
		['2025-03-05', 4, '2025-03-10'], // Sunday 03-09 → Monday
		['2025-03-05', 5, '2025-03-10'], // a working day stays
		['2025-09-26', 2, '2025-09-28'], // make-up Sunday is a working day
		['2026-02-10', 5, '2026-02-24'], // 春节 02-15..23
		['2025-10-08', 0, '2025-10-09']
	])('[G-T2] endOfCalendarDayPeriod(%s, %i) = %s', (d, n, r) => {
		expect(endOfCalendarDayPeriod(d, n)).toBe(r);
	});
});

describe('school days (G-T4)', () => {
	const terms: readonly Term[] = [
		{ start: '2025-09-01', end: '2026-01-16' },
		{ start: '2026-03-02', end: '2026-07-10' }
	];

	it.each([
		['2025-09-01', true],
		['2025-09-06', false], // Saturday
		['2025-10-01', false], // 国庆
		['2025-10-11', true], // make-up Saturday inside the term
		['2025-08-29', false], // Friday before term
		['2026-01-16', true], // last day of term (inclusive)
		['2026-01-19', false], // winter break Monday
		['2026-02-02', false],
		['2026-03-02', true],
		['2026-07-13', false] // after the last term
	])('[G-T4] isSchoolDay(%s) = %s', (d, r) => expect(isSchoolDay(d, terms)).toBe(r));

	it.each([
		['2025-09-05', 1, '2025-09-08'], // weekend skipped
		['2025-09-30', 1, '2025-10-09'], // 国庆 skipped
		['2025-09-30', 5, '2025-10-14'],
		['2026-01-15', 3, '2026-03-03'], // winter break skipped
		['2025-08-20', 1, '2025-09-01'], // start before the first term
		['2025-09-30', 0, '2025-09-30']
	])('[G-T4] addSchoolDays(%s, %i) = %s', (d, n, r) => {
		expect(addSchoolDays(d, n, terms)).toBe(r);
	});

	it('[G-T4] a weekend or holiday between two school days keeps them consecutive', () => {
		expect(nextSchoolDay('2025-09-05', terms)).toBe('2025-09-08');
		expect(nextSchoolDay('2025-09-30', terms)).toBe('2025-10-09');
		expect(previousSchoolDay('2025-10-09', terms)).toBe('2025-09-30');
		expect(previousSchoolDay('2026-03-02', terms)).toBe('2026-01-16');
		expect(previousSchoolDay('2026-08-01', terms)).toBe('2026-07-10');
	});

	it('[G-T4] next/previous school day is null outside the terms', () => {
		expect(nextSchoolDay('2026-07-10', terms)).toBeNull();
		expect(previousSchoolDay('2025-09-01', terms)).toBeNull();
		expect(nextSchoolDay('2025-09-01', [])).toBeNull();
	});

	it('[G-T4] running past the last term is a bilingual error', () => {
		expect(() => addSchoolDays('2026-07-09', 3, terms)).toThrow(
			'校历中没有 2026-07-10 之后的学期，请区教体局录入下一学期 / no school term after 2026-07-10; the bureau enters the next term'
		);
		expect(() => addSchoolDays('2026-08-01', 1, terms)).toThrow('no school term after 2026-08-01');
		expect(() => addSchoolDays('2025-09-01', 1, [])).toThrow('no school term after 2025-09-01');
	});

	it('[G-T4] unsorted and overlapping terms mean their union', () => {
		const messy: Term[] = [
			{ start: '2026-03-02', end: '2026-05-01' },
			{ start: '2025-09-01', end: '2026-01-16' },
			{ start: '2026-04-01', end: '2026-07-10' },
			{ start: '2026-07-11', end: '2026-07-12' }
		];
		for (const d of ['2025-09-30', '2026-01-15', '2026-04-30', '2026-06-30']) {
			expect(addSchoolDays(d, 7, messy)).toBe(addSchoolDays(d, 7, terms));
		}
		expect(nextSchoolDay('2026-07-10', messy)).toBeNull();
	});

	it('[G-T4] a term ending before it starts is rejected', () => {
		expect(() => isSchoolDay('2025-09-01', [{ start: '2025-09-02', end: '2025-09-01' }])).toThrow(
			/term ends before it starts/
		);
	});

	it('[G-T3] a term in a provisional year has school days (2027-03-01 is a Monday)', () => {
		const t2027: Term[] = [{ start: '2027-02-22', end: '2027-07-09' }];
		expect(isSchoolDay('2027-03-01', t2027)).toBe(true);
		expect(previousSchoolDay('2027-03-01', t2027)).toBe('2027-02-26');
		expect(isSchoolDay('2027-08-01', t2027)).toBe(false);
	});
});

describe('addPeriod', () => {
	const terms: readonly Term[] = [{ start: '2025-09-01', end: '2026-01-16' }];
	it.each<[string, Period, string]>([
		['2025-09-30', { count: 5, unit: 'workingDay' }, '2025-10-14'],
		['2025-09-30', { count: 2, unit: 'schoolDay' }, '2025-10-10'],
		['2025-09-29', { count: 2, unit: 'calendarDay' }, '2025-10-09']
	])('[G-T1][G-T2][G-T4] addPeriod(%s, %j) = %s', (d, p, r) => {
		expect(addPeriod(d, p, terms)).toBe(r);
	});

	it('rejects an unknown unit', () => {
		const p = { count: 1, unit: 'fortnight' } as unknown as Period;
		expect(() => addPeriod('2025-09-30', p, terms)).toThrow(/unknown period unit/);
	});
});
