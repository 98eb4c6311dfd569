import { caseNumberSchema, id as idSchema } from '../../src/lib/domain';
import {
	QUARANTINE_LIST_VERSION,
	quarantineListSchema,
	type QuarantineList
} from '../../src/lib/protocol/quarantine';
import { canReviewQuarantine } from '../../src/lib/rules/access';
import { quarantineEntries } from '../quarantine';
import type { ApiDeps } from './api';
import { answer, HttpError, MSG, type Message, type SubApi } from './common';

const Q = {
	forbidden: {
		zh: '只有区教体局可以查看被拒绝的修改（隔离区）',
		en: 'only the education bureau reviews refused updates (the quarantine)'
	},
	badCase: { zh: '案件编号格式错误', en: 'malformed case number' },
	method: { zh: '此接口不支持该请求方法', en: 'this endpoint does not answer that method' }
} satisfies Record<string, Message>;

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
		// Issue 12: people type the case number (示范区-2026-0001); an id is taken too.
		const byNumber =
			param !== null && caseNumberSchema.safeParse(param).success
				? (await storage.listCases()).find((c) => c.caseNo === param)
				: undefined;
		if (byNumber) {
			caseId = byNumber.id;
		} else if (param !== null) {
			const parsed = idSchema.safeParse(param);
			if (!parsed.success && caseNumberSchema.safeParse(param).success)
				throw new HttpError(404, 'not-found', MSG.notFound);
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
		answer(res, 200, quarantineListSchema, body);
		return true;
	};
}
