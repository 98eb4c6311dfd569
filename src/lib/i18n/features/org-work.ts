import { registerMessages } from '../messages';

/**
 * Issue 12: the strings of the org-level obligations (B-1, S-2, S-5) on the dashboard, the
 * reports page and the quarterly .xlsx. Importing this module registers them.
 */
export const zh = {
	'orgWork.titleOwn': '本单位待办：开学清查、学籍梳理、季度排查',
	'orgWork.titleAll': '学校和区教体局的工作事项：开学清查、学籍梳理、季度排查',
	'orgWork.intro':
		'这些是学校或区教体局本身的工作，不属于某个案件：每学期开学后、每季度末到期，记录完成日期后才算完成，未记录的过期即为逾期。',
	'orgWork.counts':
		'已逾期 {overdue} 项 · 待办 {pending} 项 · 逾期完成 {late} 项 · 已完成 {met} 项',
	'orgWork.none': '没有需要办理的事项。',
	'orgWork.loading': '正在读取本单位工作事项…',
	'orgWork.offline': '当前离线：这些事项由服务器按校历计算，联网后显示。',
	'orgWork.failed': '读取失败：{reason}',
	'orgWork.due': '期限 {due}',
	'orgWork.provisional': '暂定',
	'orgWork.doneOn': '完成于 {date}',
	'orgWork.term': '{start} 开学的学期',
	'orgWork.quarter': '{year}年第{q}季度',
	'orgWork.record': '记录完成',
	'orgWork.recordFor': '记录完成：{title}',
	'orgWork.doneOnLabel': '完成日期',
	'orgWork.countLabel': '发现或报告的人数（可不填）',
	'orgWork.noteLabel': '说明（可不填；不要写学生姓名、身份证号等个人信息）',
	'orgWork.save': '保存',
	'orgWork.saving': '正在保存…',
	'orgWork.cancel': '取消',
	'orgWork.saved': '已记录：{title}（{state}）',
	'orgWork.report.title': '学校和区教体局的工作事项（B-1、S-2、S-5）',
	'orgWork.report.def':
		'本季度开学的学期中各学校的开学清查、报告与学籍梳理，以及区教体局本季度的排查整改和统计表上报，按统计日的状态计数。',
	'orgWork.report.none': '本季度没有学校或区教体局的工作事项。',
	'orgWork.report.org': '单位',
	'orgWork.report.item': '事项',
	'orgWork.report.rule': '依据',
	'orgWork.report.dueCol': '期限',
	'orgWork.report.state': '状态',
	'orgWork.report.doneOnCol': '完成日期',
	'orgWork.report.met': '按期完成',
	'orgWork.report.late': '逾期完成',
	'orgWork.report.overdue': '逾期未完成',
	'orgWork.report.pending': '未到期',
	'orgWork.report.total': '合计',
	'orgWork.report.sheet': '单位工作事项'
};

export const en: Record<keyof typeof zh, string> = {
	'orgWork.titleOwn': 'Your org’s work: term-start checks, registry review, quarterly round',
	'orgWork.titleAll':
		'Work of the schools and the bureau: term-start checks, registry review, quarterly round',
	'orgWork.intro':
		'This is work of a school or of the bureau itself, not of a case: due after each term starts and at each quarter’s end, done only once its date is recorded; unrecorded past its date it is overdue.',
	'orgWork.counts': '{overdue} overdue · {pending} pending · {late} done late · {met} done',
	'orgWork.none': 'Nothing to do.',
	'orgWork.loading': 'Reading your org’s work…',
	'orgWork.offline':
		'Offline: the server computes this work from the school calendar; it shows once online.',
	'orgWork.failed': 'Could not read it: {reason}',
	'orgWork.due': 'due {due}',
	'orgWork.provisional': 'provisional',
	'orgWork.doneOn': 'done {date}',
	'orgWork.term': 'term starting {start}',
	'orgWork.quarter': '{year} Q{q}',
	'orgWork.record': 'Record as done',
	'orgWork.recordFor': 'Record as done: {title}',
	'orgWork.doneOnLabel': 'Date done',
	'orgWork.countLabel': 'Students found or reported (optional)',
	'orgWork.noteLabel': 'Note (optional; no student names, ID numbers or other personal data)',
	'orgWork.save': 'Save',
	'orgWork.saving': 'Saving…',
	'orgWork.cancel': 'Cancel',
	'orgWork.saved': 'Recorded: {title} ({state})',
	'orgWork.report.title': 'Work of the schools and the bureau (B-1, S-2, S-5)',
	'orgWork.report.def':
		'The term-start checks, reports and registry reviews of the terms starting in the quarter, per school, and the bureau’s round and form of the quarter, counted by state on the report day.',
	'orgWork.report.none': 'No school or bureau work in this quarter.',
	'orgWork.report.org': 'Org',
	'orgWork.report.item': 'Work',
	'orgWork.report.rule': 'Rule',
	'orgWork.report.dueCol': 'Due',
	'orgWork.report.state': 'State',
	'orgWork.report.doneOnCol': 'Done on',
	'orgWork.report.met': 'Done in time',
	'orgWork.report.late': 'Done late',
	'orgWork.report.overdue': 'Overdue',
	'orgWork.report.pending': 'Not yet due',
	'orgWork.report.total': 'Total',
	'orgWork.report.sheet': 'Org work'
};

registerMessages(zh, en);
