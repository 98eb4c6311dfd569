import type * as Y from 'yjs';
import { eventsArray, guardiansArray, metaMap, planText, studentMap } from './layout';

/** What one transaction changed in a case doc. */
export interface CaseChange {
	/** The timeline changed (an event was appended, locally or by a replica). */
	events: boolean;
	/** The persuasion plan text changed. */
	plan: boolean;
	/** The change was made on this replica (not applied from an update received elsewhere). */
	local: boolean;
}

/**
 * Calls `cb` once per transaction that changed the case (also when only the written-once parts
 * arrived, e.g. the first sync of an empty doc: then `events` and `plan` are both false).
 * Returns the unsubscribe function.
 */
export function onCaseChange(doc: Y.Doc, cb: (change: CaseChange) => void): () => void {
	const events = eventsArray(doc);
	const plan = planText(doc);
	const rest = [metaMap(doc), studentMap(doc), guardiansArray(doc)];
	// `afterTransaction` rather than per-type observers: one transaction touching both the
	// timeline and the plan (e.g. a sync batch) must give one callback, not two half-views.
	// `changed` lists only types whose own content changed, which is all this flat layout has.
	const handler = (tr: Y.Transaction) => {
		const changed = new Set<unknown>(tr.changed.keys());
		const ev = changed.has(events);
		const pl = changed.has(plan);
		if (!ev && !pl && !rest.some((t) => changed.has(t))) return;
		cb({ events: ev, plan: pl, local: tr.local });
	};
	doc.on('afterTransaction', handler);
	return () => doc.off('afterTransaction', handler);
}
