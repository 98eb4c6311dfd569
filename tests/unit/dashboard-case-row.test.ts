import { describe, expect, it } from 'vitest';
import { caseIndexRow, nextOf, readSummary, summarize } from '../../src/lib/dashboard';
import { builtinCalendar } from '../../src/lib/rules';
import { shilongClosedBy } from '../../src/lib/demo/samples';
import type { CaseIndexRow } from '../../src/lib/sync/contract';

/**
 * Issue 13: the index row of an open case, with the dashboard's summary, is the dashboard's
 * (src/lib/dashboard/case-row.ts), no longer computed inside the workspace. The sample is the
 * Shilong case closed on the missing path on 2025-12-02 (S-10); today 2025-12-03.
 */
describe('an open case index row (dashboard/case-row.ts)', () => {
	const snapshot = shilongClosedBy('missing_or_deceased');
	const facts = {
		id: snapshot.id,
		snapshot,
		evaluation: null,
		calendar: builtinCalendar(),
		today: '2025-12-03',
		unsynced: 2,
		refused: 1,
		now: new Date('2025-12-03T02:00:00.000Z')
	};

	it('[S-10] carries the stage, the counts of this device and the summary of the shared rules', () => {
		const row = caseIndexRow(facts)(undefined);
		expect(row).toMatchObject({
			id: 'case-missing',
			stage: 'closed',
			next: null,
			waitingOn: [],
			overdue: 0,
			unsynced: 2,
			refused: 1,
			local: true,
			school: snapshot.orgs.schoolId,
			updatedAt: '2025-12-03T02:00:00.000Z'
		});
		expect(row.student).toBe('李小明');
		// The summary reads back valid, and is the one the relay's list computes for the case.
		expect(readSummary(row.summary)).toEqual(summarize(snapshot, '2025-12-03'));
	});

	it('keeps what only the relay list knows: names, the rewrite count, the case number', () => {
		const prev = {
			...caseIndexRow(facts)(undefined),
			school: '示范区第一初级中学',
			street: '新华街道办事处',
			rewrites: 3,
			caseNo: '示范区-2025-0001'
		} satisfies CaseIndexRow;
		const row = caseIndexRow(facts)(prev);
		expect(row).toMatchObject({
			school: '示范区第一初级中学',
			street: '新华街道办事处',
			rewrites: 3,
			caseNo: '示范区-2025-0001'
		});
	});

	it('the list row has no next obligation without one', () => {
		expect(nextOf(null)).toBeNull();
	});
});
