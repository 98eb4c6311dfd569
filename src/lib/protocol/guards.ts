/**
 * Issue 13: zod-free parsers of the two answers the first screen reads (the login answer and
 * the case list), so that the login page and the case list never load a schema library (the
 * first screen's bundle, `npm run bench:bundle`). Their results have the types of the contract's
 * schemas (`./auth`, `./cases`, by `import type` only), and the integration tests parse every
 * real relay answer with both (tests/integration/protocol-answers.test.ts).
 */
import { ORG_KINDS, ROLES } from '../domain/kinds';
import type { Parser } from './client';
import type { LoginAnswer } from './auth';
import type { CaseListAnswer, CaseListRow } from './cases';
import { STAGES } from './stages';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';
const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const bilingual = (v: unknown): boolean => isObj(v) && str(v['zh']) && str(v['en']);
const ok = <T>(data: T) => ({ success: true as const, data });
const no = { success: false as const };

/** The user record of a login answer or of the session kept in localStorage. */
export function parseSessionUser(v: unknown): LoginAnswer['user'] | null {
	if (!isObj(v)) return null;
	const { id, username, displayName, orgId, orgName, orgKind, role } = v;
	if (!str(id) || !str(username) || !str(displayName) || !str(orgId) || !str(orgName)) return null;
	if (!id || !username || !displayName || !orgId) return null;
	const kind = ORG_KINDS.find((k) => k === orgKind);
	const r = ROLES.find((x) => x === role);
	if (!kind || !r) return null;
	return { id, username, displayName, orgId, orgName, orgKind: kind, role: r };
}

/** `POST /api/login` → 200 (`loginAnswer`). */
export const loginAnswerGuard: Parser<LoginAnswer> = {
	safeParse(v) {
		if (!isObj(v) || !str(v['token']) || !v['token']) return no;
		const user = parseSessionUser(v['user']);
		const settings = v['settings'];
		if (!user || !isObj(settings) || !int(settings['localWipeDays'])) return no;
		return ok({ token: v['token'], user, settings: { localWipeDays: settings['localWipeDays'] } });
	}
};

const STAGE_NAMES: readonly string[] = STAGES;
const OBLIGATION_STATES: readonly string[] = ['pending', 'met', 'late', 'overdue', 'not_needed'];
const KINDS: readonly unknown[] = ORG_KINDS;

function obligation(v: unknown): boolean {
	if (v === null) return true;
	return (
		isObj(v) &&
		str(v['key']) &&
		str(v['rule']) &&
		bilingual(v['title']) &&
		KINDS.includes(v['responsible']) &&
		(v['due'] === null || str(v['due'])) &&
		OBLIGATION_STATES.includes(v['state'] as string)
	);
}

const flag = (f: unknown) => isObj(f) && str(f['rule']) && str(f['key']) && bilingual(f['label']);

/** A list row; `summary` is checked as an object here and by its schema where read (`readSummary`). */
export type GuardedCaseListRow = Omit<CaseListRow, 'summary'> & { summary: unknown };
export type GuardedCaseList = Omit<CaseListAnswer, 'cases'> & { cases: GuardedCaseListRow[] };

function row(r: unknown): r is GuardedCaseListRow {
	return (
		isObj(r) &&
		['id', 'caseNo', 'student', 'registryNo', 'schoolId', 'school', 'profile', 'street'].every(
			(k) => str(r[k])
		) &&
		STAGE_NAMES.includes(r['stage'] as string) &&
		obligation(r['next']) &&
		(r['daysLeft'] === null || int(r['daysLeft'])) &&
		int(r['overdue']) &&
		int(r['conflicts']) &&
		int(r['rewrites']) &&
		(r['family'] === undefined || str(r['family'])) &&
		isObj(r['summary']) &&
		Array.isArray(r['flags']) &&
		r['flags'].every(flag)
	);
}

/** `GET /api/cases` (`caseListAnswer`). */
export const caseListGuard: Parser<GuardedCaseList> = {
	safeParse(v) {
		if (!isObj(v) || !str(v['today']) || !str(v['calendarVersion'])) return no;
		const cases = v['cases'];
		if (!Array.isArray(cases) || !cases.every(row)) return no;
		return ok({ today: v['today'], calendarVersion: v['calendarVersion'], cases });
	}
};

/**
 * `GET /api/calendar`: its version, the data kept as sent. The device caches it and parses it
 * with `calendarAnswer` when it first builds a calendar (the rules chunk), so the case list
 * never waits for the rules to note a new version (G-T3).
 */
export const calendarEnvelopeGuard: Parser<{ version: string; data: unknown }> = {
	safeParse(v) {
		return isObj(v) && str(v['version']) && v['version']
			? ok({ version: v['version'], data: v })
			: no;
	}
};
