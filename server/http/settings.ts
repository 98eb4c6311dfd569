import type { ServerResponse } from 'node:http';
import { chinaDate, type InputError } from '../../src/lib/domain';
import {
	SETTINGS_API_VERSION,
	bureauSettingsAnswerSchema,
	deviceSettingsAnswerSchema,
	retentionAnswerSchema,
	retentionRunBodySchema,
	type BureauSettingsAnswer
} from '../../src/lib/protocol/settings';
import { canManageRetention } from '../../src/lib/rules/access';
import type { TokenClaims } from '../auth/tokens';
import { readDistrictSettings, writeDistrictSettings } from '../district-settings';
import { RetentionError, runRetention } from '../retention';
import type { ApiDeps } from './api';
import { answer, fail, HttpError, readJson, type Message, type SubApi } from './common';

const S = {
	forbidden: {
		zh: '只有区教体局可以设置保留期限、执行匿名化',
		en: 'only the education bureau sets the retention and runs the anonymisation'
	},
	invalid: {
		zh: '设置有误，未保存；请按提示修改',
		en: 'the settings are invalid and were not saved; see the errors'
	},
	badRun: { zh: '请求内容有误', en: 'the request is invalid' },
	method: { zh: '此接口不支持该请求方法', en: 'this endpoint does not answer that method' }
} satisfies Record<string, Message>;

/** The audit action of a change of the settings (no case: the case id is empty). */
export const SETTINGS_ACTION = 'settings-change';

/** A path-level error as one line per language (the domain's messages are `中文 / English`). */
function bilingual(e: InputError): { path: string; zh: string; en: string } {
	const at = e.message.indexOf(' / ');
	const [zh, en] =
		at < 0 ? [e.message, e.message] : [e.message.slice(0, at), e.message.slice(at + 3)];
	return { path: e.path, zh, en };
}

/**
 * `/api/settings` and `/api/retention/run` (issue 11). Any logged-in user reads what a device
 * needs (`localWipeDays`); the bureau reads and sets every setting (audited) and runs the
 * retention, which anonymises closed cases past their date with each case's connections closed
 * and its document out of memory (`holdCase`).
 */
export function createSettingsApi(deps: ApiDeps): SubApi {
	const { storage, now } = deps;

	function bureauOnly(user: TokenClaims): void {
		if (!canManageRetention(user.orgKind)) throw new HttpError(403, 'forbidden', S.forbidden);
	}

	async function bureauAnswer(): Promise<BureauSettingsAnswer> {
		const s = await readDistrictSettings(storage);
		return { v: SETTINGS_API_VERSION, ...s };
	}

	async function put(user: TokenClaims, body: unknown, res: ServerResponse): Promise<void> {
		const at = now().toISOString();
		const r = await writeDistrictSettings(storage, body, { userId: user.userId, at });
		if (!r.ok) return fail(res, 400, 'invalid', S.invalid, { errors: r.errors.map(bilingual) });
		await storage.audit({ userId: user.userId, caseId: '', action: SETTINGS_ACTION, at });
		answer(res, 200, bureauSettingsAnswerSchema, await bureauAnswer());
	}

	async function run(user: TokenClaims, body: unknown, res: ServerResponse): Promise<void> {
		const b = retentionRunBodySchema.safeParse(body);
		if (!b.success) return fail(res, 400, 'invalid', S.badRun);
		const at = now();
		try {
			const report = await runRetention(storage, {
				today: chinaDate(at),
				calendar: deps.calendar(),
				userId: user.userId,
				at: at.toISOString(),
				dryRun: b.data.dryRun,
				hold: deps.holdCase
			});
			if (!report.dryRun && (report.anonymised.length || report.failed.length))
				deps.log(
					`retention: ${report.anonymised.length} case(s) anonymised${report.anonymised.length ? ` (${report.anonymised.join(', ')})` : ''}, ${report.failed.length} failed${report.failed.length ? ` (${report.failed.map((f) => f.caseId).join(', ')})` : ''}`
				);
			answer(res, 200, retentionAnswerSchema, { v: SETTINGS_API_VERSION, report });
		} catch (err) {
			if (err instanceof RetentionError) return fail(res, 409, 'settings-invalid', err.reason);
			throw err;
		}
	}

	return async (req, res, pathname, user) => {
		const method = req.method ?? 'GET';
		if (pathname === '/api/settings') {
			if (method === 'GET') {
				if (canManageRetention(user.orgKind))
					answer(res, 200, bureauSettingsAnswerSchema, await bureauAnswer());
				else {
					const { localWipeDays } = (await readDistrictSettings(storage)).settings;
					answer(res, 200, deviceSettingsAnswerSchema, {
						v: SETTINGS_API_VERSION,
						settings: { localWipeDays }
					});
				}
				return true;
			}
			if (method !== 'PUT') throw new HttpError(405, 'method', S.method);
			bureauOnly(user);
			await put(user, await readJson(req, deps.maxBodyBytes), res);
			return true;
		}
		if (pathname === '/api/retention/run') {
			if (method !== 'POST') throw new HttpError(405, 'method', S.method);
			bureauOnly(user);
			await run(user, await readJson(req, deps.maxBodyBytes), res);
			return true;
		}
		return false;
	};
}
