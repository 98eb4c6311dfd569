import { registerMessages } from '../messages';

/**
 * Issue 12, "the case page tells the truth": a closed case, 户籍在本区 (B-4). Loaded with the
 * case page and the new-case form; importing this module registers the strings.
 */
export const zh = {
	'closure.closedTitle': '已销号',
	'closure.closedOn': '已于 {date} 按「{path}」销号。',
	'closure.closedHelp': '销号后没有待办事项；学生再次辍学时重新开启案件，历史记录保留。',
	'student.hukouLocal': '户籍在本区',
	'student.hukouLocal.yes': '是',
	'student.hukouLocal.no': '否（非户籍学生）',
	'student.hukouLocal.unknown': '未填写',
	'student.hukouLocal.help':
		'非户籍学生辍学的，由区教体局通报户籍所在地教育行政部门并转交电子学籍档案（B-4）。'
} as const;

export const en: Record<keyof typeof zh, string> = {
	'closure.closedTitle': 'Closed',
	'closure.closedOn': 'Closed on {date} by the path “{path}”.',
	'closure.closedHelp':
		'A closed case has no open work; if the student drops out again, reopen the case. The history stays.',
	'student.hukouLocal': 'Hukou in this district',
	'student.hukouLocal.yes': 'Yes',
	'student.hukouLocal.no': 'No (non-local student)',
	'student.hukouLocal.unknown': 'Not given',
	'student.hukouLocal.help':
		'For a non-local student who drops out, the bureau notifies the bureau of the hukou place and transfers the electronic registry file (B-4).'
};

registerMessages(zh, en);
