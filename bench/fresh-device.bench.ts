/**
 * npm run bench:fresh — a fresh device downloading every case (issue 14 aim: ≤ 1.5× the
 * in-memory reference): CASES cases of EVENTS real events each, stored through the relay, then
 * one client with empty documents syncs them all the way the app's prefetch does
 * (src/lib/sync/workspace.svelte.ts: three at a time, one websocket sync per case, closed once
 * synced). Ours (validating, from SQLite, documents unloaded) against @y/websocket-server
 * 0.1.1 in memory, same run. Medians of RUNS runs (default 3).
 *
 * Env: CASES (200), EVENTS (50), RUNS (3).
 */
import * as Y from 'yjs';
import { readEvents } from '../src/lib/case-doc';
import {
	cleanupOnExit,
	createCases,
	envNum,
	fillCases,
	fmt,
	loadAverage,
	login,
	median,
	provider,
	startOurs,
	startReference,
	syncTarget,
	table,
	until,
	type Server
} from './servers';

const CASES = Math.round(envNum('CASES', 200));
const EVENTS = Math.round(envNum('EVENTS', 50));
const RUNS = Math.round(envNum('RUNS', 3));
const AIM = 1.5;
/** The app's prefetch runs three cases at a time. */
const PREFETCH_WORKERS = 3;

/** Seconds for one fresh device to hold every case with all its events. */
async function freshDevice(server: Server, token: string | null, rooms: string[]): Promise<number> {
	const target = syncTarget(server, token);
	const queue = [...rooms];
	const t0 = performance.now();
	await Promise.all(
		Array.from({ length: PREFETCH_WORKERS }, async () => {
			for (let room = queue.shift(); room !== undefined; room = queue.shift()) {
				const doc = new Y.Doc();
				const p = provider(target, room, doc);
				try {
					await until(
						() => p.synced && readEvents(doc).length >= EVENTS,
						60_000,
						`case ${room} synced`
					);
				} finally {
					p.destroy();
					doc.destroy();
				}
			}
		})
	);
	return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
	console.log(
		`bench:fresh — ${CASES} cases × ${EVENTS} events, one fresh device; ${RUNS} run(s); ` +
			`load average ${loadAverage()}`
	);
	const ours = await startOurs();
	const ref = await startReference();
	try {
		const token = await login(ours);
		const rooms = await createCases(ours, token, CASES);
		let t = performance.now();
		await fillCases(ours, token, rooms, EVENTS);
		console.log(`filled ours in ${fmt((performance.now() - t) / 1000)} s`);
		const refRooms = rooms.map((_, i) => `bench-case-${i}`);
		t = performance.now();
		await fillCases(ref, null, refRooms, EVENTS);
		console.log(`filled the reference in ${fmt((performance.now() - t) / 1000)} s`);
		const o: number[] = [];
		const r: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			// Each run logs in afresh, as a new device does.
			o.push(await freshDevice(ours, await login(ours), rooms));
			r.push(await freshDevice(ref, null, refRooms));
			console.log(
				`run ${run + 1}: ours ${fmt(o[run] ?? NaN, 2)} s, reference ${fmt(r[run] ?? NaN, 2)} s; ` +
					`load ${loadAverage()}`
			);
		}
		const [mo, mr] = [median(o), median(r)];
		console.log(`\nmedians of ${RUNS} run(s):`);
		console.log(
			table([
				['', 'ours', 'reference', 'ours/ref'],
				[`${CASES} cases × ${EVENTS} events (s)`, fmt(mo, 2), fmt(mr, 2), `${fmt(mo / mr, 2)}×`]
			])
		);
		console.log(
			`\naim ≤ ${AIM}× reference: ${mo / mr <= AIM ? 'MET' : 'NOT MET'} (${fmt(mo / mr, 2)}×); ` +
				`load average ${loadAverage()}`
		);
	} finally {
		await ours.stop();
		await ref.stop();
	}
}

cleanupOnExit();
main().catch((err: unknown) => {
	console.error(err);
	process.exitCode = 1;
});
