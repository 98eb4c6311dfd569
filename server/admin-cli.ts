import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
	AdminError,
	HELP,
	addOrg,
	addUser,
	backupDatabase,
	caseHistory,
	checkCases,
	exportCase,
	formatCaseChecks,
	formatHistory,
	formatQuarantine,
	listQuarantine,
	restoreDatabase,
	setUserEnabled
} from './admin';
import {
	formatCalendarYears,
	formatTermYears,
	importCalendarYear,
	importTermYear,
	listCalendarYears,
	listTermYears
} from './admin-calendar';
import { formatRetention, retentionCommand } from './admin-retention';
import { setOrgWork, showOrgWork } from './admin-org-work';
import { chinaDate } from '../src/lib/domain';
import { RestoreError } from './storage/backup';
import { openSqliteStorage } from './storage/sqlite';
import type { Storage } from './storage/types';

// Only argv, the environment and stdin are read here; the work is in admin.ts (STYLE.md item 5).
const dataDir = process.env.DATA_DIR ?? './data';
const dbPath = join(dataDir, 'yishengyian.sqlite');

const OPTIONS = {
	id: { type: 'string' },
	kind: { type: 'string' },
	name: { type: 'string' },
	street: { type: 'string' },
	username: { type: 'string' },
	org: { type: 'string' },
	role: { type: 'string' },
	password: { type: 'string' },
	out: { type: 'string' },
	from: { type: 'string' },
	file: { type: 'string' },
	case: { type: 'string' },
	date: { type: 'string' },
	'dry-run': { type: 'boolean' }
} as const;

/** Reads a password: hidden from a terminal, the first line of a pipe otherwise. */
async function readPassword(): Promise<string> {
	if (process.stdin.isTTY) {
		process.stderr.write('密码 / password: ');
		// Keystrokes are echoed to a sink, so the password never shows on screen.
		const sink = new Writable({ write: (_chunk, _enc, done) => done() });
		const rl = createInterface({ input: process.stdin, output: sink, terminal: true });
		const line = await new Promise<string>((resolve) => rl.once('line', resolve));
		rl.close();
		process.stderr.write('\n');
		return line;
	}
	let text = '';
	for await (const chunk of process.stdin) text += String(chunk);
	return text.split(/\r?\n/)[0] ?? '';
}

/** The JSON of an import file; a missing file or bad JSON is one clear line, not a stack. */
function readJsonFile(path: string | undefined): unknown {
	if (!path) throw new AdminError('须指定 --file <文件>', 'give --file <file>');
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		throw new AdminError(`无法读取文件 ${path}`, `cannot read ${path}`);
	}
	try {
		return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
	} catch (err) {
		const why = err instanceof Error ? err.message : String(err);
		throw new AdminError(`文件 ${path} 不是有效的 JSON`, `${path} is not valid JSON: ${why}`);
	}
}

/** G-T3: `calendar import|list` and `terms import|list`. */
async function calendarCommand(command: string, sub: string | undefined, file: string | undefined) {
	const now = new Date();
	const key = `${command} ${sub ?? ''}`;
	switch (key) {
		case 'calendar import': {
			const input = readJsonFile(file);
			const r = await withStorage((s) => importCalendarYear(s, input, { now }));
			console.log(
				`已录入 ${r.value.year} 年放假安排 / entered the ${r.value.year} schedule: ${r.value.source}`
			);
			console.log(`日历版本 / calendar version: ${r.version}`);
			return;
		}
		case 'terms import': {
			const input = readJsonFile(file);
			const r = await withStorage((s) => importTermYear(s, input, { now }));
			const scope = r.value.school ? `学校 / school ${r.value.school}` : '全区 / district';
			console.log(
				`已录入 ${r.value.schoolYear} 学年校历（${scope}）/ entered the ${r.value.schoolYear} terms: ${r.value.terms.length}`
			);
			console.log(`日历版本 / calendar version: ${r.version}`);
			return;
		}
		case 'calendar list':
			for (const line of formatCalendarYears(
				await withStorage((s) => listCalendarYears(s, { now }))
			))
				console.log(line);
			return;
		case 'terms list':
			for (const line of formatTermYears(await withStorage((s) => listTermYears(s))))
				console.log(line);
			return;
		default:
			throw new AdminError(
				`未知命令 ${key.trim()}（见 help）`,
				`unknown command ${key.trim()} (see help)`
			);
	}
}

/** `quarantine list [--case ID]`: the refused updates, one line each (audited reads). */
async function quarantineCommand(sub: string | undefined, caseId: string | undefined) {
	if (sub !== 'list') {
		const key = `quarantine ${sub ?? ''}`.trim();
		throw new AdminError(`未知命令 ${key}（见 help）`, `unknown command ${key} (see help)`);
	}
	const now = new Date();
	const entries = await withStorage((s) => listQuarantine(s, { case: caseId }, { now }));
	for (const line of formatQuarantine(entries)) console.log(line);
}

/** `retention run [--dry-run] [--date D]`: anonymises closed cases past their date (issue 11). */
async function retentionCommandLine(
	sub: string | undefined,
	o: { date?: string; 'dry-run'?: boolean }
): Promise<void> {
	if (sub !== 'run') {
		const key = `retention ${sub ?? ''}`.trim();
		throw new AdminError(`未知命令 ${key}（见 help）`, `unknown command ${key} (see help)`);
	}
	const now = new Date();
	const input = { date: o.date, dryRun: o['dry-run'] === true };
	const report = await withStorage((s) => retentionCommand(s, input, { now, dataDir }));
	for (const line of formatRetention(report)) console.log(line);
	if (report.failed.length) process.exitCode = 1;
}

/** `org-work set --id <profile> [--date D]` / `org-work show` (issue 12: B-1, S-2, S-5). */
async function orgWorkCommand(
	sub: string | undefined,
	o: { id?: string; date?: string }
): Promise<void> {
	if (sub === 'set') await withStorage((s) => setOrgWork(s, o));
	else if (sub !== 'show') {
		const key = `org-work ${sub ?? ''}`.trim();
		throw new AdminError(`未知命令 ${key}（见 help）`, `unknown command ${key} (see help)`);
	}
	const lines = await withStorage((s) => showOrgWork(s, chinaDate(new Date())));
	for (const line of lines) console.log(line);
}

function fileExists(path: string): AdminError {
	return new AdminError(`文件 ${path} 已存在`, `${path} already exists`);
}

async function withStorage<T>(work: (storage: Storage) => Promise<T>): Promise<T> {
	mkdirSync(dataDir, { recursive: true });
	const storage = openSqliteStorage({ path: dbPath });
	try {
		return await work(storage);
	} finally {
		await storage.close();
	}
}

async function run(argv: string[]): Promise<void> {
	const [command = 'help', ...all] = argv;
	// `calendar`, `terms`, `quarantine`, `retention` and `org-work` take a sub-command word first.
	const grouped = ['calendar', 'terms', 'quarantine', 'retention', 'org-work'].includes(command);
	const sub = grouped ? all[0] : undefined;
	const rest = grouped ? all.slice(1) : all;
	let o: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
	try {
		o = parseArgs({ args: rest, options: OPTIONS, strict: true }).values;
	} catch (err) {
		const why = err instanceof Error ? err.message.split('. ')[0] : String(err);
		throw new AdminError('参数错误（见 help）', `bad arguments (see help): ${why}`);
	}
	if (command === 'quarantine') return quarantineCommand(sub, o.case);
	if (command === 'retention') return retentionCommandLine(sub, o);
	if (command === 'org-work') return orgWorkCommand(sub, o);
	if (grouped) return calendarCommand(command, sub, o.file);
	const now = new Date();
	switch (command) {
		case 'add-org': {
			const org = await withStorage((s) => addOrg(s, o));
			console.log(`已添加单位 / org added: ${org.id} (${org.kind})`);
			return;
		}
		case 'add-user': {
			const password = o.password ?? (await readPassword());
			const user = await withStorage((s) => addUser(s, { ...o, password }, { now }));
			console.log(`已添加用户 / user added: ${user.username} (${user.orgId}, ${user.role})`);
			return;
		}
		case 'disable-user':
		case 'enable-user': {
			const enabled = command === 'enable-user';
			await withStorage((s) => setUserEnabled(s, o.username, enabled));
			console.log(enabled ? `已启用 / enabled: ${o.username}` : `已停用 / disabled: ${o.username}`);
			return;
		}
		case 'export-case': {
			// Checked before the export, so a refused write leaves no audit row for a read never made.
			if (o.out !== undefined && existsSync(o.out)) throw fileExists(o.out);
			const snapshot = await withStorage((s) => exportCase(s, o.id, { now }));
			const json = `${JSON.stringify(snapshot, null, 2)}\n`;
			if (o.out === undefined) {
				process.stdout.write(json);
				return;
			}
			try {
				// Minors' personal data: readable by the owner only, and never over an existing file.
				writeFileSync(o.out, json, { mode: 0o600, flag: 'wx' });
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw fileExists(o.out);
				throw err;
			}
			console.log(`已导出 / exported: ${o.out}`);
			return;
		}
		case 'history': {
			const entries = await withStorage((s) => caseHistory(s, o.id, { now }));
			for (const line of formatHistory(entries)) console.log(line);
			return;
		}
		case 'check-cases': {
			const dryRun = o['dry-run'] === true;
			const checks = await withStorage((s) => checkCases(s, { now, dryRun }));
			for (const line of formatCaseChecks(checks)) console.log(line);
			// Non-zero when something is still wrong: a case that does not load, or a dry run
			// that found a repair to make.
			if (checks.some((c) => c.status === 'broken' || c.status === 'unrepaired')) {
				process.exitCode = 1;
			}
			return;
		}
		case 'backup':
			await withStorage((s) => backupDatabase(s, o.out));
			console.log(`已备份 / backed up: ${o.out}`);
			return;
		case 'restore':
			// Not opened here: the restore replaces the file, which must have no other user.
			console.error(
				'注意：恢复前须停止中继服务 / note: the relay must be stopped before a restore'
			);
			await restoreDatabase(o.from, dbPath);
			console.log(`已从备份恢复 / restored from: ${o.from}`);
			return;
		case 'help':
		case '--help':
		case '-h':
			console.log(HELP);
			return;
		default:
			throw new AdminError(
				`未知命令 ${command}（见 help）`,
				`unknown command ${command} (see help)`
			);
	}
}

try {
	await run(process.argv.slice(2));
} catch (err) {
	// One line, no stack trace: the message never holds personal data, only ids and reasons.
	const message = err instanceof Error ? err.message : String(err);
	console.error(
		err instanceof AdminError || err instanceof RestoreError ? message : `错误 / error: ${message}`
	);
	process.exitCode = 1;
}
