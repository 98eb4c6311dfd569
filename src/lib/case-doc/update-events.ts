import * as Y from 'yjs';
import { cloneJson } from './json';

/**
 * The plain JSON objects an update inserts (events are plain objects in the `events` array), read
 * off the update alone: nothing is applied, so it works on an update no document can integrate
 * (one the relay refused for causality, say). Raw and unvalidated — the caller parses them — and
 * empty for bytes that do not decode. An item appended after another carries no parent name in
 * the update, so the objects are not told apart by where they go; only events have a `type`.
 */
export function objectsInUpdate(update: Uint8Array): unknown[] {
	let structs;
	try {
		structs = Y.decodeUpdate(update).structs;
	} catch {
		return [];
	}
	const out: unknown[] = [];
	for (const s of structs) {
		if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentAny)) continue;
		for (const v of s.content.getContent()) {
			if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(cloneJson(v));
		}
	}
	return out;
}
