import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import {
	connect,
	createCase,
	login,
	ownWritesAccepted,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

/**
 * Issue 12: a persuasion attempt dated before the suspected-dropout case opened (S-4b) is refused
 * by the relay's update check when it arrives, with the reason, and never stored, instead of
 * being saved and later shown as a conflict. The relay runs on 2026-11-23 (harness clock); Fri
 * 2026-11-20 is a school day of the autumn term 2026, Thu 2026-11-19 the school day before it.
 */
describe('relay: a record dated before what it requires is refused when recorded', () => {
	let t: TestRelay;
	let token: string;
	let caseId: string;
	let c: Client;
	let n = 0;
	const ev = (type: string, date: string, payload: Record<string, unknown>): CaseEventInput => {
		n++;
		return {
			id: `order-${n}`,
			type,
			date,
			recordedAt: `2026-11-23T01:00:0${n}.000Z`,
			author: DEMO_AUTHORS.school,
			v: 1,
			...payload
		} as CaseEventInput;
	};

	beforeAll(async () => {
		t = await startRelay();
		token = await login(t, 'school1');
		caseId = await createCase(t, token, { name: '日期学生' });
		c = connect(t, caseId, token);
		await synced(c);
		c.doc
			.getArray('events')
			.push([
				ev('absence', '2026-11-20', { excused: false }),
				ev('suspected_case_opened', '2026-11-20', { responsible: { name: '马老师' } })
			]);
		await until(() => ownWritesAccepted(c), 5000, 'accepted');
	});
	afterAll(async () => {
		c.destroy();
		await t.dispose();
	});

	it('[S-4b] a persuasion dated the day before the case opened is refused with the reason', async () => {
		const early = ev('persuasion_attempt', '2026-11-19', { mode: 'phone', outcome: 'refused' });
		c.doc.getArray('events').push([early]);
		await until(() => c.refused.length === 1, 5000, 'refused');
		expect(c.refused[0]).toMatchObject({
			rule: 'S-4b',
			eventId: early.id,
			reason: {
				zh: '「劝返」的日期 2026-11-19 早于「启动疑似辍学排查」（2026-11-20）：须在该日或之后'
			}
		});
		const res = await fetch(`${t.url}/api/cases/${caseId}`, {
			headers: { authorization: `Bearer ${token}` }
		});
		const stored = (await res.json()) as { events: { id: string }[] };
		expect(stored.events.map((e) => e.id)).not.toContain(early.id);
	});

	it('[S-4b] dated the day the case opened, it is stored', async () => {
		const fresh = connect(t, caseId, token);
		await synced(fresh);
		fresh.doc
			.getArray('events')
			.push([ev('persuasion_attempt', '2026-11-20', { mode: 'phone', outcome: 'refused' })]);
		await until(() => ownWritesAccepted(fresh), 5000, 'accepted');
		expect(fresh.refused).toEqual([]);
		fresh.destroy();
	});
});
