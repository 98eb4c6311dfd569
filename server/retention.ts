import * as encoding from 'lib0/encoding';
import {
	anonymiseJson,
	parseSnapshot,
	personalValues,
	statisticsChanged,
	type CaseSnapshot,
	type Replacement
} from '../src/lib/domain';
import { caseRetention, foldCase, getProfile, retentionDue, type Calendar } from '../src/lib/rules';
import type { Bilingual } from '../src/lib/rules/types';
import type { RetentionReportAnswer } from '../src/lib/protocol/settings';
import { readDistrictSettings } from './district-settings';
import { checkRewrite, rawSnapshot, rewriteRows } from './log-rewrite';
import type { CaseRecord, Storage } from './storage/types';
import { CaseLoadError, loadCase } from './sync/case-loader';

/**
 * Issue 11, retention: closed cases past their keep-in-full date (src/lib/rules/retention.ts,
 * the bureau's `retentionYears`) are anonymised in place. Every personal value is replaced by
 * a filler of the same byte length in every stored update, compacted state and quarantined
 * update of the case (src/lib/domain/anonymise.ts), the same way the ID migration masks full
 * numbers: seqs, clocks and authors stay, so the timeline, "view as of" and the statistics stay.
 * Checked before anything is written; the case's full ID numbers leave the relay's table in
 * the same transaction; one audit row per case. Reports ids and counts, never a name.
 */

/** The audit action of an anonymised case. */
export const RETENTION_ACTION = 'retention-anonymise';
/** The user the admin command line writes in the audit log for a run. */
export const SYSTEM_USER = 'system';

/** What a run found and did: the wire shape of `POST /api/retention/run` (one schema). */
export type RetentionReport = RetentionReportAnswer;

export class RetentionError extends Error {
	constructor(readonly reason: Bilingual) {
		super(`${reason.zh} / ${reason.en}`);
		this.name = 'RetentionError';
	}
}

export interface RetentionOptions {
	/** The day to judge by, `YYYY-MM-DD` (China time). */
	today: string;
	/** The calendar the rules fold with (G-T3): whether a closure is in force. */
	calendar: Calendar;
	/** Who runs it: the bureau user, or `SYSTEM_USER` from the command line. */
	userId: string;
	/** The instant written in the audit rows. */
	at: string;
	dryRun?: boolean;
	/**
	 * Runs the work on one case while no connection holds it and the relay keeps it out of
	 * memory (the relay's path); the command line, with no relay running, runs it as it is.
	 */
	hold?: <T>(caseId: string, work: () => Promise<T>) => Promise<T>;
}

const FAILED = {
	load: { zh: '案件无法载入', en: 'the case does not load' },
	differs: {
		zh: '替换后的记录与预期文档不一致，未修改',
		en: 'the rewritten log does not load into the expected document; left as it was'
	},
	invalid: {
		zh: '替换后的案件不能通过校验，未修改',
		en: 'the anonymised case would not validate; left as it was'
	},
	statistics: (path: string) => ({
		zh: `替换会改变统计字段 ${path}，未修改`,
		en: `anonymising would change ${path}, which the statistics read; left as it was`
	})
} satisfies Record<string, Bilingual | ((p: string) => Bilingual)>;

/** The bytes a string has as a plain Yjs value (lib0 `writeAny`: tag 119, length, UTF-8). */
function anyString(s: string): Buffer {
	const e = encoding.createEncoder();
	encoding.writeAny(e, s);
	return Buffer.from(encoding.toUint8Array(e));
}

/**
 * The bytes with each replacement applied in order, in place (same lengths): a value is looked
 * for as UTF-8 text, a `whole` one only as a complete plain string value.
 */
export function replaceInBytes(
	bytes: Uint8Array,
	replacements: readonly Replacement[]
): Uint8Array {
	const out = Buffer.from(bytes);
	for (const r of replacements) {
		const [from, to] = r.whole
			? [anyString(r.from), anyString(r.to)]
			: [Buffer.from(r.from, 'utf8'), Buffer.from(r.to, 'utf8')];
		if (from.length !== to.length) throw new Error('a replacement must keep the byte length');
		for (let i = out.indexOf(from); i >= 0; i = out.indexOf(from, i + from.length)) to.copy(out, i);
	}
	return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

type Outcome =
	{ kind: 'open' | 'not-due' | 'already' | 'anonymised' } | { kind: 'failed'; reason: Bilingual };

/** Closed and past its date, by the rules and the given snapshot. */
function due(snapshot: CaseSnapshot, options: RetentionOptions, years: number): boolean | 'open' {
	const state = foldCase(snapshot, getProfile(snapshot.profile), options.calendar);
	const r = caseRetention(state, years);
	if (!r.closed) return 'open';
	return retentionDue(r, options.today);
}

/** Anonymises one case (its stored log is the truth, read again here under the hold). */
async function anonymiseCase(
	storage: Storage,
	c: CaseRecord,
	options: RetentionOptions,
	years: number
): Promise<Outcome> {
	let loaded: CaseSnapshot;
	try {
		const l = await loadCase(storage, c.id, { record: false });
		l.doc.destroy();
		loaded = l.snapshot;
	} catch (err) {
		if (err instanceof CaseLoadError) return { kind: 'failed', reason: FAILED.load };
		throw err;
	}
	// The list's cache may lag the log (a reopening not yet written there): the log decides.
	const d = due(loaded, options, years);
	if (d !== true) return { kind: d === 'open' ? 'open' : 'not-due' };
	const log = await storage.caseLogBytes(c.id);
	const raw = rawSnapshot(log);
	const values = personalValues(loaded, raw);
	const rewrite = (b: Uint8Array) => replaceInBytes(b, values);
	// Refused updates and the copies the loader set aside (matched by their bytes) alike.
	const quarantine = rewriteRows(
		{
			updates: (await storage.listQuarantine(c.id)).map((q) => ({ seq: q.id, update: q.update })),
			snapshots: []
		},
		rewrite
	).updates.map((u) => ({ id: u.seq, update: u.update }));
	const ids = await storage.getPersonIds(c.id);
	if (!values.length && !ids.length) return { kind: 'already' };
	const changed = rewriteRows(log, rewrite);
	const check = checkRewrite(log, changed, (json) =>
		JSON.stringify(anonymiseJson(JSON.parse(json), values))
	);
	if (!check.same) return { kind: 'failed', reason: FAILED.differs };
	const moved = statisticsChanged(check.before, check.after);
	if (moved) return { kind: 'failed', reason: FAILED.statistics(moved) };
	const after = anonymiseJson(loaded, values);
	if (
		!parseSnapshot(after).ok ||
		(parseSnapshot(check.before).ok && !parseSnapshot(check.after).ok)
	)
		return { kind: 'failed', reason: FAILED.invalid };
	if (options.dryRun) return { kind: 'anonymised' };
	await storage.rewriteCaseLog(
		c.id,
		changed,
		JSON.stringify(after),
		{ userId: options.userId, caseId: c.id, action: RETENTION_ACTION, at: options.at },
		{ quarantine, deletePersonIds: true }
	);
	return { kind: 'anonymised' };
}

/** The case as the list's cache holds it, when that still validates. */
function cached(c: CaseRecord): CaseSnapshot | null {
	try {
		const r = parseSnapshot(JSON.parse(c.snapshotJson));
		return r.ok ? r.value : null;
	} catch {
		return null;
	}
}

/**
 * Anonymises every closed case past its date on `today` (with `dryRun`, only says which).
 * Never an open case. Refuses to run while the stored settings do not validate.
 */
export async function runRetention(
	storage: Storage,
	options: RetentionOptions
): Promise<RetentionReport> {
	const s = await readDistrictSettings(storage);
	if (s.invalid)
		throw new RetentionError({
			zh: '保存的区设置无效，未执行；请先在「个人信息与保留期限」中重新保存',
			en: 'the stored district settings are invalid; save them again first (nothing was done)'
		});
	const years = s.settings.retentionYears;
	const report: RetentionReport = {
		today: options.today,
		retentionYears: years,
		dryRun: options.dryRun === true,
		cases: 0,
		open: 0,
		notDue: 0,
		anonymised: [],
		already: [],
		failed: []
	};
	// A dry run only reads the stored log, the truth (stored before applied): nobody is closed.
	const direct = <T>(_id: string, work: () => Promise<T>) => work();
	const hold = options.dryRun ? direct : (options.hold ?? direct);
	for (const c of await storage.listCases()) {
		report.cases++;
		// The cache sorts out the many open cases quickly; a due one is read from its log.
		const snapshot = cached(c);
		const quick = snapshot ? due(snapshot, options, years) : true;
		const outcome: Outcome =
			quick === 'open'
				? { kind: 'open' }
				: quick === false
					? { kind: 'not-due' }
					: await hold(c.id, () => anonymiseCase(storage, c, options, years));
		switch (outcome.kind) {
			case 'open':
				report.open++;
				break;
			case 'not-due':
				report.notDue++;
				break;
			case 'already':
				report.already.push(c.id);
				break;
			case 'anonymised':
				report.anonymised.push(c.id);
				break;
			case 'failed':
				report.failed.push({ caseId: c.id, caseNo: c.caseNo, reason: outcome.reason });
		}
	}
	report.anonymised.sort();
	report.already.sort();
	report.failed.sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
	return report;
}
