import * as Y from 'yjs';
import { cloneJson } from './json';
import { CASE_DOC_KEYS, CASE_DOC_KEY_LIST } from './layout';

const LAYOUT_KEYS = new Set<string>(CASE_DOC_KEY_LIST);

/** What one remote update did to a case doc, read off its transaction (cost ∝ the update). */
export interface TrackedUpdate {
	/** The first layout violation, if any: the relay refuses such an update. */
	violation: 'unknown-key' | 'malformed' | 'written-once' | 'append-only' | null;
	/** Events the update appended, raw (not validated), in insertion order. */
	addedEvents: unknown[];
	planChanged: boolean;
	/** Part of the update waits for changes this doc does not have (Yjs parks it). */
	pending: boolean;
	/** The update brought anything new at all (structs or deletions). */
	changed: boolean;
}

/**
 * Applies a remote update to `doc` and reports what it did, by walking only the structs and
 * deletions of that transaction. The relay applies updates to a shadow replica this way instead
 * of copying the whole document per update; after a refusal the shadow is rebuilt.
 */
export function applyTracked(doc: Y.Doc, update: Uint8Array): TrackedUpdate {
	const out: TrackedUpdate = {
		violation: null,
		addedEvents: [],
		planChanged: false,
		pending: false,
		changed: false
	};
	const flag = (v: NonNullable<TrackedUpdate['violation']>) => (out.violation ??= v);
	const onTransaction = (tr: Y.Transaction) => {
		for (const [client, after] of tr.afterState) {
			const before = tr.beforeState.get(client) ?? 0;
			if (after <= before) continue;
			out.changed = true;
			const structs = doc.store.clients.get(client) ?? [];
			for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
				const s = structs[i];
				if (!s || s.id.clock >= after) break;
				if (s instanceof Y.Item) inspectItem(s, out, flag);
			}
		}
		if (tr.deleteSet.clients.size > 0) {
			Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
				out.changed = true;
				if (!(s instanceof Y.Item)) return;
				const root = rootKey(s);
				if (root === CASE_DOC_KEYS.plan) out.planChanged = true;
				else if (root === CASE_DOC_KEYS.events) flag('append-only');
				else flag('written-once');
			});
		}
	};
	doc.on('afterTransaction', onTransaction);
	try {
		Y.applyUpdate(doc, update);
	} finally {
		doc.off('afterTransaction', onTransaction);
	}
	for (const key of doc.share.keys()) if (!LAYOUT_KEYS.has(key)) flag('unknown-key');
	out.pending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
	return out;
}

function rootKey(item: Y.Item): string | null {
	const parent = item.parent;
	if (!(parent instanceof Y.AbstractType) || parent._item !== null) return null;
	return Y.findRootTypeKey(parent);
}

function inspectItem(
	item: Y.Item,
	out: TrackedUpdate,
	flag: (v: NonNullable<TrackedUpdate['violation']>) => void
): void {
	const root = rootKey(item);
	if (root === null) return flag('malformed'); // nested types are never written by the layout
	if (root === CASE_DOC_KEYS.events) {
		if (item.parentSub !== null || !(item.content instanceof Y.ContentAny))
			return flag('malformed');
		if (item.deleted) return flag('append-only');
		for (const v of item.content.getContent()) out.addedEvents.push(cloneJson(v));
		return;
	}
	if (root === CASE_DOC_KEYS.plan) {
		const c = item.content;
		if (
			item.parentSub !== null ||
			!(c instanceof Y.ContentString || c instanceof Y.ContentDeleted)
		) {
			return flag('malformed');
		}
		out.planChanged = true;
		return;
	}
	if (
		root === CASE_DOC_KEYS.meta ||
		root === CASE_DOC_KEYS.student ||
		root === CASE_DOC_KEYS.guardians
	) {
		return flag('written-once');
	}
	flag('unknown-key');
}
