import { objectsInUpdate } from '../src/lib/case-doc';
import { quarantinedEventSchema, type QuarantineEntry } from '../src/lib/protocol/quarantine';
import type { OrgRecord, QuarantineRecord, Storage, UserRecord } from './storage/types';

/**
 * The stored reason is "中文 / English". A schema refusal quotes the same field errors, each
 * "中文 / English" too, in both halves; so the separator is the middle ` / ` of an odd count.
 */
export function splitReason(reason: string): { zh: string; en: string } {
	const at: number[] = [];
	for (let i = reason.indexOf(' / '); i >= 0; i = reason.indexOf(' / ', i + 3)) at.push(i);
	if (at.length === 0) return { zh: reason, en: reason };
	const cut = at[at.length % 2 === 1 ? (at.length - 1) / 2 : 0] ?? 0;
	return { zh: reason.slice(0, cut), en: reason.slice(cut + 3) };
}

/** The events a refused update carried (id and type only; the payload never leaves). */
function eventsOf(update: Uint8Array): QuarantineEntry['events'] {
	const out: QuarantineEntry['events'] = [];
	for (const raw of objectsInUpdate(update)) {
		const r = quarantinedEventSchema.safeParse({
			id: (raw as { id?: unknown }).id,
			type: (raw as { type?: unknown }).type
		});
		if (r.success && !out.some((e) => e.id === r.data.id)) out.push(r.data);
	}
	return out;
}

/** The bureau's view of quarantine rows, newest first: names of people and offices, no case data. */
export async function quarantineEntries(
	storage: Storage,
	caseId?: string
): Promise<QuarantineEntry[]> {
	const rows: QuarantineRecord[] = await storage.listQuarantine(caseId);
	const users = new Map<string, UserRecord>((await storage.listUsers()).map((u) => [u.id, u]));
	const orgs = new Map<string, OrgRecord>((await storage.listOrgs()).map((o) => [o.id, o]));
	const caseNos = new Map((await storage.listCases()).map((c) => [c.id, c.caseNo]));
	return rows
		.map((q): QuarantineEntry => {
			const u = users.get(q.userId);
			const org = u ? orgs.get(u.orgId) : undefined;
			return {
				id: q.id,
				caseId: q.caseId,
				caseNo: caseNos.get(q.caseId) ?? null,
				receivedAt: q.receivedAt,
				rule: q.rule,
				reason: splitReason(q.reason),
				user: {
					id: q.userId,
					displayName: u?.displayName ?? q.userId,
					orgId: u?.orgId ?? null,
					orgName: org?.name ?? null,
					orgKind: org?.kind ?? null
				},
				events: eventsOf(q.update)
			};
		})
		.sort((a, b) => b.id - a.id);
}
