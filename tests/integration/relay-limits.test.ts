import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getPlan, setPlan } from '../../src/lib/case-doc';
import { CLOSE } from '../../src/lib/protocol/ws';
import { exportCase } from '../../server/admin';
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

const NOW = new Date('2026-11-23T02:00:00.000Z');
/** One character more than the loader has ever accepted in a plan (`longText`, 20,000). */
const OVER_LONG_PLAN = '劝'.repeat(20_001);

/** The relay accepted every local change of `c` (its state vector covers them) or refused one. */
function answered(c: Client): boolean {
	const mine = Y.getState(c.doc.store, c.doc.clientID);
	const covered = c.accepted.some(
		(sv) => (Y.decodeStateVector(sv).get(c.doc.clientID) ?? 0) >= mine
	);
	return covered || c.refused.length > 0;
}

/**
 * Issue 10: a teacher pastes a long text into the plan box. Whatever the relay does with it,
 * the case must keep loading: sync, "view as of" every stored update, export, after a restart.
 */
describe('relay: one long plan edit never breaks a case', () => {
	let t: TestRelay;
	const clients: Client[] = [];
	beforeAll(async () => {
		t = await startRelay({ now: NOW });
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('[limits] a plan over the limit, then a restart: the case still syncs, views and exports', async () => {
		const token = await login(t, 'school1');
		const id = await createCase(t, token, { name: '长方案学生' });
		const a = connect(t, id, token);
		clients.push(a);
		await synced(a);
		setPlan(a.doc, OVER_LONG_PLAN);
		await until(() => answered(a), 10_000, 'the relay’s answer to the plan edit');
		// Refused before anything is stored, kept in quarantine with its reason.
		expect(a.refused.map((r) => r.rule)).toEqual(['limits']);
		expect(a.refused[0]?.reason.zh).toContain('20,001 字，最多 20,000 字');
		const quarantined = await t.storage.listQuarantine(id);
		expect(quarantined.map((q) => [q.id, q.rule])).toEqual([[a.refused[0]?.id, 'limits']]);
		const stored = await t.storage.loadUpdates(id);
		expect(stored).toHaveLength(1); // the creation only
		a.destroy();

		t = await (async () => {
			await t.stop();
			return t.restart();
		})();
		const token2 = await login(t, 'school1');
		const b = connect(t, id, token2);
		clients.push(b);
		const closes: number[] = [];
		b.provider.on('connection-close', (ev: { code: number } | null) => closes.push(ev?.code ?? 0));
		await until(() => b.provider.synced || closes.length > 0, 10_000, 'sync or close');
		// Soft: the three ways the case used to break are each reported.
		expect.soft(closes, 'the relay closed the sync connection').not.toContain(CLOSE.internal);
		expect.soft(b.provider.synced).toBe(true);
		expect.soft(getPlan(b.doc).length).toBeLessThanOrEqual(20_000);

		const history = (await (
			await fetch(`${t.url}/api/cases/${id}/history`, {
				headers: { authorization: `Bearer ${token2}` }
			})
		).json()) as { entries: { seq: number }[] };
		for (const e of history.entries) {
			const res = await fetch(`${t.url}/api/cases/${id}/history/${e.seq}`, {
				headers: { authorization: `Bearer ${token2}` }
			});
			expect.soft(res.status, `view as of #${e.seq}`).toBe(200);
		}
		const exported = await exportCase(t.storage, id, { now: NOW }).catch((e: Error) => e);
		expect(exported, 'export-case').not.toBeInstanceOf(Error);
	});
});
