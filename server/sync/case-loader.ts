import * as Y from 'yjs';
import {
	applyTracked,
	checkGrowth,
	hasPendingUpdates,
	isEmptyCaseDoc,
	toSnapshot
} from '../../src/lib/case-doc';
import { bilingualErrors, type CaseSnapshot } from '../../src/lib/domain';
import type { CaseSnapshotState, QuarantineRecord, Storage, StoredUpdate } from '../storage/types';

/**
 * Rule id of a stored update set aside because the case does not load with it (issue 10). Its
 * quarantine row is a copy of the update-log row (same bytes, sender and receive time), which is
 * how the loader recognises it: the log itself is never rewritten, marked or shortened.
 */
export const SET_ASIDE_RULE = 'load';

/** A stored update the case loads without, and why. */
export interface SetAside {
	/** Seq of the update in the log (which keeps it). */
	seq: number;
	userId: string;
	receivedAt: string;
	/** Why, Chinese / English, naming the underlying rule id (`limits`, `schema`, …). */
	reason: string;
	/** What the update held, so a person can enter it again: events, and whether plan text. */
	events: { id: string; type: string; date: string }[];
	planText: boolean;
	/** Its quarantine row; null until recorded (`record: false`). */
	quarantineId: number | null;
}

export interface LoadedCase {
	doc: Y.Doc;
	snapshot: CaseSnapshot;
	/** Seq of the last stored update (loaded or set aside), and of the compacted state used. */
	lastSeq: number;
	snapshotSeq: number;
	/**
	 * How many of this case's stored updates come after the compacted state used (issue 14):
	 * seqs are numbered across all cases, so their difference says nothing about one case.
	 */
	sinceSnapshot: number;
	/** Every update set aside, earlier and now, oldest first. */
	setAside: SetAside[];
	/** How many of `setAside` this load found (and, with `record`, quarantined). */
	found: number;
}

/** Thrown when not even the case's creation loads: there is nothing to serve. */
export class CaseLoadError extends Error {
	constructor(caseId: string, why: string) {
		super(`case ${caseId} does not load: ${why}`);
		this.name = 'CaseLoadError';
	}
}

export interface LoadOptions {
	/** Load only up to and including this seq ("view as of"); compacted states are not used. */
	uptoSeq?: number;
	/**
	 * Quarantine what this load sets aside and write a compacted state of the repaired case, so
	 * the next load is quick and the bureau sees the repair. False for pure reads (history).
	 */
	record: boolean;
	/** When a repair happens (its quarantine rows and compacted state), ISO instant. */
	now?: string;
}

type Verdict = { ok: true; snapshot: CaseSnapshot } | { ok: false; why: string; dirty: boolean };

/**
 * Loads a case from its update log so that it always opens (issue 10). Normally: the latest
 * compacted state, the updates after it, one validation. When that does not validate, every
 * stored update is replayed in order and checked as the relay checks an incoming one (schema,
 * `LIMITS`); an update that fails, or that builds on one set aside (Yjs could not integrate
 * it), is set aside and the case is served from the rest. Nothing is deleted.
 */
export async function loadCase(
	storage: Storage,
	caseId: string,
	options: LoadOptions
): Promise<LoadedCase> {
	// Both asked at once (issue 14: a fresh device opens hundreds of cases, and each request is
	// a round trip to the storage thread).
	const [quarantined, latest] = await Promise.all([
		storage.listQuarantine(caseId),
		options.uptoSeq === undefined ? storage.latestSnapshot(caseId) : null
	]);
	const marks = quarantined.filter((q) => q.rule === SET_ASIDE_RULE);
	const quick = await quickLoad(storage, caseId, marks, latest, options.uptoSeq);
	if (quick) return quick;
	const updates = (await storage.loadUpdates(caseId)).filter(
		(u) => options.uptoSeq === undefined || u.seq <= options.uptoSeq
	);
	const slow = replayChecked(caseId, updates, marks);
	// Also when nothing was set aside: the quick way failed (an unusable compacted state), and a
	// fresh one makes the next load quick again.
	if (options.record) await record(storage, caseId, slow, updates, options.now);
	return slow;
}

function sameRow(q: QuarantineRecord, u: StoredUpdate): boolean {
	if (q.userId !== u.userId || q.receivedAt !== u.receivedAt) return false;
	if (q.update.length !== u.update.length) return false;
	return q.update.every((b, i) => b === u.update[i]);
}

/** The quarantine copy of a log row, if any; two repairs racing may copy one row twice. */
function markOf(marks: readonly QuarantineRecord[], u: StoredUpdate): QuarantineRecord | null {
	return marks.find((q) => sameRow(q, u)) ?? null;
}

/** True when the compacted state holds part of `update` (its clock ranges are covered). */
function covers(state: Uint8Array, update: Uint8Array): boolean {
	try {
		const sv = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state));
		const meta = Y.parseUpdateMeta(update);
		// A deletion-only update has no clock range to look for: assume the worst.
		if (meta.to.size === 0) return true;
		return [...meta.from].some(([client, from]) => (sv.get(client) ?? 0) > from);
	} catch {
		return true;
	}
}

/** Compacted state + the updates after it, not set aside; null when that does not load. */
async function quickLoad(
	storage: Storage,
	caseId: string,
	marks: readonly QuarantineRecord[],
	latest: CaseSnapshotState | null,
	uptoSeq: number | undefined
): Promise<LoadedCase | null> {
	const snap = latest && !marks.some((m) => covers(latest.state, m.update)) ? latest : null;
	const after = snap?.uptoSeq ?? 0;
	// With marks, rows before the compacted state are read too (not applied), so that every
	// set-aside update is named by its seq.
	const rows = (await storage.loadUpdates(caseId, marks.length ? undefined : after)).filter(
		(u) => uptoSeq === undefined || u.seq <= uptoSeq
	);
	const doc = new Y.Doc({ gc: true });
	const setAside: SetAside[] = [];
	Y.transact(doc, () => {
		if (snap) Y.applyUpdate(doc, snap.state);
		for (const u of rows) {
			const mark = markOf(marks, u);
			if (mark) setAside.push(fromMark(mark, u.seq));
			else if (u.seq > after) Y.applyUpdate(doc, u.update);
		}
	});
	const parsed = hasPendingUpdates(doc) ? null : toSnapshot(doc);
	if (!parsed?.ok) {
		doc.destroy();
		return null;
	}
	return {
		doc,
		snapshot: parsed.value,
		lastSeq: Math.max(after, rows[rows.length - 1]?.seq ?? 0),
		snapshotSeq: after,
		sinceSnapshot: rows.filter((u) => u.seq > after).length,
		setAside,
		found: 0
	};
}

function fromMark(m: QuarantineRecord, seq: number): SetAside {
	return {
		seq,
		userId: m.userId,
		receivedAt: m.receivedAt,
		reason: m.reason,
		...contentOf(m.update),
		quarantineId: m.id
	};
}

/**
 * The events and plan text an update carries, read off its structs without applying it (it may
 * not apply). Plain values shaped like an event are taken for one: after a case's creation,
 * only the timeline holds plain values.
 */
export function contentOf(update: Uint8Array): Pick<SetAside, 'events' | 'planText'> {
	const events: SetAside['events'] = [];
	let planText = false;
	const str = (v: unknown) => (typeof v === 'string' ? v : '?');
	try {
		for (const s of Y.decodeUpdate(update).structs) {
			if (!(s instanceof Y.Item)) continue;
			if (s.content instanceof Y.ContentString) planText = true;
			if (!(s.content instanceof Y.ContentAny)) continue;
			for (const v of s.content.getContent()) {
				if (typeof v !== 'object' || v === null || !('type' in v) || !('id' in v)) continue;
				const e = v as Record<string, unknown>;
				events.push({ id: str(e.id), type: str(e.type), date: str(e.date) });
			}
		}
	} catch {
		// Undecodable: nothing to show beyond the reason.
	}
	return { events, planText };
}

/**
 * Replays the whole log update by update, checking each one against the case so far. Should
 * the quick check of what an update adds ever disagree with `toSnapshot`, the replay runs again
 * validating the whole case after every update (slow, but the case still opens).
 */
function replayChecked(
	caseId: string,
	updates: readonly StoredUpdate[],
	marks: readonly QuarantineRecord[]
): LoadedCase {
	for (const full of [false, true]) {
		const r = replay(caseId, updates, marks, full);
		const parsed = toSnapshot(r.doc);
		if (parsed.ok) return { ...r, snapshot: parsed.value };
		r.doc.destroy();
	}
	throw new CaseLoadError(caseId, 'the stored updates do not rebuild a valid case');
}

function replay(
	caseId: string,
	updates: readonly StoredUpdate[],
	marks: readonly QuarantineRecord[],
	full: boolean
): Omit<LoadedCase, 'snapshot'> {
	let doc = new Y.Doc({ gc: true });
	let current: CaseSnapshot | null = null;
	const kept: StoredUpdate[] = [];
	const setAside: SetAside[] = [];
	let found = 0;
	for (const u of updates) {
		const mark = markOf(marks, u);
		if (mark) {
			setAside.push(fromMark(mark, u.seq));
			continue;
		}
		const v = tryApply(doc, current, u.update, full);
		if (v.ok) {
			kept.push(u);
			current = v.snapshot;
			continue;
		}
		found++;
		setAside.push({
			seq: u.seq,
			userId: u.userId,
			receivedAt: u.receivedAt,
			reason: v.why.replaceAll('{seq}', String(u.seq)),
			...contentOf(u.update),
			quarantineId: null
		});
		if (v.dirty) {
			// The update was partly integrated: rebuild from what was kept.
			doc.destroy();
			doc = new Y.Doc({ gc: true });
			Y.transact(doc, () => {
				for (const k of kept) Y.applyUpdate(doc, k.update);
			});
		}
	}
	if (!current) {
		doc.destroy();
		throw new CaseLoadError(caseId, 'its creation does not load');
	}
	return {
		doc,
		lastSeq: updates[updates.length - 1]?.seq ?? 0,
		snapshotSeq: 0,
		sinceSnapshot: updates.length,
		setAside,
		found
	};
}

/** The stored reason, `中文 / English`: the halves never hold ' / ' themselves. */
const why = (rule: string, zh: string, en: string) => {
	const [z, e] = [zh, en].map((s) => s.replaceAll(' / ', '／'));
	return `更新 #{seq} 无法载入（${rule}）：${z}；已搁置 / update #{seq} does not load (${rule}): ${e}; set aside`;
};

const CAUSALITY = why(
	'causality',
	'它依赖一条被搁置的更新',
	'it builds on an update that was set aside'
);

/** Applies one stored update if the case still validates with it; says why not otherwise. */
function tryApply(
	doc: Y.Doc,
	current: CaseSnapshot | null,
	update: Uint8Array,
	full: boolean
): Verdict {
	let meta;
	try {
		meta = Y.parseUpdateMeta(update);
	} catch {
		return {
			ok: false,
			why: why('malformed', '无法解析', 'it cannot be decoded'),
			dirty: false
		};
	}
	// Every later update of a client continues its clock: one set aside strands the rest.
	for (const [client, from] of meta.from) {
		if (from > Y.getState(doc.store, client)) return { ok: false, why: CAUSALITY, dirty: false };
	}
	if (current === null || full) {
		try {
			Y.applyUpdate(doc, update);
		} catch {
			return { ok: false, why: why('malformed', '无法解析', 'it cannot be decoded'), dirty: true };
		}
		if (hasPendingUpdates(doc)) return { ok: false, why: CAUSALITY, dirty: true };
		if (isEmptyCaseDoc(doc))
			return { ok: false, why: why('layout', '没有案件', 'no case'), dirty: true };
		const r = toSnapshot(doc);
		if (r.ok) return { ok: true, snapshot: r.value };
		const list = bilingualErrors(r.errors);
		return { ok: false, why: why('schema', list.zh, list.en), dirty: true };
	}
	let tracked;
	try {
		tracked = applyTracked(doc, update);
	} catch {
		return { ok: false, why: why('malformed', '无法解析', 'it cannot be decoded'), dirty: true };
	}
	if (tracked.pending) return { ok: false, why: CAUSALITY, dirty: true };
	if (tracked.violation) {
		return {
			ok: false,
			why: why('layout', '修改超出了案件文档的结构', `layout violation (${tracked.violation})`),
			dirty: true
		};
	}
	const g = checkGrowth(current, tracked, doc);
	if (!g.ok) return { ok: false, why: why(g.rule, g.reason.zh, g.reason.en), dirty: true };
	return { ok: true, snapshot: g.snapshot };
}

/** Quarantines what was set aside and compacts the repaired case (its next load is quick). */
async function record(
	storage: Storage,
	caseId: string,
	loaded: LoadedCase,
	updates: readonly StoredUpdate[],
	now = new Date().toISOString()
): Promise<void> {
	const bySeq = new Map(updates.map((u) => [u.seq, u]));
	for (const s of loaded.setAside) {
		if (s.quarantineId !== null) continue;
		const u = bySeq.get(s.seq);
		if (!u) continue;
		s.quarantineId = await storage.quarantine({
			caseId,
			update: u.update,
			userId: u.userId,
			receivedAt: u.receivedAt,
			rule: SET_ASIDE_RULE,
			reason: s.reason
		});
	}
	await storage.saveSnapshot({
		caseId,
		uptoSeq: loaded.lastSeq,
		state: Y.encodeStateAsUpdate(loaded.doc),
		createdAt: now
	});
	loaded.snapshotSeq = loaded.lastSeq;
	loaded.sinceSnapshot = 0;
}
