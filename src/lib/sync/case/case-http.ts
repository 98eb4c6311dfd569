import type { CheckResult } from '../../rules';
import { RelayClient, lazy } from '../../protocol/client';

/**
 * The case session's two calls to the relay over HTTP (issue 11: the full ID number lives on
 * the relay only), through the one relay client (issue 13: token, 401 → expired, offline,
 * every answer parsed by its schema, loaded with the case page that already carries zod).
 */
export interface CaseHttpDeps {
	apiBase: string;
	token: () => string | null;
	/** The relay refused our token (401). */
	onUnauthorized: () => void;
}

const revealAnswer = lazy(() => import('../../protocol/cases'), 'revealAnswer');
const idCorrectionAnswer = lazy(() => import('../../protocol/cases'), 'idCorrectionAnswer');

function relayOf(deps: CaseHttpDeps): RelayClient {
	return new RelayClient({
		apiBase: deps.apiBase,
		get token() {
			return deps.token();
		},
		markExpired: () => deps.onUnauthorized()
	});
}

/** The student's full ID number (audited on the relay), or null when refused or offline. */
export async function revealIdNumber(deps: CaseHttpDeps, caseId: string): Promise<string | null> {
	// Offline gives null too: revealing needs the relay, which records who looked.
	const res = await relayOf(deps).post(`/api/cases/${caseId}/reveal`, undefined, revealAnswer);
	return res.ok ? res.value.idNumber : null;
}

const OFFLINE_CORRECTION: Extract<CheckResult, { ok: false }> = {
	ok: false,
	rule: 'schema',
	reason: {
		zh: '更正身份证号须联网（号码只保存在服务器）',
		en: 'correcting an ID number needs the relay (the number is kept there only)'
	}
};

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
	const res = await relayOf(deps).put(
		`/api/cases/${caseId}/id-number`,
		{ idNumber, ...(guardianId ? { guardianId } : {}) },
		idCorrectionAnswer
	);
	if (res.ok) return { ok: true, idMasked: res.value.idMasked };
	if (res.status === 'offline' || res.status === 'logged-out') return OFFLINE_CORRECTION;
	// A field refusal names the field's check as "中文 / English" (person-checks.ts).
	const errors = (res.body as { errors?: { message?: unknown }[] } | null)?.errors;
	const m = errors?.[0]?.message;
	const [zh, en] = typeof m === 'string' ? m.split(' / ') : [];
	return { ok: false, rule: 'schema', reason: zh ? { zh, en: en ?? zh } : res.message };
}
