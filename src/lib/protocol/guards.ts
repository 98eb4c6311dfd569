/**
 * Issue 13: zod-free parsers of the answers the first screen reads (the login answer, the case
 * list, the calendar's version), so that the login page and the case list never load a schema
 * library (the first screen's bundle, `npm run bench:bundle`). Their results have the types of
 * the contract's schemas (`./auth`, `./cases`, by `import type` only), and the integration tests
 * parse every real relay answer with both (tests/integration/protocol-answers.test.ts).
 */
import { ORG_KINDS, ROLES } from '../domain/kinds';
import type { Parser } from './client';
import type { LoginAnswer } from './auth';
import type { CaseListAnswer, CaseListRow } from './cases';
import { STAGES } from './stages';

type Check = (v: unknown) => boolean;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => typeof v === 'string';
/** A string that is not empty. */
const name: Check = (v) => typeof v === 'string' && v !== '';
const int: Check = Number.isInteger;
const orNull =
	(c: Check): Check =>
	(v) =>
		v === null || c(v);
const optional =
	(c: Check): Check =>
	(v) =>
		v === undefined || c(v);
const oneOf =
	(xs: readonly unknown[]): Check =>
	(v) =>
		xs.includes(v);
const list =
	(c: Check): Check =>
	(v) =>
		Array.isArray(v) && v.every(c);
const shape =
	(spec: Record<string, Check>): Check =>
	(v) =>
		isObj(v) && Object.entries(spec).every(([k, c]) => c(v[k]));
const bilingual = shape({ zh: str, en: str });

/** A parser of values `check` accepts, typed as `T` (the contract schema's type). */
function parser<T>(check: Check, pick: (v: Obj) => T = (v) => v as T): Parser<T> {
	return {
		safeParse: (v) => (check(v) ? { success: true, data: pick(v as Obj) } : { success: false })
	};
}

const USER = { id: name, username: name, displayName: name, orgId: name, orgName: str };
const user = shape({ ...USER, orgKind: oneOf(ORG_KINDS), role: oneOf(ROLES) });
const pickUser = (v: Obj) => {
	const out: Obj = {};
	for (const k of [...Object.keys(USER), 'orgKind', 'role']) out[k] = v[k];
	return out as LoginAnswer['user'];
};

/** The user record of a login answer or of the session kept in localStorage (fields it has). */
export function parseSessionUser(v: unknown): LoginAnswer['user'] | null {
	return user(v) ? pickUser(v as Obj) : null;
}

/** `POST /api/login` → 200 (`loginAnswer`). */
export const loginAnswerGuard = parser<LoginAnswer>(
	shape({ token: name, user, settings: shape({ localWipeDays: int }) }),
	(v) => ({
		token: v['token'] as string,
		user: pickUser(v['user'] as Obj),
		settings: { localWipeDays: (v['settings'] as Obj)['localWipeDays'] as number }
	})
);

/** A list row; `summary` is checked as an object here and by its schema where read (`readSummary`). */
export type GuardedCaseListRow = Omit<CaseListRow, 'summary'> & { summary: unknown };
export type GuardedCaseList = Omit<CaseListAnswer, 'cases'> & { cases: GuardedCaseListRow[] };

const row = shape({
	id: str,
	caseNo: str,
	student: str,
	registryNo: str,
	schoolId: str,
	school: str,
	profile: str,
	street: str,
	stage: oneOf(STAGES),
	next: orNull(
		shape({
			key: str,
			rule: str,
			title: bilingual,
			responsible: oneOf(ORG_KINDS),
			due: orNull(str),
			state: oneOf(['pending', 'met', 'late', 'overdue', 'not_needed'])
		})
	),
	daysLeft: orNull(int),
	overdue: int,
	conflicts: int,
	rewrites: int,
	family: optional(str),
	summary: isObj,
	flags: list(shape({ rule: str, key: str, label: bilingual }))
});

/** `GET /api/cases` (`caseListAnswer`). */
export const caseListGuard = parser<GuardedCaseList>(
	shape({ today: str, calendarVersion: str, cases: list(row) })
);

/**
 * `GET /api/calendar`: its version, the data kept as sent. The device caches it and parses it
 * with `calendarAnswer` when it first builds a calendar (the rules chunk), so the case list
 * never waits for the rules to note a new version (G-T3).
 */
export const calendarEnvelopeGuard = parser<{ version: string; data: unknown }>(
	shape({ version: name }),
	(v) => ({ version: v['version'] as string, data: v })
);
