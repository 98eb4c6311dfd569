import { join } from 'node:path';
import { chinaDate, isoDate } from '../src/lib/domain';
import { Calendar } from '../src/lib/rules';
import { AdminError } from './admin';
import { effectiveCalendarData } from './calendar';
import { RELAY_LOCK_FILE, relayHolder } from './relay-lock';
import { RetentionError, SYSTEM_USER, runRetention, type RetentionReport } from './retention';
import type { Storage } from './storage/types';

/**
 * `retention run [--dry-run] [--date YYYY-MM-DD]` (issue 11): the retention run of
 * server/retention.ts from the command line. A running relay holds the cases it serves in
 * memory and would hand the old content back, so a run that changes anything refuses while a
 * relay runs on the same data directory (its lock file); the bureau's screen runs it there.
 */
export async function retentionCommand(
	storage: Storage,
	input: { date?: unknown; dryRun?: boolean },
	options: { now: Date; dataDir: string }
): Promise<RetentionReport> {
	const today = chinaDate(options.now);
	let date = today;
	if (input.date !== undefined) {
		const r = isoDate.safeParse(input.date);
		if (!r.success)
			throw new AdminError('参数 --date 无效（YYYY-MM-DD）', 'invalid --date (YYYY-MM-DD)');
		date = r.data;
	}
	const dryRun = input.dryRun === true;
	// A later day would anonymise cases before their time: only to look ahead.
	if (date > today && !dryRun)
		throw new AdminError(
			`--date ${date} 晚于今天 ${today}：只能与 --dry-run 一起使用`,
			`--date ${date} is after today (${today}): only with --dry-run`
		);
	const pid = dryRun ? null : relayHolder(options.dataDir);
	const lock = join(options.dataDir, RELAY_LOCK_FILE);
	if (pid !== null)
		throw new AdminError(
			`中继服务正在运行（pid ${pid}，${lock}），未执行：请在「个人信息与保留期限」页面执行，或先停止中继服务；若并无中继服务在运行，删除 ${lock} 后重试`,
			`the relay is running (pid ${pid}, ${lock}); nothing was done: run it from the bureau's 个人信息与保留期限 screen, or stop the relay first; if no relay runs, delete ${lock} and try again`
		);
	const calendar = new Calendar(effectiveCalendarData(await storage.calendarState()));
	try {
		return await runRetention(storage, {
			today: date,
			calendar,
			userId: SYSTEM_USER,
			at: options.now.toISOString(),
			dryRun
		});
	} catch (err) {
		if (err instanceof RetentionError) throw new AdminError(err.reason.zh, err.reason.en);
		throw err;
	}
}

/** The report as lines, Chinese first: counts, then case ids (never a name). */
export function formatRetention(r: RetentionReport): string[] {
	const would = r.dryRun ? '（演练，未修改）' : '';
	const wouldEn = r.dryRun ? ' (dry run, nothing changed)' : '';
	const lines = [
		`保留期限：应完成九年级的学年结束后 ${r.retentionYears} 年；按 ${r.today} 判断${would} / kept in full ${r.retentionYears} years after the school year of grade 9; judged on ${r.today}${wouldEn}`,
		`共 ${r.cases} 个案件：未销号 ${r.open}，已销号未到期 ${r.notDue}，${r.dryRun ? '将匿名化' : '已匿名化'} ${r.anonymised.length}，此前已匿名化 ${r.already.length}，失败 ${r.failed.length}` +
			` / ${r.cases} cases: ${r.open} open, ${r.notDue} closed and not yet due, ${r.anonymised.length} ${r.dryRun ? 'to anonymise' : 'anonymised'}, ${r.already.length} anonymised before, ${r.failed.length} failed`
	];
	if (r.anonymised.length)
		lines.push(
			`${r.dryRun ? '将匿名化' : '已匿名化'} / ${r.dryRun ? 'to anonymise' : 'anonymised'}: ${r.anonymised.join(', ')}`
		);
	for (const f of r.failed)
		lines.push(`失败 / failed: ${f.caseId}  ${f.reason.zh} / ${f.reason.en}`);
	return lines;
}
