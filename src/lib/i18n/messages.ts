import type { ClosurePath, OrgKind } from '../domain';
import type { ObligationState, Stage } from '../rules/types';

/** UI languages: Chinese first (DESIGN.md), English second. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Keys derived from the domain's enums: the catalogue must name every value of each. */
type EnumKey =
	`stage.${Stage}` | `org.${OrgKind}` | `state.${ObligationState}` | `closure.${ClosurePath}`;

/**
 * The Chinese catalogue is the reference: every key it has, English must have too (the `en`
 * annotation below fails to compile on a missing or extra key). `{name}` marks a parameter.
 */
export const zh = {
	'app.name': '一生一案',
	'app.tagline': '控辍保学',
	'lang.switch': 'English',
	'lang.switchLabel': '切换到英文界面',

	'evaluator.title': '案件评估',
	'evaluator.intro': '选择示例案件或粘贴案件快照 JSON，按所选日期计算阶段、期限和销号条件。',
	'evaluator.inputs': '输入',
	'evaluator.sample': '示例案件',
	'evaluator.today': '评估日期',
	'evaluator.snapshot': '案件快照（JSON）',
	'evaluator.snapshotHelp': '可直接编辑；每次修改后立即重新校验。',
	'evaluator.errorsTitle': '快照无法使用，请修改以下问题：',
	'evaluator.jsonError': 'JSON 语法错误：{detail}',
	'evaluator.badDate': '请填写有效日期（YYYY-MM-DD）。',
	'evaluator.evalError': '评估失败：{detail}',
	'evaluator.noSamples': '暂无示例案件。',
	'evaluator.result': '评估结果',

	'stage.label': '当前阶段',
	'stage.watch': '预警关注',
	'stage.absent': '缺勤核实',
	'stage.suspected': '疑似辍学',
	'stage.dropout': '辍学报告',
	'stage.notice': '限期返校',
	'stage.joint': '联合劝返',
	'stage.returned': '复学跟踪',
	'stage.deferred': '延缓入学/休学',
	'stage.closed': '已销号',

	'org.school': '学校',
	'org.community': '社区',
	'org.street': '街道办事处',
	'org.bureau': '区教体局',
	'org.district': '区政府',
	'org.justice': '司法',
	'org.police': '公安',
	'org.hr': '人社',
	'org.disability': '残联',
	'org.civil': '民政',
	'org.religion': '宗教事务',
	'org.rural': '乡村振兴局',

	'state.pending': '待办',
	'state.met': '已完成',
	'state.late': '逾期完成',
	'state.overdue': '已逾期',

	'closure.returned': '复学',
	'closure.enrolled_elsewhere': '异地就学',
	'closure.refuses_after_judicial': '司法程序后仍拒不复学',
	'closure.unfit_to_study': '身体不具备学习条件',
	'closure.poor_family_refuses': '贫困家庭拒不复学',
	'closure.missing_or_deceased': '失踪失联或死亡',

	'obligations.title': '办理事项',
	'obligations.empty': '当前没有办理事项。',
	'obligations.rule': '规则',
	'obligations.task': '事项',
	'obligations.responsible': '责任单位',
	'obligations.due': '期限',
	'obligations.state': '状态',
	'obligations.noDue': '无期限',
	'obligations.doneOn': '{date} 完成',
	'obligations.next': '下一项',

	'closure.title': '销号条件',
	'closure.eligible': '可以销号',
	'closure.missing': '尚缺：',

	'conflicts.title': '冲突记录',
	'conflicts.empty': '没有冲突记录。',
	'conflicts.event': '事件 {id}'
} as const satisfies Record<EnumKey, string> & Record<string, string>;

export type MessageKey = keyof typeof zh;
export type Catalogue = Record<MessageKey, string>;

export const en: Catalogue = {
	'app.name': '一生一案',
	'app.tagline': 'Dropout prevention',
	'lang.switch': '中文',
	'lang.switchLabel': 'Switch to Chinese',

	'evaluator.title': 'Case evaluator',
	'evaluator.intro':
		'Pick a sample case or paste a case snapshot as JSON; the stage, deadlines and closure conditions are computed for the chosen date.',
	'evaluator.inputs': 'Input',
	'evaluator.sample': 'Sample case',
	'evaluator.today': 'Evaluation date',
	'evaluator.snapshot': 'Case snapshot (JSON)',
	'evaluator.snapshotHelp': 'Editable; it is checked again after every change.',
	'evaluator.errorsTitle': 'The snapshot cannot be used; fix these problems:',
	'evaluator.jsonError': 'JSON syntax error: {detail}',
	'evaluator.badDate': 'Enter a valid date (YYYY-MM-DD).',
	'evaluator.evalError': 'Evaluation failed: {detail}',
	'evaluator.noSamples': 'No sample cases yet.',
	'evaluator.result': 'Evaluation',

	'stage.label': 'Current stage',
	'stage.watch': 'Watch',
	'stage.absent': 'Absence check',
	'stage.suspected': 'Suspected dropout',
	'stage.dropout': 'Dropout reported',
	'stage.notice': 'Return notice',
	'stage.joint': 'Joint persuasion',
	'stage.returned': 'Returned, follow-up',
	'stage.deferred': 'Deferred / suspended',
	'stage.closed': 'Closed',

	'org.school': 'School',
	'org.community': 'Community',
	'org.street': 'Street office',
	'org.bureau': 'District education bureau',
	'org.district': 'District government',
	'org.justice': 'Justice',
	'org.police': 'Police',
	'org.hr': 'Human resources',
	'org.disability': "Disabled persons' federation",
	'org.civil': 'Civil affairs',
	'org.religion': 'Religious affairs',
	'org.rural': 'Rural revitalisation',

	'state.pending': 'Pending',
	'state.met': 'Done',
	'state.late': 'Done late',
	'state.overdue': 'Overdue',

	'closure.returned': 'Returned to school',
	'closure.enrolled_elsewhere': 'Enrolled elsewhere',
	'closure.refuses_after_judicial': 'Still refuses after judicial action',
	'closure.unfit_to_study': 'Not physically able to study',
	'closure.poor_family_refuses': 'Poor family refuses return',
	'closure.missing_or_deceased': 'Missing, unreachable or deceased',

	'obligations.title': 'Obligations',
	'obligations.empty': 'No obligations at present.',
	'obligations.rule': 'Rule',
	'obligations.task': 'Task',
	'obligations.responsible': 'Responsible',
	'obligations.due': 'Due',
	'obligations.state': 'State',
	'obligations.noDue': 'No due date',
	'obligations.doneOn': 'done {date}',
	'obligations.next': 'Next',

	'closure.title': 'Closure conditions',
	'closure.eligible': 'May close',
	'closure.missing': 'Still missing:',

	'conflicts.title': 'Conflicts',
	'conflicts.empty': 'No conflicts.',
	'conflicts.event': 'Event {id}'
};

export const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zh, en };

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function format(template: string, params?: Record<string, string | number>): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}
