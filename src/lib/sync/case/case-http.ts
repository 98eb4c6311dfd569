import type { CheckResult } from '../../rules';

/**
 * The case session's two calls to the relay over HTTP (issue 11: the full ID number lives on
 * the relay only). Moved here unchanged from `case-session.svelte.ts`; the one relay client of
 * issue 13 replaces the fetch and its 401 / offline handling.
 */
export interface CaseHttpDeps {
	apiBase: string;
	token: () => string | null;
	/** The relay refused our token (401). */
	onUnauthorized: () => void;
}

/** The student's full ID number (audited on the relay), or null when refused or offline. */
export async function revealIdNumber(deps: CaseHttpDeps, caseId: string): Promise<string | null> {
	const token = deps.token();
	if (!token) return null;
	try {
		const res = await fetch(`${deps.apiBase}/api/cases/${caseId}/reveal`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}` }
		});
		if (res.status === 401) deps.onUnauthorized();
		if (res.status !== 200) return null;
		const body = (await res.json()) as { idNumber?: unknown };
		return typeof body.idNumber === 'string' ? body.idNumber : null;
	} catch {
		return null; // offline: revealing needs the relay, which records who looked
	}
}

/**
 * Corrects the full ID number of the student (or of a guardian) in the relay's table; the
 * masked form it answers, which the session then records on the timeline, or the refusal.
 */
export async function putIdNumber(
	deps: CaseHttpDeps,
	caseId: string,
	idNumber: string,
	guardianId?: string
): Promise<{ ok: true; idMasked: string } | Extract<CheckResult, { ok: false }>> {
	const token = deps.token();
	const offline: Extract<CheckResult, { ok: false }> = {
		ok: false,
		rule: 'schema',
		reason: {
			zh: '更正身份证号须联网（号码只保存在服务器）',
			en: 'correcting an ID number needs the relay (the number is kept there only)'
		}
	};
	if (!token) return offline;
	let res: Response;
	try {
		res = await fetch(`${deps.apiBase}/api/cases/${caseId}/id-number`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ idNumber, ...(guardianId ? { guardianId } : {}) })
		});
	} catch {
		return offline;
	}
	if (res.status === 401) deps.onUnauthorized();
	const body = (await res.json().catch(() => null)) as {
		idMasked?: unknown;
		errors?: { message?: unknown }[];
		message?: { zh?: unknown; en?: unknown };
	} | null;
	if (res.status !== 200 || typeof body?.idMasked !== 'string') {
		const m = body?.errors?.[0]?.message;
		const [zh, en] = typeof m === 'string' ? m.split(' / ') : [];
		return {
			ok: false,
			rule: 'schema',
			reason: {
				zh: zh ?? (typeof body?.message?.zh === 'string' ? body.message.zh : '更正失败'),
				en:
					en ??
					zh ??
					(typeof body?.message?.en === 'string' ? body.message.en : 'the correction failed')
			}
		};
	}
	return { ok: true, idMasked: body.idMasked };
}
