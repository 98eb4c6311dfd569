/**
 * Issue 13 / issue 11: the client's Workspace (src/lib/sync/workspace.svelte.ts, with
 * workspace-host, case-session, device and the session) against the REAL relay
 * (relay-harness.ts: createRelay on a free port, SQLite in a temp dir, the seeded demo
 * district): the case list from `/api/cases`, one database per user, the download of every
 * case for offline use over real websockets, pending counts, creating a case.
 *
 * Environment, not mocks of our code: IndexedDB is fake-indexeddb (fresh per test), the
 * browser's localStorage is a Map-backed Storage (tests/unit/map-storage.ts), and the browser's
 * WebSocket is the `ws` package's client (`globalThis.WebSocket`, what y-websocket opens by
 * default). `Date` is faked (vi.useFakeTimers toFake Date, advancing with real time) from the
 * relay's fixed clock, so the device's "today" is the relay's, never today's.
 *
 * Dates: the relay's clock is 2026-11-23T02:00Z (harness default), 10:00 on Mon 23 Nov 2026 in
 * China, so the device's today is 2026-11-23 too.
 */
// First: Dexie reads the IndexedDB globals when it is imported (see sync-browser.ts).
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { getPlan } from '../../src/lib/case-doc';
import type { Workspace } from '../../src/lib/sync/workspace.svelte';
import { WorkspaceHost } from '../../src/lib/sync/workspace-host.svelte';
import { Device } from '../../src/lib/sync/device.svelte';
import { AppDb, caseDbName, userDbName } from '../../src/lib/sync/db';
import { databaseNames } from '../../src/lib/sync/device-data';
import { relayWithPages } from './sync-browser';
import { login, until } from './relay-harness';

const NOW = new Date('2026-11-23T02:00:00.000Z');
/** A whole 学籍号 (G + an 18-character ID number): never stored on the device (issue 11). */
const FULL_REGISTRY_NO = /G\d{17}[\dX]/;

const { relay, pages } = relayWithPages(NOW);
const page = (device?: Device) => pages.page(device);

/** The case ids the relay lists for a user, straight from its HTTP API. */
async function relayList(username: string): Promise<string[]> {
	const token = await login(relay(), username);
	const res = await fetch(`${relay().url}/api/cases`, {
		headers: { authorization: `Bearer ${token}` }
	});
	const body = (await res.json()) as { cases: { id: string }[] };
	return body.cases.map((c) => c.id).sort();
}

const idsOf = (ws: Workspace) => ws.cases.map((c) => c.id).sort();

async function names(): Promise<string[]> {
	return (await databaseNames()) ?? [];
}

describe('[issue 13] Workspace: the case list from the relay', () => {
	it('indexes the relay’s list for the user, masked, in their own database', async () => {
		const { ws, s } = page();
		await ws.ready;
		expect(ws.cases).toEqual([]);
		expect(await s.login('school1', 'demo-pass')).toEqual({ ok: true });
		await ws.refresh();
		const expected = await relayList('school1');
		expect(expected.length).toBeGreaterThan(0);
		await until(() => ws.cases.length === expected.length, 5000, 'rows shown');
		expect(idsOf(ws)).toEqual(expected);
		// Issue 11: only the masked 学籍号 is kept on the device.
		const db = new AppDb('school1');
		const rows = await db.cases.toArray();
		db.close();
		expect(rows.map((r) => r.id).sort()).toEqual(expected);
		for (const r of rows) expect(r.registryNo).not.toMatch(FULL_REGISTRY_NO);
		expect(await names()).toContain(userDbName('school1'));
		// Nothing recorded here yet: nothing pending.
		expect(ws.pendingTotal).toBe(0);
		expect(ws.today()).toBe('2026-11-23');
	});

	it('another user sees only their own cases; the first one’s stay theirs', async () => {
		const { ws, s } = page();
		await s.login('school1', 'demo-pass');
		await ws.refresh();
		const school = await relayList('school1');
		await until(() => ws.cases.length === school.length, 5000, 'school rows');
		await s.logout(false);
		expect(ws.cases).toEqual([]);
		// school2 (another school of the demo district) is a user with other cases.
		await s.login('school2', 'demo-pass');
		await ws.refresh();
		const other = await relayList('school2');
		expect(other.length).toBeGreaterThan(0);
		expect(other.filter((id) => school.includes(id))).toEqual([]);
		await until(() => idsOf(ws).join() === other.join(), 5000, 'school2 rows');
		// school1's database is still on the device, untouched.
		const old = new AppDb('school1');
		expect((await old.cases.toCollection().primaryKeys()).sort()).toEqual(school);
		old.close();
		// A logout with wipe deletes school2's data only.
		await s.logout(true);
		const left = await names();
		expect(left).toContain(userDbName('school1'));
		expect(left).not.toContain(userDbName('school2'));
	});

	it('forgets a case the relay no longer lists, with its pending work', async () => {
		const { ws, s } = page();
		await s.login('school1', 'demo-pass');
		await ws.refresh();
		// A row (with pending work) of a case the relay does not list for school1.
		const db = new AppDb('school1');
		const [first] = await db.cases.toArray();
		if (!first) throw new Error('no rows');
		await db.cases.put({ ...first, id: 'gone-1', unsynced: 2 });
		await db.outbox.put({
			id: 'i-gone',
			caseId: 'gone-1',
			kind: 'plan',
			plan: 'x',
			createdAt: NOW.toISOString(),
			ranges: []
		});
		await ws.refresh();
		expect(await db.cases.get('gone-1')).toBeUndefined();
		expect(await db.outbox.count()).toBe(0);
		db.close();
	});

	it('does nothing offline or logged out; a refused token marks the session expired', async () => {
		const { ws, s } = page();
		await ws.refresh(); // nobody logged in
		expect(await names()).toEqual([]);
		await s.login('school1', 'demo-pass');
		ws.online = false;
		await ws.refresh();
		const db = new AppDb('school1');
		expect(await db.cases.count()).toBe(0);
		ws.online = true;
		s.token = `${s.token ?? ''}x`;
		await ws.refresh();
		expect(s.expired).toBe(true);
		expect(await db.cases.count()).toBe(0);
		db.close();
		expect(ws.refreshing).toBe(false);
	});
});

describe('[issue 13] Workspace: creating a case, editing it, pending counts', () => {
	it('creates a case on the relay and lists it', async () => {
		const { ws, s } = page();
		await s.login('school1', 'demo-pass');
		await ws.refresh();
		const r = await ws.createCase({
			profile: 'shilong-2022',
			student: {
				name: '测试学生',
				gender: 'female',
				birthDate: '2012-03-04',
				registryNo: 'G410402201203040021',
				grade: 8
			},
			guardians: [{ name: '测试家长', relation: '母亲', phone: '13800000001' }]
		} as never);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(await relayList('school1')).toContain(r.id);
		await until(() => ws.cases.some((c) => c.id === r.id), 5000, 'new row');
		const row = ws.cases.find((c) => c.id === r.id);
		expect(row?.registryNo).not.toMatch(FULL_REGISTRY_NO);
		// The relay checks the input: a student without a name is refused with its errors.
		const bad = await ws.createCase({ profile: 'shilong-2022', student: {} } as never);
		expect(bad.ok).toBe(false);
		// Offline: not sent.
		ws.online = false;
		const off = await ws.createCase({} as never);
		expect(off).toMatchObject({ ok: false, message: { en: 'creating a case needs a connection' } });
	});

	it('a plan edit is pending until the relay accepts it, then stored by the relay', async () => {
		const { ws, s } = page();
		await s.login('school1', 'demo-pass');
		await ws.refresh();
		const [id] = await relayList('school1');
		if (!id) throw new Error('no case');
		const c = ws.openCase(id);
		// Opened twice: one session, released once per opener.
		expect(ws.openCase(id)).toBe(c);
		ws.release(c);
		await c.synced();
		expect(c.loaded).toBe(true);
		await until(() => c.connection === 'synced', 5000, 'synced');
		const text = '2026-11-23 家访计划（测试）';
		c.setPlan(text);
		// Kept as an intent until the relay accepts it (DESIGN.md: the outbox).
		expect(c.pending).toBeGreaterThan(0);
		expect(c.intents.map((i) => i.kind)).toEqual(['plan']);
		await c.uploaded(5000);
		expect(c.pending).toBe(0);
		expect(c.intents).toEqual([]);
		await until(() => ws.pendingTotal === 0, 5000, 'pending total 0');
		// The relay's stored log has the plan.
		const doc = new Y.Doc();
		for (const u of await relay().storage.loadUpdates(id)) Y.applyUpdate(doc, u.update);
		expect(getPlan(doc)).toBe(text);
		doc.destroy();
		// The copy on the device has it too.
		c.close();
		expect(await names()).toContain(caseDbName('school1', id));
	});

	it('downloads every listed case for offline use after the list', async () => {
		const { ws, s } = page();
		await s.login('school1', 'demo-pass');
		await ws.refresh();
		const ids = await relayList('school1');
		await until(() => ws.prefetch.total === ids.length, 5000, 'prefetch start');
		await until(() => ws.prefetch.done === ids.length, 60_000, 'prefetch done');
		const have = await names();
		for (const id of ids) expect(have).toContain(caseDbName('school1', id));
		// Each downloaded case indexed itself as stored on the device.
		await until(() => ws.cases.every((r) => r.local), 5000, 'rows local');
	}, 90_000);
});

describe('[issue 16] WorkspaceHost', () => {
	it('reads empty counts until the workspace is loaded, then the workspace’s', async () => {
		const device = new Device();
		let made = 0;
		const host = new WorkspaceHost(() => {
			made++;
			if (made === 1) return Promise.reject(new Error('chunk failed to load'));
			return Promise.resolve(page(device).ws);
		}, device);
		expect(host.online).toBe(true);
		expect(host.pendingTotal).toBe(0);
		expect(host.syncing).toBe(false);
		await host.refresh(); // nothing loaded: nothing to refresh
		await expect(host.load()).rejects.toThrow('chunk failed to load');
		const w = await host.load();
		expect(host.current).toBe(w);
		expect(await host.load()).toBe(w);
		expect(made).toBe(2);
		w.online = false;
		expect(host.online).toBe(false);
	});
});
