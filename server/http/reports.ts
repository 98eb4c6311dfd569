import type { ServerResponse } from 'node:http';
import { chinaDate, type CaseSnapshot } from '../../src/lib/domain';
import { format, message, type MessageKey } from '../../src/lib/i18n/messages';
import '../../src/lib/i18n/features/reports';
import {
	districtTerms,
	quarterRange,
	quarterlyReport,
	termLedger,
	termOf,
	type Quarter,
	type ReportCase
} from '../../src/lib/reports';
import { ledgerXlsx, quarterlyXlsx, type Preparer } from '../../src/lib/reports/xlsx';
import { canSeeCase, reportScope } from '../../src/lib/rules/access';
import type { TokenClaims } from '../auth/tokens';
import type { ApiDeps } from './api';
import { answer, HttpError, MSG, type Message, type SubApi } from './common';
import { orgSettings } from './org-obligations';
import { ledgerAnswer, quarterlyAnswer } from '../../src/lib/protocol/reports';

const REPORT_MSG = {
	forbidden: {
		zh: '只有区教体局、区政府和街道办事处可以查看报表',
		en: 'only the education bureau, the district government and street offices see reports'
	},
	badQuarter: {
		zh: '年份或季度无效：年份为四位数字，季度为 1–4，且该季度已经开始',
		en: 'invalid year or quarter: a four-digit year, quarter 1–4, and a quarter that has begun'
	},
	badTerm: {
		zh: '学期无效：应为校历中某一学期的开学日期（YYYY-MM-DD）',
		en: 'invalid term: give the start date of a term of the school calendar (YYYY-MM-DD)'
	},
	badFormat: { zh: '格式无效：应为 json 或 xlsx', en: 'invalid format: json or xlsx' },
	method: { zh: '报表只支持 GET 请求', en: 'reports answer GET only' }
} satisfies Record<string, Message>;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** S-5: the streets a user's reports cover (`reportScope`); 403 for users who see none. */
function scopeOf(user: TokenClaims): { streetIds?: string[] } {
	const scope = reportScope(user);
	if (!scope) throw new HttpError(403, 'forbidden', REPORT_MSG.forbidden);
	return scope;
}

function formatOf(params: URLSearchParams, fallback: 'json' | 'xlsx'): 'json' | 'xlsx' {
	const f = params.get('format') ?? fallback;
	if (f !== 'json' && f !== 'xlsx') throw new HttpError(400, 'invalid', REPORT_MSG.badFormat);
	return f;
}

/** Sends an .xlsx download; the file name in Chinese (RFC 6266 `filename*`) with an ASCII fallback. */
function sendXlsx(res: ServerResponse, body: Uint8Array, zhName: string, asciiName: string): void {
	res.writeHead(200, {
		'content-type': XLSX_TYPE,
		'content-length': body.byteLength,
		'content-disposition': `attachment; filename="${asciiName}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${zhName}.xlsx`)}`,
		'cache-control': 'no-store'
	});
	res.end(body);
}

const both = (key: MessageKey, params: Record<string, string | number>) => ({
	zh: format(message('zh-CN', key), params),
	en: format(message('en', key), params)
});

/** `/api/reports/*`: quarterly report (S-5) and term ledger (台账), JSON or .xlsx. */
export function createReportsApi(deps: ApiDeps): SubApi {
	const { storage, now } = deps;

	/**
	 * The cases the user may see, as a generator that parses each cached snapshot only when the
	 * report reaches it (one parsed case in memory at a time); `read` collects their ids for the
	 * audit.
	 */
	async function casesFor(user: TokenClaims, read: string[]): Promise<Iterable<ReportCase>> {
		const records = (await storage.listCases()).filter((c) => canSeeCase(user, c));
		return (function* () {
			for (const c of records) {
				read.push(c.id);
				const snapshot = deps.liveSnapshot(c.id) ?? (JSON.parse(c.snapshotJson) as CaseSnapshot);
				yield { snapshot, schoolId: c.schoolId, streetId: c.streetId, caseNo: c.caseNo };
			}
		})();
	}

	async function preparer(user: TokenClaims, today: string): Promise<Preparer> {
		const [u, org] = await Promise.all([storage.getUser(user.userId), storage.getOrg(user.orgId)]);
		return { name: u?.displayName ?? user.username, org: org?.name ?? user.orgId, on: today };
	}

	/** A report reads every case in scope: each is an audited read (minors' data). */
	async function audit(user: TokenClaims, caseIds: readonly string[], action: string) {
		const at = now().toISOString();
		await storage.auditMany(caseIds.map((caseId) => ({ userId: user.userId, caseId, action, at })));
	}

	async function quarterly(user: TokenClaims, params: URLSearchParams, res: ServerResponse) {
		const scope = scopeOf(user);
		const fmt = formatOf(params, 'json');
		const today = chinaDate(now());
		const year = Number(params.get('year'));
		const quarter = Number(params.get('quarter'));
		if (
			!/^\d{4}$/.test(params.get('year') ?? '') ||
			!/^[1-4]$/.test(params.get('quarter') ?? '') ||
			year < 2000 ||
			quarterRange(year, quarter as Quarter).from > today
		) {
			throw new HttpError(400, 'invalid', REPORT_MSG.badQuarter);
		}
		const q = quarter as Quarter;
		const term = termOf(quarterRange(year, q).to, districtTerms(deps.calendar()));
		const read: string[] = [];
		const [cases, orgs, enrollment, records, settings] = await Promise.all([
			casesFor(user, read),
			storage.listOrgs(),
			term ? storage.rosterCounts(term.start) : Promise.resolve({}),
			storage.listOrgRecords(),
			orgSettings(storage, today)
		]);
		const calendar = deps.calendar();
		const report = quarterlyReport({
			cases,
			orgs,
			enrollment,
			year,
			quarter: q,
			today,
			calendar,
			// Issue 12: the schools' term checks and the bureau's round (B-1, S-2, S-5).
			orgWork: { profile: settings.profile, records },
			...scope
		});
		await audit(user, read, 'report');
		if (fmt === 'json') return answer(res, 200, quarterlyAnswer, report);
		const body = await quarterlyXlsx(report, await preparer(user, today));
		const name = both('reports.xlsx.fileQuarterly', { year, q });
		sendXlsx(res, body, name.zh, name.en);
	}

	async function ledger(user: TokenClaims, params: URLSearchParams, res: ServerResponse) {
		const scope = scopeOf(user);
		const fmt = formatOf(params, 'xlsx');
		const today = chinaDate(now());
		const given = params.get('term');
		const terms = districtTerms(deps.calendar());
		const term = given ? terms.find((t) => t.start === given) : termOf(today, terms);
		if (!term || term.start > today) throw new HttpError(400, 'invalid', REPORT_MSG.badTerm);
		const [cases, orgs] = await Promise.all([casesFor(user, []), storage.listOrgs()]);
		// G-T3: the relay's current calendar, for the terms and for every case's dates.
		const result = termLedger({ cases, orgs, term, today, calendar: deps.calendar() });
		await audit(
			user,
			result.rows.map((r) => r.caseId),
			'ledger'
		);
		if (fmt === 'json') return answer(res, 200, ledgerAnswer, result);
		const streetName = scope.streetIds
			? orgs.find((o) => o.id === scope.streetIds?.[0])?.name
			: undefined;
		const body = await ledgerXlsx(result, await preparer(user, today), streetName);
		const name = both('reports.xlsx.fileLedger', { start: term.start });
		sendXlsx(res, body, name.zh, name.en);
	}

	return async (req, res, pathname, user) => {
		if (pathname !== '/api/reports' && !pathname.startsWith('/api/reports/')) return false;
		const route =
			pathname === '/api/reports/quarterly'
				? quarterly
				: pathname === '/api/reports/ledger'
					? ledger
					: null;
		if (!route) throw new HttpError(404, 'no-route', MSG.noRoute);
		if (req.method !== 'GET') throw new HttpError(405, 'method', REPORT_MSG.method);
		const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
		await route(user, params, res);
		return true;
	};
}
