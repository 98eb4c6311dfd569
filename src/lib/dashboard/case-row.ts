import type { CaseSnapshot } from '../domain';
import { maskRegistryNo } from '../domain/id-mask';
import { caseState, evaluate, type Calendar, type Evaluation } from '../rules';
import type { CaseIndexRow } from '../sync/contract';
import { nextOf } from './list-row';
import { summarizeState } from './summary';

/** What an open case tells its index row. */
export interface OpenCaseFacts {
	id: string;
	snapshot: CaseSnapshot;
	/** The session's evaluation, when it has one (else evaluated here without actions). */
	evaluation: Evaluation | null;
	calendar: Calendar;
	today: string;
	/** Changes the relay has not accepted yet, and refusals not dismissed. */
	unsynced: number;
	refused: number;
	now: Date;
}

/**
 * The index row of an open case, from its snapshot, with the dashboard's summary (B-7, S-4b,
 * S-5, S-10): lists and the dashboard never open documents. Evaluated once; the returned
 * function takes the stored row (read in the caller's transaction) for what only the relay's
 * list knows (the school's and street's names, the rewrite count).
 */
export function caseIndexRow(f: OpenCaseFacts): (prev: CaseIndexRow | undefined) => CaseIndexRow {
	const { snapshot: snap, calendar, today } = f;
	const e = f.evaluation ?? evaluate(snap, today, { actions: false, calendar });
	const waitingOn = [
		...new Set(
			e.obligations
				.filter((o) => o.state === 'pending' || o.state === 'overdue')
				.map((o) => o.responsible)
		)
	];
	const state = caseState(snap, calendar);
	const student = state.student.name; // G-M4: the name as last corrected
	const summary = summarizeState(state, e.obligations, today);
	return (prev) => {
		// Issue 12: the document's number (cases since issue 12), else the list's.
		const caseNo = snap.caseNo ?? prev?.caseNo;
		return {
			id: f.id,
			...(caseNo ? { caseNo } : {}),
			student,
			registryNo: maskRegistryNo(snap.student.registryNo),
			schoolId: snap.orgs.schoolId,
			school: prev?.school ?? snap.orgs.schoolId,
			stage: e.stage,
			next: nextOf(e.next),
			daysLeft: calendar.workingDaysLeft(today, e.next?.due ?? null),
			overdue: e.obligations.filter((o) => o.state === 'overdue').length,
			waitingOn,
			unsynced: f.unsynced,
			refused: f.refused,
			local: true,
			...(prev?.rewrites !== undefined ? { rewrites: prev.rewrites } : {}),
			updatedAt: f.now.toISOString(),
			street: prev?.street,
			...(state.family ? { family: state.family } : {}),
			summary
		};
	};
}
