import type { IncomingMessage, ServerResponse } from 'node:http';
import { chinaDate, maskIdNumber, maskRegistryNo } from '../../src/lib/domain';
import { isOwnFlag, rosterRiskFlags, type RiskFlag, type Term } from '../../src/lib/rules';
import type { TokenClaims } from '../auth/tokens';
import type { OrgRecord, RosterRecord } from '../storage/types';
import { caseFromRosterRow } from '../roster/case-from-row';
import { createCaseFor, type ApiDeps } from './api';
import { answer, fail, HttpError, MSG, readJson, type Message } from './common';
import {
	createdCaseAnswer,
	rowCaseBody as watchCaseBody,
	watchAnswer
} from '../../src/lib/protocol';

const W = {
	badTerm: { zh: '没有这个学期', en: 'no such term' },
	notListed: {
		zh: '预警关注名单中没有这名学生',
		en: 'this student is not on the watch list'
	},
	hasCase: { zh: '该学生已有案件', en: 'this student already has a case' }
} satisfies Record<string, Message>;

/** What the watch list needs of the roster API (server/http/roster.ts). */
export interface WatchHelpers {
	terms: () => readonly Term[];
	termOf: (url: URL) => string;
	scope: (user: TokenClaims) => Promise<OrgRecord[]>;
	/** Whether a roster row's student has a case this user can see. */
	withCase: (user: TokenClaims) => Promise<(row: RosterRecord) => boolean>;
	keyOf: (term: string, registryNo: string) => Promise<string>;
	audit: (user: TokenClaims, term: string, action: string) => Promise<void>;
}

/**
 * 预警关注名单 (issue 12; B-6 early warning, S-3): the students of the term's roster, of the
 * schools the user sees, with a risk flag of their own (a focus group) and no case yet. Each
 * row is named by an opaque key; the 学籍号 and ID number leave masked.
 */
export function createWatchApi(deps: ApiDeps, h: WatchHelpers) {
	async function watchFor(user: TokenClaims, term: string) {
		const schools = await h.scope(user);
		const today = chinaDate(deps.now());
		const terms = h.terms();
		const rows = await deps.storage.listRoster(
			term,
			schools.map((s) => s.id)
		);
		const hasCase = await h.withCase(user);
		const out: { row: RosterRecord; flags: RiskFlag[] }[] = [];
		for (const row of rows) {
			const flags = rosterRiskFlags(row, today, terms);
			if (flags.some(isOwnFlag) && !hasCase(row)) out.push({ row, flags });
		}
		return { schools, list: out };
	}

	async function list(user: TokenClaims, url: URL, res: ServerResponse): Promise<void> {
		const term = h.termOf(url);
		const { schools, list: found } = await watchFor(user, term);
		const names = new Map(schools.map((s) => [s.id, s.name]));
		await h.audit(user, term, 'roster-watch');
		answer(res, 200, watchAnswer, {
			term,
			students: await Promise.all(
				found.map(async ({ row, flags }) => ({
					key: await h.keyOf(term, row.registryNo),
					registryNo: maskRegistryNo(row.registryNo),
					name: row.name,
					gender: row.gender,
					idNumber: row.idNumber ? maskIdNumber(row.idNumber) : null,
					schoolId: row.schoolId,
					school: names.get(row.schoolId) ?? row.schoolId,
					grade: row.grade,
					className: row.className,
					flags
				}))
			)
		});
	}

	/** 立案: a case for a student of the watch list, from the term's roster row. */
	async function open(user: TokenClaims, req: IncomingMessage, res: ServerResponse) {
		const body = watchCaseBody.safeParse(await readJson(req, deps.maxBodyBytes));
		if (!body.success) return fail(res, 400, 'invalid', MSG.invalid);
		const { term, key } = body.data;
		if (!h.terms().some((t) => t.start === term)) throw new HttpError(400, 'bad-term', W.badTerm);
		const { schools, list: found } = await watchFor(user, term);
		let hit: RosterRecord | undefined;
		for (const { row } of found) if ((await h.keyOf(term, row.registryNo)) === key) hit = row;
		if (!hit) return fail(res, 404, 'not-listed', W.notListed);
		const row = hit;
		const school = schools.find((s) => s.id === row.schoolId)?.name ?? row.schoolId;
		const r = await createCaseFor(
			deps,
			user,
			caseFromRosterRow(row, {
				profile: body.data.profile ?? 'shilong-2022',
				grade: row.grade,
				focusGroups: row.focusGroups ?? [],
				plan: `B-6：预警关注（${term} 学期名册，${school}${row.grade}年级${row.className}）。请落实心理疏导、学困帮扶等关爱措施（S-3）。`
			})
		);
		if (!r.ok) return fail(res, r.status, r.code, r.message, r.extra);
		answer(res, 201, createdCaseAnswer, { id: r.id, caseNo: r.caseNo });
	}

	return { list, open };
}
