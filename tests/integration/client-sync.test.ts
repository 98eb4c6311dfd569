/**
 * Issue 13: the client sync layer (src/lib/sync/case: connection, outbox, replay) against the
 * real relay's sync server and SQLite, in one process, over hand-flushed socket pairs: every
 * ordering below is chosen by the test, and the ids come from seeded PRNGs, so each run is the
 * same. Each test asserts what the app shows (outbox count, refusals, the document's events) and
 * what the relay stored (its update log, its quarantine).
 *
 * Dates: the relay's clock is fixed at 2025-12-03T02:00Z, 10:00 on Wed 3 Dec 2025 in China
 * (UTC+8), so the relay's "today" is 2025-12-03. A device whose clock runs a day ahead has
 * "today" 2025-12-04 (Thu): its rules accept an event dated 2025-12-04, the relay refuses it as
 * dated after its today (rule `future-date`). That is the refusal the tests provoke; the case is
 * the Shilong sample closed on the missing path (src/lib/demo/samples.ts) without its closure:
 * police determination on 2025-12-01, so a closure (S-10, path missing_or_deceased) is eligible.
 */
import {
	exchange,
	openDevice,
	prng,
	startInProcessRelay,
	tickingClock,
	turns,
	type Device,
	type InProcessRelay
} from './client-relay';
import { IDBFactory } from 'fake-indexeddb';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseSnapshot } from '../../src/lib/domain';
import { refusalText } from '../../src/lib/i18n/refusal-texts';
import { shilongClosedBy } from '../../src/lib/demo/samples';
import type { EventDraft } from '../../src/lib/sync/contract';
import { until } from './relay-harness';
import type { SocketPair } from './socket-pair';

const NOW = new Date('2025-12-03T02:00:00.000Z');
/** The relay's today: 2025-12-03 (10:00 China time). */
const RELAY_TODAY = '2025-12-03';
/** A device whose clock runs one day ahead of the relay's. */
const AHEAD = '2025-12-04';

/** The Shilong missing-path sample without its closure: ready to close (S-10). */
function readyToClose(id: string): CaseSnapshot {
	const s = shilongClosedBy('missing_or_deceased');
	return { ...s, id, events: s.events.filter((e) => e.type !== 'closed') };
}

/** S-9: a joint persuasion attempt by the street (the joint team was formed on 2025-10-13). */
const attempt = (date: string) =>
	({
		type: 'joint_persuasion_attempt',
		date,
		mode: 'home_visit',
		outcome: 'refused'
	}) as EventDraft;
const closure = (date: string) =>
	({ type: 'closed', date, path: 'missing_or_deceased' }) as EventDraft;

/** Records on the device; returns the new event's id (its outbox intent's id). */
function record(d: Device, draft: EventDraft): string {
	const r = d.sync.record(draft);
	expect(r).toEqual({ ok: true });
	const last = d.sync.outbox.intents[d.sync.outbox.intents.length - 1];
	if (!last) throw new Error('nothing kept');
	return last.id;
}

const eventIds = (d: Device) => d.view.snapshot?.events.map((e) => e.id) ?? [];
const refusalsOf = (d: Device) =>
	d.view.refusals.map((r) => ({ what: r.what, rule: r.rule, event: r.draft?.id }));

let relay: InProcessRelay;
const devices: Device[] = [];

async function device(
	userId: string,
	caseId: string,
	today: string,
	seed: number
): Promise<Device> {
	const d = await openDevice(relay, { userId, caseId, today, now: tickingClock(NOW), seed });
	devices.push(d);
	return d;
}

/** Admits the device's next socket (a reconnection, a rebuild's) and exchanges until quiet. */
async function deliver(d: Device): Promise<SocketPair> {
	const p = await d.net.next();
	await relay.admit(p);
	await exchange(relay, p);
	return p;
}

/** `deliver`, and the device is synced after. */
async function connect(d: Device): Promise<SocketPair> {
	const p = await deliver(d);
	await until(() => d.view.connection === 'synced', 5000, 'synced');
	return p;
}

/** The network fails under the device; its provider opens a new socket nobody admits yet. */
async function goOffline(d: Device, p: SocketPair): Promise<void> {
	p.drop();
	await until(() => d.view.connection !== 'synced', 5000, 'offline');
}

beforeEach(() => {
	// A fresh IndexedDB per test: each test's devices start with empty databases.
	globalThis.indexedDB = new IDBFactory();
	Dexie.dependencies.indexedDB = globalThis.indexedDB;
});

afterEach(async () => {
	for (const d of devices.splice(0)) d.close();
	await relay.dispose();
});

describe('client sync layer against the in-process relay (issue 13)', () => {
	it('accepted then refused: the accepted event stays, the refused one is shown and kept in quarantine', async () => {
		relay = await startInProcessRelay({ now: NOW, cases: [readyToClose('case-t1')] });
		const d = await device('street1', 'case-t1', AHEAD, 1);
		const p1 = await connect(d);
		expect(d.view.loaded).toBe(true);

		const a = record(d, attempt('2025-12-02'));
		expect(d.view.pending).toBe(1);
		await exchange(relay, p1);
		await until(() => d.view.pending === 0, 5000, 'A accepted');

		// The device's rules accept 2025-12-04 (its today); the relay's today is 2025-12-03.
		const b = record(d, attempt(AHEAD));
		expect(d.view.pending).toBe(1);
		await exchange(relay, p1);
		// The refusal: B leaves the outbox, the rebuild opens a new socket on the relay's state.
		await deliver(d);
		await until(() => !eventIds(d).includes(b), 5000, 'rebuilt without B');

		expect(d.view.pending).toBe(0);
		expect(refusalsOf(d)).toEqual([
			{ what: 'joint_persuasion_attempt', rule: 'future-date', event: b }
		]);
		expect(d.view.refusals[0]?.reason.zh).toBe(`日期 ${AHEAD} 晚于今天（${RELAY_TODAY}）`);
		expect(eventIds(d)).toContain(a);
		expect(await d.db.outbox.count()).toBe(0);
		expect(await d.db.refusals.count()).toBe(1);

		const stored = (await relay.stored('case-t1')).events.map((e) => e.id);
		expect(stored).toContain(a);
		expect(stored).not.toContain(b);
		expect(await relay.quarantined('case-t1')).toEqual([
			{ rule: 'future-date', userId: 'street1', events: [b] }
		]);
	});

	it('refused during a replay: a second refusal while replaying the offline work', async () => {
		relay = await startInProcessRelay({ now: NOW, cases: [readyToClose('case-t2')] });
		const d = await device('street1', 'case-t2', AHEAD, 2);
		const p1 = await connect(d);
		await goOffline(d, p1);

		// Offline: A and C dated on the device's today (after the relay's), B the day before.
		const a = record(d, attempt(AHEAD));
		const b = record(d, attempt('2025-12-02'));
		const c = record(d, attempt(AHEAD));
		expect(d.view.pending).toBe(3);

		// Back online: the sync sends A, B and C in one update; the rules refuse A first
		// (G-M1 order: B on 12-02 passes, then A, recorded before C, on 12-04 fails).
		await deliver(d);
		expect(refusalsOf(d)).toEqual([
			{ what: 'joint_persuasion_attempt', rule: 'future-date', event: a }
		]);
		expect(d.view.pending).toBe(2);

		// The rebuild replays B and C as two updates: B is accepted, C refused.
		await deliver(d);
		await deliver(d);
		await until(() => !eventIds(d).includes(c), 5000, 'rebuilt without C');

		expect(d.view.pending).toBe(0);
		expect(refusalsOf(d)).toEqual([
			{ what: 'joint_persuasion_attempt', rule: 'future-date', event: a },
			{ what: 'joint_persuasion_attempt', rule: 'future-date', event: c }
		]);
		expect(eventIds(d)).toContain(b);
		expect(eventIds(d)).not.toContain(a);
		expect(await d.db.outbox.count()).toBe(0);

		const stored = (await relay.stored('case-t2')).events.map((e) => e.id);
		expect(stored.filter((id) => [a, b, c].includes(id))).toEqual([b]);
		expect(await relay.quarantined('case-t2')).toEqual([
			{ rule: 'future-date', userId: 'street1', events: [a, b, c] },
			{ rule: 'future-date', userId: 'street1', events: [c] }
		]);
	});

	it('causality cascade: an update built on a refused one is refused too, and replayed', async () => {
		relay = await startInProcessRelay({ now: NOW, cases: [readyToClose('case-t3')] });
		const d = await device('street1', 'case-t3', AHEAD, 3);
		const p1 = await connect(d);

		// Two updates on the wire before the relay answers: B's structs follow A's.
		const a = record(d, attempt(AHEAD));
		const b = record(d, attempt('2025-12-02'));
		expect(p1.toServer).toHaveLength(2);
		await exchange(relay, p1);
		// A: future-date; B: causality (it builds on A, which the relay never applied). Only A
		// is the user's to see; B stays in the outbox and is replayed.
		expect(refusalsOf(d)).toEqual([
			{ what: 'joint_persuasion_attempt', rule: 'future-date', event: a }
		]);

		await deliver(d);
		await until(() => d.view.pending === 0 && eventIds(d).includes(b), 5000, 'B replayed');

		expect(refusalsOf(d)).toHaveLength(1);
		expect(eventIds(d)).not.toContain(a);
		const stored = (await relay.stored('case-t3')).events.map((e) => e.id);
		expect(stored.filter((id) => id === a || id === b)).toEqual([b]);
		expect(await relay.quarantined('case-t3')).toEqual([
			{ rule: 'future-date', userId: 'street1', events: [a] },
			{ rule: 'causality', userId: 'street1', events: [b] }
		]);
	});

	it.each([1, 7, 2025])(
		'two offline closures (S-10, G-M3): the first to reach the relay stands, the other is refused (seed %i)',
		async (seed) => {
			relay = await startInProcessRelay({ now: NOW, cases: [readyToClose('case-t4')] });
			const street = await device('street1', 'case-t4', RELAY_TODAY, seed);
			const bureau = await device('bureau1', 'case-t4', RELAY_TODAY, seed + 1000);
			const sockets = new Map<Device, SocketPair>();
			for (const d of [street, bureau]) sockets.set(d, await connect(d));
			for (const d of [street, bureau]) await goOffline(d, sockets.get(d) as SocketPair);

			// Both close the case offline; each device's rules find the missing path eligible.
			const ids = new Map([
				[street, record(street, closure('2025-12-02'))],
				[bureau, record(bureau, closure('2025-12-03'))]
			]);
			// Which device comes back first: a seeded coin (seed 1: the bureau's; 7 and 2025: the street's).
			const [first, second] = prng(seed)() < 0.5 ? [street, bureau] : [bureau, street];
			if (!first || !second) throw new Error('two devices');
			const firstId = ids.get(first);
			const secondId = ids.get(second);

			await connect(first);
			await until(() => first.view.pending === 0, 5000, 'first closure accepted');
			await deliver(second);
			await deliver(second);
			await until(() => !eventIds(second).includes(secondId ?? ''), 5000, 'rebuilt');

			// The device that came second: its closure refused with the rules' sentence and the
			// refusal text the case page shows for rule `closed`; the case is closed once.
			expect(second.view.pending).toBe(0);
			expect(refusalsOf(second)).toEqual([{ what: 'closed', rule: 'closed', event: secondId }]);
			expect(second.view.refusals[0]?.reason).toEqual({
				zh: '案件已销号，请先重新开启',
				en: 'the case is closed; reopen it first'
			});
			expect(refusalText('closed').zh).toBe('案件已销号，只能重新开启。');
			const closures = (d: Device) =>
				(d.view.snapshot?.events ?? []).filter((e) => e.type === 'closed').map((e) => e.id);
			expect(closures(second)).toEqual([firstId]);
			expect(second.view.evaluation?.stage).toBe('closed');
			expect(second.view.evaluation?.conflicts).toEqual([]);
			expect(closures(first)).toEqual([firstId]);
			expect(first.view.refusals).toEqual([]);

			const stored = await relay.stored('case-t4');
			expect(stored.events.filter((e) => e.type === 'closed').map((e) => e.id)).toEqual([firstId]);
			expect(await relay.quarantined('case-t4')).toEqual([
				{ rule: 'closed', userId: second.user.id, events: [secondId] }
			]);
		}
	);

	it('a reconnect in the middle of a replay: before the relay state arrives, and with the replay in flight', async () => {
		relay = await startInProcessRelay({ now: NOW, cases: [readyToClose('case-t5')] });
		const d = await device('street1', 'case-t5', AHEAD, 5);
		const p1 = await connect(d);
		await goOffline(d, p1);
		const a = record(d, attempt(AHEAD));
		const b = record(d, attempt('2025-12-02'));

		await deliver(d); // A refused: the rebuild starts
		expect(refusalsOf(d)).toEqual([
			{ what: 'joint_persuasion_attempt', rule: 'future-date', event: a }
		]);

		// 1. The rebuild's socket drops before the relay's state reaches the device.
		const p3 = await d.net.next();
		await relay.admit(p3);
		p3.flushToServer();
		await relay.idle('case-t5');
		p3.drop();

		// 2. The reconnection syncs; the replay writes B; that socket drops with B in flight.
		const p4 = await d.net.next();
		await relay.admit(p4);
		p4.flushToServer();
		await relay.idle('case-t5');
		p4.flushToClient();
		await until(
			() =>
				d.sync.outbox.intents.some(
					(i) => i.id === b && i.ranges[0]?.client === d.sync.doc.clientID
				),
			5000,
			'B replayed'
		);
		await turns();
		expect(p4.toServer.length).toBeGreaterThan(0);
		p4.drop();
		expect(d.view.pending).toBe(1);

		// 3. The next socket's sync carries B to the relay, once.
		await connect(d);
		await until(() => d.view.pending === 0, 5000, 'B accepted');
		expect(refusalsOf(d)).toHaveLength(1);
		expect(eventIds(d).filter((id) => id === b)).toHaveLength(1);
		expect(eventIds(d)).not.toContain(a);
		expect(await d.db.outbox.count()).toBe(0);
		const stored = (await relay.stored('case-t5')).events.map((e) => e.id);
		expect(stored.filter((id) => id === a || id === b)).toEqual([b]);
		expect(await relay.quarantined('case-t5')).toEqual([
			{ rule: 'future-date', userId: 'street1', events: [a, b] }
		]);
	});
});
