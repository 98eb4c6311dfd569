import { describe, expect, it } from 'vitest';
import { NO_FILTER, filterCases, isFiltered } from '../../src/lib/ui/case-list';
import { chinaTime, daysText } from '../../src/lib/ui/dates';
import { workingDaysLeft } from '../../src/lib/rules';
import type { CaseIndexRow } from '../../src/lib/sync/contract';

/** An index row with the fields a test cares about. */
function row(over: Partial<CaseIndexRow> & { id: string }): CaseIndexRow {
	return {
		student: '学生',
		registryNo: 'G000000000000000000',
		schoolId: 'org-school1',
		school: '示范区第一初级中学',
		stage: 'absent',
		next: null,
		daysLeft: null,
		overdue: 0,
		waitingOn: [],
		unsynced: 0,
		refused: 0,
		local: true,
		updatedAt: '2025-10-09T00:00:00.000Z',
		...over
	};
}

const next = (due: string | null, state: 'pending' | 'overdue' = 'pending') => ({
	rule: 'S-4a',
	title: { zh: '家访', en: 'home visit' },
	due,
	state,
	responsible: 'school' as const
});

const rows = [
	row({ id: 'a', student: '李小明', registryNo: 'G410402201205140011', next: next('2025-10-20') }),
	row({
		id: 'b',
		student: '王小红',
		stage: 'notice',
		next: next('2025-10-01', 'overdue'),
		overdue: 1,
		waitingOn: ['street']
	}),
	row({ id: 'c', student: '张三', stage: 'closed', caseNo: '示范区-2025-0007' }),
	row({ id: 'd', student: '赵四', next: next('2025-10-12'), waitingOn: ['school'] })
];

describe('case list', () => {
	it('sorts overdue first, then by next due date, undated last', () => {
		expect(filterCases(rows, NO_FILTER, 'school').map((r) => r.id)).toEqual(['b', 'd', 'a', 'c']);
	});

	it('searches by student name or 学籍号, case-insensitively', () => {
		expect(filterCases(rows, { ...NO_FILTER, query: '小' }, null).map((r) => r.id)).toEqual([
			'b',
			'a'
		]);
		expect(
			filterCases(rows, { ...NO_FILTER, query: 'g4104022012' }, null).map((r) => r.id)
		).toEqual(['a']);
	});

	it('[issue 12] finds a case by its number, or a part of it', () => {
		expect(
			filterCases(rows, { ...NO_FILTER, query: '示范区-2025-0007' }, null).map((r) => r.id)
		).toEqual(['c']);
		expect(filterCases(rows, { ...NO_FILTER, query: '2025-0007' }, null).map((r) => r.id)).toEqual([
			'c'
		]);
	});

	it('filters by stage, overdue and waiting on my org', () => {
		expect(filterCases(rows, { ...NO_FILTER, stage: 'closed' }, null).map((r) => r.id)).toEqual([
			'c'
		]);
		expect(filterCases(rows, { ...NO_FILTER, overdueOnly: true }, null).map((r) => r.id)).toEqual([
			'b'
		]);
		expect(
			filterCases(rows, { ...NO_FILTER, waitingOnMe: true }, 'school').map((r) => r.id)
		).toEqual(['d']);
		expect(filterCases(rows, { ...NO_FILTER, waitingOnMe: true }, null)).toEqual([]);
		expect(isFiltered(NO_FILTER)).toBe(false);
		expect(isFiltered({ ...NO_FILTER, query: ' x ' })).toBe(true);
	});
});

describe('days left in words', () => {
	it.each([
		[3, false, 'days.left', 3],
		[0, false, 'days.today', undefined],
		[-2, true, 'days.overdue', 2],
		[null, false, 'days.none', undefined],
		[null, true, 'days.overdueNoCount', undefined]
	] as const)('%s working days (overdue %s) → %s', (left, overdue, key, count) => {
		const d = daysText(left, overdue);
		expect(d.key).toBe(key);
		expect(d.count).toBe(count);
	});

	it('[G-T1] counts working days after today, holidays excluded', () => {
		expect(workingDaysLeft('2025-09-30', '2025-10-14')).toBe(5);
		expect(workingDaysLeft('2025-10-14', '2025-09-30')).toBe(-5);
		expect(workingDaysLeft('2025-10-09', null)).toBeNull();
	});

	it('shows an instant in China time', () => {
		expect(chinaTime('2025-10-09T16:30:00.000Z')).toBe('2025-10-10 00:30');
	});
});
