import * as Y from 'yjs';
import { applyUpdateToCopy, diffCaseDocs } from '../src/lib/case-doc';
import type { CaseSnapshot } from '../src/lib/domain';
import type { Storage } from './storage/types';
import { loadCase } from './sync/case-loader';

/** Loads a case up to `seq` without compacted states, so every set-aside update has its seq. */
const ALL = Number.MAX_SAFE_INTEGER;

/** One stored update of a case, as people read it on the edit timeline. */
export interface HistoryEntry {
	seq: number;
	receivedAt: string;
	user: { id: string; name: string; orgId: string | null; orgName: string | null };
	/** The update created the case. */
	created: boolean;
	/** The events it added, in order. */
	eventsAdded: { id: string; type: string; date: string }[];
	/** The plan was edited (after creation). */
	planChanged: boolean;
	/** It changed written-once data (meta, student, guardians): the relay refuses that. */
	profileChanged: boolean;
	/**
	 * Why the case loads without this update (issue 10: set aside in quarantine; the log keeps
	 * it); absent for the updates the case is made of. Later entries are diffed without it.
	 */
	setAside?: string;
}

/**
 * The edit timeline of a case, rebuilt from its update log: every accepted update with who sent
 * it, when the relay received it, and what it changed. Used by the API and the admin CLI.
 */
export async function caseHistory(storage: Storage, caseId: string): Promise<HistoryEntry[]> {
	const updates = await storage.loadUpdates(caseId);
	const users = new Map((await storage.listUsers()).map((u) => [u.id, u]));
	const orgs = new Map((await storage.listOrgs()).map((o) => [o.id, o]));
	const loaded = await loadCase(storage, caseId, { record: false, uptoSeq: ALL });
	loaded.doc.destroy();
	const setAside = new Map(loaded.setAside.map((s) => [s.seq, s.reason]));
	const out: HistoryEntry[] = [];
	let doc = new Y.Doc();
	for (const u of updates) {
		const after = applyUpdateToCopy(doc, u.update);
		const diff = diffCaseDocs(doc, after);
		const who = users.get(u.userId);
		const org = who ? orgs.get(who.orgId) : undefined;
		out.push({
			seq: u.seq,
			receivedAt: u.receivedAt,
			user: {
				id: u.userId,
				name: who?.displayName ?? u.userId,
				orgId: org?.id ?? null,
				orgName: org?.name ?? null
			},
			created: diff.initialised,
			eventsAdded: diff.addedEvents.map((e) => {
				const r = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
				const str = (v: unknown) => (typeof v === 'string' ? v : '?');
				return { id: str(r.id), type: str(r.type), date: str(r.date) };
			}),
			// The creation writes the first plan; only later edits count as changes.
			planChanged: diff.planChanged && !diff.initialised,
			profileChanged: diff.metaChanged || diff.studentChanged || diff.guardiansChanged,
			...(setAside.has(u.seq) ? { setAside: setAside.get(u.seq) } : {})
		});
		if (setAside.has(u.seq)) {
			after.destroy();
			continue;
		}
		doc.destroy();
		doc = after;
	}
	doc.destroy();
	return out;
}

/** A case as it stood right after one stored update: the "view as of" of the edit history. */
export interface CaseAsOf {
	seq: number;
	receivedAt: string;
	snapshot: CaseSnapshot;
	/** Update `seq` is set aside (issue 10): the case as of it, without it; why. */
	setAside?: string;
}

/**
 * Rebuilds a case from its update log up to and including update `seq` (every past version
 * stays recoverable: the log is never rewritten), without the updates the case cannot load
 * with (issue 10). Null when the case has no such update.
 */
export async function caseAsOf(
	storage: Storage,
	caseId: string,
	seq: number
): Promise<CaseAsOf | null> {
	const updates = await storage.loadUpdates(caseId);
	const last = updates.find((u) => u.seq === seq);
	if (!last) return null;
	const loaded = await loadCase(storage, caseId, { record: false, uptoSeq: seq });
	loaded.doc.destroy();
	const aside = loaded.setAside.find((s) => s.seq === seq);
	return {
		seq,
		receivedAt: last.receivedAt,
		snapshot: loaded.snapshot,
		...(aside ? { setAside: aside.reason } : {})
	};
}
