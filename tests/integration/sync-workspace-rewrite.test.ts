/**
 * Issue 11 / issue 13: the relay rewrote a case's stored log in place (retention anonymised it),
 * so the copy a device downloaded before still holds the old personal data: the Workspace's next
 * list refresh sees the case's `rewrites` count grown, downloads the case again and replaces its
 * local copy (workspace.svelte.ts `#replaceStale`). Against the REAL relay (relay-harness.ts),
 * the same data dir started twice, four years apart, over real websockets.
 *
 * Environment, not mocks of our code: fake-indexeddb, a Map-backed localStorage
 * (tests/unit/map-storage.ts), the `ws` package's WebSocket as the browser's; `Date` is faked
 * (advancing with real time) and follows the relay's clock.
 *
 * Dates (as tests/integration/retention.test.ts): the demo is seeded on 2026-11-23 (02:00Z,
 * the harness default); retention is run on 2030-09-01T02:00Z, when demo-14 (closed, its
 * retention years over) is due for anonymisation (retention.test.ts's DUE list holds it).
 */
// First: Dexie reads the IndexedDB globals when it is imported (see sync-browser.ts).
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toSnapshot } from '../../src/lib/case-doc';
import { SessionManager } from '../../src/lib/sync/session.svelte';
import { DistrictSettingsAdmin } from '../../src/lib/sync/settings-admin.svelte';
import { AppDb, caseDbName } from '../../src/lib/sync/db';
import { Pages, installBrowser } from './sync-browser';
import { startRelay, until, type TestRelay } from './relay-harness';

const SEEDED = new Date('2026-11-23T02:00:00.000Z');
const LATER_NOW = new Date('2030-09-01T02:00:00.000Z');
const CASE = 'demo-14';

let t: TestRelay;
const pages = new Pages(() => t);
const page = async (username: string) => (await pages.as(username)).ws;

beforeAll(() => installBrowser(SEEDED));
afterAll(async () => {
	pages.closeAll();
	await t.dispose();
	vi.useRealTimers();
});

/** The student's name in the device's copy of the case (its y-indexeddb database). */
async function localStudent(): Promise<string | undefined> {
	const doc = new Y.Doc();
	const p = new IndexeddbPersistence(caseDbName('street1', CASE), doc);
	await p.whenSynced;
	const r = toSnapshot(doc);
	await p.destroy();
	doc.destroy();
	return r.ok ? r.value.student.name : undefined;
}

async function rowRewrites(): Promise<number | undefined> {
	const db = new AppDb('street1');
	const row = await db.cases.get(CASE);
	db.close();
	return row?.rewrites;
}

describe('[issue 11] a copy the relay rewrote since is replaced at the next refresh', () => {
	it('downloads the anonymised case again and raises the row’s rewrites', async () => {
		t = await startRelay({ now: SEEDED });
		const before = await page('street1');
		await before.refresh();
		await until(() => before.prefetch.total > 0, 5000, 'prefetch start');
		await until(() => before.prefetch.done === before.prefetch.total, 60_000, 'prefetch');
		const name = await localStudent();
		expect(name).toBeTruthy();
		expect(await rowRewrites()).toBe(0);
		pages.closeAll();
		await t.stop();

		// Four years on: the same data, the bureau runs the retention.
		vi.setSystemTime(LATER_NOW);
		t = await startRelay({ dataDir: t.dataDir, now: LATER_NOW });
		const bureau = new SessionManager(t.url);
		expect(await bureau.login('bureau1', 'demo-pass')).toEqual({ ok: true });
		const admin = new DistrictSettingsAdmin(bureau);
		await admin.run(false);
		bureau.dispose();
		expect(admin.report?.anonymised).toContain(CASE);
		const relayRow = (await t.storage.listCases()).find((c) => c.id === CASE);
		expect(relayRow?.rewrites).toBe(1);

		const after = await page('street1');
		await after.refresh();
		await until(() => after.cases.find((r) => r.id === CASE)?.rewrites === 1, 20_000, 'row');
		expect(await rowRewrites()).toBe(1);
		// The local copy is the relay's anonymised one, no longer the name downloaded before.
		const relayName = (
			JSON.parse(relayRow?.snapshotJson ?? '{}') as { student?: { name?: string } }
		).student?.name;
		expect(relayName).not.toBe(name);
		// Once the refresh's download for offline use is done, the device's copy is the relay's
		// anonymised one. (Measured: right after the replacement the released copy read back
		// empty here until that download stored it again; see the report of this branch.)
		await until(() => after.prefetch.total > 0, 5000, 'prefetch start');
		await until(() => after.prefetch.done === after.prefetch.total, 60_000, 'prefetch');
		expect(await localStudent()).toBe(relayName);
	}, 120_000);
});
