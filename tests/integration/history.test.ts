import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../src/lib/case-doc';
import { type CaseSnapshot } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { restorePlan } from '../../src/lib/rules';
import {
	connect,
	createCase,
	login,
	startRelay,
	synced,
	until,
	type TestRelay
} from './relay-harness';

/** "View as of" and restore (issue 5, edit history): rebuilt from the relay's update log. */
describe('relay: a case as of any stored update', () => {
	let t: TestRelay;
	beforeAll(async () => {
		t = await startRelay();
	});
	afterAll(async () => {
		await t.dispose();
	});

	const get = (path: string, token: string) =>
		fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

	it('returns the earlier state for an earlier update, the later one after; audited; 404/403', async () => {
		const s1 = await login(t, 'school1');
		const id = await createCase(t, s1, { name: '历史学生' });
		const c = connect(t, id, s1);
		await synced(c);
		const days = ['2026-11-18', '2026-11-19', '2026-11-20'];
		for (const [i, date] of days.entries()) {
			const r = appendEvent(
				c.doc,
				{
					id: `asof-${i}`,
					type: 'absence',
					date,
					recordedAt: `${date}T09:00:00.000Z`,
					author: DEMO_AUTHORS.school,
					v: 1,
					excused: false
				},
				'2026-11-23'
			);
			expect(r.ok).toBe(true);
			await until(() => c.accepted.length > i, 5000, `update ${i} accepted`);
		}
		const history = (await (await get(`/api/cases/${id}/history`, s1)).json()) as {
			entries: { seq: number; eventsAdded: { id: string }[] }[];
		};
		expect(history.entries.length).toBeGreaterThanOrEqual(2);
		const first = history.entries[0];
		const withOne = history.entries.find((e) => e.eventsAdded.some((a) => a.id === 'asof-0'));
		if (!first || !withOne) throw new Error('history is missing entries');

		const asOf = async (seq: number) => {
			const res = await get(`/api/cases/${id}/history/${seq}`, s1);
			expect(res.status).toBe(200);
			return (await res.json()) as { seq: number; receivedAt: string; snapshot: CaseSnapshot };
		};
		const created = await asOf(first.seq);
		expect(created.snapshot.events).toEqual([]);
		expect(created.snapshot.student.name).toBe('历史学生');
		const one = await asOf(withOne.seq);
		expect(one.snapshot.events.map((e) => e.id)).toEqual(['asof-0']);
		const latest = history.entries.at(-1);
		expect((await asOf(latest?.seq ?? 0)).snapshot.events.map((e) => e.id)).toEqual([
			'asof-0',
			'asof-1',
			'asof-2'
		]);

		// Restoring to the earlier point is new amendments on top, never a rewrite of the log.
		const current = (await (await get(`/api/cases/${id}`, s1)).json()) as CaseSnapshot;
		const plan = restorePlan(current, one.snapshot, DEMO_AUTHORS.school, '2026-11-23', '恢复');
		expect(plan.amends.map((a) => a.target)).toEqual(['asof-1', 'asof-2']);
		for (const [i, a] of plan.amends.entries()) {
			const { what, targetType, targetDate, ...draft } = a;
			void what;
			void targetType;
			void targetDate;
			const r = appendEvent(
				c.doc,
				{
					...draft,
					id: `restore-${i}`,
					recordedAt: '2026-11-23T09:00:00.000Z',
					author: DEMO_AUTHORS.school,
					v: 1
				},
				'2026-11-23'
			);
			expect(r.ok).toBe(true);
		}
		await until(() => c.accepted.length >= 5, 5000, 'restore accepted');
		const after = (await (await get(`/api/cases/${id}/history`, s1)).json()) as {
			entries: unknown[];
		};
		expect(after.entries.length).toBeGreaterThan(history.entries.length);
		expect((await asOf(withOne.seq)).snapshot.events.map((e) => e.id)).toEqual(['asof-0']);

		expect((await get(`/api/cases/${id}/history/999999999`, s1)).status).toBe(404);
		expect(
			(await get(`/api/cases/${id}/history/${first.seq}`, await login(t, 'school2'))).status
		).toBe(403);
		const audit = await t.storage.listAudit({ caseId: id });
		expect(audit.filter((a) => a.action === 'history-as-of').length).toBeGreaterThanOrEqual(4);
		c.destroy();
	});
});
