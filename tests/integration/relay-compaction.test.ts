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

	it('a quiet case is not snapshotted because a busy one was edited', async () => {
		const quiet = await createCase(t, token, { name: '安静案' });
		const busy = await createCase(t, token, { name: '繁忙案' });
		const q = connect(t, quiet, token);
		const b = connect(t, busy, token);
		try {
			await Promise.all([synced(q), synced(b)]);
			const [q0, b0] = [await snapshots(quiet), await snapshots(busy)];
			await edits(q, 3, 'quiet');
			await edits(b, 230, 'busy');
			// Each further edit of the quiet case made a snapshot under the old check: its seq is
			// now more than 200 past its last snapshot's, though the case had 8 updates in all.
			await edits(q, 5, 'quiet again');
			expect(await snapshots(quiet)).toBe(q0);
			// 230 of its own updates: exactly one snapshot, at the 200th.
			expect(await snapshots(busy)).toBe(b0 + 1);
		} finally {
			q.destroy();
			b.destroy();
		}
	}, 120_000);
});
