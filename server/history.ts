import * as Y from 'yjs';
import { applyUpdateToCopy, diffCaseDocs } from '../src/lib/case-doc';
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
