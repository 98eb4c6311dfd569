import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { caseDbName } from '../../src/lib/sync/db';
import { MESSAGE_ACCEPTED, MESSAGE_REFUSED } from '../../src/lib/protocol/ws';
import { expect, test } from './fixtures';
import { apiToken, controlled, entries, loggedIn, newCase, openCase, record } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

/** The e2e day, Tuesday 2025-10-21: a school day of the autumn 2025 term. */
const DAY = '2025-10-21';
const PLAN = '离线时写的劝返方案：每周家访两次';

/** The Yjs client ids under which school1's stored copy of a case (y-indexeddb) has writes. */
async function storedClientIds(page: Page, caseId: string): Promise<Set<number>> {
	const updates = await page.evaluate(
		async (name) => {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const r = indexedDB.open(name);
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(new Error(String(r.error)));
			});
			const all = await new Promise<unknown[]>((resolve, reject) => {
				const r = db.transaction('updates').objectStore('updates').getAll();
				r.onsuccess = () => resolve(r.result as unknown[]);
				r.onerror = () => reject(new Error(String(r.error)));
			});
			db.close();
			return all.map((u) => Array.from(u as Uint8Array));
		},
		caseDbName('school1', caseId)
	);
	const ids = new Set<number>();
	for (const u of updates)
		for (const id of Y.parseUpdateMeta(Uint8Array.from(u)).to.keys()) ids.add(id);
	return ids;
}

test('[client-id] a device whose Yjs client id another user took gets a fresh one, rebuilds and replays its outbox', async ({
	browser,
	request
}, info) => {
	const id = await newCase(request, '标识学生');
	const a = await loggedIn(browser, 'school1');
	await openCase(a, id);
	await controlled(a);
	await openCase(a, id);

	// Offline from here, and reloaded: the case opens from the device under a new client id that
	// the relay has never seen, and the user records an absence and writes the plan.
	await a.context().setOffline(true);
	await a.reload();
	await expect(a.locator('#plan-text')).toBeVisible();
	await record(a, 'absence', async (d) => {
		await d.getByLabel('日期').fill(DAY);
	});
	await a.locator('#plan-text').fill(PLAN);
	await expect(a.locator('strong', { hasText: '2 条修改尚未上传' })).toBeVisible();

	// bureau1, on a real y-websocket client, writes first under that id (a collision, or a guess).
	const base = String(info.project.use.baseURL);
	const doc = new Y.Doc();
	const bureau = new WebsocketProvider(`${base.replace('http', 'ws')}/sync`, id, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params: { token: await apiToken(request, 'bureau1') },
		disableBc: true
	});
	let accepted = 0;
	let refused = 0;
	bureau.messageHandlers[MESSAGE_ACCEPTED] = () => void accepted++;
	bureau.messageHandlers[MESSAGE_REFUSED] = () => void refused++;
	try {
		await expect.poll(() => bureau.synced).toBe(true);
		const relayIds = new Set(doc.store.clients.keys());
		const offline = [...(await storedClientIds(a, id))].filter((c) => !relayIds.has(c));
		expect(offline).toHaveLength(1);
		const taken = offline[0] ?? 0;
		const own = doc.clientID;
		doc.clientID = taken;
		// The plan text (the case layout's `plan`); src/lib/case-doc does not load in Playwright.
		const plan = doc.getText('plan');
		plan.insert(plan.length, '区');
		doc.clientID = own;
		await expect.poll(() => accepted).toBeGreaterThan(0);
		expect(refused).toBe(0);

		// Back online: the relay refuses the device's writes under the taken id; the app takes a
		// fresh id, rebuilds from the relay's state and replays both pending intents, silently.
		await a.context().setOffline(false);
		await expect(a.getByText(/所有修改都已上传/).first()).toBeVisible({ timeout: 30_000 });
		await expect(a.getByText('服务器拒绝了以下修改')).toHaveCount(0);
		await expect(entries(a, 'absence')).toHaveCount(1);
		await expect(a.locator('#plan-text')).toHaveValue(PLAN);

		const token = await apiToken(request, 'bureau1');
		const res = await request.get(`/api/cases/${id}`, {
			headers: { authorization: `Bearer ${token}` }
		});
		const relay = (await res.json()) as {
			events: { type: string; author: { userId: string } }[];
			plan: string;
		};
		expect(relay.events.map((e) => [e.type, e.author.userId])).toEqual([['absence', 'school1']]);
		expect(relay.plan).toBe(PLAN);
		// The device now shows itself in presence under another id than the taken one.
		await expect
			.poll(() =>
				[...bureau.awareness.getStates()]
					.filter(([, s]) => (s as { user?: { name?: string } }).user?.name === '王老师')
					.map(([c]) => c !== taken)
			)
			.toEqual([true]);
	} finally {
		bureau.destroy();
		doc.destroy();
		await a.context().close();
	}
});
