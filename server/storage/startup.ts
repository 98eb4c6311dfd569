import { storageFault } from './faults';

/**
 * What the relay prints when its database does not open, in Chinese and English: the cause by
 * its code, the file, and for a corrupt file the restore command. No error text beyond the
 * code: the operator needs the cause and the next step, not SQLite's wording.
 */
export function startupFailure(err: unknown, dbPath: string, dataDir: string): string {
	const fault = storageFault(err);
	const head = fault
		? `无法打开数据库，中继未启动：${fault.message.zh} / cannot open the database; the relay did not start: ${fault.message.en} (${fault.code})`
		: `无法打开数据库，中继未启动 / cannot open the database; the relay did not start (${err instanceof Error ? err.message : String(err)})`;
	const lines = [head, `  文件 / file: ${dbPath}`];
	if (fault?.kind === 'corrupt') {
		lines.push(
			'  从备份恢复 / restore from a backup (the damaged file is kept beside it as *.pre-restore-*):',
			`    DATA_DIR=${dataDir} npm run admin -- restore --from <backup>`
		);
	}
	return lines.join('\n');
}
