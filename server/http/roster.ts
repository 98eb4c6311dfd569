import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
	chinaDate,
	maskIdNumber,
	maskRegistryNo,
	type CaseSnapshot,
	type Student
} from '../../src/lib/domain';
import { foldCase, getProfile } from '../../src/lib/rules';
import { canImportRoster, canSeeCase, schoolScope, seesSchool } from '../../src/lib/rules/access';
import type { TokenClaims } from '../auth/tokens';
import {
	currentTerm,
	gradeNow,
	previousTerm,
	rosterTerms,
	traceList,
	type RosterError
} from '../roster';
import { IMPORT_KINDS, replacedSchools, rosterDiff, type ImportKind } from '../roster/diff';
import { checkRosterFileInWorker, readRows } from '../roster/worker';
import { readFile } from 'node:fs/promises';
import { personIdHasher } from '../person-ids';
import { caseFromRosterRow } from '../roster/case-from-row';
import { createWatchApi } from './roster-watch';
import type { OrgRecord, RosterRecord, RosterStudent, Storage } from '../storage/types';
import { createCaseFor, type ApiDeps } from './api';
import { STUDENT_REGISTRY } from '../person-ids';
import { answer, fail, HttpError, MSG, readJson, type Message, type SubApi } from './common';
import {
	createdCaseAnswer,
	importAnswer,
	importBody,
	previewAnswer,
	rowCaseBody as traceCaseBody,
	summaryAnswer,
	traceAnswer
} from '../../src/lib/protocol';

/** Errors sent with a preview (the count is always complete). */
const MAX_ERRORS = 500;
const SAMPLE_ROWS = 20;

const R = {
	forbidden: {
		zh: '只有区教体局、区政府、街道办事处和学校可以查看学籍名册',
		en: 'only the bureau, the district, street offices and schools see the roster'
	},
	cannotImport: {
		zh: '只有区教体局和学校可以导入学籍名册',
		en: 'only the bureau and schools import the roster'
	},
	badTerm: { zh: '没有这个学期', en: 'no such term' },
	noPreview: {
		zh: '预览不存在或已过期（15 分钟），请重新上传',
		en: 'no such preview, or it expired (15 minutes); upload the file again'
	},
	hasErrors: {
		zh: '文件有错误，未导入任何学生；请改正后重新上传',
		en: 'the file has errors; nothing was imported; correct it and upload again'
	},
	notOnRoster: {
		zh: '上学期名册中没有这名学生',
		en: "this student is not on the previous term's roster"
	},
	registered: {
		zh: '该学生本学期已注册，无需追踪',
		en: 'this student is registered this term; nothing to trace'
	},
	hasCase: { zh: '该学生已有案件', en: 'this student already has a case' },
	badKind: {
		zh: '导入方式应为全量名单（full）或仅新增（additions）',
		en: 'the import kind is full or additions'
	},
	noPrevious: {
		zh: '这是第一个学期，没有上学期名册',
		en: 'this is the first term; no previous roster'
	}
} satisfies Record<string, Message>;

const termQuery = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The settings row holding the relay's secret for trace row keys (made on first use). */
const TRACE_SECRET_KEY = 'roster-trace-secret';

/**
 * `/api/roster/*`: registry roster import and the term-start check (issue 5, S-1, B-1, B-2).
 * Roster rows are minors' personal data: every response with rows is audited under the case id
 * `roster:<term>`, and ID numbers leave the relay masked.
 */
export function createRosterApi(deps: ApiDeps): SubApi {
	const { storage, now, previews } = deps;

	/** The district's terms in the relay's current calendar (the bureau enters them, G-T3). */
	const terms = () => rosterTerms(deps.calendar());

	function termOf(url: URL, required: boolean): string {
		const q = url.searchParams.get('term');
		if (q === null && !required) return currentTerm(chinaDate(now()), terms());
		if (!termQuery.safeParse(q).success || !terms().some((t) => t.start === q)) {
			throw new HttpError(400, 'bad-term', R.badTerm);
		}
		return q ?? '';
	}

	/** S-1: the schools whose roster a user sees (`schoolScope`); null when none (403). */
	async function schoolsOf(user: TokenClaims): Promise<OrgRecord[] | null> {
		if (!schoolScope(user)) return null;
		const schools = (await storage.listOrgs()).filter((o) => o.kind === 'school');
		return schools.filter((s) => seesSchool(user, s));
	}

	async function scope(user: TokenClaims): Promise<OrgRecord[]> {
		const s = await schoolsOf(user);
		if (!s) throw new HttpError(403, 'forbidden', R.forbidden);
		return s;
	}

	const canImport = (user: TokenClaims) => canImportRoster(user.orgKind);
	const audit = (user: TokenClaims, term: string, action: string) =>
		storage.audit({
			userId: user.userId,
			caseId: `roster:${term}`,
			action,
			at: now().toISOString()
		});

	async function preview(user: TokenClaims, url: URL, req: IncomingMessage, res: ServerResponse) {
		if (!canImport(user)) return fail(res, 403, 'forbidden', R.cannotImport);
		const term = termOf(url, true);
		const fileName = (url.searchParams.get('name') ?? 'roster').slice(0, 200);
		// Issue 12 (B-1): a file is the schools' full roster of the term unless it says additions.
		const importKind = (url.searchParams.get('kind') ?? 'full') as ImportKind;
		if (!IMPORT_KINDS.includes(importKind)) return fail(res, 400, 'bad-kind', R.badKind);
		const schools = (await storage.listOrgs()).filter((o) => o.kind === 'school');
		// A school may not take over a student another school has on this term's roster.
		const existing =
			user.orgKind === 'school'
				? new Map((await storage.listRoster(term)).map((r) => [r.registryNo, r.schoolId]))
				: undefined;
		const ctx = {
			schools,
			importer: { orgKind: user.orgKind, orgId: user.orgId },
			today: chinaDate(now()),
			term,
			...(existing ? { existing } : {})
		};
		// The file goes to disk as it arrives and its rows stay there (server/roster/previews.ts).
		const { id: previewId, result: parsed } = await previews.create(
			user.userId,
			req,
			{ term, fileName, importKind },
			async (upload, rows) => {
				const check = await checkRosterFileInWorker(upload, rows, ctx, {
					maxErrors: MAX_ERRORS,
					sampleRows: SAMPLE_ROWS
				});
				if (importKind !== 'full' || check.errorCount > 0) return { ...check, replace: null };
				// The difference the replacement makes, keyed without the 学籍号 (issue 12).
				const students = readRows(await readFile(rows, 'utf8'));
				const hash = await personIdHasher(storage);
				const replace = rosterDiff(
					await storage.listRoster(term),
					students,
					replacedSchools(user, students),
					(registryNo) => hash(`roster\n${registryNo}`).slice(0, 22)
				);
				return { ...check, replace };
			}
		);
		const { errorCount } = parsed;
		await audit(user, term, 'roster-preview');
		answer(res, 200, previewAnswer, {
			previewId,
			term,
			fileName,
			kind: parsed.kind,
			rows: parsed.dataRows,
			valid: parsed.valid,
			errorCount,
			errors: (parsed.errors satisfies RosterError[]).map(maskedError),
			sample: parsed.sample.map(masked),
			bySchool: parsed.bySchool,
			importKind,
			replace: parsed.replace,
			schools: Object.fromEntries(schools.map((s) => [s.id, s.name]))
		});
	}

	async function confirm(user: TokenClaims, req: IncomingMessage, res: ServerResponse) {
		if (!canImport(user)) return fail(res, 403, 'forbidden', R.cannotImport);
		const body = importBody.safeParse(await readJson(req, deps.maxBodyBytes));
		if (!body.success) return fail(res, 400, 'invalid', MSG.invalid);
		const taken = await previews.take(user.userId, body.data.previewId);
		if (!taken) return fail(res, 404, 'no-preview', R.noPreview);
		const { meta: p, students } = taken;
		if (p.errorCount > 0)
			return fail(res, 409, 'has-errors', R.hasErrors, { errorCount: p.errorCount });
		// Issue 12 (B-1): a full import replaces the schools' roster of the term atomically, so a
		// second import of the same file leaves the count as it was (301 stays 301).
		const replace = p.importKind === 'full' ? replacedSchools(user, students) : [];
		const importId = await storage.importRoster(
			{
				term: p.term,
				userId: user.userId,
				fileName: p.fileName,
				rows: students.length,
				at: now().toISOString()
			},
			students,
			replace
		);
		await audit(user, p.term, p.importKind === 'full' ? 'roster-replace' : 'roster-import');
		answer(res, 200, importAnswer, {
			importId,
			term: p.term,
			rows: students.length,
			importKind: p.importKind,
			schools: replace
		});
	}

	async function summary(user: TokenClaims, url: URL, res: ServerResponse) {
		const schools = await scope(user);
		const term = termOf(url, false);
		const all = terms();
		const prev = previousTerm(term, all);
		const visible = (counts: Record<string, number>) =>
			Object.fromEntries(schools.map((s) => [s.id, counts[s.id] ?? 0]));
		answer(res, 200, summaryAnswer, {
			term,
			currentTerm: currentTerm(chinaDate(now()), all),
			terms: all.map((t) => t.start),
			counts: visible(await storage.rosterCounts(term)),
			previousTerm: prev,
			previousCounts: prev ? visible(await storage.rosterCounts(prev)) : {},
			schools: Object.fromEntries(schools.map((s) => [s.id, s.name]))
		});
	}

	/**
	 * Who has a case this user can see: each case's full 学籍号 from the relay's table, and the
	 * `studentKey` of its student as recorded and as amended (issue 11: a document holds a G+ID
	 * 学籍号 masked, so the key adds name and birth date). See `hasCase`.
	 */
	async function studentsWithCase(user: TokenClaims): Promise<Set<string>> {
		const out = new Set<string>();
		const calendar = deps.calendar();
		const full = new Map(
			(await storage.listPersonIds(STUDENT_REGISTRY)).map((r) => [r.caseId, r.value])
		);
		for (const c of await storage.listCases()) {
			if (!canSeeCase(user, c)) continue;
			const known = full.get(c.id);
			if (known) out.add(known);
			const s = deps.liveSnapshot(c.id) ?? (JSON.parse(c.snapshotJson) as CaseSnapshot);
			out.add(studentKey(s.student));
			out.add(studentKey(foldCase(s, getProfile(s.profile), calendar).student));
		}
		return out;
	}

	/** The opaque key of a trace row (`traceKey`), with the relay's secret (read once). */
	let secret: Promise<Buffer> | null = null;
	const keyOf = async (term: string, registryNo: string) => {
		secret ??= traceSecret(storage).catch((e: unknown) => {
			secret = null; // a failed read is tried again by the next request
			throw e;
		});
		return traceKey(await secret, term, registryNo);
	};

	/** B-1/B-2: the list to trace for `term`, of the schools the user sees. */
	async function traceFor(user: TokenClaims, term: string) {
		const schools = await scope(user);
		const prev = previousTerm(term, terms());
		if (!prev) return { prev, schools, students: [] as RosterRecord[], pendingSchools: [] };
		const ids = schools.map((s) => s.id);
		const current = await storage.listRoster(term);
		const previous = await storage.listRoster(prev, ids);
		const withCase = await studentsWithCase(user);
		const r = traceList({
			term,
			previousTerm: prev,
			previous,
			current: new Set(current.map((x) => x.registryNo)),
			currentSchools: new Set(current.map((x) => x.schoolId)),
			withCase: new Set(previous.filter((x) => hasCase(withCase, x)).map((x) => x.registryNo))
		});
		return { prev, schools, ...r };
	}

	async function trace(user: TokenClaims, url: URL, res: ServerResponse) {
		const term = termOf(url, false);
		const t = await traceFor(user, term);
		const names = new Map(t.schools.map((s) => [s.id, s.name]));
		await audit(user, term, 'roster-trace');
		answer(res, 200, traceAnswer, {
			term,
			previousTerm: t.prev,
			pendingSchools: t.pendingSchools,
			students: await Promise.all(
				t.students.map(async (s) => ({
					key: await keyOf(term, s.registryNo),
					registryNo: maskRegistryNo(s.registryNo),
					name: s.name,
					gender: s.gender,
					idNumber: s.idNumber ? maskIdNumber(s.idNumber) : null,
					schoolId: s.schoolId,
					school: names.get(s.schoolId) ?? s.schoolId,
					grade: s.grade,
					className: s.className,
					previousTerm: s.term
				}))
			)
		});
	}

	/** B-2: a case for a student of the trace list, from the previous term's roster row. */
	async function traceCase(user: TokenClaims, req: IncomingMessage, res: ServerResponse) {
		const body = traceCaseBody.safeParse(await readJson(req, deps.maxBodyBytes));
		if (!body.success) return fail(res, 400, 'invalid', MSG.invalid);
		const { term, key } = body.data;
		const all = terms();
		if (!all.some((t) => t.start === term)) return fail(res, 400, 'bad-term', R.badTerm);
		const schools = await scope(user);
		const prev = previousTerm(term, all);
		if (!prev) return fail(res, 409, 'no-previous', R.noPrevious);
		const rows = await storage.listRoster(
			prev,
			schools.map((s) => s.id)
		);
		let row: RosterRecord | undefined;
		for (const r of rows) if ((await keyOf(term, r.registryNo)) === key) row = r;
		if (!row) return fail(res, 404, 'not-on-roster', R.notOnRoster);
		const registryNo = row.registryNo;
		if ((await storage.listRoster(term)).some((r) => r.registryNo === registryNo)) {
			return fail(res, 409, 'registered', R.registered);
		}
		if (hasCase(await studentsWithCase(user), row)) return fail(res, 409, 'has-case', R.hasCase);
		const school = schools.find((s) => s.id === row.schoolId)?.name ?? row.schoolId;
		const r = await createCaseFor(
			deps,
			user,
			caseFromRosterRow(row, {
				profile: body.data.profile ?? 'shilong-2022',
				grade: gradeNow(row.grade, prev, term),
				plan: `B-2：${term} 学期开学未注册。上学期（${prev}）在${school}${row.grade}年级${row.className}。请核实去向并追踪。`
			})
		);
		if (!r.ok) return fail(res, r.status, r.code, r.message, r.extra);
		answer(res, 201, createdCaseAnswer, { id: r.id, caseNo: r.caseNo });
	}

	// Issue 12: the watch list (B-6) of the term's roster.
	const watch = createWatchApi(deps, {
		terms,
		termOf: (url) => termOf(url, false),
		scope,
		withCase: async (user) => {
			const set = await studentsWithCase(user);
			return (row) => hasCase(set, row);
		},
		keyOf,
		audit
	});

	return async (req, res, pathname, user) => {
		if (!pathname.startsWith('/api/roster/')) return false;
		const method = req.method ?? 'GET';
		const url = new URL(req.url ?? '/', 'http://localhost');
		const route = `${method} ${pathname}`;
		switch (route) {
			case 'POST /api/roster/preview':
				await preview(user, url, req, res);
				return true;
			case 'POST /api/roster/import':
				await confirm(user, req, res);
				return true;
			case 'GET /api/roster/summary':
				await summary(user, url, res);
				return true;
			case 'GET /api/roster/trace':
				await trace(user, url, res);
				return true;
			case 'POST /api/roster/trace/case':
				await traceCase(user, req, res);
				return true;
			case 'GET /api/roster/watch':
				await watch.list(user, url, res);
				return true;
			case 'POST /api/roster/watch/case':
				await watch.open(user, req, res);
				return true;
			default:
				fail(res, 404, 'no-route', MSG.noRoute);
				return true;
		}
	};
}

/** A roster row as a preview shows it: the ID number and a G+身份证号 学籍号 masked (issue 11). */
function masked(s: RosterStudent): RosterStudent {
	return {
		...s,
		registryNo: maskRegistryNo(s.registryNo),
		idNumber: s.idNumber ? maskIdNumber(s.idNumber) : null
	};
}

/** Any run of 18 characters that reads as an ID number in `text`, masked (`maskIdNumber`). */
function maskIdsIn(text: string): string {
	return text.replace(/\d{17}[\dXx]/g, (m) => maskIdNumber(m.toUpperCase()));
}

/** An error of a preview: its message may quote a cell, which may hold an ID number. */
function maskedError(e: RosterError): RosterError {
	return { ...e, message: { zh: maskIdsIn(e.message.zh), en: maskIdsIn(e.message.en) } };
}

/**
 * Who a student is, for "has a case already": the 学籍号 when masking leaves it whole (L, J and
 * other numbers); for a G+身份证号 one (whole on the roster, masked in a case), whose masked
 * form many students of a region share, the masked form with the birth date and the name.
 */
/** Whether a roster row's student has a case in `studentsWithCase`'s set. */
function hasCase(
	withCase: ReadonlySet<string>,
	row: Pick<Student, 'registryNo' | 'birthDate' | 'name'>
): boolean {
	return withCase.has(row.registryNo) || withCase.has(studentKey(row));
}

function studentKey(s: Pick<Student, 'registryNo' | 'birthDate' | 'name'>): string {
	const m = maskRegistryNo(s.registryNo);
	return m.includes('*') ? `${m}|${s.birthDate}|${s.name}` : m;
}

/**
 * The relay's secret for trace row keys: 32 random bytes, made on first use and kept in the
 * settings table, so that a key stays valid across a restart of the relay.
 */
async function traceSecret(storage: Pick<Storage, 'getSetting' | 'setSetting'>): Promise<Buffer> {
	const hex = /^[0-9a-f]{64}$/;
	let stored = await storage.getSetting(TRACE_SECRET_KEY);
	if (stored === null || !hex.test(stored)) {
		await storage.setSetting(TRACE_SECRET_KEY, randomBytes(32).toString('hex'));
		stored = await storage.getSetting(TRACE_SECRET_KEY);
	}
	if (stored === null || !hex.test(stored)) throw new Error('trace secret not stored');
	return Buffer.from(stored, 'hex');
}

/**
 * A trace row's key: an HMAC of the term and the 学籍号 with the relay's secret (128 bits,
 * base64url). Stable between the list and the click, and no one without the secret can turn it
 * back into the number: the trace list's action posts this, never the 学籍号 (issue 11).
 */
export function traceKey(secret: Buffer, term: string, registryNo: string): string {
	return createHmac('sha256', secret)
		.update(`trace\n${term}\n${registryNo}`)
		.digest('base64url')
		.slice(0, 22);
}
