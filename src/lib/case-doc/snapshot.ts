import type * as Y from 'yjs';
import { parseSnapshot, type CaseEvent, type CaseSnapshot, type ParseResult } from '../domain';
import { cloneJson } from './json';
import {
	META_KEYS,
	eventsArray,
	guardiansArray,
	metaMap,
	planText,
	studentMap,
	type MetaKey
} from './layout';

/** The doc as one plain JSON object shaped like a snapshot, before any validation. */
function project(doc: Y.Doc): Record<string, unknown> {
	return {
		...metaMap(doc).toJSON(),
		student: studentMap(doc).toJSON(),
		guardians: guardiansArray(doc).toJSON(),
		plan: planText(doc).toJSON(),
		events: eventsArray(doc).toJSON()
	};
}

/**
 * Projects a case doc to a validated snapshot (zod at the trust boundary). Events keep the
 * Y.Array's order; the rules sort them (G-M1).
 */
export function toSnapshot(doc: Y.Doc): ParseResult<CaseSnapshot> {
	// `meta` keys are spread into the snapshot's root, so a stray meta key named like another
	// snapshot field would be shadowed, not reported: name every unexpected meta key here.
	const stray = [...metaMap(doc).keys()].filter((k) => !META_KEYS.includes(k as MetaKey));
	if (stray.length) {
		return {
			ok: false,
			errors: stray.map((k) => ({
				path: `meta.${k}`,
				message: '案件元数据中有未知字段 / unknown key in case meta'
			}))
		};
	}
	// zod builds fresh objects, so the result shares nothing with Yjs's stored values.
	return parseSnapshot(project(doc));
}

/**
 * The snapshot without validation, for hot paths (re-evaluating the rules on every change).
 * Sound only for a doc that has only ever received validated updates (local `appendEvent`, the
 * relay's checked broadcast); anything read from an untrusted source goes through `toSnapshot`.
 */
export function toSnapshotUnchecked(doc: Y.Doc): CaseSnapshot {
	return cloneJson(project(doc)) as unknown as CaseSnapshot;
}

/** The events in Y.Array order, unvalidated (same trust assumption as `toSnapshotUnchecked`). */
export function readEvents(doc: Y.Doc): CaseEvent[] {
	return cloneJson(eventsArray(doc).toArray()) as CaseEvent[];
}

/** How many events the timeline holds. */
export function eventCount(doc: Y.Doc): number {
	return eventsArray(doc).length;
}
