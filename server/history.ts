import * as Y from 'yjs';
import { applyUpdateToCopy, diffCaseDocs, toSnapshot } from '../src/lib/case-doc';
import type { CaseSnapshot } from '../src/lib/domain';
import type { Storage } from './storage/types';

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
}

/**
 * The edit timeline of a case, rebuilt from its update log: every accepted update with who sent
 * it, when the relay received it, and what it changed. Used by the API and the admin CLI.
 */
export async function caseHistory(storage: Storage, caseId: string): Promise<HistoryEntry[]> {
	const updates = await storage.loadUpdates(caseId);
	const users = new Map((await storage.listUsers()).map((u) => [u.id, u]));
	const orgs = new Map((await storage.listOrgs()).map((o) => [o.id, o]));
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
			profileChanged: diff.metaChanged || diff.studentChanged || diff.guardiansChanged
		});
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
}

/**
 * Rebuilds a case from its update log up to and including update `seq` (every past version
 * stays recoverable: the log is never rewritten). Null when the case has no such update.
 */
export async function caseAsOf(
	storage: Storage,
	caseId: string,
	seq: number
): Promise<CaseAsOf | null> {
	const updates = await storage.loadUpdates(caseId);
	const last = updates.find((u) => u.seq === seq);
	if (!last) return null;
	const doc = new Y.Doc();
	try {
		Y.transact(doc, () => {
			for (const u of updates) if (u.seq <= seq) Y.applyUpdate(doc, u.update);
		});
		const r = toSnapshot(doc);
		// Every stored update passed the relay's checks, so each prefix is a valid case.
		if (!r.ok) throw new Error(`case ${caseId} at update ${seq} does not validate`);
		return { seq, receivedAt: last.receivedAt, snapshot: r.value };
	} finally {
		doc.destroy();
	}
}
