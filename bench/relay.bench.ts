/**
 * npm run bench:relay — fan-out latency, confirmed edits/s and peak RSS of our relay against
 * @y/websocket-server 0.1.1 (no validation, no auth, no persistence) under the same load:
 * D case documents, C real WebsocketProviders each; client 0 of each document appends real case
 * events at RATE/s. Each server runs as its own child process, so its RSS and CPU can be read
 * from /proc and the client load does not share its event loop. Aim: p99 ≤ 1.5× the reference.
 *
 * Env: D, C, RATE, DURATION (s), WARMUP (s); PROFILE=1 writes a CPU profile of our relay and
 * prints its top functions. One file on purpose: eslint's default project (bench/*.ts has no
 * tsconfig) allows 8 files in all, and the repo already uses 7 of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CASE_DOC_KEYS, appendEvent, initCaseDoc, isEmptyCaseDoc } from '../src/lib/case-doc';
import { DEMO_AUTHORS, type CaseEventInput } from '../src/lib/domain';
import {
	MESSAGE_ACCEPTED,
	MESSAGE_REFUSED,
	readAccepted,
	readRefused
} from '../src/lib/sync/protocol';

const num = (name: string, fallback: number): number => {
	const v = Number(process.env[name] ?? fallback);
	if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
	return v;
};
const D = Math.round(num('D', 50));
const C = Math.round(num('C', 4));
const RATE = num('RATE', 10);
const DURATION = num('DURATION', 20);
const WARMUP = num('WARMUP', 3);
const PROFILE = process.env.PROFILE === '1';
const AIM = 1.5;
if (C < 2) throw new Error('C must be at least 2: latency is measured at the other clients');
// Every WebsocketProvider in Node adds a process 'exit' listener of its own.
process.setMaxListeners(D * C + 20);

// npm runs scripts from the package root; the bench may itself be bundled elsewhere.
const ROOT = process.cwd();
const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------------------------
// Child processes: every one is killed on exit, error or Ctrl-C.

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
function cleanup(): void {
	for (const p of live) p.kill('SIGKILL');
	live.clear();
	for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
	tempDirs.clear();
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(sig, () => {
		cleanup();
		process.exit(130);
	});
}

interface Server {
	name: string;
	pid: number;
	port: number;
	/** Last lines of its output, for errors. */
	tail(): string;
	/** SIGTERM (lets our relay write its CPU profile), SIGKILL after 10 s. */
	stop(): Promise<void>;
}

function startServer(
	name: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	ready: RegExp
): Promise<Server> {
	const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(proc);
	let out = '';
	// Keep reading after startup: a full pipe would block the child.
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
		let started = false;
		const timer = setTimeout(() => fail(`${name} did not start within 60 s`), 60_000);
		const fail = (why: string) => {
			if (started) return;
			clearTimeout(timer);
			proc.kill('SIGKILL');
			reject(new Error(`${why}\n${out}`));
		};
		proc.once('exit', (code, signal) => fail(`${name} exited (${code ?? signal}) before listening`));
		const check = () => {
			const m = ready.exec(out);
			if (!m?.[1] || proc.pid === undefined) return;
			started = true;
			clearTimeout(timer);
			proc.stdout.off('data', check);
			resolve({
				name,
				pid: proc.pid,
				port: Number(m[1]),
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

/** Our relay, as production runs it (server/main.ts through tsx), on a fresh data dir. */
async function startOurs(profileDir: string | null): Promise<Server> {
	const dataDir = mkdtempSync(join(tmpdir(), 'ysya-bench-'));
	tempDirs.add(dataDir);
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: '0',
		HOST,
		DATA_DIR: dataDir,
		JWT_SECRET: randomBytes(32).toString('hex')
	};
	delete env.SEED; // default: the demo district (its accounts log in below)
	delete env.NODE_ENV;
	const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
	return startServer(
		'our relay',
		['--import', 'tsx', ...prof, 'server/main.ts'],
		env,
		/listening on http:\/\/127\.0\.0\.1:(\d+)/
	);
}

/** A free port from the OS (the reference server cannot listen on 0 and report the port). */
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

/** The unmodified reference: @y/websocket-server's own bin (in memory, no auth, no checks). */
async function startReference(): Promise<Server> {
	const bin = join(ROOT, 'node_modules/@y/websocket-server/src/server.js');
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		const env: NodeJS.ProcessEnv = { ...process.env, HOST, PORT: String(port) };
		delete env.YPERSISTENCE;
		delete env.CALLBACK_URL;
		try {
			return await startServer('reference', [bin], env, /running at '[^']*' on port (\d+)/);
		} catch (err) {
			// Someone took the port between our probe and the server's listen: try another.
			if (attempt >= 3) throw err;
		}
	}
}

// ---------------------------------------------------------------------------------------------
// /proc readings of a child (Linux; NaN elsewhere).

function rssMiB(pid: number): number {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m?.[1] ? Number(m[1]) / 1024 : NaN;
	} catch {
		return NaN;
	}
}

/** CPU seconds (user + system) used by a process so far. */
function cpuSeconds(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ is 100 on Linux
	} catch {
		return NaN;
	}
}

function sampleRss(pid: number): { peak: () => number; stop: () => void } {
	let peak = rssMiB(pid);
	const timer = setInterval(() => {
		const v = rssMiB(pid);
		if (!(v <= peak)) peak = v;
	}, 50);
	return { peak: () => peak, stop: () => clearInterval(timer) };
}

// ---------------------------------------------------------------------------------------------
// The load.

/** The relay's "today" (China time, as `chinaDate` in server/sync): the rules refuse later dates. */
const chinaDate = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

const STUDENT = {
	name: '基准学生',
	gender: 'female' as const,
	birthDate: '2012-03-04',
	registryNo: 'G410402201203040021',
	grade: 8
};
const GUARDIANS = [{ name: '基准家长', relation: '母亲', phone: '13800000001' }];

interface Target {
	name: string;
	pid: number;
	/** y-websocket server URL; the room is the case id. */
	serverUrl: string;
	params: Record<string, string>;
	rooms: string[];
	/** The reference holds nothing until a client writes the case, ours creates it over HTTP. */
	initLocally: boolean;
}

interface Sent {
	t0: number;
	measured: boolean;
	delivered: number;
	deliveredAt: number;
	acceptedAt: number;
}

interface Result {
	latencies: Float64Array;
	acceptLatencies: Float64Array;
	sent: number;
	confirmedPerSec: number;
	sentPerSec: number;
	refusals: number;
	firstRefusal: string;
	undelivered: number;
	unconfirmed: number;
	eventsPerDoc: number;
	serverCpuPct: number;
	benchCpuPct: number;
	benchLoopP99: number;
	rssIdle: number;
	rssPeak: number;
}

const until = async (cond: () => boolean, ms: number, what: string): Promise<void> => {
	const deadline = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
};
const at = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));

async function runLoad(target: Target): Promise<Result> {
	const expectAccepted = !target.initLocally;
	const today = chinaDate(new Date());
	const sentById = new Map<string, Sent>();
	const latencies: number[] = [];
	const acceptLatencies: number[] = [];
	let refusals = 0;
	let firstRefusal = '';
	let localRefusals = '';
	const providers: WebsocketProvider[] = [];
	const docs: Y.Doc[] = [];
	const writers: { doc: Y.Doc; stamp: (s: Sent | null) => void; pending: { clock: number; s: Sent }[] }[] = [];

	const connect = (room: string, doc: Y.Doc): WebsocketProvider => {
		const p = new WebsocketProvider(target.serverUrl, room, doc, {
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			params: target.params,
			disableBc: true
		});
		p.messageHandlers[MESSAGE_REFUSED] = (_e, d: decoding.Decoder) => {
			refusals++;
			firstRefusal ||= JSON.stringify(readRefused(d));
		};
		// Accepted goes to every client of the case; only the writer's are counted below.
		p.messageHandlers[MESSAGE_ACCEPTED] = () => undefined;
		providers.push(p);
		docs.push(doc);
		return p;
	};

	for (const room of target.rooms) {
		const doc = new Y.Doc();
		if (target.initLocally) {
			initCaseDoc(doc, {
				id: room,
				profile: 'shilong-2022',
				createdAt: new Date().toISOString(),
				createdBy: DEMO_AUTHORS.school,
				orgs: { schoolId: 'org-school1', streetId: 'org-street1' },
				student: { ...STUDENT, schoolId: 'org-school1' },
				guardians: GUARDIANS.map((g, k) => ({ ...g, id: `g${k + 1}` }))
			});
		}
		// Registered before the provider's own handler, so t0 is taken just before the send.
		let current: Sent | null = null;
		doc.on('update', () => {
			if (current) current.t0 = performance.now();
		});
		const w = { doc, stamp: (s: Sent | null) => (current = s), pending: [] as { clock: number; s: Sent }[] };
		writers.push(w);
		const p = connect(room, doc);
		p.messageHandlers[MESSAGE_ACCEPTED] = (_e, d: decoding.Decoder) => {
			const sv = readAccepted(d);
			if (!sv) return;
			const upto = Y.decodeStateVector(sv).get(doc.clientID) ?? 0;
			const now = performance.now();
			while (w.pending.length && (w.pending[0]?.clock ?? Infinity) < upto) {
				const { s } = w.pending.shift() as { clock: number; s: Sent };
				s.acceptedAt = now;
				if (s.measured) acceptLatencies.push(now - s.t0);
			}
		};
		for (let r = 1; r < C; r++) {
			const rdoc = new Y.Doc();
			// The raw array, not readEvents(): a copy of the whole timeline per change would
			// measure the bench's own work rather than the server's fan-out.
			rdoc.getArray<unknown>(CASE_DOC_KEYS.events).observe((e) => {
				const now = performance.now();
				for (const d of e.changes.delta) {
					if (!Array.isArray(d.insert)) continue;
					for (const v of d.insert as { id?: unknown }[]) {
						const s = typeof v.id === 'string' ? sentById.get(v.id) : undefined;
						if (!s) continue;
						if (s.measured) latencies.push(now - s.t0);
						if (++s.delivered === C - 1) s.deliveredAt = now;
					}
				}
			});
			connect(room, rdoc);
		}
	}

	try {
		await until(
			() => providers.every((p) => p.synced) && docs.every((d) => !isEmptyCaseDoc(d)),
			60_000,
			`${target.name}: ${providers.length} clients synced`
		);
		const rss = sampleRss(target.pid);
		const rssIdle = rssMiB(target.pid);

		const period = 1000 / RATE;
		const startAt = performance.now() + 50;
		const warmEnd = startAt + WARMUP * 1000;
		const endAt = warmEnd + DURATION * 1000;
		let sent = 0;
		// Open loop on an absolute schedule, writers spread over the period: a slow server makes
		// latency grow rather than the offered load shrink.
		const done = writers.map(
			(w, i) =>
				new Promise<void>((resolve) => {
					let n = 0;
					const tick = () => {
						const due = startAt + (i * period) / D + n * period;
						if (due >= endAt) return resolve();
						if (performance.now() < due) return void setTimeout(tick, due - performance.now());
						const s: Sent = { t0: 0, measured: false, delivered: 0, deliveredAt: 0, acceptedAt: 0 };
						const id = `bench-${i}-${n++}`;
						const clock = Y.getState(w.doc.store, w.doc.clientID);
						sentById.set(id, s);
						w.stamp(s);
						const ev: CaseEventInput = {
							id,
							type: 'home_visit',
							date: today,
							recordedAt: new Date().toISOString(),
							author: DEMO_AUTHORS.school,
							v: 1,
							mode: 'phone',
							contacted: '',
							findings: 'bench'
						};
						const r = appendEvent(w.doc, ev, today);
						w.stamp(null);
						if (!r.ok) {
							localRefusals ||= `${r.rule}: ${r.reason.en}`;
							sentById.delete(id);
						} else {
							s.measured = s.t0 >= warmEnd && s.t0 < endAt;
							if (s.measured) sent++;
							w.pending.push({ clock, s });
						}
						setTimeout(tick, 0);
					};
					tick();
				})
		);

		await at(warmEnd);
		const cpu0 = cpuSeconds(target.pid);
		const bench0 = process.cpuUsage();
		// The histogram records whole timer periods (1 ms here): the lag is what exceeds that.
		const loop = monitorEventLoopDelay({ resolution: 1 });
		loop.enable();
		await at(endAt);
		const serverCpuPct = ((cpuSeconds(target.pid) - cpu0) / DURATION) * 100;
		const b = process.cpuUsage(bench0);
		const benchCpuPct = ((b.user + b.system) / 1e6 / DURATION) * 100;
		loop.disable();
		await Promise.all(done);
		if (localRefusals) throw new Error(`the bench's own events were refused locally: ${localRefusals}`);

		const measured = [...sentById.values()].filter((s) => s.measured);
		const settled = (s: Sent) => s.delivered === C - 1 && (!expectAccepted || s.acceptedAt > 0);
		await until(() => measured.every(settled), 30_000, `${target.name}: drain`).catch(() => undefined);
		rss.stop();
		const confirmedAt = (s: Sent) => (expectAccepted ? s.acceptedAt : s.deliveredAt);
		const confirmed = [...sentById.values()].filter((s) => {
			const t = confirmedAt(s);
			return t >= warmEnd && t < endAt;
		}).length;
		return {
			latencies: Float64Array.from(latencies).sort(),
			acceptLatencies: Float64Array.from(acceptLatencies).sort(),
			sent,
			sentPerSec: sent / DURATION,
			confirmedPerSec: confirmed / DURATION,
			refusals,
			firstRefusal,
			undelivered: measured.filter((s) => s.delivered < C - 1).length,
			unconfirmed: expectAccepted ? measured.filter((s) => s.acceptedAt === 0).length : 0,
			eventsPerDoc: sentById.size / D,
			serverCpuPct,
			benchCpuPct,
			benchLoopP99: Math.max(0, loop.percentile(99) / 1e6 - 1),
			rssIdle,
			rssPeak: rss.peak()
		};
	} finally {
		for (const p of providers) p.destroy();
		for (const d of docs) d.destroy();
	}
}

// ---------------------------------------------------------------------------------------------
// Setup against our relay: the demo school account creates the cases over HTTP.

async function api<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
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

async function benchOurs(profileDir: string | null): Promise<Result> {
	const server = await startOurs(profileDir);
	try {
		const base = `http://${HOST}:${server.port}`;
		const { token } = await api<{ token: string }>(base, '/api/login', {
			username: 'school1',
			password: 'demo-pass'
		});
		const rooms: string[] = [];
		for (let i = 0; i < D; i++) {
			const body = { profile: 'shilong-2022', student: STUDENT, guardians: GUARDIANS };
			rooms.push((await api<{ id: string }>(base, '/api/cases', body, token)).id);
		}
		return await runLoad({
			name: 'ours',
			pid: server.pid,
			serverUrl: `ws://${HOST}:${server.port}/sync`,
			params: { token },
			rooms,
			initLocally: false
		});
	} catch (err) {
		console.error(server.tail());
		throw err;
	} finally {
		await server.stop();
	}
}

async function benchReference(): Promise<Result> {
	const server = await startReference();
	try {
		return await runLoad({
			name: 'reference',
			pid: server.pid,
			serverUrl: `ws://${HOST}:${server.port}`,
			params: {},
			rooms: Array.from({ length: D }, (_, i) => `bench-case-${i}`),
			initLocally: true
		});
	} finally {
		await server.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// Report.

function pct(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

function table(rows: [string, ...string[]][]): string {
	const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
	return rows
		.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('   '))
		.join('\n');
}

/** Self time per function from a .cpuprofile, largest first. */
function topFunctions(file: string, n: number): string {
	interface Node {
		id: number;
		callFrame: { functionName: string; url: string; lineNumber: number };
	}
	const prof = JSON.parse(readFileSync(file, 'utf8')) as {
		nodes: Node[];
		samples: number[];
		timeDeltas: number[];
	};
	const byId = new Map(prof.nodes.map((node) => [node.id, node]));
	const self = new Map<string, number>();
	let total = 0;
	prof.samples.forEach((id, i) => {
		const node = byId.get(id);
		const dt = prof.timeDeltas[i] ?? 0;
		total += dt;
		if (!node) return;
		const { functionName, url, lineNumber } = node.callFrame;
		const where = url ? `${url.replace(`file://${ROOT}/`, '')}:${lineNumber + 1}` : '';
		const key = `${functionName || '(anonymous)'} ${where}`.trim();
		self.set(key, (self.get(key) ?? 0) + dt);
	});
	return [...self.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, n)
		.map(([k, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`)
		.join('\n');
}

async function main(): Promise<void> {
	const cpu = cpus();
	console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${platform()} ${release()}, Node ${process.version}`);
	console.log(
		`load: D=${D} documents × C=${C} clients, RATE=${RATE} edits/s per writer (${D * RATE} edits/s offered), ` +
			`DURATION=${DURATION} s after WARMUP=${WARMUP} s; data dir on ${tmpdir()}`
	);
	const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'ysya-prof-')) : null;
	const t0 = performance.now();
	console.log('running: our relay …');
	const ours = await benchOurs(profileDir);
	console.log('running: @y/websocket-server 0.1.1 …');
	const ref = await benchReference();

	const ratio = (p: number) => pct(ours.latencies, p) / pct(ref.latencies, p);
	const row = (label: string, a: string, b: string, r = ''): [string, ...string[]] => [label, a, b, r];
	console.log('');
	console.log(
		table([
			['', 'ours', 'reference', 'ours/ref'],
			row('fan-out p50 (ms)', f(pct(ours.latencies, 50), 2), f(pct(ref.latencies, 50), 2), f(ratio(50), 2)),
			row('fan-out p95 (ms)', f(pct(ours.latencies, 95), 2), f(pct(ref.latencies, 95), 2), f(ratio(95), 2)),
			row('fan-out p99 (ms)', f(pct(ours.latencies, 99), 2), f(pct(ref.latencies, 99), 2), f(ratio(99), 2)),
			row('fan-out max (ms)', f(pct(ours.latencies, 100), 2), f(pct(ref.latencies, 100), 2)),
			row('deliveries measured', String(ours.latencies.length), String(ref.latencies.length)),
			row('edits/s offered (window)', f(ours.sentPerSec), f(ref.sentPerSec)),
			row('edits/s confirmed ¹', f(ours.confirmedPerSec), f(ref.confirmedPerSec)),
			row('accepted p50/p99 (ms) ²', `${f(pct(ours.acceptLatencies, 50), 2)}/${f(pct(ours.acceptLatencies, 99), 2)}`, '–'),
			row('refusals', String(ours.refusals), '–'),
			row('not delivered / not accepted', `${ours.undelivered}/${ours.unconfirmed}`, `${ref.undelivered}/–`),
			row('server CPU (% of one core)', f(ours.serverCpuPct, 0), f(ref.serverCpuPct, 0)),
			row('server RSS idle (MiB)', f(ours.rssIdle), f(ref.rssIdle)),
			row('server RSS peak (MiB)', f(ours.rssPeak), f(ref.rssPeak)),
			row('bench CPU % / loop p99 (ms) ³', `${f(ours.benchCpuPct, 0)}/${f(ours.benchLoopP99)}`, `${f(ref.benchCpuPct, 0)}/${f(ref.benchLoopP99)}`)
		])
	);
	console.log(
		[
			'',
			'¹ ours: accepted messages (stored durably) back at the writer; reference: delivered to all other clients.',
			'² writer append → accepted message whose state vector covers the edit.',
			`³ the client side (all ${D * C} providers) in this process; a saturated bench would inflate both columns.`,
			`events per document at the end: ${f(ours.eventsPerDoc, 0)}`
		].join('\n')
	);
	if (ours.refusals) console.log(`first refusal: ${ours.firstRefusal}`);
	const r99 = ratio(99);
	console.log(
		`\naim p99 ≤ ${AIM}× reference: ${r99 <= AIM ? 'MET' : 'NOT MET'} (${f(r99, 2)}×); ` +
			`refusals ${ours.refusals === 0 ? '0 ✓' : `${ours.refusals} ✗`}; total ${f((performance.now() - t0) / 1000)} s`
	);
	if (profileDir) {
		const file = readdirSync(profileDir).find((n) => n.endsWith('.cpuprofile'));
		if (file) {
			console.log(`\nour relay's CPU profile: ${join(profileDir, file)} — top functions by self time:`);
			console.log(topFunctions(join(profileDir, file), 25));
		} else console.log('\nno CPU profile was written');
	}
	if (ours.refusals > 0 || ours.undelivered > 0 || ref.undelivered > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
	console.error(err);
	process.exitCode = 1;
	cleanup();
});
