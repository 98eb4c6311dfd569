/**
 * Issue 11, retention: closed cases past their keep-in-full date are anonymised in place —
 * by the admin command's function (no relay running) and by the bureau's
 * `POST /api/retention/run` on a running relay — and nothing else is touched.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPlan, setPlan, toSnapshot } from '../../src/lib/case-doc';
import type { CaseSnapshot } from '../../src/lib/domain';
import { evaluate } from '../../src/lib/rules';
import { CLOSE } from '../../src/lib/protocol/ws';
import { AdminError } from '../../server/admin';
import { retentionCommand } from '../../server/admin-retention';
import { RETENTION_ACTION } from '../../server/retention';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/types';
import {
	connect,
	login,
	ownWritesAccepted,
	startRelay,
	synced,
	until,
	type TestRelay
} from './relay-harness';

/** The demo is seeded on the harness's day (2026-11-23); retention is judged years later. */
const SEEDED = new Date('2026-11-23T02:00:00.000Z');
const LATER = '2030-09-01';
const LATER_NOW = new Date('2030-09-01T02:00:00.000Z');
/**
 * Counted by hand (server/seed-cases.ts, seeded in school year 2026–27): 高子墨 (demo-14, grade
 * 9, born 2012) finishes grade 9 in 2026–27, kept in full to 2030-08-31; 林诗涵 (demo-15, over
 * age, born 2010-03-18, recorded in grade 9 in 2025–26) to 2029-08-31. The other closed cases
 * (demo-12, -13, -18, -20: grade 8, born 2013) are kept to 2031-08-31; the rest are open.
 */
const DUE = ['demo-14', 'demo-15'];
const CLOSED_NOT_DUE = ['demo-12', 'demo-13', 'demo-18', 'demo-20'];
const OPEN = 'demo-01';

const bytesHold = (b: Uint8Array, s: string) => Buffer.from(b).includes(Buffer.from(s, 'utf8'));

/** Every stored byte of a case: updates, compacted states, its quarantine, the cached JSON. */
async function stored(storage: Storage, caseId: string): Promise<Uint8Array[]> {
	const log = await storage.caseLogBytes(caseId);
	const c = await storage.getCase(caseId);
	return [
		...log.updates.map((u) => u.update),
		...log.snapshots.map((x) => x.state),
		...(await storage.listQuarantine(caseId)).map((q) => q.update),
		Buffer.from(c?.snapshotJson ?? '', 'utf8')
	];
}

const hex = async (storage: Storage, caseId: string) =>
	(await stored(storage, caseId)).map((b) => Buffer.from(b).toString('hex')).join('|');

/** The personal values of a case as seeded (read before anything is anonymised). */
interface People {
	name: string;
	guardian: string;
	phone: string;
	address: string;
}

function peopleOf(s: CaseSnapshot): People {
	const g = s.guardians[0];
	if (!g) throw new Error(`${s.id} has no guardian`);
	return { name: s.student.name, guardian: g.name, phone: g.phone, address: s.student.residence };
}

/** What the statistics read of a case: every event's id, type and date, stage, closure path. */
function figures(s: CaseSnapshot, today: string) {
	const e = evaluate(s, today, { actions: false });
	const closed = s.events.find((x) => x.type === 'closed');
	return {
		events: s.events.map((x) => `${x.id} ${x.type} ${x.date}`),
		stage: e.stage,
		path: closed?.type === 'closed' ? closed.path : null,
		student: [s.student.gender, s.student.birthDate, s.student.grade, s.student.schoolId]
	};
}

const getJson = async (t: TestRelay, token: string, path: string): Promise<unknown> => {
	const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
	expect(res.status, path).toBe(200);
	return res.json();
};

/**
 * Makes demo-14's log richer than the seed: the street types the student's name, the
 * guardian's phone and address into the plan (one stored update), the relay keeps a compacted
 * state, and a refused update holding the name waits in quarantine.
 */
async function enrich(t: TestRelay, p: People): Promise<void> {
	const token = await login(t, 'street1');
	const c = connect(t, 'demo-14', token);
	await synced(c);
	setPlan(
		c.doc,
		`${getPlan(c.doc)}联系人：${p.guardian}（${p.phone}），住${p.address}；${p.name}本人同意。`
	);
	await until(() => ownWritesAccepted(c), 5000, 'plan stored');
	c.destroy();
	const log = await t.storage.loadUpdates('demo-14');
	const doc = new Y.Doc();
	for (const u of log) Y.applyUpdate(doc, u.update);
	await t.storage.saveSnapshot({
		caseId: 'demo-14',
		uptoSeq: log[log.length - 1]?.seq ?? 0,
		state: Y.encodeStateAsUpdate(doc),
		createdAt: SEEDED.toISOString()
	});
	const refused = new Y.Doc();
	refused.getText('plan').insert(0, `${p.name}的家长${p.guardian}`);
	await t.storage.quarantine({
		caseId: 'demo-14',
		update: Y.encodeStateAsUpdate(refused),
		userId: 'street1',
		receivedAt: SEEDED.toISOString(),
		rule: 'S-4b',
		reason: '测试 / test'
	});
	doc.destroy();
	refused.destroy();
}

/**
 * Types the student's name into demo-12's plan in two keystrokes, two stored updates: no
 * stored byte holds the whole name, so it cannot be replaced in place.
 */
async function typeNameInPieces(t: TestRelay, name: string): Promise<void> {
	const c = connect(t, 'demo-12', await login(t, 'street1'));
	await synced(c);
	const plan = getPlan(c.doc);
	setPlan(c.doc, `${plan}${name.slice(0, 1)}`);
	await until(() => ownWritesAccepted(c), 5000, 'first piece stored');
	setPlan(c.doc, `${plan}${name}`);
	await until(() => ownWritesAccepted(c), 5000, 'second piece stored');
	c.destroy();
}

/** Checks a case after anonymisation, from its stored bytes and as the relay serves it. */
async function expectAnonymised(
	t: TestRelay,
	caseId: string,
	p: People,
	before: ReturnType<typeof figures>
) {
	for (const b of await stored(t.storage, caseId)) {
		for (const v of [p.name, p.guardian, p.phone, p.address])
			expect(bytesHold(b, v), v).toBe(false);
	}
	expect(await t.storage.getPersonIds(caseId)).toEqual([]);
	// It still loads, over sync, from the stored log; the figures are those of before.
	const c = connect(t, caseId, await login(t, 'bureau1'));
	await synced(c);
	const s = toSnapshot(c.doc);
	c.destroy();
	if (!s.ok) throw new Error(`${caseId} does not load: ${JSON.stringify(s.errors)}`);
	expect(figures(s.value, LATER)).toEqual(before);
	expect(s.value.student.name).toBe('＊'.repeat(p.name.length));
	expect(s.value.guardians[0]?.phone).toBe('*'.repeat(p.phone.length));
	expect(s.value.student.registryNo).toMatch(/^G\*{18}$/);
}

describe('issue 11: retention by the admin command (no relay running)', () => {
	let t: TestRelay;
	const people = new Map<string, People>();
	const before = new Map<string, ReturnType<typeof figures>>();
	const untouched = new Map<string, string>();

	beforeAll(async () => {
		t = await startRelay({ now: SEEDED });
		for (const c of await t.storage.listCases()) {
			const s = JSON.parse(c.snapshotJson) as CaseSnapshot;
			people.set(c.id, peopleOf(s));
		}
		await enrich(t, people.get('demo-14') as People);
		await typeNameInPieces(t, (people.get('demo-12') as People).name);
		for (const c of await t.storage.listCases())
			before.set(c.id, figures(JSON.parse(c.snapshotJson) as CaseSnapshot, LATER));
		for (const id of [OPEN, ...CLOSED_NOT_DUE]) untouched.set(id, await hex(t.storage, id));
		await t.stop();
	}, 60_000);
	afterAll(async () => {
		await t.dispose();
	});

	it(
		'anonymises the closed cases past their date, once each, audited; nothing else',
		{ timeout: 60_000 },
		async () => {
			const storage = openSqliteStorage({ path: join(t.dataDir, 'yishengyian.sqlite') });
			try {
				const r = await retentionCommand(
					storage,
					{ date: LATER },
					{ now: LATER_NOW, dataDir: t.dataDir }
				);
				expect(r.failed).toEqual([]);
				expect(r.anonymised).toEqual(DUE);
				expect(r.notDue).toBe(CLOSED_NOT_DUE.length);
				expect(r.open).toBe(r.cases - DUE.length - CLOSED_NOT_DUE.length);
				for (const id of DUE) {
					const audit = (await storage.listAudit({ caseId: id })).filter(
						(a) => a.action === RETENTION_ACTION
					);
					expect(audit).toHaveLength(1);
					expect(audit[0]?.userId).toBe('system');
					expect((await storage.getCase(id))?.rewrites).toBe(1);
				}
				for (const [id, h] of untouched) expect(await hex(storage, id), id).toBe(h);
				expect((await storage.getPersonIds(OPEN)).length).toBeGreaterThan(0);

				const rows = async () =>
					Promise.all(DUE.map(async (id) => hex(storage, id))).then((x) => x.join());
				const done = await rows();
				const again = await retentionCommand(storage, {}, { now: LATER_NOW, dataDir: t.dataDir });
				expect(again).toMatchObject({ anonymised: [], already: DUE, failed: [] });
				expect(await rows()).toBe(done);
				const audits = await storage.listAudit();
				expect(audits.filter((a) => a.action === RETENTION_ACTION)).toHaveLength(DUE.length);
				// No personal data in the audit log.
				const text = JSON.stringify(audits);
				for (const p of people.values()) expect(text).not.toContain(p.name);
			} finally {
				await storage.close();
			}
		}
	);

	it('leaves each anonymised case loading with its events, dates and closure path', async () => {
		t = await startRelay({ dataDir: t.dataDir, now: SEEDED });
		for (const id of DUE)
			await expectAnonymised(
				t,
				id,
				people.get(id) as People,
				before.get(id) as ReturnType<typeof figures>
			);
		// The plan keeps its words around the replaced values.
		const bureau = await login(t, 'bureau1');
		const s = (await getJson(t, bureau, '/api/cases/demo-14')) as CaseSnapshot;
		expect(s.plan).toContain('本人同意');
		expect(s.plan).toContain('联系人：＊＊＊（***********）');
	});

	it('refuses to run while a relay holds the data directory, and says so in both languages', async () => {
		// A live process stands for the running relay; the lock names it.
		const relay = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
			stdio: 'ignore'
		});
		const lock = join(t.dataDir, 'relay.lock');
		try {
			writeFileSync(lock, JSON.stringify({ pid: relay.pid }));
			const storage = openSqliteStorage({ path: join(t.dataDir, 'yishengyian.sqlite') });
			try {
				await expect(
					retentionCommand(storage, {}, { now: LATER_NOW, dataDir: t.dataDir })
				).rejects.toThrow(/中继服务正在运行.*the relay is running/);
			} finally {
				await storage.close();
			}
			const r = await runCli(t.dataDir, ['retention', 'run']);
			expect(r.code).toBe(1);
			expect(r.stderr).toContain(`中继服务正在运行（pid ${relay.pid}`);
			expect(r.stderr).toContain(`the relay is running (pid ${relay.pid}`);
			// A dry run only reads; a stale lock (its process gone) does not stop a run.
			expect((await runCli(t.dataDir, ['retention', 'run', '--dry-run'])).code).toBe(0);
		} finally {
			relay.kill('SIGKILL');
		}
		writeFileSync(lock, JSON.stringify({ pid: await deadPid() }));
		const ok = await runCli(t.dataDir, ['retention', 'run']);
		expect(ok.code).toBe(0);
		expect(ok.stdout).toContain('共 20 个案件');
		rmSync(lock, { force: true });
	}, 60_000);

	it('refuses a later --date unless it is a dry run', async () => {
		const storage = openSqliteStorage({ path: join(t.dataDir, 'yishengyian.sqlite') });
		try {
			await expect(
				retentionCommand(storage, { date: '2099-01-01' }, { now: SEEDED, dataDir: t.dataDir })
			).rejects.toThrow(AdminError);
			await expect(
				retentionCommand(
					storage,
					{ date: '2099-01-01', dryRun: true },
					{ now: SEEDED, dataDir: t.dataDir }
				)
			).resolves.toMatchObject({ dryRun: true });
		} finally {
			await storage.close();
		}
	});

	it('reports a case it cannot anonymise in place and leaves it exactly as it was', async () => {
		// A year on, the grade-8 cases are due too (kept to 2031-08-31, counted by hand).
		const storage = openSqliteStorage({ path: join(t.dataDir, 'yishengyian.sqlite') });
		try {
			const h = await hex(storage, 'demo-12');
			const ids = await storage.getPersonIds('demo-12');
			const r = await retentionCommand(
				storage,
				{ date: '2031-09-01' },
				{ now: new Date('2031-09-01T02:00:00.000Z'), dataDir: t.dataDir }
			);
			expect(r.anonymised).toEqual(['demo-13', 'demo-18', 'demo-20']);
			expect(r.already).toEqual(DUE);
			expect(r.failed.map((f) => f.caseId)).toEqual(['demo-12']);
			expect(r.failed[0]?.reason.zh).toContain('未修改');
			expect(await hex(storage, 'demo-12')).toBe(h);
			expect(await storage.getPersonIds('demo-12')).toEqual(ids);
			const audit = await storage.listAudit({ caseId: 'demo-12' });
			expect(audit.filter((a) => a.action === RETENTION_ACTION)).toEqual([]);
		} finally {
			await storage.close();
		}
	});
});

/** Runs `npm run admin -- …` on `dataDir`; resolves with its exit code and output. */
function runCli(
	dataDir: string,
	args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/admin-cli.ts', ...args], {
		env: { ...process.env, DATA_DIR: dataDir },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
	child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
	return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The pid of a process that has exited (a stale lock's). */
function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
	return new Promise((resolve) => child.once('exit', () => resolve(child.pid ?? 999_999)));
}

describe('issue 11: retention on a running relay (POST /api/retention/run)', () => {
	let t: TestRelay;
	const people = new Map<string, People>();
	const before = new Map<string, ReturnType<typeof figures>>();
	const untouched = new Map<string, string>();

	beforeAll(async () => {
		const seeded = await startRelay({ now: SEEDED });
		for (const c of await seeded.storage.listCases())
			people.set(c.id, peopleOf(JSON.parse(c.snapshotJson) as CaseSnapshot));
		await enrich(seeded, people.get('demo-14') as People);
		await seeded.stop();
		// The same district four years on.
		t = await startRelay({ dataDir: seeded.dataDir, now: LATER_NOW });
		for (const c of await t.storage.listCases())
			before.set(c.id, figures(JSON.parse(c.snapshotJson) as CaseSnapshot, LATER));
		for (const id of [OPEN, ...CLOSED_NOT_DUE]) untouched.set(id, await hex(t.storage, id));
	}, 60_000);
	afterAll(async () => {
		await t.dispose();
	});

	const run = (token: string, body: object) =>
		fetch(`${t.url}/api/retention/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify(body)
		});

	it('is the bureau’s only', async () => {
		expect((await run(await login(t, 'school1'), {})).status).toBe(403);
		expect((await run(await login(t, 'street1'), { dryRun: true })).status).toBe(403);
	});

	it('lists without changing anything on a dry run, nor closing anyone', async () => {
		const bureau = await login(t, 'bureau1');
		const h = await hex(t.storage, 'demo-14');
		const open = connect(t, 'demo-14', await login(t, 'street1'));
		await synced(open);
		const res = await run(bureau, { dryRun: true });
		expect(res.status).toBe(200);
		const body = (await res.json()) as { report: { anonymised: string[]; dryRun: boolean } };
		expect(body.report).toMatchObject({ anonymised: DUE, dryRun: true });
		expect(await hex(t.storage, 'demo-14')).toBe(h);
		// Nobody working on the case is disturbed by a preview.
		expect(open.closed).toEqual([]);
		open.destroy();
	});

	it('closes the case’s sockets, drops it from memory, anonymises it, and serves the new content', async () => {
		const bureau = await login(t, 'bureau1');
		// Someone has the case open: the relay holds its document in memory.
		const open = connect(t, 'demo-14', await login(t, 'street1'));
		await synced(open);
		expect(getPlan(open.doc)).toContain((people.get('demo-14') as People).phone);
		const res = await run(bureau, {});
		expect(res.status).toBe(200);
		const body = (await res.json()) as { report: { anonymised: string[]; failed: unknown[] } };
		expect(body.report).toMatchObject({ anonymised: DUE, failed: [] });
		await until(() => open.closed.length > 0, 5000, 'close 4409');
		expect(open.closed[0]?.code).toBe(CLOSE.rewritten);
		open.destroy();
		for (const id of DUE)
			await expectAnonymised(
				t,
				id,
				people.get(id) as People,
				before.get(id) as ReturnType<typeof figures>
			);
		for (const [id, h] of untouched) expect(await hex(t.storage, id), id).toBe(h);
		const audit = (await t.storage.listAudit({ caseId: 'demo-14' })).filter(
			(a) => a.action === RETENTION_ACTION
		);
		expect(audit.map((a) => a.userId)).toEqual(['bureau1']);
		// The case list and the case answer read the rewritten cache.
		const list = (await getJson(t, bureau, '/api/cases')) as {
			cases: { id: string; student: string }[];
		};
		expect(list.cases.find((c) => c.id === 'demo-14')?.student).toBe('＊＊＊');
	});

	it('changes nothing on a second run', async () => {
		const h = await Promise.all(DUE.map((id) => hex(t.storage, id)));
		const res = await run(await login(t, 'bureau1'), {});
		const body = (await res.json()) as { report: object };
		expect(body.report).toMatchObject({ anonymised: [], already: DUE, failed: [] });
		expect(await Promise.all(DUE.map((id) => hex(t.storage, id)))).toEqual(h);
	});
});
