import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { appendEvent, getPlan, readEvents, setPlan } from '../../src/lib/case-doc';
import { type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { CLOSE } from '../../src/lib/protocol/ws';
import {
	connect,
	aroundStorage,
	createCase,
	login,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

const TODAY = '2026-11-23';
let n = 0;
/** An absence recorded by school1's head teacher (the demo author matches the demo account). */
function absence(date: string, author = DEMO_AUTHORS.school): CaseEventInput {
	n++;
	return {
		id: `t-${date}-${n}`,
		type: 'absence',
		date,
		recordedAt: `${date}T09:00:00.000Z`,
		author,
		v: 1,
		excused: false
	};
}

function ok(doc: Y.Doc, ev: CaseEventInput): void {
	const r = appendEvent(doc, ev, TODAY);
	if (!r.ok) throw new Error(`${r.rule}: ${r.reason.en}`);
}

/** A raw websocket to the sync endpoint, for protocol abuse the stock provider never sends. */
function raw(t: TestRelay, path: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
	const ws = new WebSocket(`${t.wsUrl}/${path}`);
	const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
	return new Promise((resolve, reject) => {
		ws.on('open', () => resolve({ ws, closed }));
		ws.on('error', reject);
	});
}

describe('relay: sync between real clients', () => {
	let t: TestRelay;
	let school1: string;
	let school2: string;
	let caseId: string;
	const clients: Client[] = [];
	/**
	 * Loads of a case document, counted where the relay reads it from storage: every load
	 * (`loadCase` of the document registry) asks once for the case's latest compacted state.
	 */
	const loads = new Map<string, number>();
	/**
	 * While set, the loads of `caseId` wait until `sockets` connections have read their
	 * identity (`getOrg`, the last storage read before a connection opens its case), so that
	 * they all ask for the document while its first load is still under way.
	 */
	let hold: { caseId: string; sockets: number; admitted: number; open: Promise<void> } | null =
		null;
	let release = (): void => undefined;
	const around = async (method: string, args: unknown[], call: () => unknown) => {
		if (method === 'latestSnapshot') {
			const id = String(args[0]);
			loads.set(id, (loads.get(id) ?? 0) + 1);
			if (hold?.caseId === id) await hold.open;
		}
		const result: unknown = await call();
		// Released on a later turn: by then the last admitted connection has called `open`.
		if (method === 'getOrg' && hold && ++hold.admitted === hold.sockets) setTimeout(release, 0);
		return result;
	};
	const client = (id: string, token: string | null, doc?: Y.Doc) => {
		const c = connect(t, id, token, doc);
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		t = await startRelay({ wrapStorage: (real) => aroundStorage(real, around) });
		school1 = await login(t, 'school1');
		school2 = await login(t, 'school2');
		caseId = await createCase(t, school1);
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('two clients of one case see each other’s events, and the relay stores them first', async () => {
		const a = client(caseId, school1);
		const b = client(caseId, school1);
		await Promise.all([synced(a), synced(b)]);
		ok(a.doc, absence('2026-11-16'));
		await until(() => readEvents(b.doc).length === 1, 5000, 'b sees the event');
		await until(() => a.accepted.length > 0, 5000, 'accepted');
		const stored = await t.storage.loadUpdates(caseId);
		expect(stored.length).toBeGreaterThanOrEqual(2); // creation + the absence
		expect(stored[stored.length - 1]?.userId).toBe('school1');
		const res = await fetch(`${t.url}/api/cases/${caseId}`, {
			headers: { authorization: `Bearer ${school1}` }
		});
		expect(((await res.json()) as { events: unknown[] }).events).toHaveLength(1);
	});

	it('a client that edits while disconnected converges after reconnecting', async () => {
		const a = client(caseId, school1);
		const b = client(caseId, school1);
		await Promise.all([synced(a), synced(b)]);
		const before = readEvents(a.doc).length;
		a.provider.disconnect();
		ok(a.doc, absence('2026-11-17'));
		ok(b.doc, absence('2026-11-18'));
		await until(() => readEvents(b.doc).length === before + 1);
		a.provider.connect();
		await until(
			() => readEvents(a.doc).length === before + 2 && readEvents(b.doc).length === before + 2,
			5000,
			'convergence'
		);
		expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
	});

	it('loads a case document once however many clients connect at the same moment', async () => {
		const id = await createCase(t, school1, { name: '并发学生' });
		expect(loads.get(id)).toBeUndefined(); // creating a case does not load it
		hold = {
			caseId: id,
			sockets: 6,
			admitted: 0,
			open: new Promise<void>((r) => (release = r))
		};
		const many = Array.from({ length: 6 }, () => client(id, school1));
		const syncs = await Promise.allSettled(many.map((c) => synced(c)));
		hold = null;
		// Six sockets, one read of the stored case.
		expect(loads.get(id)).toBe(1);
		expect(syncs.map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
		expect(t.relay.loadedDocs()).toBeGreaterThanOrEqual(1);
		ok(many[0]?.doc ?? new Y.Doc(), absence('2026-11-16'));
		await until(() => many.every((c) => readEvents(c.doc).length === 1), 5000, 'fan-out to 6');
		expect(loads.get(id)).toBe(1);
		for (const c of many) c.provider.disconnect();
		const loaded = t.relay.loadedDocs();
		await until(() => t.relay.loadedDocs() < loaded, 5000, 'unload after the last client left');
		// The counter sees every load: a client after the unload loads the case again.
		const later = client(id, school1);
		await synced(later);
		expect(loads.get(id)).toBe(2);
		expect(readEvents(later.doc)).toHaveLength(1);
		later.provider.disconnect();
	});

	it('no token → 4401; another school’s case → 4403; no such case → 4404', async () => {
		const none = client(caseId, null);
		await until(() => none.closed.length > 0, 5000, '4401');
		expect(none.closed[0]?.code).toBe(CLOSE.unauthorized);
		const bad = client(caseId, 'not-a-token');
		await until(() => bad.closed.length > 0, 5000, '4401 bad token');
		expect(bad.closed[0]?.code).toBe(CLOSE.unauthorized);
		const other = client(caseId, school2);
		await until(() => other.closed.length > 0, 5000, '4403');
		expect(other.closed[0]?.code).toBe(CLOSE.forbidden);
		const missing = client('case-does-not-exist', school1);
		await until(() => missing.closed.length > 0, 5000, '4404');
		expect(missing.closed[0]?.code).toBe(CLOSE.notFound);
	});

	it.each([
		['deletes an event', (doc: Y.Doc) => doc.getArray('events').delete(0, 1), 'append-only'],
		[
			'forges another author',
			(doc: Y.Doc) =>
				doc.getArray('events').push([{ ...absence('2026-11-19', DEMO_AUTHORS.street) }]),
			'author'
		],
		['adds an unknown top-level key', (doc: Y.Doc) => doc.getMap('evil').set('x', 1), 'layout'],
		[
			'records an event the rules refuse (absence on a Sunday)',
			(doc: Y.Doc) => doc.getArray('events').push([{ ...absence('2026-11-22') }]),
			'G-T4'
		]
	])(
		'an update that %s is quarantined, refused to its sender, never seen by others',
		async (_what, edit, rule) => {
			const id = await createCase(t, school1, { name: '隔离测试' });
			const bad = client(id, school1);
			const good = client(id, school1);
			await Promise.all([synced(bad), synced(good)]);
			ok(good.doc, absence('2026-11-20'));
			await until(() => readEvents(bad.doc).length === 1);
			const before = (await t.storage.loadUpdates(id)).length;
			edit(bad.doc);
			await until(() => bad.refused.length === 1, 5000, 'refused message');
			expect(bad.refused[0]?.rule).toBe(rule);
			// A refusal by the rules names the event, so the client knows which action failed.
			if (rule === 'G-T4') expect(bad.refused[0]?.eventId).toMatch(/^t-2026-11-22-/);
			// A deletion adds no content, so only the other refused updates carry clock ranges.
			if (rule !== 'append-only') expect(bad.refused[0]?.ranges.length).toBeGreaterThan(0);
			expect(bad.refused[0]?.reason.zh.length).toBeGreaterThan(0);
			const q = await t.storage.listQuarantine(id);
			expect(q).toHaveLength(1);
			expect(q[0]?.rule).toBe(rule);
			expect((await t.storage.loadUpdates(id)).length).toBe(before);
			// The good client still works, and never received the refused change.
			ok(good.doc, absence('2026-11-23'));
			await until(() => good.accepted.length >= 2, 5000, 'good accepted');
			expect(good.doc.share.has('evil')).toBe(false);
			expect(readEvents(good.doc).map((e) => e.author.userId)).toEqual(['school1', 'school1']);
		}
	);

	it('a 2 MiB message closes only that connection (1009)', async () => {
		const bystander = client(caseId, school1);
		await synced(bystander);
		const { ws, closed } = await raw(t, `${caseId}?token=${school1}`);
		ws.send(new Uint8Array(2 * 1024 * 1024));
		expect(await closed).toBe(CLOSE.tooBig);
		const count = readEvents(bystander.doc).length;
		const other = client(caseId, school1);
		await synced(other);
		ok(other.doc, absence('2026-11-19'));
		await until(
			() => readEvents(bystander.doc).length === count + 1,
			5000,
			'bystander still served'
		);
	});

	it('random bytes and truncated messages never crash the relay', async () => {
		const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
		console.log(`relay fuzz seed: ${seed} (FUZZ_SEED=${seed} to replay)`);
		let s = seed;
		const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const valid = new Uint8Array([0, 0, 1, 0]); // sync step 1 with an empty state vector
		const closes: number[] = [];
		for (let round = 0; round < 12; round++) {
			const { ws, closed } = await raw(t, `${caseId}?token=${school1}`);
			for (let i = 0; i < 10; i++) {
				const len = Math.floor(rnd() * 64);
				const bytes = Uint8Array.from({ length: len }, () => Math.floor(rnd() * 256));
				if (rnd() < 0.3) bytes.set(valid.subarray(0, Math.min(len, 2)));
				ws.send(rnd() < 0.5 ? bytes : valid.subarray(0, Math.floor(rnd() * 3)));
			}
			ws.close();
			closes.push(await closed);
		}
		expect(closes).toHaveLength(12);
		const health = await fetch(`${t.url}/api/health`);
		expect(await health.json()).toEqual({ ok: true });
		const after = client(caseId, school1);
		await synced(after);
		expect(readEvents(after.doc).length).toBeGreaterThan(0);
	});

	it('every sync connection is written to the audit table', async () => {
		// Its own case and its own connections: it passes alone (`-t`) and in any order.
		const id = await createCase(t, school1, { name: '审计学生' });
		const syncRows = async () =>
			(await t.storage.listAudit({ caseId: id })).filter((r) => r.action === 'sync');
		expect(await syncRows()).toEqual([]);
		const first = client(id, school1);
		await synced(first);
		const second = client(id, school1);
		await synced(second);
		// The relay writes the row right after its sync step 1: poll the table for a while.
		let rows = await syncRows();
		for (let i = 0; i < 100 && rows.length < 2; i++) {
			await new Promise((r) => setTimeout(r, 20));
			rows = await syncRows();
		}
		expect(rows.map((r) => r.userId)).toEqual(['school1', 'school1']);
		first.provider.disconnect();
		second.provider.disconnect();
	});
});

describe('relay: durability across restarts', () => {
	it('every accepted edit is there after the relay stops and starts on the same DATA_DIR', async () => {
		let t = await startRelay();
		try {
			const token = await login(t, 'school1');
			const id = await createCase(t, token);
			const a = connect(t, id, token);
			await synced(a);
			for (const d of ['2026-11-16', '2026-11-17', '2026-11-18']) ok(a.doc, absence(d));
			setPlan(a.doc, '家访计划：每周两次');
			await until(
				() =>
					a.accepted.length > 0 &&
					equalSv(a.accepted[a.accepted.length - 1], Y.encodeStateVector(a.doc)),
				5000,
				'all accepted'
			);
			a.destroy();
			await t.stop();
			t = await t.restart();
			const token2 = await login(t, 'school1');
			const b = connect(t, id, token2);
			await synced(b);
			expect(readEvents(b.doc).map((e) => e.date)).toEqual([
				'2026-11-16',
				'2026-11-17',
				'2026-11-18'
			]);
			expect(getPlan(b.doc)).toBe('家访计划：每周两次');
			b.destroy();
		} finally {
			await t.dispose();
		}
	});
});

function equalSv(a: Uint8Array | undefined, b: Uint8Array): boolean {
	if (!a) return false;
	const da = Y.decodeStateVector(a);
	const db = Y.decodeStateVector(b);
	for (const [client, clock] of db) if ((da.get(client) ?? 0) < clock) return false;
	return true;
}
