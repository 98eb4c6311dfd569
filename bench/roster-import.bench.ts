// Roster import of 50,000 rows (issue 5, S-1/B-1): parse + validate a CSV and an XLSX file,
// then store the rows in one transaction into SQLite in a temp dir. Prints times and peak RSS.
// Run: node scripts/bench.mjs roster-import
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseRosterFile, type RosterContext } from '../server/roster';
import { demoIdNumber } from '../server/seed-cases';
import { openSqliteStorage } from '../server/storage/sqlite';
import { TEMPLATE_HEADER as HEADER } from '../src/lib/ui/roster/template';

const N = Number(process.argv[2] ?? 50_000);
const SCHOOLS = [
	{ id: 'org-school1', name: '示范区第一初级中学' },
	{ id: 'org-school2', name: '示范区光明中学' },
	{ id: 'org-school3', name: '示范区新华小学' }
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['子涵', '浩然', '一诺', '宇航', '欣怡', '俊杰', '雨桐', '梦琪', '志强', '佳怡'];

/** Row i of a valid roster: unique 学籍号 and ID number, dates in three date formats. */
function row(i: number): string[] {
	const grade = (i % 9) + 1;
	const j = Math.floor(i / 9);
	// (grade, birthday, n) is unique per row: 224 birthdays (January–August, day 1–28) × n.
	const b = j % 224;
	const n = Math.floor(j / 224);
	const birth = `${2019 - grade}-${String((b % 8) + 1).padStart(2, '0')}-${String(Math.floor(b / 8) + 1).padStart(2, '0')}`;
	const gender = i % 2 ? 'male' : 'female';
	// demoIdNumber's sequence stays at 3 digits while n < 500 (50,000 rows: n < 25).
	const id = demoIdNumber(birth, n, gender);
	const date =
		i % 3 === 0 ? birth : i % 3 === 1 ? birth.replaceAll('-', '/') : birth.replaceAll('-', '');
	return [
		`G${id}`,
		(SURNAMES[i % SURNAMES.length] ?? '王') + (GIVEN[i % GIVEN.length] ?? ''),
		gender === 'male' ? '男' : '女',
		date,
		id,
		SCHOOLS[i % 3]?.name ?? '',
		`${grade}年级`,
		`（${(i % 6) + 1}）班`,
		'河南省平顶山市',
		`示范区新华街道和平路${i % 500}号`,
		'王建国',
		`139${String(i).padStart(8, '0')}`
	];
}

const peak = () => Math.round(process.resourceUsage().maxRSS / 1024);
const ms = (t: number) => Math.round(performance.now() - t);

// The files are written to disk with exceljs's streaming writer, so that generating them does
// not inflate the peak RSS that the import is measured by.
const dir = mkdtempSync(join(tmpdir(), 'ysya-roster-bench-'));
const csvPath = join(dir, 'roster.csv');
const xlsxPath = join(dir, 'roster.xlsx');
const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
const lines = [HEADER.join(',')];
for (let i = 0; i < N; i++) lines.push(row(i).map(quote).join(','));
writeFileSync(csvPath, lines.join('\r\n'));
lines.length = 0;
const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
	filename: xlsxPath,
	useSharedStrings: true
});
const sheet = writer.addWorksheet('花名册');
sheet.addRow(HEADER).commit();
for (let i = 0; i < N; i++) sheet.addRow(row(i)).commit();
sheet.commit();
await writer.commit();
global.gc?.();
const csv = new Uint8Array(readFileSync(csvPath));
const xlsx = new Uint8Array(readFileSync(xlsxPath));
console.log(
	`roster import, ${N} rows (CSV ${(csv.length / 1e6).toFixed(1)} MB, XLSX ${(xlsx.length / 1e6).toFixed(1)} MB); peak RSS after generating: ${peak()} MiB`
);

const ctx: RosterContext = {
	schools: SCHOOLS,
	importer: { orgKind: 'bureau', orgId: 'org-bureau' },
	// Births of 2019 − grade fit the grades of school year 2025–2026 (issue 11's birth-date check).
	today: '2025-09-01',
	term: '2025-09-01'
};
let t = performance.now();
const fromCsv = await parseRosterFile(csv, ctx);
console.log(
	`CSV  parse + validate: ${ms(t)} ms, ${fromCsv.students.length} rows, ${fromCsv.errors.length} errors; peak RSS ${peak()} MiB`
);
if (fromCsv.errors.length || fromCsv.students.length !== N)
	throw new Error(JSON.stringify(fromCsv.errors.slice(0, 3)));

t = performance.now();
const fromXlsx = await parseRosterFile(xlsx, ctx);
console.log(
	`XLSX parse + validate: ${ms(t)} ms, ${fromXlsx.students.length} rows, ${fromXlsx.errors.length} errors; peak RSS ${peak()} MiB`
);
if (fromXlsx.errors.length || fromXlsx.students.length !== N)
	throw new Error(JSON.stringify(fromXlsx.errors.slice(0, 3)));

try {
	const storage = openSqliteStorage({ path: join(dir, 'bench.sqlite') });
	const meta = {
		term: '2026-09-01',
		userId: 'bureau1',
		fileName: 'bench.csv',
		rows: N,
		at: new Date().toISOString()
	};
	t = performance.now();
	await storage.importRoster(meta, fromCsv.students);
	console.log(`SQLite import (one transaction, new rows): ${ms(t)} ms; peak RSS ${peak()} MiB`);
	t = performance.now();
	await storage.importRoster(meta, fromXlsx.students);
	console.log(`SQLite import (one transaction, replacing every row): ${ms(t)} ms`);
	const counts = await storage.rosterCounts('2026-09-01');
	console.log(`stored: ${Object.values(counts).reduce((a, b) => a + b, 0)} rows`);
	await storage.close();
} finally {
	rmSync(dir, { recursive: true, force: true });
}
console.log(`peak RSS: ${peak()} MiB`);
