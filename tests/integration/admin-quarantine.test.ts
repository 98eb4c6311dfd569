import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import {
	ADMIN_CLI_USER,
	AdminError,
	HELP,
	formatQuarantine,
	listQuarantine
} from '../../server/admin';
import {
	connect,
	createCase,
	login,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOW = new Date('2026-11-23T02:00:00.000Z');

/** Runs `npm run admin -- …` as the tool runs (tsx), on a data dir; resolves to code and output. */
async function admin(
	dataDir: string,
	args: string[]
): Promise<{ code: number | null; out: string }> {
	const proc = spawn(process.execPath, ['--import', 'tsx', 'server/admin-cli.ts', ...args], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR: dataDir },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
	proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
	let timer: NodeJS.Timeout | undefined;
	const code = await Promise.race([
		new Promise<number | null>((resolve) => proc.on('exit', resolve)),
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				proc.kill('SIGKILL');
				reject(new Error(`admin ${args.join(' ')} gave no answer in 20 s: ${out}`));
			}, 20_000);
		})
	]).finally(() => clearTimeout(timer));
	return { code, out };
}

/**
 * `npm run admin -- quarantine list [--case ID]` (DESIGN.md "When the relay refuses an update"):
 * one line per refused update, Chinese first, no student data; each listed case audited.
 */
describe('admin: quarantine list', () => {
	let t: TestRelay;
	let caseA: string;
	let caseB: string;
	const clients: Client[] = [];

	async function refuse(caseId: string, token: string, ev: Record<string, unknown>) {
		const c = connect(t, caseId, token);
		clients.push(c);
		await synced(c);
		c.doc.getArray('events').push([ev]);
		await until(() => c.refused.length === 1, 5000, 'refused');
	}

	beforeAll(async () => {
		t = await startRelay({ now: NOW });
		const school = await login(t, 'school1');
		caseA = await createCase(t, school, { name: '命令行学生' });
		caseB = await createCase(t, school, { name: '空白学生' });
		// Sunday 2026-11-22 is no school day (G-T4).
		await refuse(caseA, school, {
			id: 'cli-sunday',
			type: 'absence',
			date: '2026-11-22',
			recordedAt: '2026-11-22T09:00:00.000Z',
			author: DEMO_AUTHORS.school,
			v: 1,
			excused: false
		});
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('lists one line per refused update: id, time, case, rule, who, what, reason (zh / en)', async () => {
		const entries = await listQuarantine(t.storage, {}, { now: NOW });
		const lines = formatQuarantine(entries);
		const displayName = (await t.storage.getUser('school1'))?.displayName ?? '';
		expect(lines).toHaveLength(1);
		const [q] = entries;
		expect(lines[0]).toBe(
			`#${q?.id}  2026-11-23T02:00:00.000Z  案件 case ${caseA}  规则 rule G-T4  ` +
				`${displayName}（示范区第一初级中学）  缺勤 absence  ${q?.reason.zh} / ${q?.reason.en}`
		);
		expect(lines[0]).not.toContain('命令行学生');
		const audit = await t.storage.listAudit({ userId: ADMIN_CLI_USER });
		expect(audit.filter((a) => a.action === 'quarantine').map((a) => a.caseId)).toEqual([caseA]);
	});

	it('--case narrows to one case; an empty list says so; an unknown case is one bilingual error', async () => {
		expect(
			formatQuarantine(await listQuarantine(t.storage, { case: caseB }, { now: NOW }))
		).toEqual(['隔离区为空 / the quarantine is empty']);
		await expect(listQuarantine(t.storage, { case: 'case-nope' }, { now: NOW })).rejects.toThrow(
			new AdminError('案件 case-nope 不存在', 'no case case-nope')
		);
		await expect(listQuarantine(t.storage, { case: 'bad id!' }, { now: NOW })).rejects.toThrow(
			/--case/
		);
		expect(HELP).toContain('quarantine list [--case <case-id>]');
	});

	it('`npm run admin -- quarantine list --case ID` prints it while the relay runs', async () => {
		const r = await admin(t.dataDir, ['quarantine', 'list', '--case', caseA]);
		expect(r.code, r.out).toBe(0);
		const lines = r.out.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(
			/^#\d+ {2}2026-11-23T02:00:00.000Z {2}案件 case case-\S+ {2}规则 rule G-T4 /
		);
		expect(lines[0]).toContain('缺勤 absence');
		const bad = await admin(t.dataDir, ['quarantine', 'purge']);
		expect(bad.code).toBe(1);
		expect(bad.out.trim()).toBe(
			'未知命令 quarantine purge（见 help） / unknown command quarantine purge (see help)'
		);
	});
});
