/**
 * The app's case sync layer (src/lib/sync/case) against the real relay's sync server
 * (server/sync/*, real SQLite in a temp dir), in one process, joined by hand-flushed socket
 * pairs (socket-pair.ts): the test decides when each direction's messages arrive. IndexedDB is
 * fake-indexeddb, so y-indexeddb and Dexie run in Node as in the browser.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { CaseSnapshot } from '../../src/lib/domain';
import { chinaDate } from '../../src/lib/domain';
import { toSnapshot } from '../../src/lib/case-doc';
import { CaseSync, type CaseView } from '../../src/lib/sync/case/case-sync';
import type { SessionUser } from '../../src/lib/sync/contract';
import { AppDb } from '../../src/lib/sync/db';
import * as engine from '../../src/lib/sync/engine';
import { createTokenService } from '../../server/auth/tokens';
import { createCalendarService, type CalendarService } from '../../server/calendar';
import { DEMO_ORGS, DEMO_USERS, prepareCase, storeCase } from '../../server/seed';
import { openSqliteStorage } from '../../server/storage';
import type { Storage } from '../../server/storage/types';
import { contentOf } from '../../server/sync/case-loader';
import { DocRegistry } from '../../server/sync/doc-registry';
import { SyncServer } from '../../server/sync/sync-server';
import { mulberry32 } from '../unit/helpers';
import { SocketNetwork, type SocketPair } from './socket-pair';

/** A seeded PRNG (mulberry32): the same seed gives the same client and event ids every run. */
export const prng = mulberry32;

/** A clock that starts at `start` and moves one second on each reading (ordered recordedAt). */
export function tickingClock(start: Date): () => Date {
	let t = start.getTime();
	return () => new Date((t += 1000));
}

/** The relay's sync side in this process, on its own SQLite database. */
export interface InProcessRelay {
	storage: Storage;
	registry: DocRegistry;
	sync: SyncServer;
	/** A token for one of the demo users (DEMO_USERS), as a login would give. */
	token(userId: string): Promise<string>;
	/** The relay admits a socket the app opened: token, then `SyncServer.attach`. */
	admit(pair: SocketPair): Promise<void>;
	/** Resolves once the relay has handled every message delivered to it for the case. */
	idle(caseId: string): Promise<void>;
	/** The case as the relay's stored update log rebuilds it. */
	stored(caseId: string): Promise<CaseSnapshot>;
	/** The relay's quarantine of the case: rule, sender and the events each update carried. */
	quarantined(caseId: string): Promise<{ rule: string; userId: string; events: string[] }[]>;
	dispose(): Promise<void>;
}

/**
 * Starts the relay's sync server on a fresh database holding the demo orgs and users and the
 * given case (stored as the relay would have received it, one update per event).
 */
export async function startInProcessRelay(opts: {
	now: Date;
	cases: readonly CaseSnapshot[];
}): Promise<InProcessRelay> {
	const dataDir = mkdtempSync(join(tmpdir(), 'ysya-client-sync-'));
	const storage = openSqliteStorage({ path: join(dataDir, 'yishengyian.sqlite') });
	const now = () => opts.now;
	for (const org of DEMO_ORGS) await storage.addOrg({ ...org });
	for (const u of DEMO_USERS) {
		await storage.addUser({
			id: u.username,
			username: u.username,
			displayName: u.displayName,
			orgId: u.orgId,
			role: u.role,
			// Nobody logs in with a password here: tokens are signed directly.
			passwordHash: 'unused',
			disabled: false,
			createdAt: opts.now.toISOString()
		});
	}
	const today = chinaDate(opts.now);
	for (const c of opts.cases) await storeCase(storage, prepareCase(c, today));
	const log = () => undefined;
	const calendar: CalendarService = await createCalendarService({
		storage,
		now,
		log,
		pollMs: 60_000
	});
	const registry = new DocRegistry(storage, () => calendar.current(), { now, log });
	const sync = new SyncServer({ registry, storage, now, calendar: () => calendar.current(), log });
	const tokens = createTokenService({ secret: new Uint8Array(32).fill(7), now });

	return {
		storage,
		registry,
		sync,
		async token(userId) {
			const u = DEMO_USERS.find((x) => x.username === userId);
			if (!u) throw new Error(`no demo user ${userId}`);
			return tokens.sign({
				userId,
				username: userId,
				orgId: u.orgId,
				orgKind: u.orgKind,
				role: u.role
			});
		},
		async admit(pair) {
			const claims = await tokens.verify(pair.token);
			if (!claims) throw new Error('bad token');
			pair.open();
			await sync.attach(
				pair.server as unknown as WebSocket,
				{
					userId: claims.userId,
					orgId: claims.orgId,
					orgKind: claims.orgKind,
					role: claims.role,
					expiresAt: claims.expiresAt
				},
				pair.caseId,
				[],
				() => undefined
			);
		},
		async idle(caseId) {
			for (;;) {
				const entry = registry.peek(caseId);
				if (!entry) return;
				const q = entry.queue;
				await q;
				await new Promise((r) => setImmediate(r));
				if (entry.queue === q) return;
			}
		},
		async stored(caseId) {
			const doc = new Y.Doc();
			for (const u of await storage.loadUpdates(caseId)) Y.applyUpdate(doc, u.update);
			const r = toSnapshot(doc);
			doc.destroy();
			if (!r.ok) throw new Error('stored case does not load');
			return r.value;
		},
		async quarantined(caseId) {
			return (await storage.listQuarantine(caseId)).map((q) => ({
				rule: q.rule,
				userId: q.userId,
				events: contentOf(q.update).events.map((e) => e.id)
			}));
		},
		async dispose() {
			calendar.close();
			await registry.closeAll();
			await storage.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** A device: one user's app databases and one open case, its sockets on a `SocketNetwork`. */
export interface Device {
	user: SessionUser;
	net: SocketNetwork;
	db: AppDb;
	view: CaseView;
	sync: CaseSync;
	close(): void;
}

/**
 * Opens the case on a device of `userId` as the app does (CaseSync, as CaseSessionImpl runs
 * it), with client and event ids from `seed`, the device's `today` and a fixed clock.
 */
export async function openDevice(
	relay: InProcessRelay,
	o: { userId: string; caseId: string; today: string; now: () => Date; seed: number }
): Promise<Device> {
	const u = DEMO_USERS.find((x) => x.username === o.userId);
	if (!u) throw new Error(`no demo user ${o.userId}`);
	const org = DEMO_ORGS.find((x) => x.id === u.orgId);
	const user: SessionUser = {
		id: u.username,
		username: u.username,
		displayName: u.displayName,
		orgId: u.orgId,
		orgName: org?.name ?? u.orgId,
		orgKind: u.orgKind,
		role: u.role
	};
	const token = await relay.token(o.userId);
	const random = prng(o.seed);
	const hex = (n: number) =>
		Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
	const net = new SocketNetwork();
	const db = new AppDb(o.userId);
	const view: CaseView = {
		loaded: false,
		denied: null,
		snapshot: null,
		evaluation: null,
		calendar: null,
		connection: 'offline',
		pending: 0,
		refusals: [],
		peers: [],
		plan: ''
	};
	const sync = new CaseSync(o.caseId, view, {
		db,
		wsBase: 'ws://relay.test/sync',
		apiBase: 'http://relay.test',
		user: () => user,
		token: () => token,
		today: () => o.today,
		onUnauthorized: () => undefined,
		onChange: () => undefined,
		engine,
		now: o.now,
		clientId: () => 1 + Math.floor(random() * 0xfffffffe),
		eventId: () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
		socket: { WebSocketPolyfill: net.WebSocket, disableBc: true, maxBackoffTime: 100 }
	});
	return {
		user,
		net,
		db,
		view,
		sync,
		close() {
			sync.close();
			for (const p of net.pairs) p.drop();
			db.close();
		}
	};
}

/**
 * Delivers messages both ways on one socket until neither side has anything more to say:
 * the app's messages to the relay (and the relay's handling of them), then the relay's to the
 * app, and again. The order within each direction is the order they were sent in.
 */
export async function exchange(relay: InProcessRelay, pair: SocketPair): Promise<void> {
	for (let round = 0; round < 100; round++) {
		const up = pair.flushToServer();
		await relay.idle(pair.caseId);
		const down = pair.flushToClient();
		await turns();
		if (up === 0 && down === 0 && pair.idle) return;
	}
	throw new Error('the socket never went quiet');
}

/** Lets the app's pending IndexedDB work run (a few turns of the event loop). */
export async function turns(n = 5): Promise<void> {
	for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
}
