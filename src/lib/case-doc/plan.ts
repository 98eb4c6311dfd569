import type * as Y from 'yjs';
import * as Yjs from 'yjs';
import { wellFormed } from './json';
import { LOCAL_ORIGIN, planText } from './layout';

export { planText };

/** The persuasion plan as a string. */
export function getPlan(doc: Y.Doc): string {
	return planText(doc).toJSON();
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The changed middle range between two strings: `[start, endOld)` in `a` → `[start, endNew)` in `b`. */
export function changedRange(
	a: string,
	b: string
): { start: number; deleteCount: number; insert: string } {
	let start = 0;
	const max = Math.min(a.length, b.length);
	while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
	// Never cut a surrogate pair: Yjs indexes UTF-16 code units, and an edit boundary inside a
	// pair makes Yjs replace the split halves with U+FFFD (yjs#248), corrupting an emoji.
	if (start > 0 && isHigh(a.charCodeAt(start - 1))) start--;
	let endA = a.length;
	let endB = b.length;
	while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
		endA--;
		endB--;
	}
	if (endA < a.length && isLow(a.charCodeAt(endA))) {
		endA++;
		endB++;
	}
	return { start, deleteCount: endA - start, insert: b.slice(start, endB) };
}

/**
 * Three-way merge of two edits of one text: `local` and `remote` both started from `base`. Each
 * is one changed middle range (`changedRange`); disjoint ranges are both applied, overlapping
 * ones keep both versions of the region (remote's, then local's), so neither side's text is
 * lost. For an editor that held back a local edit while others typed (the plan over its limit).
 */
export function mergeText(base: string, local: string, remote: string): string {
	if (remote === base || remote === local) return local;
	if (local === base) return remote;
	const l = changedRange(base, local);
	const r = changedRange(base, remote);
	const lEnd = l.start + l.deleteCount;
	const rEnd = r.start + r.deleteCount;
	if (lEnd <= r.start) {
		return (
			base.slice(0, l.start) + l.insert + base.slice(lEnd, r.start) + r.insert + base.slice(rEnd)
		);
	}
	if (rEnd <= l.start) {
		return (
			base.slice(0, r.start) + r.insert + base.slice(rEnd, l.start) + l.insert + base.slice(lEnd)
		);
	}
	const start = Math.min(l.start, r.start);
	const end = Math.max(lEnd, rEnd);
	const tail = base.length - end;
	const mid = (s: string) => s.slice(start, s.length - tail);
	return base.slice(0, start) + mid(remote) + mid(local) + base.slice(end);
}

/**
 * Replaces the plan with `text`, touching only the changed middle range (common prefix and suffix
 * kept), so that concurrent typing elsewhere in the plan merges instead of being overwritten.
 * Lone surrogates become U+FFFD first (see `wellFormed`).
 */
export function setPlan(doc: Y.Doc, text: string): void {
	const t = planText(doc);
	const { start, deleteCount, insert } = changedRange(t.toJSON(), wellFormed(text));
	if (deleteCount === 0 && insert === '') return;
	doc.transact(() => {
		if (deleteCount > 0) t.delete(start, deleteCount);
		if (insert) t.insert(start, insert);
	}, LOCAL_ORIGIN);
}

/**
 * A cursor position in the plan that survives others' edits: save it before a remote change
 * lands, restore it after, and the local caret stays next to the same character.
 */
export function savePlanCursor(doc: Y.Doc, index: number): Uint8Array {
	const t = planText(doc);
	return Yjs.encodeRelativePosition(
		Yjs.createRelativePositionFromTypeIndex(t, Math.max(0, Math.min(index, t.length)))
	);
}

/** The index of a saved plan cursor now (0 when it cannot be resolved). */
export function restorePlanCursor(doc: Y.Doc, saved: Uint8Array): number {
	const abs = Yjs.createAbsolutePositionFromRelativePosition(
		Yjs.decodeRelativePosition(saved),
		doc
	);
	return abs?.index ?? 0;
}

/** This replica's client id and its next clock: the Yjs range the next local change will take. */
export function localClock(doc: Y.Doc): { client: number; clock: number } {
	return { client: doc.clientID, clock: Yjs.getState(doc.store, doc.clientID) };
}
