import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { caseInitSchema, createCaseDoc } from '../../src/lib/case-doc';
import {
	caseSnapshotSchema,
	checkGuardian,
	checkStudent,
	chinaDate,
	checkIdNumber,
	maskIdNumber,
	personIssueText,
	toInputErrors,
	type CaseSnapshot
} from '../../src/lib/domain';
import { evaluate, foldCase, getProfile, riskFlags, type Calendar } from '../../src/lib/rules';
import { summarizeState } from '../../src/lib/dashboard/summary';
import { communityFitsSchool } from '../../src/lib/rules/case-orgs';
import {
	canCorrectIdentity,
	canCreateCase,
	canSeeCase,
	canSeeRepairs
} from '../../src/lib/rules/access';
import { verifyAgainstDummy, verifyPassword } from '../auth/passwords';
import type { LoginThrottle } from '../auth/throttle';
import type { TokenClaims, TokenService } from '../auth/tokens';
import type { CalendarService } from '../calendar';
import type { PreviewStore } from '../roster/previews';
import { CASE_NO_TAKEN, type CaseRecord, type Storage } from '../storage/types';
import { caseAsOf, caseHistory } from '../history';
import { readDistrictSettings } from '../district-settings';
import { STUDENT_ID, guardianSubject, personIdHasher, splitPersonIds } from '../person-ids';
import type { SetAside } from '../sync/case-loader';
import {
	answer,
	authenticate as _authenticate,
	fail,
	HttpError,
	MSG,
	readJson,
	type Message,
	type SubApi
} from './common';
import {
	asOfAnswer,
	caseAnswer,
	caseListAnswer,
	createdCaseAnswer,
	historyAnswer,
	idCorrectionAnswer,
	idCorrectionBody,
	loginAnswer,
	loginBody,
	newCaseBody,
	repairsAnswer,
	revealAnswer,
	type CaseListRow
} from '../../src/lib/protocol';
import { SNAPSHOT_FORMAT } from '../../src/lib/domain/versions';
import { createCalendarApi } from './calendar';
import { createReportsApi } from './reports';
import { createOrgsApi } from './orgs';
import { createRosterApi } from './roster';
import { createQuarantineApi } from './quarantine';
import { createSettingsApi } from './settings';
import { createOrgObligationsApi } from './org-obligations';

export interface ApiDeps {
	storage: Storage;
	/** The case as held in memory by the sync side, when loaded (fresher than the cache). */
	liveSnapshot: (caseId: string) => CaseSnapshot | undefined;
	tokens: TokenService;
	throttle: LoginThrottle;
	now: () => Date;
	/** The calendar every evaluation uses now (G-T3): the relay's current version. */
	calendar: () => Calendar;
	/** The calendar data and its imports (`/api/calendar/*`). */
	calendarService: CalendarService;
	/** Largest accepted JSON body. */
	maxBodyBytes: number;
	/** Roster previews waiting for confirmation, on disk (server/roster/previews.ts). */
	previews: PreviewStore;
	/** Stored updates a case loads without (issue 10), loading (and so repairing) it if needed. */
	setAside: (caseId: string) => Promise<SetAside[]>;
	/**
	 * Runs `work` (a rewrite of the case's stored log, issue 11) with the case's connections
	 * closed and its document out of the relay's memory until it is done.
	 */
	holdCase: <T>(caseId: string, work: () => Promise<T>) => Promise<T>;
	/** The relay's log (ids and counts only). */
	log: (line: string) => void;
}

/** How long a revealed ID number stays on screen (issue 11: shown for a short time only). */
export const REVEAL_SECONDS = 30;

/** The client address for login throttling (the socket's; no proxy headers are trusted). */
function addressOf(req: IncomingMessage): string {
	return req.socket.remoteAddress ?? 'unknown';
}

export type CreateCaseResult =
	| { ok: true; id: string; caseNo: string }
	| { ok: false; status: number; code: string; message: Message; extra: object };

const invalid = (extra: object): CreateCaseResult => ({
	ok: false,
	status: 400,
	code: 'invalid',
	message: MSG.invalid,
	extra
});

const numbering = new WeakMap<Storage, Promise<unknown>>();

/**
 * Runs case creations of one storage one after another (issue 12): each reads the next case
 * number and stores the case before the next one reads, so concurrent creations of this relay
 * never race for a number (the transaction's check covers other processes).
 */
function numbered<T>(storage: Storage, work: () => Promise<T>): Promise<T> {
	const run = (numbering.get(storage) ?? Promise.resolve()).then(work, work);
	numbering.set(
		storage,
		run.catch(() => undefined)
	);
	return run;
}

/**
 * Creates a case from a `POST /api/cases` body for a user (school and bureau users, S-1/B-2):
 * the case row and its first update. Shared by the new-case route and the roster trace list.
 */
export async function createCaseFor(
	deps: Pick<ApiDeps, 'storage' | 'now'>,
	user: TokenClaims,
	input: unknown
): Promise<CreateCaseResult> {
	const { storage, now } = deps;
	if (!canCreateCase(user.orgKind)) {
		return { ok: false, status: 403, code: 'forbidden', message: MSG.cannotCreate, extra: {} };
	}
	const body = newCaseBody.safeParse(input);
	if (!body.success) return invalid({ errors: toInputErrors(body.error) });
	const b = body.data;
	// Issue 11: the person checks the forms run, on new input only (stored cases are not re-checked).
	const ctx = { today: chinaDate(now()), cohort: getProfile(b.profile).cohort };
	const people = [
		...checkStudent(b.student, ctx).map((i) => ({ ...i, field: `student.${i.field}` })),
		...b.guardians.flatMap((g, n) =>
			checkGuardian(g).map((i) => ({ ...i, field: `guardians.${n}.${i.field}` }))
		)
	];
	if (people.length) {
		return invalid({
			errors: people.map((i) => ({ path: i.field, message: personIssueText(i) }))
		});
	}
	const schoolId = user.orgKind === 'school' ? user.orgId : (b.schoolId ?? '');
	const school = await storage.getOrg(schoolId);
	if (!school || school.kind !== 'school' || !school.streetId) {
		return invalid({
			errors: [{ path: 'schoolId', message: '没有这所学校 / no such school' }]
		});
	}
	if (b.communityId) {
		const community = await storage.getOrg(b.communityId);
		if (community?.kind !== 'community') {
			return invalid({
				errors: [{ path: 'communityId', message: '没有这个社区 / no such community' }]
			});
		}
		// DOMAIN.md "Who works on a case": the community sits in the case's (the school's) street.
		if (!communityFitsSchool(school, community)) {
			return invalid({
				errors: [
					{
						path: 'communityId',
						message:
							'只能指定学校所在街道的社区 / the community must be in the street of the school'
					}
				]
			});
		}
	}
	const dbUser = await storage.getUser(user.userId);
	const at = now().toISOString();
	const id = `case-${randomUUID()}`;
	// Issue 11: the document gets the masked forms; the full numbers go to the relay's table.
	const person = splitPersonIds(
		id,
		b.student,
		b.guardians.map((g, i) => ({ ...g, id: `g${i + 1}` })),
		{ userId: user.userId, at },
		await personIdHasher(storage)
	);
	// Issue 12: the number goes into the document's meta, so offline copies and prints have
	// it; the creating transaction checks it is still the next one (else we build again).
	const build = (caseNo: string) =>
		caseInitSchema.safeParse({
			id,
			caseNo,
			profile: b.profile,
			createdAt: at,
			createdBy: {
				userId: user.userId,
				orgId: user.orgId,
				orgKind: user.orgKind,
				role: user.role,
				name: dbUser?.displayName ?? user.username
			},
			orgs: {
				schoolId,
				streetId: school.streetId,
				...(b.communityId ? { communityId: b.communityId } : {})
			},
			student: { ...person.student, schoolId },
			guardians: person.guardians,
			plan: b.plan
		});
	const streetId = school.streetId;
	const first = build(await storage.nextCaseNumber(at));
	if (!first.success) return invalid({ errors: toInputErrors(first.error) });
	const stored = await numbered(storage, async (): Promise<string> => {
		for (let attempt = 1; ; attempt++) {
			const caseNo = await storage.nextCaseNumber(at);
			const init = caseInitSchema.parse({ ...first.data, caseNo });
			const doc = createCaseDoc(init);
			const snapshot = caseSnapshotSchema.parse({ ...init, format: SNAPSHOT_FORMAT, events: [] });
			try {
				await storage.createCase(
					{
						id,
						profile: b.profile,
						schoolId,
						streetId,
						communityId: b.communityId ?? null,
						caseNo,
						createdAt: at,
						createdBy: user.userId,
						snapshotJson: JSON.stringify(snapshot),
						team: []
					},
					Y.encodeStateAsUpdate(doc),
					user.userId,
					at
				);
				return caseNo;
			} catch (err) {
				// Another process took the number between the read and the write: read again.
				if (!(err instanceof Error && err.name === CASE_NO_TAKEN) || attempt >= 5) throw err;
			} finally {
				doc.destroy();
			}
		}
	});
	if (person.records.length) await storage.putPersonIds(person.records);
	return { ok: true, id, caseNo: stored };
}

/** `/api/*`: login, case list, new case, one case, its edit history. */
export function createApi(deps: ApiDeps) {
	const { storage, tokens, throttle, now } = deps;

	const authenticate = (req: IncomingMessage) => _authenticate(req, tokens, storage);
	const subApis: SubApi[] = [
		createReportsApi(deps),
		createRosterApi(deps),
		createOrgsApi(deps),
		createCalendarApi(deps),
		createQuarantineApi(deps),
		createSettingsApi(deps),
		createOrgObligationsApi(deps)
	];

	async function visibleCase(user: TokenClaims, id: string): Promise<CaseRecord> {
		const c = await storage.getCase(id);
		if (!c) throw new HttpError(404, 'not-found', MSG.notFound);
		if (!canSeeCase(user, c)) throw new HttpError(403, 'forbidden', MSG.forbidden);
		return c;
	}

	async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const body = loginBody.safeParse(await readJson(req, deps.maxBodyBytes));
		if (!body.success) return fail(res, 400, 'invalid', MSG.invalid);
		const { username, password } = body.data;
		const address = addressOf(req);
		if (throttle.blocked(username, address)) return fail(res, 429, 'throttled', MSG.throttled);
		const user = await storage.getUserByUsername(username);
		// The same work and the same answer whether the name exists or not.
		const ok =
			user && !user.disabled
				? await verifyPassword(user.passwordHash, password)
				: await verifyAgainstDummy(password);
		if (!ok || !user) {
			throttle.recordFailure(username, address);
			return fail(res, 401, 'bad-login', MSG.badLogin);
		}
		throttle.recordSuccess(username, address);
		const org = await storage.getOrg(user.orgId);
		if (!org) return fail(res, 401, 'bad-login', MSG.badLogin);
		const claims: TokenClaims = {
			userId: user.id,
			username: user.username,
			orgId: org.id,
			orgKind: org.kind,
			role: user.role
		};
		// Issue 11: the device wipes a user's local data after this many days without a login.
		const { localWipeDays } = (await readDistrictSettings(storage)).settings;
		answer(res, 200, loginAnswer, {
			token: await tokens.sign(claims),
			settings: { localWipeDays },
			user: {
				id: user.id,
				username: user.username,
				displayName: user.displayName,
				orgId: org.id,
				orgName: org.name,
				orgKind: org.kind,
				role: user.role
			}
		});
	}

	async function listCases(user: TokenClaims, res: ServerResponse): Promise<void> {
		const today = chinaDate(now());
		// One calendar for the whole list: a reload halfway must not mix two versions (G-T3).
		const calendar = deps.calendar();
		const orgs = new Map((await storage.listOrgs()).map((o) => [o.id, o]));
		const rows: CaseListRow[] = [];
		for (const c of await storage.listCases()) {
			if (!canSeeCase(user, c)) continue;
			const snapshot = deps.liveSnapshot(c.id) ?? (JSON.parse(c.snapshotJson) as CaseSnapshot);
			const state = foldCase(snapshot, getProfile(snapshot.profile), calendar);
			const e = evaluate(snapshot, today, { actions: false, calendar });
			rows.push({
				id: c.id,
				caseNo: c.caseNo, // issue 12: the human number; the id stays the URL
				student: state.student.name,
				registryNo: state.student.registryNo,
				schoolId: c.schoolId,
				school: orgs.get(c.schoolId)?.name ?? c.schoolId,
				profile: snapshot.profile,
				stage: e.stage,
				next: e.next,
				daysLeft: calendar.workingDaysLeft(today, e.next?.due ?? null),
				overdue: e.obligations.filter((o) => o.state === 'overdue').length,
				conflicts: e.conflicts.length,
				street: orgs.get(snapshot.orgs.streetId)?.name ?? snapshot.orgs.streetId,
				// Issue 11: a device whose copy is older than the last in-place rewrite replaces it.
				rewrites: c.rewrites,
				...(state.family ? { family: state.family } : {}), // B-5: 按家庭分组
				summary: summarizeState(state, e.obligations, today), // dashboard (B-7, S-4b, S-10)
				flags: riskFlags(snapshot, today, calendar) // issue 12: early warning (B-6, S-3)
			});
		}
		rows.sort((a, b) => (a.next?.due ?? '9999').localeCompare(b.next?.due ?? '9999'));
		// A list shows names: every case on it is a read, audited.
		const at = now().toISOString();
		await storage.auditMany(
			rows.map((r) => ({ userId: user.userId, caseId: r.id, action: 'list', at }))
		);
		answer(res, 200, caseListAnswer, { today, calendarVersion: calendar.version, cases: rows });
	}

	async function createCase(
		user: TokenClaims,
		req: IncomingMessage,
		res: ServerResponse
	): Promise<void> {
		if (!canCreateCase(user.orgKind)) return fail(res, 403, 'forbidden', MSG.cannotCreate);
		const r = await createCaseFor(deps, user, await readJson(req, deps.maxBodyBytes));
		if (!r.ok) return fail(res, r.status, r.code, r.message, r.extra);
		answer(res, 201, createdCaseAnswer, { id: r.id, caseNo: r.caseNo });
	}

	async function getCase(user: TokenClaims, id: string, res: ServerResponse): Promise<void> {
		const c = await visibleCase(user, id);
		await storage.audit({
			userId: user.userId,
			caseId: id,
			action: 'read',
			at: now().toISOString()
		});
		answer(
			res,
			200,
			caseAnswer,
			deps.liveSnapshot(id) ?? (JSON.parse(c.snapshotJson) as CaseSnapshot)
		);
	}

	async function history(user: TokenClaims, id: string, res: ServerResponse): Promise<void> {
		await visibleCase(user, id);
		await storage.audit({
			userId: user.userId,
			caseId: id,
			action: 'history',
			at: now().toISOString()
		});
		answer(res, 200, historyAnswer, { id, entries: await caseHistory(storage, id) });
	}

	/** The case as it stood after update `seq` ("view as of"); audited like any read. */
	async function asOf(user: TokenClaims, id: string, seq: number, res: ServerResponse) {
		await visibleCase(user, id);
		await storage.audit({
			userId: user.userId,
			caseId: id,
			action: 'history-as-of',
			at: now().toISOString()
		});
		const found = await caseAsOf(storage, id, seq);
		if (!found) return fail(res, 404, 'not-found', MSG.noVersion);
		answer(res, 200, asOfAnswer, { id, ...found });
	}

	/** Issue 10: the bureau's repair notice, the stored updates the case now loads without. */
	async function repairs(user: TokenClaims, id: string, res: ServerResponse): Promise<void> {
		await visibleCase(user, id);
		if (!canSeeRepairs(user.orgKind)) throw new HttpError(403, 'forbidden', MSG.forbidden);
		const users = new Map((await storage.listUsers()).map((u) => [u.id, u.displayName]));
		const setAside = (await deps.setAside(id)).map((s) => {
			// Stored as `中文 / English` (case-loader.ts keeps ' / ' out of either half).
			const at = s.reason.indexOf(' / ');
			const reason =
				at < 0
					? { zh: s.reason, en: s.reason }
					: { zh: s.reason.slice(0, at), en: s.reason.slice(at + 3) };
			return { ...s, reason, userName: users.get(s.userId) ?? s.userId };
		});
		answer(res, 200, repairsAnswer, { id, setAside });
	}

	/**
	 * The student's full ID number, for a user who may see the case, from the relay's own table
	 * (issue 11); audited (minors' data). The answer says how long the screen may show it.
	 */
	async function reveal(user: TokenClaims, id: string, res: ServerResponse): Promise<void> {
		await visibleCase(user, id);
		await storage.audit({
			userId: user.userId,
			caseId: id,
			action: 'reveal-id',
			at: now().toISOString()
		});
		const found = (await storage.getPersonIds(id)).find((r) => r.subject === STUDENT_ID);
		res.setHeader('Cache-Control', 'no-store');
		answer(res, 200, revealAnswer, { idNumber: found?.value ?? null, showSeconds: REVEAL_SECONDS });
	}

	/**
	 * Issue 11: corrects (or first records) the full ID number of the student or of a guardian,
	 * in the relay's table only. The school and the bureau may; audited. The answer is the
	 * masked form, which the app then records on the timeline as a profile update (G-M3/G-M4:
	 * who and when, never the number).
	 */
	async function correctId(
		user: TokenClaims,
		id: string,
		req: IncomingMessage,
		res: ServerResponse
	): Promise<void> {
		const c = await visibleCase(user, id);
		if (!canCorrectIdentity(user.orgKind)) throw new HttpError(403, 'forbidden', MSG.forbidden);
		const body = idCorrectionBody.safeParse(await readJson(req, deps.maxBodyBytes));
		if (!body.success)
			return fail(res, 400, 'invalid', MSG.invalid, { errors: toInputErrors(body.error) });
		const snapshot = deps.liveSnapshot(id) ?? (JSON.parse(c.snapshotJson) as CaseSnapshot);
		const state = foldCase(snapshot, getProfile(snapshot.profile), deps.calendar());
		const { guardianId, idNumber } = body.data;
		const value = idNumber.toUpperCase();
		if (guardianId !== undefined && !state.guardians.some((g) => g.id === guardianId))
			return fail(res, 400, 'invalid', MSG.invalid, {
				errors: [{ path: 'guardianId', message: '没有这位监护人 / no such guardian' }]
			});
		// GB 11643: check digit, and the birth date and sex the case records (the student's).
		const check = checkIdNumber(
			value,
			guardianId === undefined
				? { birthDate: state.student.birthDate, gender: state.student.gender }
				: {}
		);
		if (!check.ok)
			return fail(res, 400, 'invalid', MSG.invalid, {
				errors: [{ path: 'idNumber', message: `${check.reason.zh} / ${check.reason.en}` }]
			});
		const at = now().toISOString();
		const hash = await personIdHasher(storage);
		await storage.putPersonIds([
			{
				caseId: id,
				subject: guardianId === undefined ? STUDENT_ID : guardianSubject(guardianId),
				value,
				hash: hash(value),
				updatedAt: at,
				updatedBy: user.userId
			}
		]);
		await storage.audit({ userId: user.userId, caseId: id, action: 'correct-id', at });
		answer(res, 200, idCorrectionAnswer, { idMasked: maskIdNumber(value) });
	}

	/** Handles one `/api/*` request; resolves when answered. */
	return async function handleApi(
		req: IncomingMessage,
		res: ServerResponse,
		pathname: string
	): Promise<void> {
		try {
			const method = req.method ?? 'GET';
			if (pathname === '/api/login' && method === 'POST') return await login(req, res);
			if (!pathname.startsWith('/api/cases')) {
				const user = await authenticate(req);
				for (const sub of subApis) if (await sub(req, res, pathname, user)) return;
				return fail(res, 404, 'no-route', MSG.noRoute);
			}
			const m =
				/^\/api\/cases(?:\/([A-Za-z0-9_-]{1,64})(\/history(?:\/(\d{1,15}))?|\/reveal|\/repairs|\/id-number)?)?$/.exec(
					pathname
				);
			if (!m) return fail(res, 404, 'no-route', MSG.noRoute);
			const user = await authenticate(req);
			const [, id, sub, seq] = m;
			if (!id && method === 'GET') return await listCases(user, res);
			if (!id && method === 'POST') return await createCase(user, req, res);
			if (id && !sub && method === 'GET') return await getCase(user, id, res);
			if (id && seq && method === 'GET') return await asOf(user, id, Number(seq), res);
			if (id && sub === '/history' && method === 'GET') return await history(user, id, res);
			if (id && sub === '/reveal' && method === 'POST') return await reveal(user, id, res);
			if (id && sub === '/repairs' && method === 'GET') return await repairs(user, id, res);
			if (id && sub === '/id-number' && method === 'PUT')
				return await correctId(user, id, req, res);
			return fail(res, 405, 'method', MSG.noRoute);
		} catch (err) {
			if (err instanceof HttpError) return fail(res, err.status, err.code, err.msg);
			throw err;
		}
	};
}
