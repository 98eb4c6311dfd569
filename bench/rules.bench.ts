/**
 * npm run bench:rules — evaluates 10,000 generated cases of ~50 events each with the shared rules
 * module and prints evaluations per second and peak memory. Aim: ≥ 50,000 evaluations/s.
 */
import { CLOSURE_PATHS, type CaseSnapshot } from '../src/lib/domain';
import { addWorkingDays, evaluate, isSchoolDay } from '../src/lib/rules';
import { getProfile } from '../src/lib/rules/profiles';
import { shilongClosedBy } from '../src/lib/rules/samples';

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** Excused absences on the school days of early September 2025, to pad a case to ~50 events. */
function padding(): string[] {
	const terms = getProfile('shilong-2022').terms;
	const days: string[] = [];
	for (let d = '2025-03-03'; days.length < 40; d = addWorkingDays(d, 1)) {
		if (isSchoolDay(d, terms)) days.push(d);
	}
	return days;
}

function generate(): CaseSnapshot[] {
	const pad = padding();
	const templates = CLOSURE_PATHS.map((p) => shilongClosedBy(p));
	const out: CaseSnapshot[] = [];
	for (let i = 0; i < CASES; i++) {
		const t = templates[i % templates.length] as CaseSnapshot;
		const first = t.events[0];
		if (!first) throw new Error('empty template');
		const extra = pad
			.filter((d) => d < first.date)
			.slice(0, 50 - t.events.length)
			.map((date, j) => ({ ...first, id: `p${i}-${j}`, date, excused: true, recordedAt: `${date}T07:00:00.000Z` }));
		out.push({ ...t, id: `bench-${i}`, events: [...extra, ...t.events] as CaseSnapshot['events'] });
	}
	return out;
}

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 5);

const cases = generate();
const events = cases.reduce((n, c) => n + c.events.length, 0);
console.log(`cases: ${cases.length}, events: ${events} (${(events / cases.length).toFixed(1)} per case)`);

const today = '2026-10-01';
let checksum = 0;
for (let i = 0; i < 2000; i++) checksum += evaluate(cases[i % cases.length] as CaseSnapshot, today).obligations.length;

const rates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
	const t0 = performance.now();
	for (const c of cases) checksum += evaluate(c, today).obligations.length;
	const ms = performance.now() - t0;
	rates.push(cases.length / (ms / 1000));
	sample();
}
clearInterval(timer);
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)] ?? 0;
console.log(`evaluations/s (median of ${ROUNDS} rounds): ${Math.round(median).toLocaleString('en-US')}`);
console.log(`evaluations/s (min … max): ${Math.round(rates[0] ?? 0).toLocaleString('en-US')} … ${Math.round(rates[rates.length - 1] ?? 0).toLocaleString('en-US')}`);
console.log(`µs per evaluation (median): ${(1e6 / median).toFixed(1)}`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB; heap used now: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB`);
console.log(`checksum: ${checksum}`);
