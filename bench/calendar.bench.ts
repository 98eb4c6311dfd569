/**
 * Micro-benchmark of the calendar hot paths (src/lib/rules/calendar.ts) over random 2025 dates.
 * Run: npx tsx bench/calendar.bench.ts [seed]. Prints ns per call; the seed makes runs repeatable.
 */
import { builtinCalendar, type Term } from '../src/lib/rules/calendar';

// The rules take a Calendar value; the benchmark times the built-in one's methods.
const cal = builtinCalendar();
const isWorkingDay = (d: string) => cal.isWorkingDay(d);
const addWorkingDays = (d: string, n: number) => cal.addWorkingDays(d, n);
const isSchoolDay = (d: string, t: readonly Term[]) => cal.isSchoolDay(d, t);
const addSchoolDays = (d: string, n: number, t: readonly Term[]) => cal.addSchoolDays(d, n, t);

const seed = Number(process.argv[2] ?? 20250930) >>> 0;
console.log(`seed ${seed}`);

/** mulberry32: small seeded PRNG so the date set is the same on every run. */
function rng(s: number): () => number {
	let a = s;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const rand = rng(seed);
const DIM = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Fresh strings (as parsed out of events), not the calendar's own cached ones.
const dates: string[] = Array.from({ length: 4096 }, () => {
	const m = Math.floor(rand() * 12);
	const d = 1 + Math.floor(rand() * (DIM[m] ?? 28));
	return `2025-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
});
const terms: readonly Term[] = [
	{ start: '2025-02-17', end: '2025-07-04' },
	{ start: '2025-09-01', end: '2026-01-16' }
];

const CALLS = 2_000_000;
let sink = 0;

// One loop per function, written out: a shared `bench(fn)` loop would make its call site
// megamorphic and add its own cost (~10 ns) to every figure.
function report(name: string, t0: number): void {
	const ns = ((performance.now() - t0) * 1e6) / CALLS;
	console.log(`${name.padEnd(24)} ${ns.toFixed(1).padStart(7)} ns/call`);
}

function loopIsWorkingDay(n: number): void {
	for (let i = 0; i < n; i++) if (isWorkingDay(dates[i & 4095] ?? '')) sink++;
}
function loopAddWorkingDays(n: number): void {
	for (let i = 0; i < n; i++) sink += addWorkingDays(dates[i & 4095] ?? '', 10).length;
}
function loopIsSchoolDay(n: number): void {
	for (let i = 0; i < n; i++) if (isSchoolDay(dates[i & 4095] ?? '', terms)) sink++;
}
function loopAddSchoolDays(n: number): void {
	for (let i = 0; i < n; i++) sink += addSchoolDays(dates[i & 4095] ?? '', 5, terms).length;
}

for (const [name, loop] of [
	['isWorkingDay', loopIsWorkingDay],
	['addWorkingDays(d, 10)', loopAddWorkingDays],
	['isSchoolDay', loopIsSchoolDay],
	['addSchoolDays(d, 5)', loopAddSchoolDays]
] as const) {
	loop(200_000); // warm-up: lets the JIT optimise before timing
	const t0 = performance.now();
	loop(CALLS);
	report(name, t0);
}
console.log(`(sink ${sink})`);
