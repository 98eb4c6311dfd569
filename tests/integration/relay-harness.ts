import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import type { StudentInput } from '../../src/lib/domain';
import {
	MESSAGE_ACCEPTED,
	MESSAGE_REFUSED,
	readAccepted,
	readRefused,
	type Refused
} from '../../src/lib/protocol/ws';
import { createTokenService, loadOrCreateSecret } from '../../server/auth/tokens';
import { createRelay, type Relay, type RelayOptions } from '../../server/relay';
import { seedDemoDistrict } from '../../server/seed';
import { openSqliteStorageInWorker } from '../../server/storage/worker';
import type { Storage } from '../../server/storage/types';

/** A real relay on a free loopback port with real SQLite in a temp dir. */
export interface TestRelay {
	relay: Relay;
	storage: Storage;
	dataDir: string;
	url: string;
	wsUrl: string;
	/** Stops the relay (keeps the data dir). */
	stop(): Promise<void>;
	/** Starts a new relay on the same data dir (after stop). */
	restart(): Promise<TestRelay>;
	/** Stops and removes the data dir. */
	dispose(): Promise<void>;
}

let seededHash: string | null = null;

/** Starts a relay; seeds the demo district once per data dir. `now` is fixed for determinism. */
export async function startRelay(
	opts: {
		dataDir?: string;
		now?: Date;
		log?: (l: string) => void;
		/** How often the relay re-reads the stored calendar entries (the relay's default: 10 s). */
		calendarPollMs?: number;
		/** Further relay options (health probe interval, allowed origins, a build to serve, …). */
		relay?: Partial<Omit<RelayOptions, 'port' | 'storage' | 'tokens' | 'now' | 'log'>>;
		/**
		 * What the relay gets instead of the real storage: a wrapper around it (every call passes
		 * through to real SQLite), so a test counts what the relay asked of it. `storage` of the
		 * result stays the real one.
		 */
		wrapStorage?: (real: Storage) => Storage;
	} = {}
): Promise<TestRelay> {
	const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ysya-relay-'));
	const now = opts.now ?? new Date('2026-11-23T02:00:00.000Z');
	// The storage as `npm start` runs it: SQLite on its own thread.
	const storage = await openSqliteStorageInWorker({ path: join(dataDir, 'yishengyian.sqlite') });
	await seedDemoDistrict(storage, {
		now,
		// argon2 is slow on purpose; tests hash the demo password once per process.
		hash: async (pw) =>
			(seededHash ??= await (await import('../../server/auth/passwords')).hashPassword(pw))
	});
	const tokens = createTokenService({ secret: loadOrCreateSecret({ dataDir }), now: () => now });
	const lines: string[] = [];
	const relay = await createRelay({
		port: 0,
		storage: opts.wrapStorage ? opts.wrapStorage(storage) : storage,
		tokens,
		now: () => now,
		buildDir: null,
		log: opts.log ?? ((l) => lines.push(l)),
		...(opts.calendarPollMs === undefined ? {} : { calendarPollMs: opts.calendarPollMs }),
		...opts.relay
	});
	const url = relay.url;
	const t: TestRelay = {
		relay,
		storage,
		dataDir,
		url,
		wsUrl: url.replace('http', 'ws') + '/sync',
		async stop() {
			await relay.close();
			await storage.close();
		},
		async restart() {
			return startRelay({ ...opts, dataDir });
		},
		async dispose() {
			await t.stop().catch(() => undefined);
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
	return t;
}

/**
 * The real storage with every call passed through `around(method, args, call)`, which must
 * return what `call()` (the real method) returns: a test counts, or holds back for a moment,
 * what the relay asks of real SQLite — it never answers in its place.
 */
export function aroundStorage(
	real: Storage,
	around: (method: string, args: unknown[], call: () => unknown) => unknown
): Storage {
	return new Proxy(real, {
		get(target, key, receiver) {
			const value: unknown = Reflect.get(target, key, receiver);
			if (typeof value !== 'function' || typeof key !== 'string') return value;
			const fn = value as (...args: unknown[]) => unknown;
			return (...args: unknown[]) => around(key, args, () => fn.apply(target, args));
		}
	});
}

/** Logs in over HTTP and returns the token. */
export async function login(
	t: TestRelay,
	username: string,
	password = 'demo-pass'
): Promise<string> {
	const res = await fetch(`${t.url}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	});
	if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
	return ((await res.json()) as { token: string }).token;
}

/** Creates a case over HTTP as a school user; returns its id. */
export async function createCase(
	t: TestRelay,
	token: string,
	student: Partial<StudentInput> = {}
): Promise<string> {
	const res = await fetch(`${t.url}/api/cases`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({
			profile: 'shilong-2022',
			student: {
				name: '测试学生',
				gender: 'female',
				birthDate: '2012-03-04',
				registryNo: 'G410402201203040021',
				grade: 8,
				...student
			},
			guardians: [{ name: '测试家长', relation: '母亲', phone: '13800000001' }]
		})
	});
	if (res.status !== 201) throw new Error(`create case: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { id: string }).id;
}

/** A real y-websocket client in Node, with handlers for the relay's accepted/refused messages. */
export interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
	refused: Refused[];
	accepted: Uint8Array[];
	closed: { code: number; reason: string }[];
	destroy(): void;
}

/**
 * Whether the relay's latest accepted message covers everything this client wrote: `accepted`
 * is sent to every client after any durable write, restricted to its own client ids, so its
 * mere arrival says nothing about this client's own edits.
 */
export function ownWritesAccepted(c: Client): boolean {
	const last = c.accepted[c.accepted.length - 1];
	if (!last) return false;
	const mine = Y.getState(c.doc.store, c.doc.clientID);
	return (Y.decodeStateVector(last).get(c.doc.clientID) ?? 0) >= mine;
}

/** Connects a client to a case. */
export function connect(
	t: TestRelay,
	caseId: string,
	token: string | null,
	doc = new Y.Doc()
): Client {
	const provider = new WebsocketProvider(t.wsUrl, caseId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params: token ? { token } : {},
		disableBc: true,
		maxBackoffTime: 200
	});
	const c: Client = {
		doc,
		provider,
		refused: [],
		accepted: [],
		closed: [],
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
	provider.messageHandlers[MESSAGE_REFUSED] = (_e, d: decoding.Decoder) => {
		const r = readRefused(d);
		if (r) c.refused.push(r);
	};
	provider.messageHandlers[MESSAGE_ACCEPTED] = (_e, d: decoding.Decoder) => {
		const sv = readAccepted(d);
		if (sv) c.accepted.push(sv);
	};
	provider.on('closed', (ev: { code: number; reason: string }) => c.closed.push(ev));
	return c;
}

/** Waits until `cond` holds, checking on every turn of the event loop, up to `ms`. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
	const deadline = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

/** Waits for a client's first sync with the relay. */
export function synced(c: Client, ms = 5000): Promise<void> {
	return until(() => c.provider.synced, ms, 'sync');
}
