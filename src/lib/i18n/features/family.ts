import { registerMessages } from '../messages';

/**
 * The family panel's strings (B-5, 一家一案), loaded with the case page's family panel only.
 */
export const zh = {
	'family.title': '家庭（一家一案）',
	'family.help':
		'兄弟姐妹同属一个家庭，共用一份家庭帮扶计划；每名学生仍有自己的案件、时间线和期限。',
	'family.none': '本案尚未关联家庭。',
	'family.create': '新建家庭',
	'family.join': '加入家庭',
	'family.pick': '同一家庭的另一名学生',
	'family.pickNone': '请选择',
	'family.suggested': '（监护人相同）',
	'family.inFamily': '（已有家庭）',
	'family.linking': '正在关联…',
	'family.failed': '关联失败：{reason}',
	'family.siblings': '兄弟姐妹',
	'family.self': '本案',
	'family.hidden': '不在本机案件列表中的案件（尚未同步或本单位无权查看）',
	'family.guardians': '共同监护人',
	'family.noGuardians': '未登记',
	'family.planTitle': '家庭帮扶计划',
	'family.planHelp': '所有子女的案件显示同一份计划，任一案件中的修改都会同步到其他子女的案件。',
	'family.planLabel': '家庭帮扶计划内容',
	'family.loading': '正在加载家庭…',
	'family.denied': '无权查看该家庭。',
	'family.refused': '家庭计划的修改被拒绝：{reason}'
};

export const en: Record<keyof typeof zh, string> = {
	'family.title': 'Family (one plan per family)',
	'family.help':
		'Siblings belong to one family and share one family plan; each student keeps their own case, timeline and deadlines.',
	'family.none': 'This case is not linked to a family yet.',
	'family.create': 'New family',
	'family.join': 'Join family',
	'family.pick': 'Another student of the same family',
	'family.pickNone': 'Choose',
	'family.suggested': '(same guardian)',
	'family.inFamily': '(has a family)',
	'family.linking': 'Linking…',
	'family.failed': 'Linking failed: {reason}',
	'family.siblings': 'Siblings',
	'family.self': 'this case',
	'family.hidden': 'a case not in your list on this device (not synced yet, or not visible to you)',
	'family.guardians': 'Shared guardians',
	'family.noGuardians': 'none recorded',
	'family.planTitle': 'Family plan',
	'family.planHelp':
		"Every sibling's case shows this one plan; a change on any of them reaches the others.",
	'family.planLabel': 'Family plan text',
	'family.loading': 'Loading the family…',
	'family.denied': 'You may not see this family.',
	'family.refused': 'A change to the family plan was refused: {reason}'
};

registerMessages(zh, en);
