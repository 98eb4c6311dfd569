import type { ServerResponse } from 'node:http';
import { chinaDate, isoDate, profileId, toInputErrors } from '../../src/lib/domain';
import {
	countOrgObligations,
	getProfile,
	isTermKind,
	orgObligations,
	type OrgObligation,
	type Profile
} from '../../src/lib/rules';
import { canRecordOrgWork, schoolScope, seesOrgWork } from '../../src/lib/rules/access';
import type { TokenClaims } from '../auth/tokens';
import type { Storage } from '../storage/types';
import type { ApiDeps } from './api';
import { answer, fail, HttpError, readJson, type Message, type SubApi } from './common';
import {
	orgObligationsAnswer,
	orgRecordAnswer,
	orgRecordBody as recordBody
} from '../../src/lib/protocol/org-work';

const M = {
	forbidden: {
		zh: '只有学校、街道办事处、区教体局和区政府可以查看本单位工作事项',
		en: 'only schools, street offices, the bureau and the district see org-level work'
	},
	forbiddenRecord: {
		zh: '学校记录本校的开学清查和学籍梳理，区教体局记录季度排查整改；本单位不能记录此项',
		en: 'a school records its own term checks and the bureau the quarterly round; your org cannot record this'
	},
	invalid: { zh: '填写的内容有误', en: 'some fields are invalid' },
	noSuch: {
		zh: '本单位没有这项工作：请核对学期（开学日期）或季度',
		en: 'your org has no such obligation: check the term (its start day) or the quarter'
	},
	method: { zh: '此接口不支持该请求方法', en: 'this endpoint does not answer that method' }
} satisfies Record<string, Message>;

/** The audit action of an org-level record (no case: the case id is empty). */
export const ORG_RECORD_ACTION = 'org-record';

/** The settings key naming the profile the district's schools follow (default shilong-2022). */
export const ORG_PROFILE_KEY = 'org-obligations-profile';
/** The settings key of the day the district began keeping these records (YYYY-MM-DD). */
export const ORG_FROM_KEY = 'org-obligations-from';

/** The first day of the school year (1 August) that `today` falls in. */
function schoolYearStart(today: string): string {
	const y = Number(today.slice(0, 4));
	return `${Number(today.slice(5, 7)) >= 8 ? y : y - 1}-08-01`;
}

/** The profile the district's schools follow and the first day the list shows (issue 12). */
export async function orgSettings(
	storage: Pick<Storage, 'getSetting'>,
	today: string
): Promise<{ profile: Profile; from: string }> {
	const [p, f] = await Promise.all([
		storage.getSetting(ORG_PROFILE_KEY),
		storage.getSetting(ORG_FROM_KEY)
	]);
	const id = profileId.safeParse(p);
	const from = isoDate.safeParse(f);
	return {
		profile: getProfile(id.success ? id.data : 'shilong-2022'),
		from: from.success ? from.data : schoolYearStart(today)
	};
}

/** Which org-level obligations a user sees: the bureau and district all, a street its schools. */
export function visibleTo(user: TokenClaims, o: OrgObligation): boolean {
	return seesOrgWork(user, o);
}

/**
 * `/api/org-obligations` and `/api/org-records` (issue 12: B-1, S-2, S-5): the obligations of
 * schools and of the bureau with their states on the relay's clock, and the record that a check
 * was done. A school records its own term checks, the bureau the quarterly round; audited.
 */
export function createOrgObligationsApi(deps: ApiDeps): SubApi {
	const { storage, now } = deps;

	async function list(user: TokenClaims, today: string, all = false): Promise<OrgObligation[]> {
		const [orgs, records, settings] = await Promise.all([
			storage.listOrgs(),
			storage.listOrgRecords(),
			orgSettings(storage, today)
		]);
		const items = orgObligations({
			profile: settings.profile,
			calendar: deps.calendar(),
			orgs,
			records,
			today,
			...(all ? {} : { from: settings.from })
		});
		return items.filter((o) => visibleTo(user, o));
	}

	async function get(user: TokenClaims, res: ServerResponse): Promise<void> {
		if (!schoolScope(user)) throw new HttpError(403, 'forbidden', M.forbidden);
		const today = chinaDate(now());
		const items = await list(user, today);
		res.setHeader('Cache-Control', 'no-store');
		answer(res, 200, orgObligationsAnswer, { today, items, counts: countOrgObligations(items) });
	}

	async function post(user: TokenClaims, input: unknown, res: ServerResponse): Promise<void> {
		const b = recordBody.safeParse(input);
		if (!b.success) return fail(res, 400, 'invalid', M.invalid, { errors: toInputErrors(b.error) });
		const { kind, period, doneOn, count, note } = b.data;
		if (!canRecordOrgWork(user.orgKind, isTermKind(kind)))
			throw new HttpError(403, 'forbidden', M.forbiddenRecord);
		const today = chinaDate(now());
		const key = `${kind}:${user.orgId}:${period}`;
		const item = (await list(user, today, true)).find((o) => o.key === key);
		if (!item) return fail(res, 400, 'invalid', M.noSuch);
		if (doneOn > today) {
			const message = {
				zh: `完成日期 ${doneOn} 晚于今天（${today}），不能记录未来的日期`,
				en: `the date ${doneOn} is after today (${today}); a future date cannot be recorded`
			};
			return fail(res, 400, 'invalid', message, { errors: [{ path: 'doneOn', ...message }] });
		}
		if (doneOn < item.periodStart) {
			const message = isTermKind(kind)
				? {
						zh: `完成日期 ${doneOn} 早于开学日期（${item.periodStart}）`,
						en: `the date ${doneOn} is before the term starts (${item.periodStart})`
					}
				: {
						zh: `完成日期 ${doneOn} 早于本季度开始（${item.periodStart}）`,
						en: `the date ${doneOn} is before the quarter begins (${item.periodStart})`
					};
			return fail(res, 400, 'invalid', message, { errors: [{ path: 'doneOn', ...message }] });
		}
		const at = now().toISOString();
		const id = await storage.addOrgRecord({
			orgId: user.orgId,
			kind,
			period,
			doneOn,
			count,
			note,
			userId: user.userId,
			at
		});
		await storage.audit({ userId: user.userId, caseId: '', action: ORG_RECORD_ACTION, at });
		const after = (await list(user, today, true)).find((o) => o.key === key) ?? item;
		answer(res, 201, orgRecordAnswer, { id, item: after });
	}

	return async (req, res, pathname, user) => {
		const method = req.method ?? 'GET';
		if (pathname === '/api/org-obligations') {
			if (method !== 'GET') throw new HttpError(405, 'method', M.method);
			await get(user, res);
			return true;
		}
		if (pathname === '/api/org-records') {
			if (method !== 'POST') throw new HttpError(405, 'method', M.method);
			await post(user, await readJson(req, deps.maxBodyBytes), res);
			return true;
		}
		return false;
	};
}
