import { objectsInUpdate } from '../../src/lib/case-doc';
import { id as idSchema } from '../../src/lib/domain';
import {
	QUARANTINE_LIST_VERSION,
	quarantinedEventSchema,
	type QuarantineEntry,
	type QuarantineList
} from '../../src/lib/sync/quarantine-api';
import { canReviewQuarantine } from '../auth/access';
import type { OrgRecord, QuarantineRecord, Storage, UserRecord } from '../storage/types';
import type { ApiDeps } from './api';
import { HttpError, MSG, type Message, type SubApi } from './common';
import { sendJson } from './static-files';

const Q = {
	forbidden: {
		zh: '只有区教体局可以查看被拒绝的修改（隔离区）',
		en: 'only the education bureau reviews refused updates (the quarantine)'
	},
	badCase: { zh: '案件编号格式错误', en: 'malformed case id' },
	method: { zh: '此接口不支持该请求方法', en: 'this endpoint does not answer that method' }
} satisfies Record<string, Message>;

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
	return rows
		.map((q): QuarantineEntry => {
			const u = users.get(q.userId);
			const org = u ? orgs.get(u.orgId) : undefined;
			return {
				id: q.id,
				caseId: q.caseId,
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

/**
 * `GET /api/quarantine[?case=ID]` (DESIGN.md "When the relay refuses an update"): the bureau,
 * which oversees the district, reviews what the relay refused. No student's name or ID number
 * is in the answer, but each record says what was attempted on a case, when and why, and a
 * refused type can itself be telling (a disability assessment, a police determination): so the
 * answer is a read of every case it lists, audited as `quarantine` (minors' data: every read of
 * a case audited).
 */
export function createQuarantineApi(deps: ApiDeps): SubApi {
	const { storage, now } = deps;
	return async (req, res, pathname, user) => {
		if (pathname !== '/api/quarantine') return false;
		if ((req.method ?? 'GET') !== 'GET') throw new HttpError(405, 'method', Q.method);
		if (!canReviewQuarantine(user.orgKind)) throw new HttpError(403, 'forbidden', Q.forbidden);
		const param = new URL(req.url ?? '/', 'http://localhost').searchParams.get('case');
		let caseId: string | null = null;
		if (param !== null) {
			const parsed = idSchema.safeParse(param);
			if (!parsed.success) throw new HttpError(400, 'invalid', Q.badCase);
			if (!(await storage.getCase(parsed.data)))
				throw new HttpError(404, 'not-found', MSG.notFound);
			caseId = parsed.data;
		}
		const records = await quarantineEntries(storage, caseId ?? undefined);
		const at = now().toISOString();
		const cases = [...new Set(records.map((r) => r.caseId))];
		await storage.auditMany(
			cases.map((c) => ({ userId: user.userId, caseId: c, action: 'quarantine', at }))
		);
		const body: QuarantineList = { v: QUARANTINE_LIST_VERSION, caseId, records };
		sendJson(res, 200, body);
		return true;
	};
}
