import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { readEvents } from '../../src/lib/case-doc';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { MESSAGE_AWARENESS } from '../../src/lib/protocol/ws';
import { absence, acceptedClock, append, relayEvents } from './identity-helpers';
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

type UserField = { name?: unknown; orgName?: unknown } | undefined;
const userOf = (c: Client, clientId: number): UserField =>
	(c.provider.awareness.getStates().get(clientId) as { user?: UserField } | undefined)?.user;

/**
 * Issue 10, failure 4: the author's display name was trusted from the client, so a school
 * user's event signed 「区教体局 张局长」 was accepted and shown under that name. Every field of
 * an event's author, and the `user` of a presence entry, now comes from the relay's user record.
 */
describe('identity: authorship comes from the relay', () => {
	let t: TestRelay;
	let school: string;
	let street: string;
	let caseId: string;
	const clients: Client[] = [];
	const client = (token: string) => {
		const c = connect(t, caseId, token);
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		t = await startRelay();
		school = await login(t, 'school1');
		street = await login(t, 'street1');
		caseId = await createCase(t, school);
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('[author] a school user’s event signed 「区教体局 张局长」 is refused and quarantined', async () => {
		const a = client(school);
		const b = client(street);
		await Promise.all([synced(a), synced(b)]);
		const forged = absence('2026-11-16', { ...DEMO_AUTHORS.school, name: '区教体局 张局长' });
		append(a.doc, forged);
		await until(() => a.refused.length > 0, 5000, 'refused');
		expect(a.refused[0]?.rule).toBe('author');
		expect(a.refused[0]?.reason.zh).toMatch(/记录人/);
		const q = await t.storage.listQuarantine(caseId);
		expect(q.map((r) => [r.rule, r.userId])).toEqual([['author', 'school1']]);
		expect(await relayEvents(t, school, caseId)).toEqual([]);
		expect(readEvents(b.doc)).toEqual([]);
	});

	it('[author] the same event under the relay’s name for the user is accepted', async () => {
		const a = client(school);
		await synced(a);
		const ev = absence('2026-11-16');
		append(a.doc, ev);
		await until(() => acceptedClock(a, a.doc.clientID) === Y.getState(a.doc.store, a.doc.clientID));
		const stored = await relayEvents(t, school, caseId);
		expect(stored.map((e) => [e.id, e.author.name])).toEqual([[ev.id, '王老师']]);
	});

	it('[presence] the relay fills the presence `user` from the connection’s user', async () => {
		const a = client(school);
		const b = client(street);
		await Promise.all([synced(a), synced(b)]);
		a.provider.awareness.setLocalStateField('user', {
			name: '区教体局 张局长',
			orgName: '区教体局'
		});
		await until(() => userOf(b, a.doc.clientID) !== undefined, 5000, 'b sees a');
		expect(userOf(b, a.doc.clientID)).toEqual({
			id: 'school1',
			name: '王老师',
			orgName: '示范区第一初级中学'
		});
	});

	it('[presence] a connection cannot set or remove the presence of another user’s client id', async () => {
		const b = client(street);
		const watcher = client(street);
		await Promise.all([synced(b), synced(watcher)]);
		b.provider.awareness.setLocalStateField('cursor', 3);
		const victim = b.doc.clientID;
		await until(() => userOf(watcher, victim) !== undefined, 5000, 'watcher sees b');

		// school1's socket sends presence under street1's client id: a state, then a removal,
		// then sync step 1, whose answer (step 2) comes once the messages before it are handled.
		const ws = new WebSocket(`${t.wsUrl}/${caseId}?token=${school}`);
		const step2 = new Promise<void>((resolve) =>
			ws.on('message', (data: Buffer) => {
				if (data[0] === 0 && data[1] === 1) resolve();
			})
		);
		await new Promise((r, j) => ws.once('open', r).once('error', j));
		const send = (state: unknown, clock: number) => {
			const body = encoding.createEncoder();
			encoding.writeVarUint(body, 1);
			encoding.writeVarUint(body, victim);
			encoding.writeVarUint(body, clock);
			encoding.writeVarString(body, JSON.stringify(state));
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(e, encoding.toUint8Array(body));
			ws.send(encoding.toUint8Array(e));
		};
		send({ user: { name: '冒名者', orgName: '' } }, 1000);
		send(null, 1001);
		ws.send(new Uint8Array([0, 0, 1, 0]));
		await step2;
		ws.close();
		// A client that connects now gets the relay's presence states before its sync step 2.
		const late = client(street);
		await synced(late);
		// Issue 12: with the user's id, so one user's tabs are one name.
		const streetUser = { id: 'street1', name: '张科长', orgName: '示范区新华街道办事处' };
		expect(userOf(late, victim)).toEqual(streetUser);
		expect(userOf(watcher, victim)).toEqual(streetUser);
	});
});
