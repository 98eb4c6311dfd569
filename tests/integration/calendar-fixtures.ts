import type { OfficialYear, TermYear } from '../../src/lib/rules';

/**
 * Test-only calendar data. INVENTED: this is NOT the State Council's 2027 notice (none was
 * published when these tests were written) and NOT any district's real school calendar. The
 * dates are chosen to make the counting in the tests easy to check by hand:
 *   2027-01-01 is a Friday; 元旦 runs Fri 01-01 – Mon 01-04 (so Mon 01-04 is off, unlike the
 *   provisional year, where only 01-01 is);
 *   春节 runs Fri 02-05 – Fri 02-12; Sat 02-20 is a make-up working day.
 */
export const INVENTED_2027: OfficialYear = {
	year: 2027,
	source: '测试用虚构放假安排（非国务院通知）',
	title: '虚构的 2027 年部分节假日安排（仅供测试）',
	holidays: [
		{ name: '元旦', from: '2027-01-01', to: '2027-01-04' },
		{ name: '春节', from: '2027-02-05', to: '2027-02-12' }
	],
	workdays: ['2027-02-20']
};

/** The same invented year, entered again later with another notice: the latest entry wins. */
export const INVENTED_2027_REVISED: OfficialYear = {
	...INVENTED_2027,
	source: '测试用虚构放假安排（修订，非国务院通知）',
	workdays: []
};

/** An invented 2028 schedule (only so that two years are stored). */
export const INVENTED_2028: OfficialYear = {
	year: 2028,
	source: '测试用虚构 2028 放假安排',
	holidays: [{ name: '元旦', from: '2028-01-01', to: '2028-01-03' }],
	workdays: []
};

/**
 * Invented 2026-2027 school year for the district: the shipped autumn term (which the entry
 * replaces together with its school year) and a spring term Mon 2027-03-01 – Fri 2027-07-09.
 */
export const INVENTED_TERMS_2026_2027: TermYear = {
	schoolYear: '2026-2027',
	source: '测试用虚构校历',
	terms: [
		{ name: '秋季学期', start: '2026-09-01', end: '2027-01-22' },
		{ name: '春季学期', start: '2027-03-01', end: '2027-07-09' }
	]
};

/** Two holiday ranges that overlap (the second starts inside the first): `holidays[1]`. */
export const OVERLAPPING_2027 = {
	...INVENTED_2027,
	holidays: [
		{ name: '元旦', from: '2027-01-01', to: '2027-01-04' },
		{ name: '虚构假期', from: '2027-01-03', to: '2027-01-05' }
	]
};

/** A make-up working day on Mon 2027-02-22, a weekday: `workdays[0]`. */
export const WEEKDAY_MAKEUP_2027 = { ...INVENTED_2027, workdays: ['2027-02-22'] };
