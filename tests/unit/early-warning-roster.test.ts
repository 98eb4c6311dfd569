import { describe, expect, it } from 'vitest';
import { builtinCalendar, isOwnFlag, rosterRiskFlags } from '../../src/lib/rules';

/**
 * Issue 12: the early-warning flags of a roster row (B-6: Bishan 三(一)1 重点群体、重点学段、
 * 重点时段; S-3). The district's autumn term 2025 starts Monday 2025-09-01; the profiles' focus
 * weeks are 4 (28 days), so the focus period runs 2025-09-01 … 2025-09-28 (09-01 + 28 days =
 * 09-29, not included), counted by hand on the calendar.
 */
const terms = builtinCalendar().termsFor(null);

describe('[B-6] rosterRiskFlags: a roster row’s flags', () => {
	it('a grade 8 left-behind student in the focus weeks: group, stage and period', () => {
		const flags = rosterRiskFlags({ grade: 8, focusGroups: ['left_behind'] }, '2025-09-15', terms);
		expect(flags.map((f) => [f.rule, f.key])).toEqual([
			['B-6', 'group:left_behind'],
			['B-6', 'stage'],
			['B-6', 'period']
		]);
		expect(flags[0]?.label.zh).toBe('农村留守儿童');
		expect(flags.filter(isOwnFlag).map((f) => f.key)).toEqual(['group:left_behind']);
	});

	it('the last focus day is 2025-09-28; on 09-29 the period flag is gone', () => {
		const row = { grade: 5, focusGroups: ['low_income', 'migrant'] };
		expect(rosterRiskFlags(row, '2025-09-28', terms).map((f) => f.key)).toEqual([
			'group:low_income',
			'group:migrant',
			'period'
		]);
		expect(rosterRiskFlags(row, '2025-09-29', terms).map((f) => f.key)).toEqual([
			'group:low_income',
			'group:migrant'
		]);
	});

	it('a row without focus groups has no flag of its own (not on the watch list)', () => {
		const flags = rosterRiskFlags({ grade: 9 }, '2025-10-21', terms);
		expect(flags.map((f) => f.key)).toEqual(['stage']);
		expect(flags.some(isOwnFlag)).toBe(false);
	});
});
