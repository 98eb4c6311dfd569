/**
 * Issue 14: the relay checks update n+1 of a case while update n is being stored, and still
 * broadcasts strictly in send order and only once each update is durable; a refused update never
 * lets a later one that builds on it through (the causality check). Real relay, real SQLite on
 * its storage thread; the storage is wrapped only to note, the moment each append resolves (is
 * on disk), which events it carried, so a receiver can tell whether what it got was stored first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { appendEvent, readEvents } from '../../src/lib/case-doc';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import type { CaseEventInput } from '../../src/lib/domain';
import {
	MESSAGE_REFUSED,
	MESSAGE_SYNC,
	readRefused,
	type Refused
} from '../../src/lib/protocol/ws';
import { createTokenService, loadOrCreateSecret } from '../../server/auth/tokens';
import { hashPassword } from '../../server/auth/passwords';
import { createRelay, type Relay } from '../../server/relay';
import { seedDemoDistrict } from '../../server/seed';
import type { Storage } from '../../server/storage/types';
import { openSqliteStorageInWorker } from '../../server/storage/worker';
import {
	connect,
	createCase,
	login,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

// The relay's fixed clock: 2026-11-23 10:00 China time (02:00 UTC + 8 h, a Monday); every
// event below is a phone home visit dated that day (the case is created the same day, so no
// event is before it and none after today). Home visits may repeat on one day, absences not (G-M2).
const NOW = new Date('2026-11-23T02:00:00.000Z');
const TODAY = '2026-11-23';

let n = 0;
function visit(author: CaseEventInput['author'] = DEMO_AUTHORS.school): CaseEventInput {
	n++;
	return {
		id: `pipe-${n}`,
		type: 'home_visit',
		date: TODAY,
		recordedAt: `${TODAY}T01:00:00.000Z`,
		author,
		v: 1,
		mode: 'phone',
		contacted: '',
		findings: `第${n}次电话家访`
	};
}

/** The updates `edit` makes to `doc`, one per change, in order (what a provider would send). */
function capture(doc: Y.Doc, edit: () => void): Uint8Array[] {
	const out: Uint8Array[] = [];
	const on = (u: Uint8Array) => out.push(u);
	doc.on('update', on);
	try {
		edit();
	} finally {
		doc.off('update', on);
	}
	return out;
}

function append(doc: Y.Doc, ev: CaseEventInput): void {
	const r = appendEvent(doc, ev, TODAY);
	if (!r.ok) throw new Error(`${r.rule}: ${r.reason.en}`);
}

function updateMessage(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_SYNC);
	syncProtocol.writeUpdate(e, update);
	return encoding.toUint8Array(e);
}

/** A raw socket of a case, with the refusals it hears. */
async function rawSocket(
	url: string,
	caseId: string,
	token: string
): Promise<{ ws: WebSocket; refused: Refused[] }> {
	const ws = new WebSocket(`${url}/${caseId}?token=${token}`);
	const refused: Refused[] = [];
	ws.on('message', (data: Buffer) => {
		const d = decoding.createDecoder(new Uint8Array(data));
		if (decoding.readVarUint(d) !== MESSAGE_REFUSED) return;
		const r = readRefused(d);
		if (r) refused.push(r);
	});
	await new Promise<void>((resolve, reject) => {
		ws.on('open', () => resolve());
		ws.on('error', reject);
	});
	return { ws, refused };
}

describe('relay: per-case pipeline (issue 14)', () => {
	let relay: Relay;
	let storage: Storage;
	let dataDir: string;
	let t: TestRelay;
	let school1: string;
	/** Event ids of every append that resolved (is durable), noted as it resolves. */
	const durable = new Set<string>();
	/** The event ids each appendUpdates call (one transaction) carried. */
	const batches: string[][] = [];
	/** Event ids a receiver got before the append carrying them had resolved. */
	const early: string[] = [];
	const clients: Client[] = [];
	const sockets: WebSocket[] = [];

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'ysya-pipe-'));
		const real = await openSqliteStorageInWorker({ path: join(dataDir, 'yishengyian.sqlite') });
		// argon2 is slow on purpose: every demo account gets the one hash of the demo password.
		let hash: Promise<string> | null = null;
		await seedDemoDistrict(real, { now: NOW, hash: (pw) => (hash ??= hashPassword(pw)) });
		storage = {
			...real,
			appendUpdates: async (batch) => {
				const seqs = await real.appendUpdates(batch);
				const carried: string[] = [];
				for (const u of batch) {
					const text = Buffer.from(u.update).toString('latin1');
					for (const m of text.matchAll(/pipe-\d+/g)) carried.push(m[0]);
				}
				for (const id of carried) durable.add(id);
				batches.push(carried);
				return seqs;
			}
		};
		const tokens = createTokenService({ secret: loadOrCreateSecret({ dataDir }), now: () => NOW });
		relay = await createRelay({
			port: 0,
			storage,
			tokens,
			now: () => NOW,
			buildDir: null,
			log: () => undefined
		});
		// The harness's helpers need only the addresses.
		t = {
			relay,
			storage,
			dataDir,
			url: relay.url,
			wsUrl: relay.url.replace('http', 'ws') + '/sync'
		} as TestRelay;
		school1 = await login(t, 'school1');
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const s of sockets) s.close();
		await relay.close();
		await storage.close();
		rmSync(dataDir, { recursive: true, force: true });
	});

	/** A receiver that checks, as each event arrives, that the relay had stored it. */
	function receiver(caseId: string): { client: Client; order: string[] } {
		const client = connect(t, caseId, school1);
		clients.push(client);
		const order: string[] = [];
		client.doc.getArray('events').observe((e) => {
			for (const d of e.changes.delta) {
				for (const v of (d.insert ?? []) as { id?: string }[]) {
					if (typeof v.id !== 'string' || !v.id.startsWith('pipe-')) continue;
					order.push(v.id);
					if (!durable.has(v.id)) early.push(v.id);
				}
			}
		});
		return { client, order };
	}

	/** A writer's doc synced with the relay, then offline: its edits are sent by hand. */
	async function writerDoc(caseId: string): Promise<Y.Doc> {
		const w = connect(t, caseId, school1);
		clients.push(w);
		await synced(w);
		w.provider.disconnect();
		return w.doc;
	}

	it('updates of several cases sent back-to-back arrive in send order, each only once stored', async () => {
		const CASES = 3;
		const PER_CASE = 12;
		const ids = await Promise.all(
			Array.from({ length: CASES }, (_, i) => createCase(t, school1, { name: `流水线学生${i}` }))
		);
		const receivers = ids.map((id) => receiver(id));
		await Promise.all(receivers.map((r) => synced(r.client)));
		const docs = await Promise.all(ids.map((id) => writerDoc(id)));
		// Each case's updates, one event each, in the order the writer made them.
		const sent = docs.map(() => [] as string[]);
		const updates = docs.map((doc, c) =>
			capture(doc, () => {
				for (let k = 0; k < PER_CASE; k++) {
					const ev = visit();
					sent[c]?.push(ev.id);
					append(doc, ev);
				}
			})
		);
		const socks = await Promise.all(ids.map((id) => rawSocket(t.wsUrl, id, school1)));
		sockets.push(...socks.map((s) => s.ws));
		// Interleaved across cases in one synchronous loop: all of them reach the relay at once,
		// so later updates of a case are checked while earlier ones are being stored.
		for (let k = 0; k < PER_CASE; k++) {
			for (let c = 0; c < CASES; c++) {
				const u = updates[c]?.[k];
				if (u) socks[c]?.ws.send(updateMessage(u));
			}
		}
		await until(
			() => receivers.every((r) => r.order.length === PER_CASE),
			10_000,
			'every event at the receivers'
		);
		receivers.forEach((r, c) => expect(r.order).toEqual(sent[c]));
		expect(early).toEqual([]);
		// Pipelined and batched: one case's 12 updates took far fewer than 12 transactions (one
		// after another, each waited for the previous one's commit: 12).
		const mine = new Set(sent.flat());
		const used = batches.filter((b) => b.some((id) => mine.has(id)));
		for (const ids of sent) {
			expect(used.filter((b) => b.some((id) => ids.includes(id))).length).toBeLessThan(
				PER_CASE / 2
			);
		}
		// Whether the cases also shared a transaction depends on when each socket's bytes reach the
		// relay (under a parallel test run they can land a commit apart): not asserted here.
		expect(socks.flatMap((s) => s.refused)).toEqual([]);
		// Stored in the same order (seq order of each case's log).
		for (let c = 0; c < CASES; c++) {
			const id = ids[c] ?? '';
			const doc = new Y.Doc();
			for (const u of await storage.loadUpdates(id)) Y.applyUpdate(doc, u.update);
			expect(readEvents(doc).map((e) => e.id)).toEqual(sent[c]);
		}
	});

	it('a refused update and one built on it are both refused; the one before them still lands', async () => {
		const id = await createCase(t, school1, { name: '因果学生' });
		const r = receiver(id);
		await synced(r.client);
		const doc = await writerDoc(id);
		const good = visit();
		// S-9 / issue 10: an event must carry the sender's own name; this one is refused (author).
		const forged = visit({ ...DEMO_AUTHORS.school, name: '冒名的人' });
		const after = visit(); // appended after the forged one: it builds on it (causality)
		const [u0, u1, u2] = capture(doc, () => {
			append(doc, good);
			append(doc, forged);
			append(doc, after);
		});
		const sock = await rawSocket(t.wsUrl, id, school1);
		sockets.push(sock.ws);
		for (const u of [u0, u1, u2]) if (u) sock.ws.send(updateMessage(u));
		await until(() => sock.refused.length === 2, 10_000, 'two refusals');
		expect(sock.refused.map((x) => x.rule)).toEqual(['author', 'causality']);
		await until(() => r.order.length === 1, 5000, 'the good event at the receiver');
		// Nothing of the refused ones was broadcast, stored or kept in the relay's document.
		await new Promise((done) => setTimeout(done, 200));
		expect(r.order).toEqual([good.id]);
		expect(early).toEqual([]);
		const stored = new Y.Doc();
		for (const u of await storage.loadUpdates(id)) Y.applyUpdate(stored, u.update);
		expect(readEvents(stored).map((e) => e.id)).toEqual([good.id]);
		const fresh = connect(t, id, school1);
		clients.push(fresh);
		await synced(fresh);
		expect(readEvents(fresh.doc).map((e) => e.id)).toEqual([good.id]);
		const q = await storage.listQuarantine(id);
		expect(q.map((x) => x.rule).sort()).toEqual(['author', 'causality']);
		// The writer's next edit on the relay's state (after the refusals) is accepted again.
		const next = visit();
		append(fresh.doc, next);
		await until(() => r.order.length === 2, 5000, 'an edit after the refusals');
		expect(r.order).toEqual([good.id, next.id]);
	});
});
