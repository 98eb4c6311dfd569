import type { CaseEvent, CaseSnapshot, Reason } from '../domain';
import {
	foldCase,
	getProfile,
	nextObligation,
	type Calendar,
	type CaseState,
	type Obligation
} from '../rules';
import { obligations } from '../rules/obligations';
import { eventsOf } from '../rules/state';
import { snapshotAsOf } from './period';

/** A case folded once as of a day: what both the quarterly report and the ledger read. */
export interface CaseAsOf {
	/** The rules' folded state (stage, accepted events of the current episode, closure). */
	state: CaseState;
	/** Every obligation judged for `asOf` (pending / met / late / overdue). */
	obligations: Obligation[];
}

/**
 * Folds a case with the shared rules as it stood on `asOf` (events dated later left out) and
 * judges its obligations for that day: the same work as `evaluate(snapshot, asOf)` without the
 * action bars, done once per case (the report reads the state and the obligations both).
 */
export function caseAsOf(snapshot: CaseSnapshot, asOf: string, calendar?: Calendar): CaseAsOf {
	const state = foldCase(snapshotAsOf(snapshot, asOf), getProfile(snapshot.profile), calendar);
	return { state, obligations: obligations(state, asOf) };
}

/** The next obligation not yet met (overdue first), as `evaluate` reports it. */
export function nextOf(c: CaseAsOf): Obligation | null {
	return nextObligation(c.obligations);
}

/** Whether `a` comes after `b` in G-M1 order (day, then recorded-at, then id). */
function later(a: CaseEvent, b: CaseEvent): boolean {
	if (a.date !== b.date) return a.date > b.date;
	if (a.recordedAt !== b.recordedAt) return a.recordedAt > b.recordedAt;
	return a.id > b.id;
}

/**
 * S-9: the dropout reason of the current episode: the latest reason the joint team was formed
 * for or the dropout file recorded (S-4c), whichever came last; null when none is recorded yet
 * (e.g. a suspected case still being persuaded by the school).
 */
export function reasonOf(state: CaseState): Reason | null {
	let best: Extract<CaseEvent, { type: 'joint_team_formed' | 'dropout_file_created' }> | null =
		null;
	for (const e of eventsOf(state, 'dropout_file_created')) if (!best || later(e, best)) best = e;
	for (const e of eventsOf(state, 'joint_team_formed')) if (!best || later(e, best)) best = e;
	return best ? best.reason : null;
}

/** The last accepted event of a type in the current episode (G-M1 order), or null. */
export function lastOf<T extends CaseEvent['type']>(
	state: CaseState,
	type: T
): Extract<CaseEvent, { type: T }> | null {
	const list = eventsOf(state, type);
	return list.length ? (list[list.length - 1] ?? null) : null;
}

/** Whether an accepted event of this type in the current episode is dated within [from, to]. */
export function hasEventIn(
	state: CaseState,
	type: CaseEvent['type'],
	from: string,
	to: string
): boolean {
	for (const e of eventsOf(state, type)) if (e.date >= from && e.date <= to) return true;
	return false;
}
