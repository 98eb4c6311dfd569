import type { EventType, OrgKind } from '../domain';
import type { Bilingual } from './types';

/** Short names of event types, for refusal reasons (the UI has its own catalogue). */
export const EVENT_NAMES: Record<EventType, Bilingual> = {
	absence: { zh: '缺勤', en: 'absence' },
	home_visit: { zh: '家访/联系监护人', en: 'home visit' },
	suspected_case_opened: { zh: '启动疑似辍学排查', en: 'suspected case opened' },
	persuasion_attempt: { zh: '劝返', en: 'persuasion attempt' },
	dropout_file_created: { zh: '建立辍学档案', en: 'dropout file' },
	written_report: { zh: '书面报告', en: 'written report' },
	deadline_notice_issued: { zh: '限期返校通知书', en: 'return deadline notice' },
	joint_team_formed: { zh: '组成联合劝返组', en: 'joint team formed' },
	joint_persuasion_attempt: { zh: '联合劝返', en: 'joint persuasion attempt' },
	student_located: { zh: '查明去向', en: 'student located' },
	returned: { zh: '复学', en: 'returned' },
	follow_up: { zh: '跟踪回访', en: 'follow-up' },
	guardian_ordered_to_correct: { zh: '责令监护人限期改正', en: 'guardian ordered to correct' },
	judicial_decision: { zh: '司法判决裁定', en: 'judicial decision' },
	written_statement: { zh: '书面说明', en: 'written statement' },
	district_approval: { zh: '区政府同意', en: 'district approval' },
	disability_assessment: { zh: '残疾人教育专家委员会评估', en: 'disability assessment' },
	rural_revitalization_approval: { zh: '乡村振兴局批准意见', en: 'rural revitalization approval' },
	police_determination: { zh: '失踪失联或死亡界定', en: 'missing/deceased determination' },
	deferral: { zh: '延缓入学/休学', en: 'deferral/suspension' },
	over_age_leaving_mark: { zh: '超龄离校标注', en: 'over-age leaving mark' },
	enrollment_elsewhere_confirmed: { zh: '异地入学确认', en: 'enrollment elsewhere confirmed' },
	handover: { zh: '移交户籍地', en: 'handover to another district' },
	registry_mark: { zh: '学籍标注', en: 'registry mark' },
	term_check: { zh: '开学清查', en: 'term-start check' },
	closed: { zh: '销号', en: 'closure' },
	reopened: { zh: '重新开启', en: 'reopened' },
	amend: { zh: '更正', en: 'amendment' },
	profile_updated: { zh: '资料变更', en: 'profile update' },
	guardian_added: { zh: '添加监护人', en: 'guardian added' },
	family_linked: { zh: '加入家庭', en: 'family link' }
};

export const ORG_NAMES: Record<OrgKind, Bilingual> = {
	school: { zh: '学校', en: 'school' },
	community: { zh: '社区', en: 'community' },
	street: { zh: '街道办事处', en: 'street office' },
	bureau: { zh: '区教体局', en: 'education bureau' },
	district: { zh: '区政府', en: 'district government' },
	justice: { zh: '司法', en: 'justice' },
	police: { zh: '公安', en: 'police' },
	hr: { zh: '人社', en: 'human resources' },
	disability: { zh: '残联', en: 'disabled persons’ federation' },
	civil: { zh: '民政', en: 'civil affairs' },
	religion: { zh: '宗教事务', en: 'religious affairs' },
	rural: { zh: '乡村振兴局', en: 'rural revitalization' }
};

/** Joins bilingual names with the right separators. */
export function joinNames(names: Bilingual[]): Bilingual {
	return { zh: names.map((n) => n.zh).join('、'), en: names.map((n) => n.en).join(', ') };
}
