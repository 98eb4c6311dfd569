import * as Y from 'yjs';
import { diffCaseDocs } from '../src/lib/case-doc';
import type { Storage } from './storage/types';

/** One stored update of a case, as people read it on the edit timeline. */
export interface HistoryEntry {
	seq: number;
	receivedAt: string;
	user: { id: string; name: string; orgId: string | null; orgName: string | null };
	created: boolean;
	eventsAdded: { id: string; type: string; date: string }[];
	planChanged: boolean;
}

/**
 * The edit timeline of a case, rebuilt from its update log: every accepted update with who sent
 * it, when the relay received it, and what it changed (events added, the plan edited).
 */
export async function caseHistory(storage: Storage, caseId: string): Promise<HistoryEntry[]> {
	const updates = await storage.loadUpdates(caseId);
	const users = new Map((await storage.listUsers()).map((u) => [u.id, u]));
	const orgs = new Map((await storage.listOrgs()).map((o) => [o.id, o]));
	const out: HistoryEntry[] = [];
	let before = new Y.Doc();
	for (const u of updates) {
		const after = new Y.Doc();
		Y.applyUpdate(after, Y.encodeStateAsUpdate(before));
		Y.applyUpdate(after, u.update);
		const diff = diffCaseDocs(before, after);
		const who = users.get(u.userId);
		const org = who ? orgs.get(who.orgId) : undefined;
		out.push({
			seq: u.seq,
			receivedAt: u.receivedAt,
			user: { id: u.userId, name: who?.displayName ?? u.userId, orgId: org?.id ?? null, orgName: org?.name ?? null },
			created: diff.initialised,
			eventsAdded: diff.addedEvents.map((e) => {
				const r = e as { id?: unknown; type?: unknown; date?: unknown };
				return { id: String(r.id), type: String(r.type), date: String(r.date) };
			}),
			planChanged: diff.planChanged
		});
		before.destroy();
		before = after;
	}
	before.destroy();
	return out;
}
