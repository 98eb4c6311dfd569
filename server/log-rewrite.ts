import * as Y from 'yjs';
import { toSnapshotUnchecked } from '../src/lib/case-doc';
import type { CaseSnapshot } from '../src/lib/domain';
import type { CaseLogBytes } from './storage/types';

/**
 * Issue 11: rewriting a case's stored log in place (the ID migration masks full numbers, the
 * retention run anonymises a closed case). Each stored update and compacted state keeps its
 * row, its length and its clocks; only bytes inside strings change. Before anything is written
 * the rewritten log must load into exactly the document expected, so a rewrite that would
 * break a case is found and the case left as it was.
 */

function docOf(updates: readonly Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const u of updates) Y.applyUpdate(doc, u);
	return doc;
}

const json = (doc: Y.Doc) => JSON.stringify(toSnapshotUnchecked(doc));

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
		Buffer.from(b.buffer, b.byteOffset, b.byteLength)
	);
}

/** What every stored update of the log makes, unvalidated (also what the loader sets aside). */
export function rawSnapshot(log: CaseLogBytes): CaseSnapshot {
	const doc = docOf(log.updates.map((u) => u.update));
	try {
		return toSnapshotUnchecked(doc);
	} finally {
		doc.destroy();
	}
}

/** The rows of the log whose bytes `rewrite` changes, rewritten (the others are left out). */
export function rewriteRows(
	log: CaseLogBytes,
	rewrite: (bytes: Uint8Array) => Uint8Array
): CaseLogBytes {
	const changed: CaseLogBytes = { updates: [], snapshots: [] };
	for (const u of log.updates) {
		const next = rewrite(u.update);
		if (!sameBytes(next, u.update)) changed.updates.push({ seq: u.seq, update: next });
	}
	for (const x of log.snapshots) {
		const next = rewrite(x.state);
		if (!sameBytes(next, x.state)) changed.snapshots.push({ id: x.id, state: next });
	}
	return changed;
}

/** What a planned rewrite gives: the document before and after (unvalidated), and the check. */
export interface CheckedRewrite {
	before: CaseSnapshot;
	after: CaseSnapshot;
	/**
	 * True when the whole rewritten log loads into `expected` of the document's JSON, and each
	 * compacted state, as rewritten, into `expected` of the state's own document.
	 */
	same: boolean;
}

/** Checks a rewrite (`rewriteRows`) against what the document must read as afterwards. */
export function checkRewrite(
	log: CaseLogBytes,
	changed: CaseLogBytes,
	expected: (json: string) => string
): CheckedRewrite {
	const bySeq = new Map(changed.updates.map((u) => [u.seq, u.update]));
	const byId = new Map(changed.snapshots.map((x) => [x.id, x.state]));
	const beforeDoc = docOf(log.updates.map((u) => u.update));
	const afterDoc = docOf(log.updates.map((u) => bySeq.get(u.seq) ?? u.update));
	try {
		const same =
			json(afterDoc) === expected(json(beforeDoc)) &&
			// Every state, also one the rewrite left alone: the relay loads from the latest, and a
			// value it holds in bytes the rewrite did not find would come back with it.
			log.snapshots.every((x) => {
				const [a, b] = [docOf([byId.get(x.id) ?? x.state]), docOf([x.state])];
				const ok = json(a) === expected(json(b));
				a.destroy();
				b.destroy();
				return ok;
			});
		return { before: toSnapshotUnchecked(beforeDoc), after: toSnapshotUnchecked(afterDoc), same };
	} finally {
		beforeDoc.destroy();
		afterDoc.destroy();
	}
}
