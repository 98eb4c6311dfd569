import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readEvents } from '../../src/lib/case-doc';
import { CLOSE } from '../../src/lib/protocol/ws';
import { TOKEN_TTL_SECONDS } from '../../server/auth/tokens';
import {
	T0,
	absence,
	acceptedClock,
	adminCli,
	append,
	startClockedRelay
} from './identity-helpers';
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
 * Issue 10, failure 3: after `npm run admin -- disable-user`, login, HTTP and new sockets were
 * refused, but an edit on a socket opened before was still accepted. Revocation — disabled, org
 * or role changed, token expired — now closes the user's open sockets with 4401 within a second.
 */
describe('identity: revocation takes effect at once', () => {
	let t: TestRelay | null = null;
	const clients: Client[] = [];
	const client = (relay: TestRelay, caseId: string, token: string) => {
		const c = connect(relay, caseId, token);
		clients.push(c);
		return c;
	};
	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await t?.dispose();
		t = null;
	});

	/** Resolves with the ms from now until `c` is closed with `code`. */
	async function closedWithin(c: Client, code: number, ms = 1000): Promise<number> {
		const start = performance.now();
		await until(() => c.closed.length > 0, ms, `close ${code}`);
		expect(c.closed[0]?.code).toBe(code);
		return performance.now() - start;
	}

	it('[revocation] disable-user by the admin CLI in another process closes open sockets with 4401 within a second; nothing later is stored', async () => {
		t = await startRelay();
		const school = await login(t, 'school1');
		const street = await login(t, 'street1');
		const caseId = await createCase(t, school);
		const a = client(t, caseId, school);
		const bystander = client(t, caseId, street);
		await Promise.all([synced(a), synced(bystander)]);
		append(a.doc, absence('2026-11-16'));
		await until(() => acceptedClock(a, a.doc.clientID) > 0, 5000, 'accepted before');
		const stored = (await t.storage.loadUpdates(caseId)).length;

		const r = await adminCli(t.dataDir, ['disable-user', '--username', 'school1']);
		expect(r.code, r.out).toBe(0);
		const ms = await closedWithin(a, CLOSE.unauthorized);
		console.log(`revocation: disable-user → 4401 in ${ms.toFixed(0)} ms`);

		// 4401 is final for the provider; connecting again is refused, and the edit made after the
		// disable is never stored.
		append(a.doc, absence('2026-11-17'));
		a.provider.connect();
		await until(() => a.closed.length >= 2, 5000, 'reconnect refused');
		expect(a.closed.every((c) => c.code === CLOSE.unauthorized)).toBe(true);
		expect((await t.storage.loadUpdates(caseId)).length).toBe(stored);
		expect(readEvents(bystander.doc)).toHaveLength(1);
		expect(bystander.closed).toEqual([]);
	});

	it.each([
		['a role change', "UPDATE users SET role = 'school_leader' WHERE id = 'school1'"],
		['an org change', "UPDATE users SET org_id = 'org-school2' WHERE id = 'school1'"]
	])(
		'[revocation] %s written by another process closes the socket with 4401 within a second',
		async (_what, sql) => {
			t = await startRelay();
			const school = await login(t, 'school1');
			const caseId = await createCase(t, school);
			const a = client(t, caseId, school);
			await synced(a);
			// Another process on the same SQLite file, as the admin CLI is.
			const other = new Database(join(t.dataDir, 'yishengyian.sqlite'));
			try {
				other.exec(sql);
			} finally {
				other.close();
			}
			const ms = await closedWithin(a, CLOSE.unauthorized);
			console.log(`revocation: ${_what} → 4401 in ${ms.toFixed(0)} ms`);
		}
	);

	it('[revocation] an expired token closes the socket with 4401 by the relay’s clock; an update after expiry is not applied', async () => {
		const clock = { now: T0 };
		t = await startClockedRelay(clock);
		const school = await login(t, 'school1');
		const caseId = await createCase(t, school);
		const a = client(t, caseId, school);
		const watcher = client(t, caseId, await login(t, 'bureau1'));
		await Promise.all([synced(a), synced(watcher)]);
		const stored = (await t.storage.loadUpdates(caseId)).length;

		clock.now = new Date(T0.getTime() + TOKEN_TTL_SECONDS * 1000);
		// Sent in the same turn as the clock moved: judged by the relay's clock, not a timer.
		append(a.doc, absence('2026-11-16'));
		await closedWithin(a, CLOSE.unauthorized);
		expect((await t.storage.loadUpdates(caseId)).length).toBe(stored);
		expect(readEvents(watcher.doc)).toEqual([]);
		expect(Y.getState(watcher.doc.store, a.doc.clientID)).toBe(0);
	});
});
