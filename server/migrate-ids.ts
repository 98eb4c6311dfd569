import { extractLegacyIds, maskLegacyIds } from '../src/lib/domain';
import { checkRewrite, rewriteRows } from './log-rewrite';
import { bytesHoldFullId, maskIdsInBytes, maskIdsInText, personIdHasher } from './person-ids';
import type { PersonIdRecord, Storage } from './storage/types';

/**
 * Issue 11: the one-time migration that takes full ID numbers out of every stored case. Each
 * full number a document held is copied into the relay's own table (the latest per person), then
 * masked where it lies in the stored bytes — updates, compacted states, quarantined updates and
 * the cached snapshot. The digits are replaced by as many `*`, so every update keeps its length,
 * its seq, its author and its place in the timeline ("view as of" still works), and the case is
 * checked to load into exactly the masked document before anything is written. Devices see the
 * case's rewrite count rise and replace their copy. Idempotent: a second run finds nothing.
 */

/** What the migration did, without any personal data (counts and case ids). */
export interface IdMigrationReport {
	/** Cases looked at. */
	cases: number;
	/** Cases whose stored log held a full number and was masked. */
	changed: string[];
	/** Numbers moved into the relay's table. */
	numbers: number;
	/** Quarantined updates masked. */
	quarantine: number;
	/** Cases left as they were because the masked log would not load the same document. */
	failed: { caseId: string; reason: string }[];
	/** True when an earlier complete run made this one unnecessary. */
	skipped?: boolean;
}

/** Settings key recording a complete run: later starts of the relay skip the scan. */
const DONE_SETTING = 'id-migration-done';

/**
 * Runs the migration (or, with `dryRun`, only reports what it would change). After one run with
 * no failure it is recorded as done and skipped (`skipped: true`) unless `force`.
 */
export async function migrateIds(
	storage: Storage,
	options: { now: Date; dryRun?: boolean; force?: boolean }
): Promise<IdMigrationReport> {
	const at = options.now.toISOString();
	if (!options.force && !options.dryRun && (await storage.getSetting(DONE_SETTING)))
		return { cases: 0, changed: [], numbers: 0, quarantine: 0, failed: [], skipped: true };
	const hash = await personIdHasher(storage);
	const report: IdMigrationReport = {
		cases: 0,
		changed: [],
		numbers: 0,
		quarantine: 0,
		failed: []
	};
	for (const c of await storage.listCases()) {
		report.cases++;
		const log = await storage.caseLogBytes(c.id);
		const masked = rewriteRows(log, (b) => (bytesHoldFullId(b) ? maskIdsInBytes(b) : b));
		const cacheDirty = maskIdsInText(c.snapshotJson) !== c.snapshotJson;
		if (!masked.updates.length && !masked.snapshots.length && !cacheDirty) continue;
		// Checked before anything is written: the masked log makes the masked document, and each
		// masked state the masked form of its document.
		const { before: raw, same } = checkRewrite(log, masked, maskIdsInText);
		if (!same) {
			report.failed.push({ caseId: c.id, reason: 'masked log differs / 脱敏后文档不一致' });
			continue;
		}
		const latest = new Map<string, string>();
		for (const x of extractLegacyIds(raw)) latest.set(x.subject, x.value);
		const records: PersonIdRecord[] = [...latest].map(([subject, value]) => ({
			caseId: c.id,
			subject,
			value,
			hash: hash(value),
			updatedAt: at,
			updatedBy: 'system'
		}));
		report.changed.push(c.id);
		report.numbers += records.length;
		if (options.dryRun) continue;
		// The table first: a crash between the two leaves the numbers in both places, never lost.
		if (records.length) await storage.putPersonIds(records);
		const cache = JSON.stringify(maskLegacyIds(JSON.parse(maskIdsInText(c.snapshotJson))));
		await storage.rewriteCaseLog(c.id, masked, cache, {
			userId: 'system',
			caseId: c.id,
			action: 'migrate-ids',
			at
		});
	}
	const quarantined = (await storage.listQuarantine()).filter((q) => bytesHoldFullId(q.update));
	report.quarantine = quarantined.length;
	if (!options.dryRun && quarantined.length)
		await storage.rewriteQuarantine(
			quarantined.map((q) => ({ id: q.id, update: maskIdsInBytes(q.update) }))
		);
	if (!options.dryRun && !report.failed.length) await storage.setSetting(DONE_SETTING, at);
	return report;
}
