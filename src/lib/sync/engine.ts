/**
 * The heavy half of the sync layer — Yjs, y-websocket, y-indexeddb, the case document, the rules
 * and the schemas — loaded on demand, so the login page and the case list (which read the local
 * index only) start without it. Everything here is re-exported for `case/case-sync.ts` (the
 * case session) and `workspace.svelte.ts`, which import it with `await import(…/engine)`.
 */
import { z } from 'zod';
import { caseEventSchema } from '../domain';
import type { AppDb, Intent } from './db';

export * as decoding from 'lib0/decoding';
export { IndexeddbPersistence } from 'y-indexeddb';
export { WebsocketProvider } from 'y-websocket';
export * as Y from 'yjs';
export {
	addFamilyMember,
	initFamilyDoc,
	isEmptyFamilyDoc,
	onFamilyChange,
	toFamilySnapshot,
	appendEvent,
	getPlan,
	hasEventId,
	isEmptyCaseDoc,
	localClock,
	onCaseChange,
	restorePlanCursor,
	savePlanCursor,
	setPlan,
	toSnapshot
} from '../case-doc';
export { caseEventSchema } from '../domain';
export { Calendar, builtinCalendar, caseState, evaluate, parseCalendarData } from '../rules';
export {
	CLOSE,
	MESSAGE_ACCEPTED,
	MESSAGE_REFUSED,
	RULE_CLIENT_ID,
	readAccepted,
	readRefused
} from '../protocol/ws';

const range = z.strictObject({ client: z.number(), from: z.number(), to: z.number() });
const intentSchema = z.strictObject({
	id: z.string(),
	caseId: z.string(),
	kind: z.enum(['event', 'plan']),
	event: caseEventSchema.optional(),
	plan: z.string().optional(),
	createdAt: z.string(),
	ranges: z.array(range)
});

/** Intents of a case read back from Dexie, validated (zod at every trust boundary). */
export async function pendingIntents(db: AppDb, caseId: string): Promise<Intent[]> {
	const rows = await db.outbox.where('caseId').equals(caseId).sortBy('createdAt');
	const out: Intent[] = [];
	for (const row of rows) {
		const r = intentSchema.safeParse(row);
		if (r.success) out.push(r.data);
	}
	return out;
}
