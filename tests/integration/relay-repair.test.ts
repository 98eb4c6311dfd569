import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendEventUnchecked, getPlan, readEvents, setPlan } from '../../src/lib/case-doc';
import { type CaseSnapshot } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { checkCases, exportCase, formatCaseChecks } from '../../server/admin';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/types';
import { SET_ASIDE_RULE, loadCase } from '../../server/sync/case-loader';
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

const NOW = new Date('2026-11-23T02:00:00.000Z');
const OVER_LONG_PLAN = '长'.repeat(20_001);

function absence(id: string, date: string) {
	return {
		id,
		type: 'absence' as const,
		date,
		recordedAt: `${date}T09:00:00.000Z`,
		author: DEMO_AUTHORS.school,
		v: 1 as const,
		excused: false
	};
}

/** Appends the diff `change` makes to `doc` as one stored update, as the old relay stored it. */
async function store(
	storage: Storage,
	caseId: string,
	doc: Y.Doc,
	change: () => void,
	receivedAt: string
): Promise<number> {
	const sv = Y.encodeStateVector(doc);
	change();
	return storage.appendUpdate(caseId, Y.encodeStateAsUpdate(doc, sv), 'school1', receivedAt);
}

/**
 * Writes what the relay before issue 10 accepted into a case's log: a plan of 20,001 characters
 * from one device, then an absence from the same device (its Yjs clock continues the long
 * paste, so it cannot load without it), an absence and a plan edit from a second device that
 * never saw the paste, and, optionally, a compacted state holding all of it.
 */
async function breakCase(storage: Storage, caseId: string, compact: boolean) {
	const paster = new Y.Doc();
	for (const u of await storage.loadUpdates(caseId)) Y.applyUpdate(paster, u.update);
	const other = new Y.Doc();
	Y.applyUpdate(other, Y.encodeStateAsUpdate(paster));
	await store(storage, caseId, other, () => setPlan(other, '先家访。'), '2026-11-19T01:00:00.000Z');
	Y.applyUpdate(paster, Y.encodeStateAsUpdate(other));
	const bad = await store(
		storage,
		caseId,
		paster,
		() => setPlan(paster, OVER_LONG_PLAN),
		'2026-11-20T01:00:00.000Z'
	);
	const stranded = await store(
		storage,
		caseId,
		paster,
		() => appendEventUnchecked(paster, absence('stranded-1', '2026-11-16')),
		'2026-11-20T01:05:00.000Z'
	);
	const kept = await store(
		storage,
		caseId,
		other,
		() => {
			appendEventUnchecked(other, absence('kept-1', '2026-11-17'));
			setPlan(other, '先家访，再联系社区。');
		},
		'2026-11-20T02:00:00.000Z'
	);
	if (compact) {
		Y.applyUpdate(paster, Y.encodeStateAsUpdate(other));
		await storage.saveSnapshot({
			caseId,
			uptoSeq: kept,
			state: Y.encodeStateAsUpdate(paster),
			createdAt: '2026-11-20T03:00:00.000Z'
		});
	}
	paster.destroy();
	other.destroy();
	return { bad, stranded, kept };
}

describe('relay: a stored case that cannot load still opens (issue 10)', () => {
	let t: TestRelay;
	let caseId: string;
	let unopened: string;
	let seqs: { bad: number; stranded: number; kept: number };
	const clients: Client[] = [];
	const get = async (path: string, user: string) =>
		fetch(`${t.url}${path}`, {
			headers: { authorization: `Bearer ${await login(t, user)}` }
		});

	beforeAll(async () => {
		t = await startRelay({ now: NOW });
		const token = await login(t, 'school1');
		caseId = await createCase(t, token, { name: '旧数据学生' });
		unopened = await createCase(t, token, { name: '未打开学生' });
		await t.stop();
		// The data dir as the old relay left it.
		const storage = openSqliteStorage({ path: join(t.dataDir, 'yishengyian.sqlite') });
		seqs = await breakCase(storage, caseId, true);
		await breakCase(storage, unopened, false);
		await storage.close();
		t = await t.restart();
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('[limits] opens from the updates that load; the failing ones are set aside with why', async () => {
		const c = connect(t, caseId, await login(t, 'school1'));
		clients.push(c);
		await synced(c, 10_000);
		expect(getPlan(c.doc)).toBe('先家访，再联系社区。');
		expect(readEvents(c.doc).map((e) => e.id)).toEqual(['kept-1']);

		const q = (await t.storage.listQuarantine(caseId)).filter((r) => r.rule === SET_ASIDE_RULE);
		expect(q.map((r) => r.receivedAt)).toEqual([
			'2026-11-20T01:00:00.000Z',
			'2026-11-20T01:05:00.000Z'
		]);
		expect(q[0]?.reason).toContain(`#${seqs.bad}`);
		expect(q[0]?.reason).toContain('（limits）：劝返方案过长（20,001 字，最多 20,000 字）');
		expect(q[1]?.reason).toContain('（causality）');
		// Nothing is deleted: the log keeps every row it had.
		const log = await t.storage.loadUpdates(caseId);
		expect(log.map((u) => u.seq)).toContain(seqs.bad);
		expect(log.map((u) => u.seq)).toContain(seqs.stranded);
		c.destroy();
	});

	it('[limits] shows the bureau a repair notice; others get 403', async () => {
		const res = await get(`/api/cases/${caseId}/repairs`, 'bureau1');
		expect(res.status).toBe(200);
		const body = (await res.json()) as {
			setAside: {
				seq: number;
				events: { id: string }[];
				planText: boolean;
				reason: { zh: string; en: string };
				userName: string;
			}[];
		};
		expect(body.setAside.map((s) => [s.seq, s.planText, s.events.map((e) => e.id)])).toEqual([
			[seqs.bad, true, []],
			[seqs.stranded, false, ['stranded-1']]
		]);
		expect(body.setAside[0]?.userName).toBe('王老师');
		expect(body.setAside[0]?.reason).toEqual({
			zh: `更新 #${seqs.bad} 无法载入（limits）：劝返方案过长（20,001 字，最多 20,000 字），请删减后再保存；已搁置`,
			en: `update #${seqs.bad} does not load (limits): the plan is too long (20,001 characters, at most 20,000); shorten it to save it; set aside`
		});
		expect((await get(`/api/cases/${caseId}/repairs`, 'school1')).status).toBe(403);
		// A case nobody opened since its data broke is repaired when the bureau asks.
		const other = (await (await get(`/api/cases/${unopened}/repairs`, 'bureau1')).json()) as {
			setAside: unknown[];
		};
		expect(other.setAside).toHaveLength(2);
	});

	it('[limits] "view as of" answers for every stored update; the history marks the set-aside ones', async () => {
		const h = (await (await get(`/api/cases/${caseId}/history`, 'bureau1')).json()) as {
			entries: { seq: number; setAside?: string }[];
		};
		expect(h.entries.filter((e) => e.setAside).map((e) => e.seq)).toEqual([
			seqs.bad,
			seqs.stranded
		]);
		for (const e of h.entries) {
			const res = await get(`/api/cases/${caseId}/history/${e.seq}`, 'bureau1');
			expect(res.status, `as of #${e.seq}`).toBe(200);
			const asOf = (await res.json()) as { snapshot: CaseSnapshot; setAside?: string };
			expect(asOf.snapshot.plan.length).toBeLessThanOrEqual(20_000);
			expect(Boolean(asOf.setAside)).toBe(Boolean(e.setAside));
		}
	});

	it('[limits] exports the case as it loads, the same after another restart, no new quarantine', async () => {
		const before = await exportCase(t.storage, caseId, { now: NOW });
		expect(before.plan).toBe('先家访，再联系社区。');
		const rows = (await t.storage.listQuarantine(caseId)).length;
		await t.stop();
		t = await t.restart();
		const c = connect(t, caseId, await login(t, 'school1'));
		clients.push(c);
		await synced(c, 10_000);
		await until(() => readEvents(c.doc).length === 1, 5000, 'the case');
		expect(await exportCase(t.storage, caseId, { now: NOW })).toEqual(before);
		expect((await t.storage.listQuarantine(caseId)).length).toBe(rows);
		c.destroy();
	});
});

describe('admin check-cases (issue 10)', () => {
	let t: TestRelay;
	let broken: string;
	let damaged: string;
	beforeAll(async () => {
		t = await startRelay({ now: NOW });
		const token = await login(t, 'school1');
		broken = await createCase(t, token, { name: '待检查学生' });
		damaged = await createCase(t, token, { name: '快照损坏学生' });
		await t.stop();
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('[limits] reports a case that does not load, repairs it once, and then reports it repaired', async () => {
		const storage = openSqliteStorage({ path: join(t.dataDir, 'yishengyian.sqlite') });
		try {
			const fine = await checkCases(storage, { now: NOW, dryRun: true });
			expect(fine.every((c) => c.status === 'ok')).toBe(true);
			const { bad, stranded } = await breakCase(storage, broken, false);
			const rows = (await storage.loadUpdates(broken)).length;

			const dry = await checkCases(storage, { now: NOW, dryRun: true });
			expect(dry.filter((c) => c.status !== 'ok').map((c) => [c.caseId, c.status])).toEqual([
				[broken, 'unrepaired']
			]);
			expect(await storage.listQuarantine(broken)).toEqual([]);

			const fixed = await checkCases(storage, { now: NOW });
			const mine = fixed.find((c) => c.caseId === broken);
			expect(mine?.status).toBe('repaired');
			expect(mine?.setAside.map((s) => s.seq)).toEqual([bad, stranded]);
			const lines = formatCaseChecks(fixed);
			expect(lines[0]).toBe(`${broken}  已修复 / repaired`);
			expect(lines.at(-1)).toContain('本次修复 1');
			expect((await storage.loadUpdates(broken)).length).toBe(rows);

			const again = await checkCases(storage, { now: NOW });
			expect(again.find((c) => c.caseId === broken)?.status).toBe('set-aside');
			expect((await storage.listQuarantine(broken)).length).toBe(2);
			const exported = await exportCase(storage, broken, { now: NOW });
			expect(exported.events.map((e) => e.id)).toEqual(['kept-1']);
		} finally {
			await storage.close();
		}
	});

	it('[limits] a compacted state that does not load is passed over and replaced; nothing set aside', async () => {
		const storage = openSqliteStorage({ path: join(t.dataDir, 'yishengyian.sqlite') });
		try {
			const log = await storage.loadUpdates(damaged);
			const doc = new Y.Doc();
			for (const u of log) Y.applyUpdate(doc, u.update);
			const plan = getPlan(doc);
			setPlan(doc, OVER_LONG_PLAN); // in the compacted state only, not in the log
			await storage.saveSnapshot({
				caseId: damaged,
				uptoSeq: log.at(-1)?.seq ?? 0,
				state: Y.encodeStateAsUpdate(doc),
				createdAt: '2026-11-20T03:00:00.000Z'
			});
			doc.destroy();
			const first = await loadCase(storage, damaged, { record: true, now: NOW.toISOString() });
			first.doc.destroy();
			expect([first.snapshot.plan, first.found, first.setAside]).toEqual([plan, 0, []]);
			expect(await storage.listQuarantine(damaged)).toEqual([]);
			expect((await storage.latestSnapshot(damaged))?.createdAt).toBe(NOW.toISOString());
			const again = await loadCase(storage, damaged, { record: true });
			again.doc.destroy();
			expect(again.snapshot).toEqual(first.snapshot);
		} finally {
			await storage.close();
		}
	});
});
