import type { Obligation } from '../rules';
import type { CaseIndexRow } from '../sync/contract';

/**
 * The parts of a case's index row the list and the dashboard show that the relay's case list
 * brings (`GET /api/cases`): light, no rules and no schemas, for the first screen.
 */

/** The row's next obligation: one still pending or overdue, else none. */
export function nextOf(o: Obligation | null): CaseIndexRow['next'] {
	if (!o || (o.state !== 'pending' && o.state !== 'overdue')) return null;
	const next = {
		rule: o.rule,
		title: o.title,
		due: o.due,
		state: o.state,
		responsible: o.responsible
	};
	// G-T3: a due date counted through a year without an official schedule is shown as 暂定.
	return o.provisional ? { ...next, provisional: true } : next;
}
