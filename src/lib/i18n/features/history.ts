import { registerMessages } from '../messages';

/**
 * The history screens' strings (issue 5), loaded with those screens only: they stay out of the
 * first screen's bundle. Importing this module registers them with the catalogues.
 */
export const zh = {
	'history.title': '编辑历史',
	'history.back': '返回案件',
	'history.intro':
		'服务器保存了此案件的每一次修改：谁、哪个单位、何时、改了什么。可以查看任一时刻的案件；恢复只会追加更正记录，从不改写过去。',
	'history.entries': '修改记录',
	'history.loading': '正在加载…',
	'history.offline': '当前离线：编辑历史保存在服务器上，联网后才能查看。',
	'history.failed': '无法加载编辑历史（{status}）',
	'history.created': '建立案件',
	'history.added': '新增',
	'history.planChanged': '修改了劝返方案',
	'history.profileChanged': '修改了基本信息',
	'history.noVisibleChange': '无可见变化',
	'history.viewAsOf': '查看此时的案件',
	'history.asOfTitle': '{time} 时的案件',
	'history.stageThen': '当时阶段：',
	'history.eventCount': '共 {count} 条记录',
	'history.planThen': '当时的劝返方案',
	'history.planEmpty': '（空）',
	'history.restoreTitle': '恢复到此时',
	'history.restoreIntro':
		'恢复会追加更正记录：撤回此后新增的记录、把此后更正过的记录改回当时的内容。原有记录都保留在时间线上。',
	'history.restoreNeedsCase': '案件尚未加载到本机，稍后再试。',
	'history.nothingToRestore': '当前案件与此时一致，无需恢复。',
	'history.restoreList': '将追加的更正',
	'history.what.withdraw-added': '撤回此后新增的记录',
	'history.what.withdraw-restored': '撤回当时已撤回的记录',
	'history.what.revert-correction': '改回当时的内容',
	'history.blockedTitle': '以下差异无法由本单位恢复：',
	'history.restorePlanText': '同时把劝返方案恢复为当时的文字',
	'history.reason': '恢复原因',
	'history.defaultReason': '恢复到 {time} 时的状态',
	'history.restoreButton': '追加更正并恢复',
	'history.restored': '已追加 {count} 条更正。',
	'history.restoreRefused': '以下更正未能记录：'
} as const;

export const en: Record<keyof typeof zh, string> = {
	'history.title': 'Edit history',
	'history.back': 'Back to the case',
	'history.intro':
		'The server keeps every change to this case: who, which org, when and what. View the case as of any point; restoring only adds corrections and never rewrites the past.',
	'history.entries': 'Changes',
	'history.loading': 'Loading…',
	'history.offline':
		'You are offline: the edit history is kept on the server and opens when online.',
	'history.failed': 'Could not load the edit history ({status})',
	'history.created': 'Case created',
	'history.added': 'Added',
	'history.planChanged': 'Persuasion plan edited',
	'history.profileChanged': 'Details changed',
	'history.noVisibleChange': 'No visible change',
	'history.viewAsOf': 'View the case as of then',
	'history.asOfTitle': 'The case as of {time}',
	'history.stageThen': 'Stage then:',
	'history.eventCount': '{count} records',
	'history.planThen': 'Persuasion plan then',
	'history.planEmpty': '(empty)',
	'history.restoreTitle': 'Restore to this point',
	'history.restoreIntro':
		'Restoring adds corrections: records added since are withdrawn and records corrected since are set back. Every record stays on the timeline.',
	'history.restoreNeedsCase': 'The case is not loaded on this device yet; try again shortly.',
	'history.nothingToRestore': 'The case is the same as then: nothing to restore.',
	'history.restoreList': 'Corrections to add',
	'history.what.withdraw-added': 'Withdraw a record added since',
	'history.what.withdraw-restored': 'Withdraw a record that was withdrawn then',
	'history.what.revert-correction': 'Set back to the content then',
	'history.blockedTitle': 'These differences cannot be restored by your org:',
	'history.restorePlanText': 'Also set the persuasion plan back to its text then',
	'history.reason': 'Reason for restoring',
	'history.defaultReason': 'Restore to the state as of {time}',
	'history.restoreButton': 'Add corrections and restore',
	'history.restored': '{count} corrections added.',
	'history.restoreRefused': 'These corrections could not be recorded:'
};

registerMessages(zh, en);
