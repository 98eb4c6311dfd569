/**
 * npm run bench:abuse — the relay's memory under abuse (issue 10), against no abuse in the same
 * run. Each scenario starts our relay as production runs it (server/main.ts, its own process,
 * fresh DATA_DIR) and samples its RSS from /proc every 50 ms:
 *   baseline  one normal client syncing a case, nothing else;
 *   slow      the same, plus one client that never reads and asks for every presence state
 *             (a 512 KiB one) QUERY_RATE times a second;
 *   previews  the same, plus three ~PREVIEW_MIB MiB roster files previewed by three users, kept
 *             waiting for their confirmation.
 * Prints the peak and the settled RSS (median of the last seconds) per scenario, median of RUNS.
 *
 * Env: RUNS (3), WINDOW (s of abuse, 10), HOLD (s after the previews, 10), QUERY_RATE (200),
 * PREVIEW_MIB (50), SCENARIOS (baseline,slow,previews); RELAY_ROOT runs the relay of another
 * checkout (a before/after comparison).
 * The relay runs as `npm start` runs it (scripts/build-server.mjs): the figures are its own process's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { buildServer } from '../scripts/build-server.mjs';
import { demoIdNumber } from '../server/seed-cases';
import {
	MESSAGE_ACCEPTED,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_REFUSED
} from '../src/lib/protocol/ws';
import { TEMPLATE_HEADER as HEADER } from '../src/lib/ui/roster/template';

const num = (name: string, fallback: number): number => {
	const v = Number(process.env[name] ?? fallback);
	if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
	return v;
};
const RUNS = Math.round(num('RUNS', 3));
const WINDOW = num('WINDOW', 10);
const HOLD = num('HOLD', 10);
const QUERY_RATE = num('QUERY_RATE', 200);
const PREVIEW_MIB = num('PREVIEW_MIB', 50);
const ROOT = resolve(process.env.RELAY_ROOT ?? process.cwd());
const KINDS = ['baseline', 'slow', 'previews'] as const;
const SCENARIOS = (process.env.SCENARIOS ?? KINDS.join(','))
	.split(',')
	.filter((k): k is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(k));
const HOST = '127.0.0.1';
// A term without the demo district's roster: nothing stored collides with the files' rows.
const TERM = '2025-09-01';

const live = new Set<ChildProcess>();
const temp = new Set<string>();
function cleanup(): void {
	for (const p of live) p.kill('SIGKILL');
	for (const d of temp) rmSync(d, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
	process.on(sig, () => {
		cleanup();
		process.exit(130);
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMiB(pid: number): number {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m?.[1] ? Number(m[1]) / 1024 : NaN;
	} catch {
		return NaN;
	}
}

interface Relay {
	pid: number;
	base: string;
	stop(): Promise<void>;
}

/** Our relay as `npm start` runs it (the server bundle), on a fresh data dir with the demo district. */
async function startRelay(): Promise<Relay> {
	const dataDir = mkdtempSync(join(tmpdir(), 'ysya-abuse-'));
	temp.add(dataDir);
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: '0',
		HOST,
		DATA_DIR: dataDir,
		JWT_SECRET: randomBytes(32).toString('hex'),
		NOW: '2026-11-23T10:00:00+08:00'
	};
	delete env.SEED;
	delete env.NODE_ENV;
	const proc = spawn(process.execPath, [await buildServer()], {
		cwd: ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	live.add(proc);
	let out = '';
	const onData = (c: Buffer) => (out = (out + c.toString()).slice(-8000));
	proc.stdout.on('data', onData);
	proc.stderr.on('data', onData);
	const exited = new Promise<void>((done) => proc.once('exit', () => done()));
	return new Promise((resolveStart, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`relay did not start in 60 s\n${out}`)),
			60_000
		);
		proc.once('exit', (code) => reject(new Error(`relay exited (${code})\n${out}`)));
		const check = () => {
			const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
			if (!m?.[1] || proc.pid === undefined) return;
			clearTimeout(timer);
			proc.stdout.off('data', check);
			resolveStart({
				pid: proc.pid,
				base: `http://${HOST}:${m[1]}`,
				async stop() {
					proc.kill('SIGTERM');
					const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
					await exited;
					clearTimeout(t);
					live.delete(proc);
					rmSync(dataDir, { recursive: true, force: true });
					temp.delete(dataDir);
				}
			});
		};
		proc.stdout.on('data', check);
	});
}

async function login(base: string, username: string): Promise<string> {
	const res = await fetch(`${base}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password: 'demo-pass' })
	});
	if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
	return ((await res.json()) as { token: string }).token;
}

async function firstCase(base: string, token: string): Promise<string> {
	const res = await fetch(`${base}/api/cases`, { headers: { authorization: `Bearer ${token}` } });
	const id = ((await res.json()) as { cases: { id: string }[] }).cases[0]?.id;
	if (!id) throw new Error('the demo district has no case for school1');
	return id;
}

/** Samples the relay's RSS until stopped: peak and every sample with its time. */
function sampler(pid: number) {
	const samples: { at: number; mib: number }[] = [];
	const timer = setInterval(() => samples.push({ at: performance.now(), mib: rssMiB(pid) }), 50);
	return {
		samples,
		stop() {
			clearInterval(timer);
			samples.push({ at: performance.now(), mib: rssMiB(pid) });
		}
	};
}

/** A normal client, synced, for the whole scenario. */
async function normalClient(base: string, caseId: string, token: string) {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${base.replace('http', 'ws')}/sync`, caseId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params: { token },
		disableBc: true
	});
	// The relay's accepted/refused messages: ignored here, and not logged as unknown.
	provider.messageHandlers[MESSAGE_ACCEPTED] = () => undefined;
	provider.messageHandlers[MESSAGE_REFUSED] = () => undefined;
	const deadline = Date.now() + 15_000;
	while (!provider.synced) {
		if (Date.now() > deadline) throw new Error('the normal client did not sync');
		await sleep(10);
	}
	return {
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** A client that stops reading and keeps asking for a 512 KiB presence state. */
async function slowConsumer(base: string, caseId: string, token: string, seconds: number) {
	const ws = new WebSocket(`${base.replace('http', 'ws')}/sync/${caseId}?token=${token}`);
	let closedWith: number | null = null;
	ws.on('close', (code) => (closedWith = code));
	ws.on('error', () => undefined);
	await new Promise<void>((done, fail) => {
		ws.once('open', () => done());
		ws.once('error', fail);
	});
	ws.pause();
	const doc = new Y.Doc();
	const aw = new awarenessProtocol.Awareness(doc);
	aw.setLocalState({ pad: 'x'.repeat(512 * 1024) });
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(aw, [doc.clientID]));
	ws.send(encoding.toUint8Array(e));
	const query = new Uint8Array([MESSAGE_QUERY_AWARENESS]);
	const end = performance.now() + seconds * 1000;
	let sent = 0;
	while (performance.now() < end) {
		const due = Math.floor(((performance.now() - (end - seconds * 1000)) / 1000) * QUERY_RATE);
		// Sending fails silently once the relay has closed the socket.
		for (; sent < due; sent++) if (ws.readyState === ws.OPEN) ws.send(query);
		await sleep(20);
	}
	// Read again: the close frame (if the relay sent one) comes after what it had buffered.
	ws.resume();
	const deadline = performance.now() + 15_000;
	while (closedWith === null && performance.now() < deadline) await sleep(20);
	ws.terminate();
	aw.destroy();
	doc.destroy();
	return { sent, closedWith: closedWith as number | null };
}

/** Row i of a valid roster of `school` (unique 学籍号 and ID number up to a million rows). */
function row(i: number, school: string): string {
	const grade = (i % 9) + 1;
	const j = Math.floor(i / 9);
	const b = j % 224;
	const n = Math.floor(j / 224);
	const birth = `${2019 - grade}-${String((b % 8) + 1).padStart(2, '0')}-${String(Math.floor(b / 8) + 1).padStart(2, '0')}`;
	const gender = i % 2 ? 'male' : 'female';
	const id = demoIdNumber(birth, n, gender);
	return [
		`G${id}`,
		`王${i % 1000}`,
		gender === 'male' ? '男' : '女',
		birth,
		id,
		school,
		`${grade}年级`,
		`（${(i % 6) + 1}）班`,
		'河南省平顶山市',
		`示范区新华街道和平路${i % 500}号`,
		'王建国',
		`139${String(i).padStart(8, '0')}`
	].join(',');
}

/** A CSV of about `mib` MiB, every row valid for `school`, rows numbered from `from`. */
function rosterFile(mib: number, school: string, from: number): Buffer {
	const lines = [HEADER.join(',')];
	let bytes = 0;
	for (let i = from; bytes < mib * 1024 * 1024; i++) {
		const l = row(i, school);
		bytes += Buffer.byteLength(l) + 2;
		lines.push(l);
	}
	return Buffer.from(lines.join('\r\n'));
}

async function preview(base: string, token: string, body: Buffer): Promise<void> {
	const res = await fetch(`${base}/api/roster/preview?term=${TERM}&name=bench.csv`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
		body
	});
	const answer = (await res.json()) as { errorCount?: number; valid?: number; message?: unknown };
	if (!res.ok || answer.errorCount) {
		throw new Error(`preview: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
	}
}

interface Figures {
	idle: number;
	peak: number;
	settled: number;
	note: string;
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

/** Median RSS of the samples in the last `seconds`. */
const settledOf = (samples: { at: number; mib: number }[], seconds: number) => {
	const end = samples.at(-1)?.at ?? 0;
	return median(samples.filter((s) => s.at >= end - seconds * 1000).map((s) => s.mib));
};

async function scenario(kind: 'baseline' | 'slow' | 'previews', files: Buffer[]): Promise<Figures> {
	const relay = await startRelay();
	try {
		const school1 = await login(relay.base, 'school1');
		const caseId = await firstCase(relay.base, school1);
		const client = await normalClient(relay.base, caseId, school1);
		const idle = rssMiB(relay.pid);
		const s = sampler(relay.pid);
		let note = '';
		if (kind === 'baseline') await sleep(WINDOW * 1000);
		if (kind === 'slow') {
			const r = await slowConsumer(relay.base, caseId, school1, WINDOW);
			note = `${r.sent} queries sent; closed with ${r.closedWith ?? 'nothing'}`;
			await sleep(2000);
		}
		if (kind === 'previews') {
			const users = ['bureau1', 'school1', 'school2'];
			const tokens = await Promise.all(users.map((u) => login(relay.base, u)));
			const t0 = performance.now();
			await Promise.all(tokens.map((t, i) => preview(relay.base, t, files[i] ?? Buffer.alloc(0))));
			note = `3 previews of ${files.map((f) => (f.length / 1048576).toFixed(0)).join('/')} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
			await sleep(HOLD * 1000);
		}
		s.stop();
		client.destroy();
		const peak = Math.max(...s.samples.map((x) => x.mib));
		return { idle, peak, settled: settledOf(s.samples, 2), note };
	} finally {
		await relay.stop();
	}
}

async function main(): Promise<void> {
	console.log(
		`bench:abuse — relay ${ROOT}; ${RUNS} runs; slow consumer ${WINDOW} s at ${QUERY_RATE} queries/s; previews ${PREVIEW_MIB} MiB × 3, held ${HOLD} s`
	);
	// Files of the three uploaders: the bureau's names every school, a school's only its own.
	const files = [
		rosterFile(PREVIEW_MIB, '示范区新华小学', 0),
		rosterFile(PREVIEW_MIB, '示范区第一初级中学', 340_000),
		rosterFile(PREVIEW_MIB, '示范区光明中学', 680_000)
	];
	const results: Record<string, Figures[]> = { baseline: [], slow: [], previews: [] };
	for (let run = 1; run <= RUNS; run++) {
		for (const kind of SCENARIOS) {
			const f = await scenario(kind, files);
			results[kind]?.push(f);
			console.log(
				`run ${run} ${kind.padEnd(8)} idle ${f.idle.toFixed(0)} MiB, peak ${f.peak.toFixed(0)} MiB, settled ${f.settled.toFixed(0)} MiB${f.note ? `; ${f.note}` : ''}`
			);
		}
	}
	console.log('\nmedians (MiB)        idle   peak  settled');
	for (const [kind, fs] of Object.entries(results).filter(([, fs]) => fs.length > 0)) {
		const m = (k: 'idle' | 'peak' | 'settled') =>
			median(fs.map((f) => f[k]))
				.toFixed(0)
				.padStart(6);
		console.log(`${kind.padEnd(20)}${m('idle')} ${m('peak')} ${m('settled')}`);
	}
}

main().then(
	() => process.exit(0),
	(err: unknown) => {
		console.error(err);
		process.exit(1);
	}
);
