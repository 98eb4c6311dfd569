/**
 * Issue 13: one open case as the UI holds it (src/lib/sync/case-session.svelte.ts over
 * case/case-sync.ts and case/case-http.ts), opened through the Workspace against the REAL
 * relay (relay-harness.ts, SQLite in a temp dir) over real websockets: an event recorded and
 * stored by the relay, one refused (quarantined) and resubmitted, a case the user may not see,
 * the full ID number revealed and corrected over HTTP (issue 11).
 *
 * Environment, not mocks of our code: fake-indexeddb (fresh per test), a Map-backed
 * localStorage (tests/unit/map-storage.ts), the `ws` package's WebSocket as the browser's.
 * `Date` is faked (advancing with real time) so the device's clock is chosen by the test.
 *
 * Dates: the relay's clock is fixed at 2026-11-23T15:00Z = 23:00 on Mon 23 Nov 2026 in China
 * (UTC+8): the relay's today is 2026-11-23, and its tokens (12 h) expire 2026-11-24T03:00Z.
 * The device's clock starts there too (today 2026-11-23). For the refusal it is moved to
 * 2026-11-23T16:30Z = 00:30 on Tue 24 Nov in China: the device's today is 2026-11-24, the
 * relay's still 2026-11-23, so an absence dated 2026-11-24 passes the device's rules and is
 * refused by the relay as dated after its today (rule `future-date`); the token is still valid.
 */
// First: Dexie reads the IndexedDB globals when it is imported (see sync-browser.ts).
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { describe, expect, it, vi } from 'vitest';
import { toSnapshot } from '../../src/lib/case-doc';
import { AppDb, caseDbName } from '../../src/lib/sync/db';
import { databaseNames } from '../../src/lib/sync/device-data';
import type { EventDraft } from '../../src/lib/sync/contract';
import { relayWithPages } from './sync-browser';
import { createCase, login, until } from './relay-harness';

const NOW = new Date('2026-11-23T15:00:00.000Z');
/** 00:30 on 2026-11-24 in China: the device's today runs one day ahead of the relay's. */
const AHEAD = new Date('2026-11-23T16:30:00.000Z');
/** 110105 20120304 002 3: check digit 3 (ISO 7064 MOD 11-2, computed by hand in person-ids). */
const NEW_ID = '110105201203040023';

const { relay, pages } = relayWithPages(NOW);
const page = (username: string) => pages.as(username);

/** A new case of school1 without an ID number (学籍号 L1234567890), as the relay stores it. */
async function newCase(): Promise<string> {
	return createCase(relay(), await login(relay(), 'school1'), { registryNo: 'L1234567890' });
}

/** The event ids and types in the relay's stored update log of the case. */
async function storedEvents(caseId: string): Promise<{ id: string; type: string }[]> {
	const doc = new Y.Doc();
	for (const u of await relay().storage.loadUpdates(caseId)) Y.applyUpdate(doc, u.update);
	const r = toSnapshot(doc);
	doc.destroy();
	if (!r.ok) throw new Error('stored case does not load');
	return r.value.events.map((e) => ({ id: e.id, type: e.type }));
}

/** Waits until an asynchronous check (an IndexedDB read) holds, up to 5 s. */
async function eventually(cond: () => Promise<boolean>, what: string): Promise<void> {
	const deadline = Date.now() + 5000;
	while (!(await cond())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

/** S-4a: one unexcused day of absence. */
const absence = (date: string) => ({ type: 'absence', date, excused: false }) as EventDraft;

describe('[issue 13] a case session against the relay', () => {
	it('records an event: pending, then accepted and in the relay’s log', async () => {
		const id = await newCase();
		const { ws } = await page('school1');
		const c = ws.openCase(id);
		await c.synced();
		await until(() => c.connection === 'synced', 5000, 'synced');
		expect(c.snapshot?.id).toBe(id);
		expect(c.evaluation).not.toBeNull();
		const before = c.snapshot?.events.length ?? 0;
		expect(c.record(absence('2026-11-23'))).toEqual({ ok: true });
		expect(c.pending).toBe(1);
		await c.uploaded(5000);
		expect(c.pending).toBe(0);
		expect(c.snapshot?.events.length).toBe(before + 1);
		const last = c.snapshot?.events[before];
		expect(await storedEvents(id)).toContainEqual({ id: last?.id, type: 'absence' });
		// The device's index row follows the session (issue 12: no count left behind).
		await until(() => ws.cases.find((r) => r.id === id)?.unsynced === 0, 5000, 'row');
		c.close();
	});

	it('a refused event is kept with its draft, quarantined, and resubmitted corrected', async () => {
		const id = await newCase();
		const { ws } = await page('school1');
		vi.setSystemTime(AHEAD);
		expect(ws.today()).toBe('2026-11-24');
		const c = ws.openCase(id);
		await c.synced();
		await until(() => c.connection === 'synced', 5000, 'synced');
		await until(() => c.loaded, 5000, 'loaded');
		expect(c.record(absence('2026-11-24'))).toEqual({ ok: true });
		await until(() => c.refusals.length === 1, 5000, 'refusal');
		const [refusal] = c.refusals;
		expect(refusal?.rule).toBe('future-date');
		expect(refusal?.draft?.date).toBe('2026-11-24');
		// The relay kept the update in its quarantine, never in the log.
		const q = await relay().storage.listQuarantine(id);
		expect(q.map((x) => x.rule)).toEqual(['future-date']);
		expect((await storedEvents(id)).some((e) => e.type === 'absence')).toBe(false);
		// The refusal is stored on the device (shown after a reload).
		const db = new AppDb('school1');
		expect((await db.refusals.where('caseId').equals(id).toArray()).map((r) => r.rule)).toEqual([
			'future-date'
		]);
		// After a reload (the case opened again) the refusal is read back with its draft,
		// validated (quarantine-drafts.ts), and the copy holds the relay's state.
		// A row edited on the device (IndexedDB outlives app versions) stays visible, its broken
		// reason and draft not trusted.
		await db.refusals.put({
			id: 'r-broken',
			caseId: id,
			what: 'event',
			rule: 'future-date',
			reason: 5,
			at: NOW.toISOString(),
			draft: { type: 'absence' }
		} as never);
		c.close();
		const c2 = ws.openCase(id);
		await c2.synced();
		// Read back in key order.
		const back = c2.refusals.map((r) => [r.id, r.rule, r.draft?.date, r.reason.en]);
		expect(back).toHaveLength(2);
		expect(back).toContainEqual([refusal?.id, 'future-date', '2026-11-24', refusal?.reason.en]);
		expect(back).toContainEqual([
			'r-broken',
			'future-date',
			undefined,
			'(the reason could not be read)'
		]);
		await c2.dismissRefusal('r-broken');
		await until(() => c2.snapshot?.id === id && c2.connection === 'synced', 5000, 'reopened');
		// Corrected to the relay's today and sent again: accepted, the refusal dismissed.
		expect(c2.resubmit(refusal?.id ?? '', absence('2026-11-23'))).toEqual({ ok: true });
		await c2.uploaded(5000);
		await until(() => c2.refusals.length === 0, 5000, 'dismissed');
		expect((await storedEvents(id)).filter((e) => e.type === 'absence')).toHaveLength(1);
		await eventually(async () => (await db.refusals.count()) === 0, 'refusal row gone');
		db.close();
		c2.close();
	});

	it('a case the user may not see is denied and its copy removed', async () => {
		const id = await newCase();
		const { ws } = await page('school2');
		const c = ws.openCase(id);
		await until(() => c.denied !== null, 5000, 'denied');
		expect(c.denied).toBe('forbidden');
		expect(c.loaded).toBe(false);
		await eventually(
			async () => !((await databaseNames()) ?? []).includes(caseDbName('school2', id)),
			'copy removed'
		);
		c.close();
	});

	it('issue 11: corrects the full ID number on the relay and reveals it (audited)', async () => {
		const id = await newCase();
		const { ws } = await page('school1');
		const c = ws.openCase(id);
		await c.synced();
		await until(() => c.connection === 'synced', 5000, 'synced');
		// 110105 20120304 002 1: check digit 1 where MOD 11-2 gives 3 (person-ids.test.ts).
		const wrong = await c.correctIdNumber('110105201203040021');
		expect(wrong.ok).toBe(false);
		if (!wrong.ok) expect(wrong.reason.zh).toContain('校验位');
		expect(await c.correctIdNumber(NEW_ID)).toEqual({ ok: true });
		expect(
			(await relay().storage.getPersonIds(id)).find((r) => r.subject === 'student')
		).toMatchObject({
			value: NEW_ID,
			updatedBy: 'school1'
		});
		// The timeline records the masked form only.
		await c.uploaded(5000);
		expect(JSON.stringify(c.snapshot)).not.toContain(NEW_ID);
		expect(await c.revealIdNumber()).toBe(NEW_ID);
		const audit = (await relay().storage.listAudit({ caseId: id })).map((a) => a.action);
		expect(audit).toEqual(expect.arrayContaining(['correct-id', 'reveal-id']));
		c.close();
	});

	it('the plan: edits, listeners and the cursor', async () => {
		const id = await newCase();
		const { ws } = await page('school1');
		const c = ws.openCase(id);
		await c.synced();
		const heard: [string, boolean][] = [];
		const off = c.onPlanChange((text, remote) => heard.push([text, remote]));
		c.setPlan('第一次家访');
		expect(c.plan).toBe('第一次家访');
		expect(heard).toEqual([['第一次家访', false]]);
		const cur = c.planCursor();
		const saved = cur.save(2);
		c.setPlan('新：第一次家访');
		// The cursor moves with the text inserted before it.
		expect(cur.restore(saved)).toBe(4);
		off();
		c.setPlan('x');
		expect(heard).toHaveLength(2);
		c.reevaluate();
		expect(c.evaluation).not.toBeNull();
		c.close();
	});
});
