/**
 * B-5 (一家一案; Bishan seed 三(一)3), issue 13: the client's FamilySession
 * (src/lib/sync/family-session.svelte.ts), opened through the Workspace against the REAL relay
 * (relay-harness.ts, SQLite in a temp dir) over real websockets: the school creates a family
 * from one case and adds the sibling's, the street sees and edits the shared plan, a user who
 * sees neither case is refused.
 *
 * Environment, not mocks of our code: fake-indexeddb, a Map-backed localStorage
 * (tests/unit/map-storage.ts), the `ws` package's WebSocket as the browser's. `Date` is faked
 * (advancing with real time) from the relay's clock, 2026-11-23T02:00Z (harness default; 10:00
 * on Mon 23 Nov 2026 in China), so the family's createdAt is the relay's today, not today's.
 */
// First: Dexie reads the IndexedDB globals when it is imported (see sync-browser.ts).
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getPlan, toFamilySnapshot } from '../../src/lib/case-doc';
import type { Guardian } from '../../src/lib/domain';
import type { FamilySession } from '../../src/lib/sync/family-session.svelte';
import { Pages, installBrowser } from './sync-browser';
import { createCase, login, startRelay, until, type TestRelay } from './relay-harness';

const NOW = new Date('2026-11-23T02:00:00.000Z');
const FAMILY = 'family-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const GUARDIAN: Guardian = {
	id: 'g1',
	name: '测试家长',
	relation: '母亲',
	phone: '',
	address: '',
	workingAway: false
};

let t: TestRelay;
let caseA: string;
let caseB: string;
const pages = new Pages(() => t);
const families: FamilySession[] = [];

beforeAll(async () => {
	installBrowser(NOW);
	t = await startRelay({ now: NOW });
	const school = await login(t, 'school1');
	caseA = await createCase(t, school, { name: '陈小明', registryNo: 'G410402201203040021' });
	caseB = await createCase(t, school, {
		name: '陈小红',
		birthDate: '2014-05-06',
		registryNo: 'G410402201405060022'
	});
});
afterAll(async () => {
	for (const f of families) f.close();
	pages.closeAll();
	await t.dispose();
	vi.useRealTimers();
});
afterEach(() => {
	// Each page's stored session is its own: the next login replaces it.
	localStorage.clear();
});

async function family(username: string): Promise<FamilySession> {
	const f = await (await pages.as(username)).ws.openFamily(FAMILY);
	families.push(f);
	return f;
}

/** The family as the relay's stored update log rebuilds it. */
async function stored(): Promise<{ plan: string; members: string[] }> {
	const doc = new Y.Doc();
	for (const u of await t.storage.loadFamilyUpdates(FAMILY)) Y.applyUpdate(doc, u.update);
	const r = toFamilySnapshot(doc);
	const plan = getPlan(doc);
	doc.destroy();
	return { plan, members: r.ok ? r.value.members.map((m) => m.caseId).sort() : [] };
}

describe('[B-5] FamilySession against the relay', () => {
	it('the school creates the family, adds the sibling and writes the plan; the relay stores it', async () => {
		const f = await family('school1');
		// Nothing yet on the device or the relay: synced and empty.
		expect(await f.whenLoaded(5000)).toBe(false);
		expect(f.addMember(caseB, [])).toBe(false); // nothing to add to yet
		f.setPlan('ignored'); // not loaded: nothing written
		expect(f.plan).toBe('');
		expect(f.create(caseA, [GUARDIAN])).toBe(true);
		expect(f.loaded).toBe(true);
		expect(f.create(caseA, [GUARDIAN])).toBe(false); // exists already
		expect(f.addMember(caseB, [])).toBe(true);
		expect(f.snapshot?.members.map((m) => m.caseId).sort()).toEqual([caseA, caseB].sort());
		f.setPlan('学校：每周家访一次。');
		expect(f.plan).toBe('学校：每周家访一次。');
		await until(() => f.connection === 'synced', 5000, 'synced');
		let s = await stored();
		for (let i = 0; i < 100 && s.plan !== f.plan; i++) {
			await new Promise((r) => setTimeout(r, 50));
			s = await stored();
		}
		expect(s).toEqual({ plan: '学校：每周家访一次。', members: [caseA, caseB].sort() });
		expect(f.refusals).toEqual([]);
		expect((await t.storage.getFamilyMembers(FAMILY))?.sort()).toEqual([caseA, caseB].sort());
	});

	it('the street sees the family from the relay and its plan edits reach the school', async () => {
		// One session open at a time: y-websocket shares a document between the providers of one
		// page's origin (BroadcastChannel), which a test process is; so all goes through the relay.
		for (const f of families.splice(0)) f.close();
		const street = await family('street1');
		expect(await street.whenLoaded(5000)).toBe(true);
		expect(street.plan).toBe('学校：每周家访一次。');
		const cur = street.planCursor();
		// A cursor after 「学校」 stays there when text is added at the end.
		const at = cur.save(2);
		street.setPlan(street.plan + '街道：协调低保。');
		expect(cur.restore(at)).toBe(2);
		expect(cur.restore('not a cursor')).toBe(0);
		await until(() => street.connection === 'synced', 5000, 'street synced');
		for (let i = 0; i < 100 && !(await stored()).plan.endsWith('街道：协调低保。'); i++)
			await new Promise((r) => setTimeout(r, 50));
		expect((await stored()).plan).toBe('学校：每周家访一次。街道：协调低保。');
		for (const f of families.splice(0)) f.close();
		// The school's copy on its device has the old plan; the relay brings the street's edit.
		const school = await family('school1');
		const heard: [string, boolean][] = [];
		school.onPlanChange((text, remote) => heard.push([text, remote]));
		await school.whenLoaded(5000);
		await until(() => school.plan.endsWith('街道：协调低保。'), 5000, 'plan at the school');
		expect(heard.at(-1)).toEqual(['学校：每周家访一次。街道：协调低保。', true]);
	});

	it('a user who sees neither case is refused', async () => {
		// The other users' sessions are closed first: y-websocket shares a document between the
		// providers of one page's origin (BroadcastChannel), which a test process is.
		for (const f of families.splice(0)) f.close();
		const f = await family('school2');
		expect(await f.whenLoaded(5000)).toBe(false);
		expect(f.denied).toBe(true);
		expect(f.snapshot).toBeNull();
		expect(f.connection).toBe('offline');
	});
});
