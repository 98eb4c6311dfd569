import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getPlan, setPlan } from '../../src/lib/case-doc';
import { RULE_CLIENT_ID } from '../../src/lib/protocol/ws';
import { absence, acceptedClock, append, relayEvents, writeAs } from './identity-helpers';
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

/**
 * Issue 10, failure 2: a Yjs client id belongs to the user who first wrote with it in a case.
 * Before, another user could write one item at an offline user's next clock position; the
 * offline user's queued event then looked already present, was answered `accepted`, and was
 * neither stored nor quarantined.
 */
describe('identity: client ids belong to users', () => {
	let t: TestRelay;
	let school: string;
	let bureau: string;
	const clients: Client[] = [];
	const client = (caseId: string, token: string, doc?: Y.Doc) => {
		const c = connect(t, caseId, token, doc);
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		t = await startRelay();
		school = await login(t, 'school1');
		bureau = await login(t, 'bureau1');
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('[client-id] another user writing at an offline user’s next clock is refused; the queued event is stored', async () => {
		const caseId = await createCase(t, school);
		const a = client(caseId, school);
		await synced(a);
		append(a.doc, absence('2026-11-16'));
		const x = a.doc.clientID;
		await until(() => acceptedClock(a, x) === Y.getState(a.doc.store, x), 5000, 'first accepted');

		a.provider.disconnect();
		const queued = absence('2026-11-17');
		append(a.doc, queued); // waits at x's next clock while a is offline

		const b = client(caseId, bureau);
		await synced(b);
		writeAs(b.doc, x, () => setPlan(b.doc, `${getPlan(b.doc)}。`));
		await until(() => b.refused.length > 0, 5000, 'the crafted update is refused');
		expect(b.refused[0]?.rule).toBe(RULE_CLIENT_ID);
		expect(b.refused[0]?.reason.zh).toMatch(/标识/);
		expect(b.refused[0]?.reason.en).toMatch(/client id/);
		const q = await t.storage.listQuarantine(caseId);
		expect(q.map((r) => [r.rule, r.userId])).toEqual([[RULE_CLIENT_ID, 'bureau1']]);

		a.provider.connect();
		await until(
			() => acceptedClock(a, x) === Y.getState(a.doc.store, x),
			5000,
			'the queued event accepted'
		);
		expect((await relayEvents(t, school, caseId)).map((e) => e.id)).toContain(queued.id);
		expect(a.refused).toEqual([]);
	});

	it('[client-id] an id announced in presence is bound at once: another user cannot take it before its first write', async () => {
		const caseId = await createCase(t, school);
		const a = client(caseId, school);
		const b = client(caseId, bureau);
		await Promise.all([synced(a), synced(b)]);
		const x = a.doc.clientID;
		// As the app does on connecting (an awareness state at clock 0 is not propagated).
		a.provider.awareness.setLocalStateField('user', { name: '王老师', orgName: '' });
		await until(() => b.provider.awareness.getStates().has(x), 5000, 'b sees a’s presence');
		expect((await t.storage.listClientIds(caseId)).find((r) => r.clientId === x)?.userId).toBe(
			'school1'
		);

		a.provider.disconnect();
		const queued = absence('2026-11-16');
		append(a.doc, queued); // x:0, not sent yet
		writeAs(b.doc, x, () => setPlan(b.doc, `${getPlan(b.doc)}！`));
		await until(() => b.refused.length > 0, 5000, 'b is refused');
		expect(b.refused[0]?.rule).toBe(RULE_CLIENT_ID);

		a.provider.connect();
		await until(() => acceptedClock(a, x) === 1, 5000, 'a’s queued event accepted');
		expect((await relayEvents(t, school, caseId)).map((e) => e.id)).toContain(queued.id);
	});

	it('[client-id] an id another user wrote with first: the owner-to-be is refused and never told accepted', async () => {
		const caseId = await createCase(t, school);
		const b = client(caseId, bureau);
		await synced(b);
		// A device of school1 that picked id x took the case while offline and never came online;
		// then bureau1 writes first under x (a collision, or a guess).
		const x = 0x7eadbeef;
		const doc = new Y.Doc();
		doc.clientID = x;
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(b.doc));
		writeAs(b.doc, x, () => setPlan(b.doc, '区'));
		await until(() => b.accepted.length > 0, 5000, 'b’s write accepted');
		const queued = absence('2026-11-16');
		append(doc, queued);
		setPlan(doc, '每周家访');

		const a = client(caseId, school, doc);
		await until(() => a.refused.length > 0, 5000, 'a is refused');
		expect(a.refused[0]?.rule).toBe(RULE_CLIENT_ID);
		expect(a.refused[0]?.ranges.some((r) => r.client === x)).toBe(true);
		const q = await t.storage.listQuarantine(caseId);
		expect(q.map((r) => [r.rule, r.userId])).toEqual([[RULE_CLIENT_ID, 'school1']]);

		// Later accepted messages (a third client writes) never cover a's refused change: they
		// carry only the client ids of a's own user, and x is bureau1's.
		const c = client(caseId, school);
		await synced(c);
		const seen = a.accepted.length;
		append(c.doc, absence('2026-11-17'));
		await until(() => a.accepted.length > seen, 5000, 'a hears of c’s write');
		expect(acceptedClock(a, x)).toBe(0);
		expect(acceptedClock(b, x)).toBeGreaterThan(0);
		expect((await relayEvents(t, school, caseId)).map((e) => e.id)).not.toContain(queued.id);

		// What the app does next (tests/e2e/identity.spec.ts): a fresh id on the relay's state.
		const again = client(caseId, school);
		await synced(again);
		append(again.doc, queued);
		const y = again.doc.clientID;
		await until(() => acceptedClock(again, y) === Y.getState(again.doc.store, y), 5000, 'replay');
		expect((await relayEvents(t, school, caseId)).map((e) => e.id)).toContain(queued.id);
	});

	it('[client-id] deletions are not bound: another user may delete text of a co-edited plan', async () => {
		const caseId = await createCase(t, school);
		const a = client(caseId, school);
		const b = client(caseId, bureau);
		await Promise.all([synced(a), synced(b)]);
		setPlan(a.doc, '每周家访两次，电话联系一次');
		await until(() => getPlan(b.doc) === '每周家访两次，电话联系一次', 5000, 'b has the plan');
		setPlan(b.doc, '每周家访两次');
		await until(() => getPlan(a.doc) === '每周家访两次', 5000, 'a sees b’s deletion');
		expect(b.refused).toEqual([]);
		expect(await t.storage.listQuarantine(caseId)).toEqual([]);
	});

	it('[client-id] bindings are rebuilt from the log for cases stored without them, and survive a restart', async () => {
		// The demo cases are written straight to storage, as a database from before bindings.
		const seeded = (await t.storage.listCases()).find((c) => c.createdBy === 'school1');
		if (!seeded) throw new Error('no seeded case of school1');
		const [first] = await t.storage.loadUpdates(seeded.id);
		const [creator] = [...Y.parseUpdateMeta(first?.update ?? new Uint8Array()).to.keys()];
		if (creator === undefined) throw new Error('no client id in the creation update');
		const b = client(seeded.id, bureau);
		await synced(b);
		writeAs(b.doc, creator, () => setPlan(b.doc, `${getPlan(b.doc)}。`));
		await until(() => b.refused.length > 0, 5000, 'refused');
		expect(b.refused[0]?.rule).toBe(RULE_CLIENT_ID);
		expect((await t.storage.listClientIds(seeded.id)).map((r) => [r.clientId, r.userId])).toEqual([
			[creator, 'school1']
		]);

		b.destroy();
		await t.stop();
		t = await t.restart();
		bureau = await login(t, 'bureau1');
		school = await login(t, 'school1');
		const again = client(seeded.id, bureau);
		await synced(again);
		writeAs(again.doc, creator, () => setPlan(again.doc, `${getPlan(again.doc)}！`));
		await until(() => again.refused.length > 0, 5000, 'refused after the restart');
		expect(again.refused[0]?.rule).toBe(RULE_CLIENT_ID);
	});
});
