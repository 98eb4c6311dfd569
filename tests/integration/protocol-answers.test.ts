/**
 * Issue 13: every route of the relay answers what its wire schema (src/lib/protocol) says. Walks
 * the routes with the demo users through the relay client, each answer parsed by its schema
 * (and, for the first screen's answers, by the zod-free parsers too). The relay also parses its
 * own answers outside production (server/http/common.ts `answer`), so a route that drifts from
 * its schema answers 500 here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIdNumber } from '../../server/seed-cases';
import {
	RelayClient,
	type AnswerSchema,
	type Parser,
	type RelayResult
} from '../../src/lib/protocol/client';
import {
	calendarEnvelopeGuard,
	caseListGuard,
	loginAnswerGuard
} from '../../src/lib/protocol/guards';
import * as P from '../../src/lib/protocol';
import { createCase, login, startRelay, type TestRelay } from './relay-harness';

/** The value of a call that must succeed (the test fails with the relay's message otherwise). */
function value<T>(r: RelayResult<T>, what: string): T {
	if (!r.ok)
		throw new Error(`${what}: ${String(r.status)} ${r.message.zh} ${JSON.stringify(r.body)}`);
	return r.value;
}

describe('every relay answer parses with its schema (issue 13)', () => {
	let t: TestRelay;
	const tokens: Record<string, string> = {};
	const client = (user: string) =>
		new RelayClient({ apiBase: t.url, token: tokens[user] ?? null, markExpired: () => undefined });
	const get = async <T>(user: string, path: string, schema: AnswerSchema<T>) =>
		value(await client(user).get(path, schema), `${user} GET ${path}`);

	beforeAll(async () => {
		t = await startRelay();
		for (const u of ['school1', 'bureau1', 'street1', 'district1']) tokens[u] = await login(t, u);
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('login, health, orgs, settings', async () => {
		const anon = new RelayClient({ apiBase: t.url, token: null, markExpired: () => undefined });
		const body = { username: 'school1', password: 'demo-pass' };
		const guarded = value(
			await anon.post('/api/login', body, loginAnswerGuard, { auth: false }),
			'login'
		);
		const parsed = value(
			await anon.post('/api/login', body, P.loginAnswer, { auth: false }),
			'login'
		);
		expect(guarded.user).toEqual(parsed.user);
		expect(await get('school1', '/api/health', P.healthAnswer)).toEqual({ ok: true });
		expect((await get('school1', '/api/orgs', P.orgsAnswer)).orgs.length).toBeGreaterThan(0);
		await get('school1', '/api/settings', P.deviceSettingsAnswerSchema);
		const bureau = await get('bureau1', '/api/settings', P.bureauSettingsAnswerSchema);
		value(
			await client('bureau1').put('/api/settings', bureau.settings, P.bureauSettingsAnswerSchema),
			'PUT settings'
		);
		value(
			await client('bureau1').post('/api/retention/run', { dryRun: true }, P.retentionAnswerSchema),
			'retention dry run'
		);
	});

	it('the case list (schema and first-screen parser agree), one case and its routes', async () => {
		for (const u of ['school1', 'bureau1', 'street1']) {
			const list = await get(u, '/api/cases', P.caseListAnswer);
			const guarded = await get(u, '/api/cases', caseListGuard);
			expect(guarded.cases.map((c) => c.id)).toEqual(list.cases.map((c) => c.id));
		}
		const id = await createCase(t, tokens['school1'] ?? '');
		const created = value(
			await client('school1').post(
				'/api/cases',
				{
					student: {
						name: '协议学生',
						gender: 'female',
						birthDate: '2012-03-04',
						registryNo: 'L5550000001',
						grade: 8
					}
				},
				P.createdCaseAnswer
			),
			'POST /api/cases'
		);
		expect(created.caseNo).toMatch(/^示范区-\d{4}-\d{4}$/);
		await get('school1', `/api/cases/${id}`, P.caseAnswer);
		const history = await get('school1', `/api/cases/${id}/history`, P.historyAnswer);
		const seq = history.entries[0]?.seq ?? 1;
		await get('school1', `/api/cases/${id}/history/${seq}`, P.asOfAnswer);
		await get('bureau1', `/api/cases/${id}/repairs`, P.repairsAnswer);
		value(await client('school1').post(`/api/cases/${id}/reveal`, {}, P.revealAnswer), 'reveal');
		// Born 2012-03-04, female (the harness's case): a valid ID number of that birth and sex.
		const idNumber = demoIdNumber('2012-03-04', 2, 'female');
		value(
			await client('school1').put(`/api/cases/${id}/id-number`, { idNumber }, P.idCorrectionAnswer),
			'PUT id-number'
		);
	});

	it('calendar, quarantine, reports, org work', async () => {
		const cal = await get('school1', '/api/calendar', P.calendarAnswer);
		expect((await get('school1', '/api/calendar', calendarEnvelopeGuard)).version).toBe(
			cal.version
		);
		await get('bureau1', '/api/calendar/log', P.calendarLogAnswer);
		const terms = cal.termYears[0];
		if (terms)
			value(
				await client('bureau1').put('/api/calendar/terms', terms, P.calendarSaveAnswer),
				'PUT terms'
			);
		await get('bureau1', '/api/quarantine', P.quarantineListSchema);
		// The harness's today is 2026-11-23 (China time): Q3 2026 has begun.
		for (const u of ['bureau1', 'street1', 'district1'])
			await get(u, '/api/reports/quarterly?year=2026&quarter=3&format=json', P.quarterlyAnswer);
		await get('bureau1', '/api/reports/ledger?format=json', P.ledgerAnswer);
		const work = await get('school1', '/api/org-obligations', P.orgObligationsAnswer);
		await get('bureau1', '/api/org-obligations', P.orgObligationsAnswer);
		const open = work.items.find((o) => o.state === 'pending' || o.state === 'overdue');
		if (open)
			value(
				await client('school1').post(
					'/api/org-records',
					{ kind: open.kind, period: open.period, doneOn: work.today },
					P.orgRecordAnswer
				),
				'POST org-records'
			);
	});

	it('roster: summary, trace, watch, preview and import', async () => {
		const summary = await get('bureau1', '/api/roster/summary', P.summaryAnswer);
		await get('school1', `/api/roster/summary?term=${summary.term}`, P.summaryAnswer);
		const trace = await get('bureau1', '/api/roster/trace', P.traceAnswer);
		const watch = await get('bureau1', '/api/roster/watch', P.watchAnswer);
		// B-2 and B-6: a case from a listed row, named by its opaque key.
		for (const [path, list] of [
			['/api/roster/trace/case', trace],
			['/api/roster/watch/case', watch]
		] as const) {
			const row = list.students[0];
			if (row)
				value(
					await client('bureau1').post(
						path,
						{ term: list.term, key: row.key },
						P.createdCaseAnswer
					),
					path
				);
		}
		// The preview is a raw upload (XMLHttpRequest in the browser): sent here with fetch, its
		// answer settled by the same client code.
		const csv =
			'学籍号,姓名,性别,出生日期,身份证号,学校,年级,班级,户籍地,居住地,监护人,电话\r\n' +
			`L9990000001,协议,男,2012-01-11,${demoIdNumber('2012-01-11', 401, 'male')},示范区第一初级中学,初二,八年级（2）班,河南省平顶山市,示范区新华街道,协议家长,13800000000\r\n`;
		const res = await fetch(
			`${t.url}/api/roster/preview?term=${summary.term}&name=x.csv&kind=additions`,
			{
				method: 'POST',
				headers: { authorization: `Bearer ${tokens['bureau1']}`, 'content-type': 'text/csv' },
				body: csv
			}
		);
		const preview = value(
			await client('bureau1').settle(res.status, await res.text(), P.previewAnswer),
			'preview'
		);
		expect(preview.errorCount, JSON.stringify(preview.errors)).toBe(0);
		value(
			await client('bureau1').post(
				'/api/roster/import',
				{ previewId: preview.previewId },
				P.importAnswer
			),
			'import'
		);
	});

	it('a refusal parses as the relay’s error answer (`{error, message}`)', async () => {
		const r = await client('school1').get('/api/quarantine', P.quarantineListSchema);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(P.errorAnswer.safeParse(r.body).success).toBe(true);
		const bad = await client('school1').put(
			`/api/cases/nope/id-number`,
			{ idNumber: 'x' },
			P.idCorrectionAnswer
		);
		if (!bad.ok) expect(P.errorAnswer.safeParse(bad.body).success).toBe(true);
	});
});

/** Type-level: a zod schema is a Parser of its output (the client takes either). */
export const _schemaIsParser: Parser<P.LoginAnswer> = P.loginAnswer;
