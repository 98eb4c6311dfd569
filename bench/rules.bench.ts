/**
 * npm run bench:rules — evaluates 10,000 generated cases of ~50 events each with the shared rules
 * module; prints evaluations per second (one thread, and one worker per core) and peak memory.
 * Aim: ≥ 50,000 evaluations/s on the 2-core machine.
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { CaseSnapshot } from '../src/lib/domain';
import { evaluate } from '../src/lib/rules';
import { generate } from './cases';

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TODAY = '2026-10-01';

/** Evaluations per second over `rounds` passes (median), after a warm-up. */
function run(
	cases: CaseSnapshot[],
	rounds: number,
	actions: boolean
): { rate: number; min: number; max: number } {
	let sink = 0;
	for (let i = 0; i < 2000; i++)
		sink += evaluate(cases[i % cases.length] as CaseSnapshot, TODAY, { actions }).obligations
			.length;
	const rates: number[] = [];
	for (let r = 0; r < rounds; r++) {
		const t0 = performance.now();
		for (const c of cases) sink += evaluate(c, TODAY, { actions }).obligations.length;
		rates.push(cases.length / ((performance.now() - t0) / 1000));
	}
	if (sink < 0) console.log(sink);
	rates.sort((a, b) => a - b);
	return {
		rate: rates[Math.floor(rates.length / 2)] ?? 0,
		min: rates[0] ?? 0,
		max: rates[rates.length - 1] ?? 0
	};
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

if (!isMainThread) {
	const { count, rounds } = workerData as { count: number; rounds: number };
	parentPort?.postMessage(run(generate(count), rounds, true));
} else {
	let peakRss = 0;
	const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
	const timer = setInterval(sample, 5);

	const cases = generate(CASES);
	const events = cases.reduce((n, c) => n + c.events.length, 0);
	console.log(
		`cases: ${fmt(cases.length)}, events: ${fmt(events)} (${(events / cases.length).toFixed(1)} per case), today ${TODAY}`
	);

	const full = run(cases, ROUNDS, true);
	console.log(
		`1 thread, full evaluation (with every org's action bar): ${fmt(full.rate)} evaluations/s (min ${fmt(full.min)}, max ${fmt(full.max)}); ${(1e6 / full.rate).toFixed(1)} µs each`
	);
	const lean = run(cases, ROUNDS, false);
	console.log(
		`1 thread, without action bars (list/dashboard use): ${fmt(lean.rate)} evaluations/s; ${(1e6 / lean.rate).toFixed(1)} µs each`
	);
	sample();
	clearInterval(timer);
	console.log(
		`peak RSS (1 thread, ${fmt(cases.length)} cases in memory): ${(peakRss / 1024 / 1024).toFixed(0)} MiB`
	);

	const workers = availableParallelism();
	const per = Math.ceil(CASES / workers);
	const t0 = performance.now();
	const results = await Promise.all(
		Array.from(
			{ length: workers },
			() =>
				new Promise<{ rate: number }>((resolve, reject) => {
					const w = new Worker(new URL(import.meta.url), {
						workerData: { count: per, rounds: ROUNDS }
					});
					w.once('message', resolve);
					w.once('error', reject);
				})
		)
	);
	const total = results.reduce((n, r) => n + r.rate, 0);
	console.log(
		`${workers} workers (one per core), full evaluation: ${fmt(total)} evaluations/s combined (${((performance.now() - t0) / 1000).toFixed(1)} s incl. generation)`
	);
}
