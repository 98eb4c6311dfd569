/**
 * Shared by bench/memory, bench/fresh-device and bench/storage (issue 14): our relay as
 * `npm start` runs it (the server bundle on plain Node with the start script's V8 flags) and
 * the unmodified @y/websocket-server, each in its own child process so that its RSS can be
 * read from /proc; the real WebsocketProvider as the client. Not a bench itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { RELAY_NODE_FLAGS, buildServer } from '../scripts/build-server.mjs';
import type * as decoding from 'lib0/decoding';
import { appendEvent, initCaseDoc, isEmptyCaseDoc } from '../src/lib/case-doc';
import { DEMO_AUTHORS } from '../src/lib/demo';
import { maskRegistryNo, type CaseEventInput } from '../src/lib/domain';
import { MESSAGE_ACCEPTED, MESSAGE_REFUSED, readAccepted } from '../src/lib/protocol/ws';

// npm runs scripts from the package root; the bench itself runs bundled from elsewhere.
export const ROOT = process.cwd();
export const HOST = '127.0.0.1';

export const STUDENT = {
	name: '基准学生',
	gender: 'female' as const,
	birthDate: '2012-03-04',
	registryNo: 'G410402201203040021',
	grade: 8
};
export const GUARDIANS = [{ name: '基准家长', relation: '母亲', phone: '13800000001' }];

/** A positive number from the environment. */
export const envNum = (name: string, fallback: number): number => {
	const v = Number(process.env[name] ?? fallback);
	if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
	return v;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
	const deadline = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(10);
	}
}

export function median(values: number[]): number {
	const v = [...values].sort((a, b) => a - b);
	const m = Math.floor(v.length / 2);
	return v.length % 2 ? (v[m] ?? NaN) : ((v[m - 1] ?? NaN) + (v[m] ?? NaN)) / 2;
}

export const fmt = (v: number, digits = 1): string =>
	Number.isFinite(v) ? v.toFixed(digits) : '—';

/** Rows padded into columns. */
export function table(rows: string[][]): string {
	const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
	return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

/** `uptime`'s load averages: other work on the machine skews every figure. */
export const loadAverage = (): string => {
	try {
		return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
	} catch {
		return '?';
	}
};

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
/** Kills every server still running and removes the temporary data folders. */
export function cleanup(): void {
	for (const p of live) p.kill('SIGKILL');
	live.clear();
	for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
	tempDirs.clear();
}
/** Cleans up on exit and on Ctrl-C. */
export function cleanupOnExit(): void {
	process.setMaxListeners(0); // one exit listener per provider's socket
	process.on('exit', cleanup);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(sig, () => {
			cleanup();
			process.exit(130);
		});
	}
}

export function tempDir(prefix: string): string {
	const d = mkdtempSync(join(tmpdir(), prefix));
	tempDirs.add(d);
	return d;
}

export interface Server {
	pid: number;
	port: number;
	dataDir: string;
	/** Resident memory now (MiB, from /proc). */
	rss(): number;
	/** Samples RSS every 20 ms until the returned function is called; it returns the peak. */
	samplePeak(): () => number;
	tail(): string;
	stop(): Promise<void>;
}

export function rssMiB(pid: number): number {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m?.[1] ? Number(m[1]) / 1024 : NaN;
	} catch {
		return NaN;
	}
}

function startServer(
	args: string[],
	env: NodeJS.ProcessEnv,
	ready: RegExp,
	dataDir: string
): Promise<Server> {
	const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(proc);
	let out = '';
	const onData = (chunk: Buffer) => {
		out = (out + chunk.toString()).slice(-8000);
	};
	proc.stdout.on('data', onData);
	proc.stderr.on('data', onData);
	const exited = new Promise<void>((done) =>
		proc.once('exit', () => {
			live.delete(proc);
			done();
		})
	);
	return new Promise<Server>((resolve, reject) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`server did not start within 60 s\n${out}`));
		}, 60_000);
		proc.once('exit', (code, signal) => {
			clearTimeout(timer);
			reject(new Error(`server exited (${code ?? signal}) before listening\n${out}`));
		});
		const check = () => {
			const m = ready.exec(out);
			const pid = proc.pid;
			if (!m?.[1] || pid === undefined) return;
			clearTimeout(timer);
			proc.stdout.off('data', check);
			resolve({
				pid,
				port: Number(m[1]),
				dataDir,
				rss: () => rssMiB(pid),
				samplePeak() {
					let peak = rssMiB(pid);
					const t = setInterval(() => {
						const v = rssMiB(pid);
						if (v > peak) peak = v;
					}, 20);
					return () => {
						clearInterval(t);
						return Math.max(peak, rssMiB(pid) || 0);
					};
				},
				tail: () => out,
				async stop() {
					proc.kill('SIGTERM');
					const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
					await exited;
					clearTimeout(t);
				}
			});
		};
		proc.stdout.on('data', check);
	});
}

/**
 * Our relay as `npm start` runs it: the server bundle on plain Node with the start script's
 * V8 flags (RELAY_NODE_FLAGS), on a fresh data folder (or `dataDir`, to reopen one).
 */
export async function startOurs(
	options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}
): Promise<Server> {
	const dataDir = options.dataDir ?? tempDir('ysya-bench-');
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: '0',
		HOST,
		DATA_DIR: dataDir,
		JWT_SECRET: randomBytes(32).toString('hex'),
		...options.env
	};
	delete env.SEED; // the default: the demo district, whose school1 logs in below
	delete env.NODE_ENV;
	return startServer(
		[...RELAY_NODE_FLAGS, await buildServer()],
		env,
		/listening on http:\/\/127\.0\.0\.1:(\d+)/,
		dataDir
	);
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, HOST, () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
}

/** The unmodified reference, @y/websocket-server's own bin; in memory unless YPERSISTENCE. */
export async function startReference(env: NodeJS.ProcessEnv = {}): Promise<Server> {
	const bin = join(ROOT, 'node_modules/@y/websocket-server/src/server.js');
	for (let attempt = 1; ; attempt++) {
		const e: NodeJS.ProcessEnv = { ...process.env, HOST, PORT: String(await freePort()), ...env };
		if (!env.YPERSISTENCE) delete e.YPERSISTENCE;
		delete e.CALLBACK_URL;
		try {
			return await startServer([bin], e, /running at '[^']*' on port (\d+)/, '');
		} catch (err) {
			if (attempt >= 3) throw err; // the port was taken between our probe and its listen
		}
	}
}

export async function post<T>(
	base: string,
	path: string,
	body: unknown,
	token?: string
): Promise<T> {
	const res = await fetch(`${base}${path}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: JSON.stringify(body)
	});
	if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
	return (await res.json()) as T;
}

export const baseOf = (s: Server): string => `http://${HOST}:${s.port}`;

/** Logs in as the demo school's account. */
export async function login(server: Server): Promise<string> {
	const body = { username: 'school1', password: 'demo-pass' };
	return (await post<{ token: string }>(baseOf(server), '/api/login', body)).token;
}

/** Creates `n` cases on our relay over HTTP, `parallel` at a time; returns their ids. */
export async function createCases(
	server: Server,
	token: string,
	n: number,
	parallel = 4
): Promise<string[]> {
	const ids: string[] = [];
	let next = 0;
	const body = { profile: 'shilong-2022', student: STUDENT, guardians: GUARDIANS };
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < n) {
				next++;
				ids.push((await post<{ id: string }>(baseOf(server), '/api/cases', body, token)).id);
			}
		})
	);
	return ids;
}

/** The case document as our relay creates it, for the reference (which holds nothing). */
export function initLikeOurs(doc: Y.Doc, id: string): void {
	initCaseDoc(doc, {
		id,
		profile: 'shilong-2022',
		createdAt: new Date().toISOString(),
		createdBy: DEMO_AUTHORS.school,
		orgs: { schoolId: 'org-school1', streetId: 'org-street1' },
		student: {
			...STUDENT,
			registryNo: maskRegistryNo(STUDENT.registryNo),
			schoolId: 'org-school1'
		},
		guardians: GUARDIANS.map((g, k) => ({ ...g, id: `g${k + 1}` }))
	});
}

/** The sync URL and parameters of a server for WebsocketProvider. */
export function syncTarget(
	server: Server,
	token: string | null
): { url: string; params: Record<string, string> } {
	return token
		? { url: `ws://${HOST}:${server.port}/sync`, params: { token } }
		: { url: `ws://${HOST}:${server.port}`, params: {} };
}

/** A real WebsocketProvider on Node (no BroadcastChannel: each provider is its own device). */
export function provider(
	target: { url: string; params: Record<string, string> },
	room: string,
	doc: Y.Doc
): WebsocketProvider {
	const p = new WebsocketProvider(target.url, room, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params: target.params,
		disableBc: true
	});
	// Our relay's own messages (src/lib/protocol/ws.ts); the app reads them, the bench not.
	p.messageHandlers[MESSAGE_ACCEPTED] = () => undefined;
	p.messageHandlers[MESSAGE_REFUSED] = () => undefined;
	return p;
}

/** The relay's "today" (China time, as in server/sync): the rules refuse later dates. */
export const chinaDate = (d: Date): string =>
	new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Writes `events` real case events into each room, one update per event as a device makes
 * them, `parallel` rooms at a time; against our relay it waits until every one is accepted
 * (stored), against the reference until it has been sent. Returns every update made, per room,
 * the first being the document as the writer first had it (for the storage bench).
 */
export async function fillCases(
	server: Server,
	token: string | null,
	rooms: string[],
	events: number,
	parallel = 10
): Promise<Map<string, Uint8Array[]>> {
	const target = syncTarget(server, token);
	const today = chinaDate(new Date());
	const updates = new Map<string, Uint8Array[]>();
	let next = 0;
	const one = async (room: string) => {
		const doc = new Y.Doc();
		if (!token) initLikeOurs(doc, room);
		const p = provider(target, room, doc);
		let accepted = 0;
		p.messageHandlers[MESSAGE_ACCEPTED] = (_e, d: decoding.Decoder) => {
			const sv = readAccepted(d);
			if (sv) accepted = Y.decodeStateVector(sv).get(doc.clientID) ?? accepted;
		};
		try {
			await until(() => p.synced && !isEmptyCaseDoc(doc), 60_000, 'writer synced');
			const list = [Y.encodeStateAsUpdate(doc)];
			doc.on('update', (u: Uint8Array) => list.push(u));
			for (let n = 0; n < events; n++) {
				const ev: CaseEventInput = {
					id: `bench-${room}-${n}`,
					type: 'home_visit',
					date: today,
					recordedAt: new Date().toISOString(),
					author: DEMO_AUTHORS.school,
					v: 1,
					mode: 'phone',
					contacted: '',
					findings: `bench ${n}`
				};
				const r = appendEvent(doc, ev, today);
				if (!r.ok) throw new Error(`refused locally: ${r.rule}: ${r.reason.en}`);
			}
			const clock = Y.getState(doc.store, doc.clientID);
			const ws = () => p.ws as { bufferedAmount: number } | null;
			await until(
				() => (token ? accepted >= clock : (ws()?.bufferedAmount ?? 1) === 0),
				120_000,
				'events stored'
			);
			if (!token) await sleep(200);
			updates.set(room, list);
		} finally {
			p.destroy();
			doc.destroy();
		}
	};
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			for (let room = rooms[next++]; room !== undefined; room = rooms[next++]) await one(room);
		})
	);
	return updates;
}
