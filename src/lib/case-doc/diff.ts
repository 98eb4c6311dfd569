import * as Y from 'yjs';
import { cloneJson, jsonEqual } from './json';
import {
	CASE_DOC_KEYS,
	CASE_DOC_KEY_LIST,
	eventsArray,
	isEmptyCaseDoc,
	metaMap,
	planText,
	type CaseDocKey
} from './layout';

/** What an update changed between two states of one case doc (for the relay's checks). */
export interface CaseDocDiff {
	/** Top-level names in `after` outside the layout (`CASE_DOC_KEYS`). */
	unknownKeys: string[];
	/**
	 * Layout keys whose Y type holds content the layout never writes: map entries on an array or
	 * the text, list items on a map, nested Y types, binary, embeds or formatting in the plan.
	 */
	malformedKeys: CaseDocKey[];
	/** `meta` changed (false when the change is the initialisation itself). */
	metaChanged: boolean;
	/** `student` changed (false when the change is the initialisation itself). */
	studentChanged: boolean;
	/** `guardians` changed (false when the change is the initialisation itself). */
	guardiansChanged: boolean;
	/** An event of `before` is missing, altered, or was deleted and re-inserted in `after`. */
	eventsRemovedOrChanged: boolean;
	/** Events in `after` not matched by one in `before`, in `after`'s order; raw, not validated. */
	addedEvents: unknown[];
	/** The plan text differs. */
	planChanged: boolean;
	/** `before` held nothing and `after` holds a case: validate `toSnapshot(after)` in full. */
	initialised: boolean;
}

type Kind = 'map' | 'list' | 'text';
type LayoutType = Y.Map<unknown> | Y.Array<unknown> | Y.Text;
const KIND: Record<CaseDocKey, Kind> = {
	meta: 'map',
	student: 'map',
	guardians: 'list',
	events: 'list',
	plan: 'text'
};

function typeOf(doc: Y.Doc, key: CaseDocKey): LayoutType {
	switch (KIND[key]) {
		case 'map':
			return doc.getMap<unknown>(key);
		case 'list':
			return doc.getArray<unknown>(key);
		case 'text':
			return doc.getText(key);
	}
}

function* listItems(type: LayoutType): Generator<Y.Item> {
	for (let n = type._start; n !== null; n = n.right) if (!n.deleted) yield n;
}

function* mapItems(type: LayoutType): Generator<Y.Item> {
	for (const n of type._map.values()) if (!n.deleted) yield n;
}

/**
 * True when the type holds content its layout kind never writes. A remote update names its
 * parent only by the top-level name, never by the type's constructor, so a hostile peer can put
 * map entries into `events` or a nested Y.Map into an event; `toJSON()` would hide both.
 */
function isMalformed(type: LayoutType, kind: Kind): boolean {
	const wanted = kind === 'text' ? Y.ContentString : Y.ContentAny;
	const [ok, other] = kind === 'map' ? [mapItems, listItems] : [listItems, mapItems];
	if (!other(type).next().done) return true;
	for (const n of ok(type)) if (!(n.content instanceof wanted)) return true;
	return false;
}

/** Ids of the live (not deleted) elements: `client:clock`, one per array element or map key. */
function liveIds(type: LayoutType, kind: Kind): Set<string> {
	const out = new Set<string>();
	const items = kind === 'map' ? mapItems(type) : listItems(type);
	for (const n of items) {
		// An Item may hold several elements (one push of many); splitting differs per replica.
		for (let i = 0; i < n.length; i++) out.add(`${n.id.client}:${n.id.clock + i}`);
	}
	return out;
}

function isSubset(a: Set<string>, b: Set<string>): boolean {
	for (const x of a) if (!b.has(x)) return false;
	return true;
}

function eventKey(e: unknown): string {
	const id = typeof e === 'object' && e !== null ? (e as { id?: unknown }).id : undefined;
	return typeof id === 'string' ? `id:${id}` : 'raw';
}

/** Matches before's events to after's by id and deep equality (a multiset, order-free). */
function matchEvents(before: unknown[], after: unknown[]): { missing: boolean; added: unknown[] } {
	const pool = new Map<string, { value: unknown; index: number; used: boolean }[]>();
	after.forEach((value, index) => {
		const k = eventKey(value);
		const list = pool.get(k) ?? [];
		list.push({ value, index, used: false });
		pool.set(k, list);
	});
	let missing = false;
	for (const e of before) {
		const hit = pool.get(eventKey(e))?.find((c) => !c.used && jsonEqual(c.value, e));
		if (hit) hit.used = true;
		else missing = true;
	}
	const added = [...pool.values()]
		.flat()
		.filter((c) => !c.used)
		.sort((x, y) => x.index - y.index)
		.map((c) => cloneJson(c.value));
	return { missing, added };
}

/** True when the written-once type differs in content or in its live Yjs elements. */
function writtenOnceChanged(before: Y.Doc, after: Y.Doc, key: CaseDocKey): boolean {
	const b = typeOf(before, key);
	const a = typeOf(after, key);
	const [ib, ia] = [liveIds(b, KIND[key]), liveIds(a, KIND[key])];
	return !jsonEqual(b.toJSON(), a.toJSON()) || ib.size !== ia.size || !isSubset(ib, ia);
}

/**
 * Compares two states of one case doc, typically `before` = the relay's doc and
 * `after = applyUpdateToCopy(before, update)`. Both must share history: live element ids are
 * compared, so two docs built independently from one snapshot differ everywhere.
 */
export function diffCaseDocs(before: Y.Doc, after: Y.Doc): CaseDocDiff {
	// Read `share` before any getX below adds layout names to it. Yjs adds a share entry for
	// every top-level name a received update mentions, which is how foreign names show up.
	const known: readonly string[] = CASE_DOC_KEY_LIST;
	const unknownKeys = [...after.share.keys()].filter((k) => !known.includes(k)).sort();
	const malformedKeys = CASE_DOC_KEY_LIST.filter((k) => isMalformed(typeOf(after, k), KIND[k]));
	const initialised = isEmptyCaseDoc(before) && metaMap(after).size > 0;
	const evB = eventsArray(before);
	const evA = eventsArray(after);
	const { missing, added } = matchEvents(evB.toArray(), evA.toArray());
	const eventsRemovedOrChanged = missing || !isSubset(liveIds(evB, 'list'), liveIds(evA, 'list'));
	return {
		unknownKeys,
		malformedKeys,
		metaChanged: !initialised && writtenOnceChanged(before, after, CASE_DOC_KEYS.meta),
		studentChanged: !initialised && writtenOnceChanged(before, after, CASE_DOC_KEYS.student),
		guardiansChanged: !initialised && writtenOnceChanged(before, after, CASE_DOC_KEYS.guardians),
		eventsRemovedOrChanged,
		addedEvents: added,
		planChanged: planText(before).toJSON() !== planText(after).toJSON(),
		initialised
	};
}

/** A copy of `doc` with `update` applied, for validating an update before accepting it. */
export function applyUpdateToCopy(doc: Y.Doc, update: Uint8Array): Y.Doc {
	// Same gc setting as the original, so a copy of a history-keeping doc keeps history too.
	const copy = new Y.Doc({ gc: doc.gc });
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	Y.applyUpdate(copy, update);
	return copy;
}

/**
 * True when the doc holds updates Yjs could not integrate yet (their causal predecessors are
 * missing). Yjs parks such updates silently instead of failing, so a relay that applied an
 * update built on a refused one must ask, or it would accept an update that changed nothing.
 */
export function hasPendingUpdates(doc: Y.Doc): boolean {
	return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
