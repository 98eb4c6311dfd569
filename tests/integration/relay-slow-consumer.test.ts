import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { getPlan, setPlan } from '../../src/lib/case-doc';
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS } from '../../src/lib/protocol/ws';
import { MAX_BUFFERED_BYTES } from '../../server/sync/sync-server';
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

/** An awareness message announcing `state` for a client of its own (as a provider sends it). */
function awarenessMessage(aw: awarenessProtocol.Awareness, state: Record<string, unknown>) {
	aw.setLocalState(state);
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID]));
	return encoding.toUint8Array(e);
}

describe('a client that never reads (issue 10)', () => {
	let t: TestRelay;
	let token: string;
	let caseId: string;
	const clients: Client[] = [];
	beforeAll(async () => {
		t = await startRelay();
		token = await login(t, 'school1');
		caseId = await createCase(t, token);
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it(`is closed with ${CLOSE.slowConsumer} once its send buffer passes the limit; other clients of the case stay`, async () => {
		const other = connect(t, caseId, token);
		clients.push(other);
		await synced(other);

		const slow = new WebSocket(`${t.wsUrl}/${caseId}?token=${token}`);
		let received = 0;
		let closed: { code: number; reason: string } | null = null;
		slow.on('message', (data: Buffer) => (received += data.length));
		slow.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
		await new Promise<void>((done, fail) => {
			slow.once('open', () => done());
			slow.once('error', fail);
		});
		// Stop reading: what the relay sends now piles up in the kernel, then in the relay.
		slow.pause();

		// A 512 KiB presence state (the other client gets it once), then one-byte queries, each
		// answered to this client alone with every state: 80 MiB of answers, far beyond the
		// limit and any socket buffer. The relay answers the queries of one read in one go, and
		// this client cannot read meanwhile (the same process), so it overflows before any read.
		const doc = new Y.Doc();
		const aw = new awarenessProtocol.Awareness(doc);
		slow.send(awarenessMessage(aw, { pad: 'x'.repeat(512 * 1024) }));
		// The relay binds a presence client id to its user before it takes the state (issue 10):
		// only once the other client sees it do the queries' answers carry it.
		await until(
			() =>
				[...other.provider.awareness.getStates().values()].some(
					(st) => typeof (st as { pad?: unknown }).pad === 'string'
				),
			10_000,
			'the large presence state relayed'
		);
		const queries = 160;
		for (let i = 0; i < queries; i++) slow.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]));
		await until(() => slow.bufferedAmount === 0, 10_000, 'everything sent');

		slow.resume();
		await until(() => closed !== null, 15_000, 'the slow client closed');
		expect(closed).toEqual({ code: CLOSE.slowConsumer, reason: 'slow consumer' });
		// It got at most the limit plus what the sockets held, never every state.
		expect(received).toBeLessThan(queries * 512 * 1024);
		expect(received).toBeGreaterThan(MAX_BUFFERED_BYTES / 2);

		// The other client of the same case was not touched and still syncs.
		expect(other.closed).toEqual([]);
		const writer = connect(t, caseId, token);
		clients.push(writer);
		await synced(writer);
		setPlan(writer.doc, '慢客户端之后');
		await until(
			() => getPlan(other.doc) === '慢客户端之后',
			10_000,
			'an edit reaching the other client'
		);
		expect(other.closed).toEqual([]);
		aw.destroy();
		doc.destroy();
	}, 60_000);
});
