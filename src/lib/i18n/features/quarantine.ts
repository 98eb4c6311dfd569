import { registerMessages } from '../messages';

/**
 * The bureau's quarantine screen (DESIGN.md "When the relay refuses an update"), loaded with
 * that screen only.
 */
export const zh = {
	'quarantine.title': '被拒绝的修改（隔离区）',
	'quarantine.intro':
		'服务器按规则拒绝的修改都原样保存在隔离区，不会丢失。这里列出由谁、何时、按哪条规则、为什么被拒绝，以及涉及的案件和记录类型；不显示学生姓名和身份证号。查看会记入审计日志。',
	'quarantine.forbidden': '只有区教体局可以查看被拒绝的修改。',
	'quarantine.offline': '当前离线：隔离区需要联网查看。',
	'quarantine.loading': '正在读取隔离区…',
	'quarantine.error': '读取失败：{reason}',
	'quarantine.filter': '按案件编号筛选',
	'quarantine.filterHelp': '留空则列出全区。',
	'quarantine.apply': '筛选',
	'quarantine.all': '显示全部',
	'quarantine.count': '共 {count} 条',
	'quarantine.countCase': '案件 {id}：共 {count} 条',
	'quarantine.empty': '隔离区为空：服务器没有拒绝过修改。',
	'quarantine.noEvent': '无记录（方案修改或格式错误的修改）',
	'quarantine.who': '提交人',
	'quarantine.when': '时间',
	'quarantine.case': '案件',
	'quarantine.number': '隔离编号',
	'quarantine.reason': '原因'
};

export const en: Record<keyof typeof zh, string> = {
	'quarantine.title': 'Refused changes (quarantine)',
	'quarantine.intro':
		'Every change the relay refused under the rules is kept as it was, in quarantine; nothing is lost. Here: who sent it, when, under which rule and why it was refused, the case and the kind of record; never a student’s name or ID number. Viewing is recorded in the audit log.',
	'quarantine.forbidden': 'Only the education bureau reviews refused changes.',
	'quarantine.offline': 'Offline: the quarantine needs a network.',
	'quarantine.loading': 'Reading the quarantine…',
	'quarantine.error': 'Could not read it: {reason}',
	'quarantine.filter': 'Filter by case number',
	'quarantine.filterHelp': 'Leave empty for the whole district.',
	'quarantine.apply': 'Filter',
	'quarantine.all': 'Show all',
	'quarantine.count': '{count} in all',
	'quarantine.countCase': 'Case {id}: {count} in all',
	'quarantine.empty': 'The quarantine is empty: the relay has refused no change.',
	'quarantine.noEvent': 'No record (a plan edit or a malformed change)',
	'quarantine.who': 'Sent by',
	'quarantine.when': 'When',
	'quarantine.case': 'Case',
	'quarantine.number': 'Quarantine no.',
	'quarantine.reason': 'Reason'
};

registerMessages(zh, en);
