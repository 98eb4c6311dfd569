import type { ServerResponse } from 'node:http';
import { canEditCalendar } from '../../src/lib/rules/access';
import type { TokenClaims } from '../auth/tokens';
import type { ApiDeps } from './api';
import { answer, fail, HttpError, MSG, readJson, type Message, type SubApi } from './common';
import { calendarAnswer, calendarLogAnswer, calendarSaveAnswer } from '../../src/lib/protocol';

const C = {
	forbidden: {
		zh: '只有区教体局可以录入放假安排和校历',
		en: 'only the education bureau enters holiday schedules and school terms'
	},
	invalid: {
		zh: '日历数据有误，未保存；请按错误提示修改',
		en: 'the calendar data is invalid and was not saved; see the errors'
	},
	method: { zh: '此接口不支持该请求方法', en: 'this endpoint does not answer that method' }
} satisfies Record<string, Message>;

/**
 * `/api/calendar/*` (G-T3): the calendar data every device evaluates with, for any logged-in
 * user; the bureau enters a year's official schedule or a school year's terms and reads the log
 * of entries. A new entry is stored, then the relay evaluates with the new version at once.
 */
export function createCalendarApi(deps: ApiDeps): SubApi {
	const service = deps.calendarService;

	function bureauOnly(user: TokenClaims): void {
		if (!canEditCalendar(user.orgKind)) throw new HttpError(403, 'forbidden', C.forbidden);
	}

	async function put(
		kind: 'years' | 'terms',
		user: TokenClaims,
		body: unknown,
		res: ServerResponse
	): Promise<void> {
		const r =
			kind === 'years'
				? await service.importYear(body, user.userId)
				: await service.importTerms(body, user.userId);
		if (!r.ok) return fail(res, 400, 'invalid', C.invalid, { errors: r.errors });
		answer(res, 200, calendarSaveAnswer, { version: r.version });
	}

	return async (req, res, pathname, user) => {
		if (pathname !== '/api/calendar' && !pathname.startsWith('/api/calendar/')) return false;
		const method = req.method ?? 'GET';
		switch (pathname) {
			case '/api/calendar':
				if (method !== 'GET') throw new HttpError(405, 'method', C.method);
				// Exactly the data: devices parse it with a strict schema (parseCalendarData).
				answer(res, 200, calendarAnswer, service.data());
				return true;
			case '/api/calendar/log':
				if (method !== 'GET') throw new HttpError(405, 'method', C.method);
				bureauOnly(user);
				answer(res, 200, calendarLogAnswer, { log: await deps.storage.calendarLog() });
				return true;
			case '/api/calendar/years':
			case '/api/calendar/terms':
				if (method !== 'PUT') throw new HttpError(405, 'method', C.method);
				bureauOnly(user);
				await put(
					pathname === '/api/calendar/years' ? 'years' : 'terms',
					user,
					await readJson(req, deps.maxBodyBytes),
					res
				);
				return true;
			default:
				throw new HttpError(404, 'no-route', MSG.noRoute);
		}
	};
}
