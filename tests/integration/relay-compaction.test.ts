import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlan } from '../../src/lib/case-doc';
import {
	connect,
	createCase,
	login,
	ownWritesAccepted,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

/**
 * Issue 14: the relay compacts a case after 200 of ITS OWN updates. Seqs are numbered across
 * all cases, and the old check compared their difference with 200, so a case that got a few
 * updates while another case got many was snapshotted on nearly every update.
 */
describe('compaction counts the case’s own updates (issue 14)', () => {
	let t: TestRelay;
	let token: string;
	beforeAll(async () => {
		t = await startRelay();
		token = await login(t, 'school1');
	});
	afterAll(async () => t?.dispose());

	/** Writes `n` plan edits, one update each, and waits until all are stored. */
	async function edits(c: Client, n: number, tag: string): Promise<void> {
		for (let i = 0; i < n; i++) {
			setPlan(c.doc, `${tag} ${i}`);
			// One at a time: each edit its own stored update.
			await until(() => ownWritesAccepted(c), 10_000, `edit ${tag} ${i} accepted`);
		}
	}
	const snapshots = async (caseId: string) =>
		(await t.storage.caseLogBytes(caseId)).snapshots.length;
	/** What the relay stored for the case: its own updates' seqs, and where its last snapshot is. */
	const logOf = async (caseId: string) => ({
		seqs: (await t.storage.loadUpdates(caseId)).map((u) => u.seq),
		lastSnapshotAt: (await t.storage.latestSnapshot(caseId))?.uptoSeq ?? 0
	});

	it('a quiet case is not snapshotted because a busy one was edited', async () => {
		const quiet = await createCase(t, token, { name: '安静案' });
		const busy = await createCase(t, token, { name: '繁忙案' });
		const q = connect(t, quiet, token);
		const b = connect(t, busy, token);
		try {
			await Promise.all([synced(q), synced(b)]);
			const [q0, b0] = [await snapshots(quiet), await snapshots(busy)];
			const [quiet0, busy0] = [await logOf(quiet), await logOf(busy)];
			await edits(q, 3, 'quiet');
			await edits(b, 230, 'busy');
			// Each further edit of the quiet case made a snapshot under the old check: its seq is
			// now more than 200 past its last snapshot's, though the case had 8 updates in all.
			await edits(q, 5, 'quiet again');

			// Counted from what the relay stored, not from the loops above.
			const [quietLog, busyLog] = [await logOf(quiet), await logOf(busy)];
			const sinceSnapshot = (l: { seqs: number[] }, at: number) =>
				l.seqs.filter((s) => s > at).length;
			const quietOwn = sinceSnapshot(quietLog, quiet0.lastSnapshotAt);
			const busyOwn = sinceSnapshot(busyLog, busy0.lastSnapshotAt);
			const busyNew = busyLog.seqs.filter((s) => !busy0.seqs.includes(s));
			const quietNew = quietLog.seqs.filter((s) => !quiet0.seqs.includes(s));
			// The scenario holds: the quiet case stayed under 200 updates of its own, while its
			// first and last new updates are more than 200 seqs apart (the busy case between).
			expect(quietOwn).toBeLessThan(200);
			expect((quietNew.at(-1) ?? 0) - (quietNew[0] ?? 0)).toBeGreaterThan(200);
			expect(busyOwn).toBeGreaterThanOrEqual(200);
			expect(busyOwn).toBeLessThan(400);

			expect(await snapshots(quiet)).toBe(q0);
			expect((await logOf(quiet)).lastSnapshotAt).toBe(quiet0.lastSnapshotAt);
			// 200 of its own updates since its last snapshot: exactly one new snapshot, taken at
			// the 200th of them (the stored updates before the edits count too).
			expect(await snapshots(busy)).toBe(b0 + 1);
			const before = busyOwn - busyNew.length;
			expect(busyLog.lastSnapshotAt).toBe(busyNew[200 - before - 1]);
		} finally {
			q.destroy();
			b.destroy();
		}
	}, 120_000);
});
