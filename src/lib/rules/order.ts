import type { CaseEvent } from '../domain';

/** G-M1: the one deterministic order of events: the day it happened, then recorded-at, then id. */
export function compareEvents(a: CaseEvent, b: CaseEvent): number {
	if (a.date !== b.date) return a.date < b.date ? -1 : 1;
	if (a.recordedAt !== b.recordedAt) return a.recordedAt < b.recordedAt ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * G-M1: events in evaluation order. The Y.Array order differs between replicas after a merge,
 * so we always sort; a timeline is usually already in order, which we detect in one pass.
 */
export function inEvaluationOrder(events: readonly CaseEvent[]): readonly CaseEvent[] {
	for (let i = 1; i < events.length; i++) {
		const prev = events[i - 1];
		const cur = events[i];
		if (prev && cur && compareEvents(prev, cur) > 0) return [...events].sort(compareEvents);
	}
	return events;
}
