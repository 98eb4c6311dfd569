import { registerMessages } from '../messages';

/** The bureau's personal-data screen (issue 11: retention and the local wipe), loaded with it. */
export const zh = {
	'settings.title': '个人信息与保留期限',
	'settings.intro':
		'案件含未成年人的个人信息。这里设置已销号案件完整保留多久、设备上的本机数据多久未登录后自动清除，并对超过保留期限的已销号案件执行匿名化。修改和每次匿名化都记入审计日志。',
	'settings.forbidden': '只有区教体局可以设置保留期限和执行匿名化。',
	'settings.offline': '当前离线：本页需要联网。',
	'settings.loading': '正在读取设置…',
	'settings.error': '读取失败：{reason}',
	'settings.form': '设置',
	'settings.retentionYears': '已销号案件完整保留年限（年）',
	'settings.retentionYearsHelp':
		'已销号案件完整保留至学生应完成义务教育（九年级）的学年结束后，再满这里设置的年数（按出生日期和记录的年级中较晚者计算）；之后匿名化。默认 {years} 年为本系统的默认值，请按本区规定设置（0–30）。',
	'settings.localWipeDays': '本机数据保留天数（天）',
	'settings.localWipeDaysHelp':
		'某用户在一台设备上超过这里设置的天数未登录，该设备上此用户的本机案件数据自动清除。默认 {days} 天（1–365）。',
	'settings.save': '保存设置',
	'settings.saving': '正在保存…',
	'settings.saved': '已保存。',
	'settings.changed': '上次修改：{by}，{at}',
	'settings.defaults': '目前使用默认值。',
	'settings.invalidStored':
		'服务器上保存的设置无效，显示的是默认值；请重新保存。在此之前不能执行匿名化。',
	'settings.refused': '未保存：{reason}',
	'settings.run': '匿名化超过保留期限的已销号案件',
	'settings.runHelp':
		'学生和监护人的姓名、身份证号与学籍号中的数字、电话、住址、户籍地、找到学生时的去向，在案件各处（包括记录说明和劝返方案）替换为同长度的「＊」；日期、年级、学校、性别、辍学原因、记录、销号路径和重点群体保留，统计报表不变。完整身份证号从服务器删除。未销号的案件从不处理。此操作不能撤销。',
	'settings.preview': '预览（不修改）',
	'settings.confirm': '确认匿名化 {count} 个案件',
	'settings.working': '正在处理…',
	'settings.runFailed': '未执行：{reason}',
	'settings.report':
		'按 {today} 判断（保留 {years} 年）：共 {cases} 个案件，未销号 {open}，已销号未到期 {notDue}，此前已匿名化 {already}。',
	'settings.toAnonymise': '将匿名化 {count} 个案件：',
	'settings.anonymised': '已匿名化 {count} 个案件：',
	'settings.nothingDue': '没有到期的已销号案件。',
	'settings.failed': '{count} 个案件未能处理（保持原样）：'
};

export const en: Record<keyof typeof zh, string> = {
	'settings.title': 'Personal data and retention',
	'settings.intro':
		'Cases hold minors’ personal data. Here the bureau sets how long closed cases are kept in full and after how many days without a login a device removes a user’s local data, and anonymises closed cases past their date. Every change and every anonymisation is recorded in the audit log.',
	'settings.forbidden': 'Only the education bureau sets the retention and runs the anonymisation.',
	'settings.offline': 'Offline: this screen needs a network.',
	'settings.loading': 'Reading the settings…',
	'settings.error': 'Could not read them: {reason}',
	'settings.form': 'Settings',
	'settings.retentionYears': 'Years closed cases are kept in full',
	'settings.retentionYearsHelp':
		'A closed case is kept in full until the end of the school year in which the student would finish compulsory education (grade 9), plus this many years (by the birth date or a recorded grade, whichever is later); then it is anonymised. The default of {years} is this system’s; set your district’s rule (0–30).',
	'settings.localWipeDays': 'Days local data is kept without a login',
	'settings.localWipeDaysHelp':
		'When a user has not logged in on a device for this many days, the device removes that user’s local case data. Default {days} (1–365).',
	'settings.save': 'Save settings',
	'settings.saving': 'Saving…',
	'settings.saved': 'Saved.',
	'settings.changed': 'Last changed by {by}, {at}',
	'settings.defaults': 'The defaults apply.',
	'settings.invalidStored':
		'The settings stored on the relay are invalid; the defaults are shown. Save them again; until then no anonymisation runs.',
	'settings.refused': 'Not saved: {reason}',
	'settings.run': 'Anonymise closed cases past their retention date',
	'settings.runHelp':
		'The names of the student and guardians, the digits of ID numbers and 学籍号, phones, addresses, 户籍 place and where the student was found are replaced everywhere in the case (notes and the plan too) by a filler of the same length; dates, grade, school, gender, dropout reasons, records, closure path and focus groups stay, so the reports do not change. Full ID numbers are deleted from the relay. An open case is never touched. This cannot be undone.',
	'settings.preview': 'Preview (changes nothing)',
	'settings.confirm': 'Anonymise {count} cases',
	'settings.working': 'Working…',
	'settings.runFailed': 'Not done: {reason}',
	'settings.report':
		'Judged on {today} (kept {years} years): {cases} cases, {open} open, {notDue} closed and not yet due, {already} anonymised before.',
	'settings.toAnonymise': '{count} cases to anonymise:',
	'settings.anonymised': '{count} cases anonymised:',
	'settings.nothingDue': 'No closed case is past its date.',
	'settings.failed': '{count} cases could not be done (left as they were):'
};

registerMessages(zh, en);
