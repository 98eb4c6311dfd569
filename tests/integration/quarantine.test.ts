import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { quarantineListSchema, type QuarantineList } from '../../src/lib/protocol/quarantine';
import { splitReason } from '../../server/quarantine';
import {
	connect,
	createCase,
	login,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

const STUDENT = { name: '隔离区学生', idNumber: '410402201203040021' };
let n = 0;
function absence(date: string, author = DEMO_AUTHORS.school): CaseEventInput {
	n++;
	return {
		id: `q-${date}-${n}`,
		type: 'absence',
		date,
		recordedAt: `${date}T09:00:00.000Z`,
		author,
		v: 1,
		excused: false
	};
}

/**
 * DESIGN.md "When the relay refuses an update": the relay keeps every refused update in
 * quarantine; the bureau reviews them (who, when, rule, reason, case, event type) and nobody else
 * does. The answer carries no student's name or ID number; each listed case is an audited read.
 */
describe('relay: GET /api/quarantine', () => {
	let t: TestRelay;
	let caseA: string;
	let caseB: string;
	const tokens: Record<string, string> = {};
	const clients: Client[] = [];
	const get = (path: string, user: string | null) =>
		fetch(`${t.url}${path}`, {
			headers: user ? { authorization: `Bearer ${tokens[user]}` } : {}
		});

	/** Pushes raw events past the local rules (an old or forged client) and waits for the refusal. */
	async function refusedPush(caseId: string, ev: Record<string, unknown>): Promise<void> {
		const c = connect(t, caseId, tokens['school1'] ?? '');
		clients.push(c);
		await synced(c);
		c.doc.getArray('events').push([ev]);
		await until(() => c.refused.length === 1, 5000, 'refused');
	}

	beforeAll(async () => {
		t = await startRelay();
		for (const u of ['school1', 'street1', 'bureau1', 'district1', 'police1'])
			tokens[u] = await login(t, u);
		caseA = await createCase(t, tokens['school1'] ?? '', STUDENT);
		caseB = await createCase(t, tokens['school1'] ?? '', { name: '另一名学生' });
		// Sunday 2026-11-22 is no school day (G-T4); a malformed date fails the schema; a forged
		// author is refused before the rules.
		await refusedPush(caseA, { ...absence('2026-11-22') });
		await refusedPush(caseA, { ...absence('2026-11-20'), date: '2026-11-31' });
		await refusedPush(caseB, { ...absence('2026-11-20', DEMO_AUTHORS.street) });
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('the bureau gets every refused update: who (name, org), when, rule, reason, case, event type', async () => {
		const res = await get('/api/quarantine', 'bureau1');
		expect(res.status).toBe(200);
		const text = await res.text();
		const body: QuarantineList = quarantineListSchema.parse(JSON.parse(text));
		expect(body.caseId).toBeNull();
		expect(body.records.map((r) => [r.caseId, r.rule])).toEqual([
			[caseB, 'author'],
			[caseA, 'schema'],
			[caseA, 'G-T4']
		]);
		const school1 = await t.storage.getUser('school1');
		const sunday = body.records[2];
		expect(sunday).toMatchObject({
			caseId: caseA,
			receivedAt: '2026-11-23T02:00:00.000Z',
			rule: 'G-T4',
			user: {
				id: 'school1',
				displayName: school1?.displayName,
				orgId: 'org-school1',
				orgName: '示范区第一初级中学',
				orgKind: 'school'
			},
			events: [{ id: expect.stringMatching(/^q-2026-11-22-/) as string, type: 'absence' }]
		});
		expect(sunday?.reason.zh).toMatch(/[\u4e00-\u9fff]/);
		expect(sunday?.reason.en).toMatch(/^[\x20-\x7e]+$/);
		// The schema refusal quotes its field errors in both halves; each half is one language.
		const schema = body.records[1];
		expect(schema?.reason.zh.startsWith('记录格式错误：')).toBe(true);
		expect(schema?.reason.en.startsWith('malformed record: ')).toBe(true);
		// No student data: neither the name nor the ID number nor the 学籍号 of the case.
		for (const secret of [STUDENT.name, STUDENT.idNumber, 'G410402201203040021', '另一名学生'])
			expect(text).not.toContain(secret);
	});

	it('?case=ID lists one case; a malformed id is 400, an unknown case 404', async () => {
		const one = quarantineListSchema.parse(
			await (await get(`/api/quarantine?case=${caseB}`, 'bureau1')).json()
		);
		expect(one.caseId).toBe(caseB);
		expect(one.records.map((r) => r.rule)).toEqual(['author']);
		expect((await get('/api/quarantine?case=bad%20id!', 'bureau1')).status).toBe(400);
		expect((await get('/api/quarantine?case=case-nope', 'bureau1')).status).toBe(404);
	});

	it('[issue 12] ?case= takes the case number too, and each record carries it', async () => {
		const byId = quarantineListSchema.parse(
			await (await get(`/api/quarantine?case=${caseB}`, 'bureau1')).json()
		);
		const caseNo = byId.records[0]?.caseNo ?? '';
		expect(caseNo).toMatch(/^示范区-\d{4}-\d{4}$/);
		const byNumber = quarantineListSchema.parse(
			await (await get(`/api/quarantine?case=${encodeURIComponent(caseNo)}`, 'bureau1')).json()
		);
		expect(byNumber.caseId).toBe(caseB);
		expect(byNumber.records.map((r) => r.id)).toEqual(byId.records.map((r) => r.id));
		const unknown = encodeURIComponent('示范区-2099-0001');
		expect((await get(`/api/quarantine?case=${unknown}`, 'bureau1')).status).toBe(404);
	});

	it.each(['school1', 'street1', 'district1', 'police1'])(
		'%s gets 403 with a bilingual message; without a token 401',
		async (user) => {
			const res = await get('/api/quarantine', user);
			expect(res.status).toBe(403);
			expect(await res.json()).toEqual({
				error: 'forbidden',
				message: {
					zh: '只有区教体局可以查看被拒绝的修改（隔离区）',
					en: 'only the education bureau reviews refused updates (the quarantine)'
				}
			});
			expect((await get('/api/quarantine', null)).status).toBe(401);
		}
	);

	it('each listed case is an audited read of the bureau user', async () => {
		const before = (await t.storage.listAudit({ userId: 'bureau1' })).filter(
			(a) => a.action === 'quarantine'
		).length;
		await get('/api/quarantine', 'bureau1');
		const rows = (await t.storage.listAudit({ userId: 'bureau1' })).filter(
			(a) => a.action === 'quarantine'
		);
		expect(rows.length - before).toBe(2);
		expect(new Set(rows.slice(before).map((r) => r.caseId))).toEqual(new Set([caseA, caseB]));
	});
});

describe('splitReason: the stored "中文 / English" back into its halves', () => {
	it.each([
		['星期日不是上学日 / Sunday is no school day', '星期日不是上学日', 'Sunday is no school day'],
		[
			'记录格式错误：date: 日期无效 / invalid date / malformed record: date: 日期无效 / invalid date',
			'记录格式错误：date: 日期无效 / invalid date',
			'malformed record: date: 日期无效 / invalid date'
		],
		['只有一种语言', '只有一种语言', '只有一种语言']
	])('%s', (stored, zh, en) => {
		expect(splitReason(stored)).toEqual({ zh, en });
	});
});
