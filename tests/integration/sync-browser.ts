/**
 * The browser around the app's sync layer, in Node, for tests/integration/sync-*.test.ts.
 * Environment, not mocks of our code: IndexedDB is fake-indexeddb (a real implementation, so
 * Dexie and y-indexeddb run as in the browser), localStorage a Map-backed Storage
 * (tests/unit/map-storage.ts), WebSocket the `ws` package's client (what y-websocket opens by
 * default), and `Date` is faked from a fixed instant, advancing with real time, so the device's
 * clock is the test's, never today's.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import Dexie from 'dexie';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { SessionManager } from '../../src/lib/sync/session.svelte';
import { Workspace } from '../../src/lib/sync/workspace.svelte';
import type { Device } from '../../src/lib/sync/device.svelte';
import { installLocalStorage } from '../unit/map-storage';
import { startRelay, type TestRelay } from './relay-harness';

/** A fresh, empty IndexedDB for Dexie and y-indexeddb. */
export function freshIndexedDb(): void {
	globalThis.indexedDB = new IDBFactory();
	Dexie.dependencies.indexedDB = globalThis.indexedDB;
}

/** Installs the browser: the device's clock at `now`, empty IndexedDB and localStorage. */
export function installBrowser(now: Date): void {
	vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
	vi.setSystemTime(now);
	freshIndexedDb();
	installLocalStorage();
	Object.defineProperty(globalThis, 'WebSocket', {
		value: WebSocket,
		configurable: true,
		writable: true
	});
}

/** One page of the app: the session wired to its workspace as the root layout wires them. */
export interface Page {
	ws: Workspace;
	s: SessionManager;
}

/** The pages a test file opened, closed together. */
export class Pages {
	readonly open: Page[] = [];

	constructor(private readonly relay: () => TestRelay) {}

	/** A page (not logged in); `device` is shared when given. */
	page(device?: Device): Page {
		const t = this.relay();
		const hold: { ws: Workspace | null } = { ws: null };
		const s = new SessionManager(t.url, {
			loggedIn: (u, days) => hold.ws?.loggedIn(u.id, days) ?? Promise.resolve(),
			loggedOut: (u, wipe) => hold.ws?.loggedOut(u.id, wipe) ?? Promise.resolve()
		});
		const ws = new Workspace(s, { api: t.url, ws: t.wsUrl }, device);
		hold.ws = ws;
		const p = { ws, s };
		this.open.push(p);
		return p;
	}

	/** A page with `username` logged in (demo password). */
	async as(username: string): Promise<Page> {
		const p = this.page();
		const r = await p.s.login(username, 'demo-pass');
		if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
		return p;
	}

	closeAll(): void {
		for (const { ws, s } of this.open.splice(0)) {
			ws.dispose();
			s.dispose();
		}
	}
}

/**
 * A test file's relay (started once, at `now`) and its pages: a fresh browser before each test
 * (installBrowser), every page closed after it.
 */
export function relayWithPages(now: Date): { relay: () => TestRelay; pages: Pages } {
	let t: TestRelay | null = null;
	const relay = () => {
		if (!t) throw new Error('the relay is not started');
		return t;
	};
	const pages = new Pages(relay);
	beforeAll(async () => {
		t = await startRelay({ now });
	});
	afterAll(async () => {
		await t?.dispose();
	});
	beforeEach(() => installBrowser(now));
	afterEach(() => {
		pages.closeAll();
		vi.useRealTimers();
	});
	return { relay, pages };
}
