import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addFamilyMember,
	appendEvent,
	getPlan,
	initFamilyDoc,
	setPlan
} from '../../src/lib/case-doc';
import { type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { CLOSE } from '../../src/lib/protocol/ws';
import { DEMO_FAMILY_CASES, DEMO_FAMILY_ID, SCHOOL2_AUTHOR } from '../../server/seed-cases';
import { idNumber } from '../e2e/id-numbers';
import {
	connect,
	createCase,
	login,
	ownWritesAccepted,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

/** The harness relay's day: Monday 2026-11-23 (China time). */
const TODAY = '2026-11-23';
const FAMILY = 'family-5f0e2a4b-9c1d-4e7f-8a2b-3c4d5e6f7a8b';
const AT = '2026-11-23T02:00:00.000Z';

/**
 * B-5 (一家一案; Bishan seed 三(一)3): two siblings' cases share one family document on the real
 * relay with real SQLite; a user who sees neither case is refused.
 */
describe('[B-5] a family shared by two sibling cases', () => {
	let t: TestRelay;
	let caseA: string;
	let caseB: string;
	const tokens: Record<string, string> = {};
	const clients: Client[] = [];
	const client = (docId: string, user: string) => {
		const c = connect(t, docId, tokens[user] ?? null);
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		t = await startRelay();
		for (const u of ['school1', 'street1', 'school2']) tokens[u] = await login(t, u);
		const s1 = tokens['school1'] ?? '';
		caseA = await createCase(t, s1, { name: '陈小明', registryNo: 'G410402201203040021' });
		caseB = await createCase(t, s1, {
			name: '陈小红',
			birthDate: '2014-05-06',
			registryNo: 'G410402201405060022'
		});
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('[B-5] the school creates the family from one case, the street edits its plan from the sibling’s, both see one plan', async () => {
		const a = client(FAMILY, 'school1');
		await synced(a);
		initFamilyDoc(a.doc, {
			id: FAMILY,
			createdAt: AT,
			createdBy: DEMO_AUTHORS.school,
			caseId: caseA,
			guardians: [
				{ id: 'g1', name: '测试家长', relation: '母亲', phone: '', address: '', workingAway: false }
			]
		});
		addFamilyMember(a.doc, caseB, AT, DEMO_AUTHORS.school);
		setPlan(a.doc, '学校：每周家访一次。');
		const b = client(FAMILY, 'street1');
		await synced(b);
		await until(() => getPlan(b.doc) === '学校：每周家访一次。', 5000, 'plan at the street');
		setPlan(b.doc, getPlan(b.doc) + '街道：协调低保。');
		await until(
			() => getPlan(a.doc) === '学校：每周家访一次。街道：协调低保。',
			5000,
			'street’s edit at the school'
		);
		expect(a.refused).toEqual([]);
		expect(b.refused).toEqual([]);
		expect((await t.storage.getFamilyMembers(FAMILY))?.sort()).toEqual([caseA, caseB].sort());
	});

	it('[B-5] a user who sees neither sibling’s case is refused (4403)', async () => {
		const c = client(FAMILY, 'school2');
		await until(() => c.closed.some((e) => e.code === CLOSE.forbidden), 5000, '4403');
		expect(getPlan(c.doc)).toBe('');
	});

	it('[B-5] nobody links a case they cannot see, nor writes a full ID number into the family', async () => {
		// school2 starts a family of its own naming school1's case: refused, nothing stored.
		const other = 'family-6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
		const c = client(other, 'school2');
		await synced(c);
		initFamilyDoc(c.doc, {
			id: other,
			createdAt: AT,
			createdBy: SCHOOL2_AUTHOR,
			caseId: caseA,
			guardians: []
		});
		await until(() => c.refused.length > 0, 5000, 'refusal');
		expect(c.refused[0]?.rule).toBe('B-5');
		expect(await t.storage.getFamilyMembers(other)).toBeNull();
		// The device keeps its refused edit and sends it again on every reconnect: it is refused
		// each time, and quarantined once.
		expect((await t.storage.listQuarantine(other)).length).toBe(1);
		for (let i = 0; i < 2; i++) {
			const before = c.refused.length;
			c.provider.disconnect();
			c.provider.connect();
			await until(() => c.refused.length > before, 5000, `refusal after reconnect ${i + 1}`);
		}
		expect((await t.storage.listQuarantine(other)).length).toBe(1);

		const a = client(FAMILY, 'school1');
		await synced(a);
		setPlan(a.doc, getPlan(a.doc) + idNumber('2012-03-04', 21));
		await until(() => a.refused.length > 0, 5000, 'refusal');
		expect(a.refused[0]?.rule).toBe('id-number');
	});

	it('[B-5] each sibling’s case records the link on its own timeline, and the case list names the family', async () => {
		const c = client(caseA, 'school1');
		await synced(c);
		const ev: CaseEventInput = {
			id: 'fam-link-a',
			type: 'family_linked',
			date: TODAY,
			recordedAt: AT,
			author: DEMO_AUTHORS.school,
			v: 1,
			familyId: FAMILY,
			note: ''
		};
		const r = appendEvent(c.doc, ev, TODAY);
		expect(r.ok).toBe(true);
		await until(() => ownWritesAccepted(c), 5000, 'accepted');
		expect(c.refused).toEqual([]);
		const res = await fetch(`${t.url}/api/cases`, {
			headers: { authorization: `Bearer ${tokens['school1'] ?? ''}` }
		});
		const rows = ((await res.json()) as { cases: { id: string; family?: string }[] }).cases;
		expect(rows.find((x) => x.id === caseA)?.family).toBe(FAMILY);
		expect(rows.find((x) => x.id === caseB)?.family).toBeUndefined();
	});

	it('[B-5] the demo district has two sisters in one family (demo-03, demo-06), shown in the list', async () => {
		expect((await t.storage.getFamilyMembers(DEMO_FAMILY_ID))?.sort()).toEqual([
			...DEMO_FAMILY_CASES
		]);
		const res = await fetch(`${t.url}/api/cases`, {
			headers: { authorization: `Bearer ${tokens['school1'] ?? ''}` }
		});
		const rows = ((await res.json()) as { cases: { id: string; family?: string }[] }).cases;
		expect(
			rows
				.filter((r) => r.family === DEMO_FAMILY_ID)
				.map((r) => r.id)
				.sort()
		).toEqual([...DEMO_FAMILY_CASES]);
		const c = client(DEMO_FAMILY_ID, 'street1');
		await synced(c);
		expect(getPlan(c.doc)).toContain('一家一案');
	});
});
