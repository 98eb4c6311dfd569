/**
 * npm run bench:memory — peak RSS of our relay (issue 14 aims: ≤ 150 MiB with 1,000 open cases
 * × 3 clients; 50 concurrent logins without going over 200 MiB), against @y/websocket-server
 * 0.1.1 in memory where it has the same work (it has no logins). Each server is its own child
 * process; RSS is read from /proc every 20 ms. Medians of RUNS runs (default 3).
 *
 * Env: CASES (1000), CLIENTS (3), LOGINS (50), RUNS (3).
 */
import * as Y from 'yjs';
import { isEmptyCaseDoc } from '../src/lib/case-doc';
import {
	cleanupOnExit,
	createCases,
	envNum,
	fmt,
	initLikeOurs,
	loadAverage,
	login,
	median,
	post,
	baseOf,
	provider,
	sleep,
	startOurs,
	startReference,
	syncTarget,
	table,
	tempDir,
	until,
	type Server
} from './servers';

const CASES = Math.round(envNum('CASES', 1000));
const CLIENTS = Math.round(envNum('CLIENTS', 3));
const LOGINS = Math.round(envNum('LOGINS', 50));
const RUNS = Math.round(envNum('RUNS', 3));
const AIM_OPEN = 150;
const AIM_LOGINS = 200;

interface OpenResult {
	idle: number;
	peak: number;
	settled: number;
	seconds: number;
}

/**
 * Opens CLIENTS real providers on each room (client 0 of each brings the content when the
 * server holds none, as against the reference), waits until every one has the case, and
 * returns the server's RSS before, at its peak and once settled.
 */
async function openAll(server: Server, rooms: string[], token: string | null): Promise<OpenResult> {
	const target = syncTarget(server, token);
	await sleep(1000);
	const idle = server.rss();
	const stopPeak = server.samplePeak();
	const t0 = performance.now();
	const providers: ReturnType<typeof provider>[] = [];
	// A hundred cases at a time, as a relay's users arrive over a morning rather than in one tick.
	for (let i = 0; i < rooms.length; i += 100) {
		const batch: ReturnType<typeof provider>[] = [];
		for (const room of rooms.slice(i, i + 100)) {
			for (let c = 0; c < CLIENTS; c++) {
				const doc = new Y.Doc();
				if (!token && c === 0) initLikeOurs(doc, room);
				batch.push(provider(target, room, doc));
			}
		}
		providers.push(...batch);
		await until(
			() => batch.every((p) => p.synced && !isEmptyCaseDoc(p.doc)),
			120_000,
			'clients synced'
		);
	}
	const seconds = (performance.now() - t0) / 1000;
	await sleep(2000);
	const peak = stopPeak();
	const settled = server.rss();
	for (const p of providers) {
		p.destroy();
		p.doc.destroy();
	}
	return { idle, peak, settled, seconds };
}

async function openCasesOurs(dataDir: string, rooms: string[]): Promise<OpenResult> {
	const server = await startOurs({ dataDir });
	try {
		return await openAll(server, rooms, await login(server));
	} finally {
		await server.stop();
	}
}

async function openCasesReference(): Promise<OpenResult> {
	const server = await startReference();
	try {
		const rooms = Array.from({ length: CASES }, (_, i) => `bench-case-${i}`);
		return await openAll(server, rooms, null);
	} finally {
		await server.stop();
	}
}

/** LOGINS logins at the same moment on a relay that just started. */
async function logins(dataDir: string): Promise<{ idle: number; peak: number; seconds: number }> {
	const server = await startOurs({ dataDir });
	try {
		await sleep(1000);
		const idle = server.rss();
		const stopPeak = server.samplePeak();
		const t0 = performance.now();
		const body = { username: 'school1', password: 'demo-pass' };
		await Promise.all(
			Array.from({ length: LOGINS }, () => post(baseOf(server), '/api/login', body))
		);
		const seconds = (performance.now() - t0) / 1000;
		await sleep(500);
		return { idle, peak: stopPeak(), seconds };
	} finally {
		await server.stop();
	}
}

async function main(): Promise<void> {
	console.log(
		`bench:memory — ${CASES} cases × ${CLIENTS} clients; ${LOGINS} concurrent logins; ` +
			`${RUNS} run(s); load average ${loadAverage()}`
	);
	// One data folder with the cases, reopened by every run (a relay restart).
	const dataDir = tempDir('ysya-bench-mem-');
	const setup = await startOurs({ dataDir });
	let rooms: string[];
	try {
		rooms = await createCases(setup, await login(setup), CASES);
	} finally {
		await setup.stop();
	}
	const ours: OpenResult[] = [];
	const ref: OpenResult[] = [];
	const login50: { idle: number; peak: number; seconds: number }[] = [];
	for (let r = 0; r < RUNS; r++) {
		ours.push(await openCasesOurs(dataDir, rooms));
		ref.push(await openCasesReference());
		login50.push(await logins(dataDir));
		const [o, f, l] = [ours[r], ref[r], login50[r]];
		console.log(
			`run ${r + 1}: open cases peak ${fmt(o?.peak ?? NaN)} MiB (reference ${fmt(f?.peak ?? NaN)}); ` +
				`${LOGINS} logins peak ${fmt(l?.peak ?? NaN)} MiB; load ${loadAverage()}`
		);
	}
	const m = <T>(xs: T[], get: (x: T) => number) => median(xs.map(get));
	const row = (label: string, o: number, f: number) => [
		label,
		fmt(o),
		fmt(f),
		Number.isFinite(f) ? `${fmt(o / f, 2)}×` : ''
	];
	console.log(`\nmedians of ${RUNS} run(s), MiB:`);
	console.log(
		table([
			['', 'ours', 'reference', 'ours/ref'],
			row(
				`${CASES} cases × ${CLIENTS}: idle before`,
				m(ours, (x) => x.idle),
				m(ref, (x) => x.idle)
			),
			row(
				`${CASES} cases × ${CLIENTS}: peak`,
				m(ours, (x) => x.peak),
				m(ref, (x) => x.peak)
			),
			row(
				`${CASES} cases × ${CLIENTS}: settled`,
				m(ours, (x) => x.settled),
				m(ref, (x) => x.settled)
			),
			row(
				`${CASES} cases × ${CLIENTS}: seconds to sync all`,
				m(ours, (x) => x.seconds),
				m(ref, (x) => x.seconds)
			),
			row(
				`${LOGINS} concurrent logins: idle before`,
				m(login50, (x) => x.idle),
				NaN
			),
			row(
				`${LOGINS} concurrent logins: peak`,
				m(login50, (x) => x.peak),
				NaN
			),
			row(
				`${LOGINS} concurrent logins: seconds`,
				m(login50, (x) => x.seconds),
				NaN
			)
		])
	);
	const open = m(ours, (x) => x.peak);
	const peakLogins = m(login50, (x) => x.peak);
	console.log(
		`\naim ≤ ${AIM_OPEN} MiB with ${CASES} open cases: ${open <= AIM_OPEN ? 'MET' : 'NOT MET'}; ` +
			`aim ≤ ${AIM_LOGINS} MiB with ${LOGINS} logins: ${peakLogins <= AIM_LOGINS ? 'MET' : 'NOT MET'}; ` +
			`load average ${loadAverage()}`
	);
}

cleanupOnExit();
main().catch((err: unknown) => {
	console.error(err);
	process.exitCode = 1;
});
