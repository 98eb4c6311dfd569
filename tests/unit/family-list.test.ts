import { describe, expect, it } from 'vitest';
import { groupByFamily } from '../../src/lib/ui/case-list';
import type { CaseIndexRow } from '../../src/lib/sync/contract';

function row(id: string, family?: string): CaseIndexRow {
	return {
		id,
		student: id,
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
		...(family ? { family } : {})
	};
}

describe('[B-5] the case list grouped by family (按家庭分组)', () => {
	it('[B-5] siblings are shown together where the first of them is, the cases of no family last', () => {
		const groups = groupByFamily([
			row('a'),
			row('b', 'family-1'),
			row('c', 'family-2'),
			row('d', 'family-1'),
			row('e')
		]);
		expect(groups.map((g) => [g.family, g.rows.map((r) => r.id)])).toEqual([
			['family-1', ['b', 'd']],
			['family-2', ['c']],
			[null, ['a', 'e']]
		]);
		expect(groupByFamily([row('x', 'family-1')])).toEqual([
			{ family: 'family-1', rows: [row('x', 'family-1')] }
		]);
		expect(groupByFamily([])).toEqual([]);
	});
});
