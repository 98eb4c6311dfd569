import { describe, expect, it } from 'vitest';
import {
	caseRetention,
	caseState,
	getProfile,
	keepInFullUntil,
	retentionDue
} from '../../src/lib/rules';
import { shilongClosedBy } from '../../src/lib/demo';
import { shilong } from './helpers';

const cohort = getProfile('shilong-2022').cohort;

describe('issue 11: how long a closed case is kept in full', () => {
	// Counted by hand: entry to grade 1 at 6 by 31 August (S-1), grade 9 eight school years
	// later; the school year ends on 31 August; then `years` more school years.
	it.each([
		// born before 1 September: grade 1 in 2016, grade 9 in 2024–25, ends 2025-08-31
		['2010-03-15', [], 3, '2028-08-31'],
		['2010-08-31', [], 3, '2028-08-31'],
		// born on 1 September: a year later
		['2010-09-01', [], 3, '2029-08-31'],
		['2010-12-31', [], 3, '2029-08-31'],
		['2010-03-15', [], 0, '2025-08-31'],
		['2010-03-15', [], 10, '2035-08-31'],
		// grade 8 in school year 2026–27 (a repeated year): grade 9 in 2027–28, ends 2028-08-31
		['2012-03-04', [{ grade: 8, on: '2026-11-23' }], 3, '2031-08-31'],
		// grade 7 recorded in June 2026 (school year 2025–26) and in September 2026
		['2013-01-10', [{ grade: 7, on: '2026-06-30' }], 3, '2031-08-31'],
		['2013-01-10', [{ grade: 7, on: '2026-09-01' }], 3, '2032-08-31'],
		// a grade ahead of the birth date never shortens the keeping
		['2010-03-15', [{ grade: 9, on: '2023-10-01' }], 3, '2028-08-31']
	])('born %s, grades %j, +%i years: kept in full until %s', (birthDate, grades, years, until) => {
		expect(keepInFullUntil({ birthDate, grades }, cohort, years)).toBe(until);
	});

	it('[S-10] a closed case is due the day after its date; an open case never', () => {
		// 李小明, born 2010-03-01 (grade 9 in 2024–25), recorded in grade 9 on 2025-09-24: grade 9
		// in 2025–26, which ends 2026-08-31; three more school years end 2029-08-31.
		const closed = caseRetention(caseState(shilongClosedBy('returned')), 3);
		expect(closed).toEqual({ closed: true, keepUntil: '2029-08-31' });
		expect(retentionDue(closed, '2029-08-31')).toBe(false);
		expect(retentionDue(closed, '2029-09-01')).toBe(true);
		const open = caseRetention(caseState(shilong().build()), 3);
		expect(open.closed).toBe(false);
		expect(retentionDue(open, '2099-01-01')).toBe(false);
	});

	it('[S-10] a reopened case is open again', () => {
		const closed = shilongClosedBy('returned');
		const author = closed.events[closed.events.length - 1]?.author;
		if (!author) throw new Error('no closing author');
		const reopened = {
			...closed,
			events: [
				...closed.events,
				{
					id: 'ev-reopen',
					type: 'reopened' as const,
					date: '2025-11-20',
					recordedAt: '2025-11-20T02:00:00.000Z',
					author,
					v: 1 as const,
					reason: '又缺勤'
				}
			]
		};
		expect(caseRetention(caseState(reopened), 3).closed).toBe(false);
	});
});
