/**
 * npm run bench:report — the quarterly report (S-5) over 10,000 generated cases (~50 events each)
 * spread over 40 schools in 8 streets: time to build the report JSON and the .xlsx buffer, and
 * peak RSS (sampled). Also the term ledger (one row per case) as JSON and .xlsx, for scale.
 * Aim: the quarterly report under 5 s on the 2-core machine.
 */
import type { CaseSnapshot } from '../src/lib/domain';
import { quarterlyReport, termLedger, type ReportCase, type ReportOrg } from '../src/lib/reports';
import { ledgerXlsx, quarterlyXlsx } from '../src/lib/reports/xlsx';
import { generate } from './cases';

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const STREETS = 8;
const SCHOOLS = 40;
// The generated cases run from March 2025 to September 2026; Q4 2025 holds most of their steps.
const YEAR = 2025;
const QUARTER = 4;
const TODAY = '2026-01-10';

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 5);
/** Collects garbage between stages (the runner passes --expose-gc) so each peak is its own. */
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const orgs: ReportOrg[] = [
	{ id: 'district', kind: 'district', name: '基准区人民政府', streetId: null }
];
for (let s = 0; s < STREETS; s++) {
	orgs.push({ id: `street-${s}`, kind: 'street', name: `第${s + 1}街道办事处`, streetId: null });
}
for (let k = 0; k < SCHOOLS; k++) {
	orgs.push({
		id: `school-${k}`,
		kind: 'school',
		name: `第${k + 1}中学`,
		streetId: `street-${k % STREETS}`
	});
}
const enrollment: Record<string, number> = {};
for (let k = 0; k < SCHOOLS; k++) enrollment[`school-${k}`] = 800 + k * 13;

const snapshots: CaseSnapshot[] = generate(CASES);
const cases: ReportCase[] = snapshots.map((snapshot, i) => {
	const k = (i * 7) % SCHOOLS; // spread neighbouring templates over schools
	return { snapshot, schoolId: `school-${k}`, streetId: `street-${k % STREETS}` };
});
const events = snapshots.reduce((n, c) => n + c.events.length, 0);
console.log(
	`cases: ${fmt(CASES)} (${fmt(events)} events), ${SCHOOLS} schools in ${STREETS} streets; report ${YEAR} Q${QUARTER}, today ${TODAY}`
);
gc();
sample();
const baseRss = peakRss;
const by = { name: '基准测试', org: '基准区教育体育局', on: TODAY };

/** Runs `fn` `rounds` times; the median time in ms and the last result. */
async function time<T>(rounds: number, fn: () => T | Promise<T>): Promise<{ ms: number; out: T }> {
	const times: number[] = [];
	let out: T | undefined;
	for (let r = 0; r < rounds; r++) {
		const t0 = performance.now();
		out = await fn();
		times.push(performance.now() - t0);
		sample();
	}
	times.sort((a, b) => a - b);
	return { ms: times[Math.floor(times.length / 2)] ?? 0, out: out as T };
}

const input = { cases, orgs, enrollment, year: YEAR, quarter: QUARTER as 4, today: TODAY };
const json = await time(5, () => JSON.stringify(quarterlyReport(input)));
const report = quarterlyReport(input);
console.log(
	`quarterly report JSON (fold + obligations of every case once, totals, stringify): ${json.ms.toFixed(0)} ms (median of 5); ${fmt(report.caseCount)} cases counted, ${fmt(report.total.openCases)} open, ${fmt(report.total.closedTotal)} closed in the quarter, ${fmt(report.total.overdue)} overdue obligations`
);
const xlsx = await time(5, () => quarterlyXlsx(report, by));
console.log(
	`quarterly report .xlsx buffer (${report.streets.length} streets, ${SCHOOLS} schools): ${xlsx.ms.toFixed(0)} ms (median of 5); ${fmt(xlsx.out.byteLength)} bytes`
);
// As the relay does it: every case's cached snapshot JSON parsed, the report built, both files.
gc();
const stored = snapshots.map((s) => JSON.stringify(s));
console.log(
	`stored snapshot JSON (what the relay's case table caches): ${mib(stored.reduce((n, t) => n + t.length, 0))} of text`
);
const both = await time(3, async () => {
	function* parsed(): Generator<ReportCase> {
		for (const [i, text] of stored.entries()) {
			yield { ...(cases[i] as ReportCase), snapshot: JSON.parse(text) as CaseSnapshot };
		}
	}
	const r = quarterlyReport({ ...input, cases: parsed() });
	return JSON.stringify(r).length + (await quarterlyXlsx(r, by)).byteLength;
});
console.log(
	`quarterly report end to end as the relay runs it (parse 10,000 stored snapshots, JSON and .xlsx): ${both.ms.toFixed(0)} ms (median of 3)`
);
sample();
const quarterlyPeak = peakRss;
console.log(`peak RSS so far (quarterly report): ${mib(quarterlyPeak)}`);

gc();
const term = { start: '2025-09-01', end: '2026-01-23' };
const ledger = await time(3, () => termLedger({ cases, orgs, term, today: TODAY }));
const ledgerFile = await time(1, () => ledgerXlsx(ledger.out, by));
console.log(
	`term ledger ${term.start}: ${fmt(ledger.out.rows.length)} rows in ${ledger.ms.toFixed(0)} ms; .xlsx ${ledgerFile.ms.toFixed(0)} ms, ${fmt(ledgerFile.out.byteLength)} bytes`
);
sample();
clearInterval(timer);
console.log(
	`peak RSS: ${mib(peakRss)} overall incl. the ledger .xlsx; ${mib(quarterlyPeak)} through the quarterly report; ${mib(baseRss)} with the ${fmt(CASES)} cases generated, before any report`
);
