import type { Bilingual, RuleId } from '../rules/types';

/** A rule's sentence from the policy (quoted or closely paraphrased) and where it comes from. */
export interface RuleText {
	text: Bilingual;
	source: Bilingual;
}

const SHILONG: Bilingual = {
	zh: '《石龙区控辍保学工作流程》（平龙政办〔2022〕39号附件）',
	en: 'Shilong district procedure (平龙政办〔2022〕39号, annex)'
};
const BISHAN: Bilingual = {
	zh: '《重庆市璧山区义务教育控辍保学实施方案》',
	en: 'Bishan district implementation plan (2024)'
};
const MERGE: Bilingual = {
	zh: '本系统的多方协同规则',
	en: 'this system’s rules for merging concurrent work'
};
const TIME: Bilingual = {
	zh: '本系统的期限计算规则（依据《民法典》第二百零一条、第二百零三条）',
	en: 'this system’s rules for periods (after Civil Code Art. 201 and 203)'
};

/**
 * The policy sentence behind each rule id of DOMAIN.md, shown when a person taps a deadline's
 * rule id. Quotes are from the two policy documents in `shared/seeds`; G-rules are this
 * system's own and say so.
 */
export const RULE_TEXTS: Record<RuleId, RuleText> = {
	'S-1': {
		text: {
			zh: '每年秋季开学前，区教体局与公安部门协同调查统计、共享信息，准确掌握适龄儿童少年底数和入学情况，建立义务教育适龄儿童少年花名册，采取相关措施，确保应入尽入。',
			en: 'Before each autumn term the education bureau and the police survey and share data on school-age children, build the roster of school-age children and make sure every child is enrolled.'
		},
		source: SHILONG
	},
	'S-2': {
		text: {
			zh: '区教体局和学校严格落实“人籍一致”学籍管理规定……在每学期开学后两周内全面梳理本校学生学籍异动情况，确保学籍系统信息与实际一致。',
			en: 'The bureau and schools keep the registry equal to reality: within two weeks of each term start every school reviews its registry changes so the registry system matches the facts.'
		},
		source: SHILONG
	},
	'S-3': {
		text: {
			zh: '学校要做好校内减负工作……建立学困生帮扶制度，通过教师“一对一”帮扶、同学“手拉手”学习等方式，加大对学困生的帮扶力度，做好农村留守儿童的心理辅导和教育关爱，坚决防止学生因学习困难而辍学。',
			en: 'Schools reduce workload, support students with learning difficulties one to one, counsel and care for left-behind children, and prevent anyone dropping out for learning reasons.'
		},
		source: SHILONG
	},
	'S-4a': {
		text: {
			zh: '学校要严格落实学生考勤请假制度，对无故3日未到校学生及时家访或与监护人联系核实情况。',
			en: 'Schools keep attendance and leave records; a student absent without reason for 3 days gets a prompt home visit or a call to the guardian to verify.'
		},
		source: SHILONG
	},
	'S-4b': {
		text: {
			zh: '对无故5日未到校学生启动疑似辍学排查整改工作，落实专人动员劝返，10个工作日内连续劝返不少于3次。',
			en: 'After 5 days of unexcused absence the school opens a suspected-dropout investigation, names one responsible person, and makes at least 3 persuasion attempts within 10 working days.'
		},
		source: SHILONG
	},
	'S-4c': {
		text: {
			zh: '对失踪失联和劝返不成功的，建立辍学学生档案，“一生一表”，建立劝返台账上报，及时向所在街道和区教体局书面报告，配合所属辖区街道、社区启动联合劝返流程。',
			en: 'If the student is missing or persuasion fails: a dropout file (one form per student) and a persuasion ledger, a prompt written report to the street office and the bureau, and the joint persuasion process starts with the street and community.'
		},
		source: SHILONG
	},
	'S-5': {
		text: {
			zh: '区教体局每季度开展一次疑似辍学学生排查整改工作和劝返复学工作，并于每个季度末上报《季度控辍保学排查整改工作统计表》。',
			en: 'Every quarter the bureau runs an investigation and persuasion round and files the quarterly dropout-prevention statistics form at the quarter’s end.'
		},
		source: SHILONG
	},
	'S-6': {
		text: {
			zh: '根据劝返复学学生的实际情况，有针对性地制定教学计划，通过插班、单独编班、普职融合、个别辅导等多种方式，切实做好教育教学安置工作，确保劝返复学学生留得住、学得好，坚决防止辍学反复反弹。',
			en: 'A returned student gets a teaching plan and a placement — joining a class, a separate class, general–vocational, individual tutoring — so that they stay and learn and do not drop out again.'
		},
		source: SHILONG
	},
	'S-7': {
		text: {
			zh: '随迁子女在流入地（即其学籍所在地）辍学的，原则上由流入地负责劝返；辍学后跨县流动的，原流入地应书面通知户籍所在地，由户籍所在地会同新流入地做好劝返复学工作。',
			en: 'A migrant child who drops out where it studies is persuaded by that place; if it then moves to another county, the old place notifies the hukou place in writing, which persuades together with the new place.'
		},
		source: SHILONG
	},
	'S-8': {
		text: {
			zh: '街道收到辖区内学校报送的学生辍学情况报告后，2日内向学生监护人发放《限期返校通知书》，责令限期5个工作日复学，并根据不同情况与相关部门组成联合劝返组开展不少于3次劝返工作。',
			en: 'Within 2 days of the school’s report, the street office serves the guardian a return deadline notice ordering return within 5 working days, and forms a joint team with the relevant departments that makes at least 3 persuasion attempts.'
		},
		source: SHILONG
	},
	'S-9': {
		text: {
			zh: '按辍学原因组成联合劝返组：监护人不履行法定义务的与司法部门；外出打工的与人社、公安部门；残疾的与残联、教体部门（送教上门、远程教学）；早婚早育的与民政部门；信教的与宗教事务部门；失去联系的与公安部门寻找学生。',
			en: 'The joint team follows the reason: guardian neglect — justice; work — human resources and police; disability — disabled persons’ federation and education (home or remote teaching); early marriage — civil affairs; religion — religious affairs; lost contact — police find the student.'
		},
		source: SHILONG
	},
	'S-10': {
		text: {
			zh: '联合劝返不少于3次且经司法判决裁定监护人已履行法定义务仍拒不返校的，由学生和家长书面说明，报区政府同意，办理延缓入学或休学；身体不具备学习条件的，经区残疾人教育专家委员会评估认定；贫困家庭拒不复学的，经区乡村振兴局核实同意；公安部门界定失踪失联或死亡的，做好台账销号归档工作。',
			en: 'Closure: after ≥3 joint attempts and a judicial decision that the guardian did its duty, a written statement and district approval allow deferral or suspension; unfitness to study needs the expert committee’s assessment; a poor family’s refusal needs the rural revitalisation bureau’s approval; a police determination of missing or deceased closes and archives the ledger.'
		},
		source: SHILONG
	},
	'B-1': {
		text: {
			zh: '各义务教育学校要在每学期开学后5日内对学生入学、变动、辍学情况及学籍变化情况进行全面清查……开学后10日内向教育主管部门和镇人民政府（街道办事处）报告。',
			en: 'Within 5 days of each term start every school checks enrolment, changes, dropouts and registry changes, and within 10 days reports to the education bureau and the town or street office.'
		},
		source: BISHAN
	},
	'B-2': {
		text: {
			zh: '对未到校注册就读的，要列出清单，及时查清去向。对随父母或法定监护人外出就学的，要及时对接流入地教育行政部门，协助办理入学手续。对转学的，应按学籍管理要求及时完善转学手续。',
			en: 'Students not registered for the term are listed and traced; one who left with its parents is handed to the receiving district’s bureau to enrol there; a transfer completes its registry steps.'
		},
		source: BISHAN
	},
	'B-3': {
		text: {
			zh: '对上学期间无故未到校就学或去向不明的学生，要建档造册……由镇人民政府（街道办事处）协调派出所、村（居）民委员会进行查找，查清去向和就读情况，建立辍学学生工作台账。',
			en: 'A student absent without reason or of unknown whereabouts gets a file; the town or street office brings in the police station and village committee to find the student, and a dropout ledger is kept.'
		},
		source: BISHAN
	},
	'B-4': {
		text: {
			zh: '非户籍学生流失辍学的，向教育行政部门报告后，由教育行政部门向学生户籍所在地教育行政部门通报，并将学生电子学籍档案转交其户籍所在地教育行政部门。',
			en: 'A non-local student’s dropout is reported to the bureau, which notifies the bureau of the student’s hukou place and transfers the electronic registry file to it.'
		},
		source: BISHAN
	},
	'B-5': {
		text: {
			zh: '认真研究分析学生的失学辍学原因……切实做到“一家一案，一生一案”。对无正当理由未送适龄儿童少年入学的父母或法定监护人，要给予批评教育，并责令限期改正。',
			en: 'Analyse why each student dropped out and plan per family and per student. A guardian who keeps a child out of school without reason is criticised and ordered to correct within a set time.'
		},
		source: BISHAN
	},
	'B-6': {
		text: {
			zh: '把初中作为重点关注学段，把建档立卡贫困家庭子女、农村留守儿童等作为重点监测群体，把每年春季和秋季学期开学作为重点核查时段……及时对有辍学倾向的学生开展心理疏导，消除其辍学念头。',
			en: 'Watch lower secondary school, registered-poor and left-behind children and the first weeks of each term most closely; counsel students who tend to drop out before they do.'
		},
		source: BISHAN
	},
	'B-7': {
		text: {
			zh: '义务教育入学率达到100%，巩固率达到99%（石龙区：贫困家庭子女九年义务教育巩固率达到100%）。',
			en: 'Enrolment rate 100%, retention rate 99% (Shilong: retention of children of poor families 100%).'
		},
		source: BISHAN
	},
	'B-8': {
		text: {
			zh: '义务教育学校要利用全国中小学生学籍信息管理系统做好辍学学生标注登记工作，确保学籍信息与实际一致。',
			en: 'Schools mark dropouts in the national student registry system so that the registry matches reality.'
		},
		source: BISHAN
	},
	'G-M1': {
		text: {
			zh: '多方离线记录合并后，事件按同一确定顺序评估：先按发生日期，再按记录时间，再按事件标识。',
			en: 'When offline work merges, events are evaluated in one order: the day it happened, then when it was recorded, then the event id.'
		},
		source: MERGE
	},
	'G-M2': {
		text: {
			zh: '同一事实记录了两次（同一天的缺勤、同一编号的通知书）只计一次，两条记录都保留在时间线上。',
			en: 'A fact recorded twice (the same absence day, the same notice number) counts once; both records stay on the timeline.'
		},
		source: MERGE
	},
	'G-M3': {
		text: {
			zh: '合并后变为无效的记录（如两次销号、被并发记录推翻的销号、办理时机已过的单位的记录）保留在时间线上并标为冲突，由经办人通过更正处理，不会被悄悄删除。',
			en: 'A record the merged order makes invalid (two closures, a closure made ineligible, an action whose turn had passed) stays on the timeline marked as a conflict, and a person resolves it with a correction. Nothing is dropped silently.'
		},
		source: MERGE
	},
	'G-M4': {
		text: {
			zh: '地址、电话等资料按字段以最后一次修改为准，时间线显示是谁修改的。',
			en: 'Profile fields such as address and phone are last-writer-wins per field, and the timeline shows who changed them.'
		},
		source: MERGE
	},
	'G-T1': {
		text: {
			zh: '期间开始的当日不计入，自下一日开始计算（《民法典》第二百零一条）。',
			en: 'The day on which a period starts is not counted; counting starts the next day (Civil Code Art. 201).'
		},
		source: TIME
	},
	'G-T2': {
		text: {
			zh: '按日计算的期间，最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日（《民法典》第二百零三条）。',
			en: 'When the last day of a period in days is a public holiday, the period ends on the first day after the holiday (Civil Code Art. 203).'
		},
		source: TIME
	},
	'G-T3': {
		text: {
			zh: '期限落在尚未加载法定节假日安排的年份时，系统明确提示错误，不按只排除周末的方式猜测。',
			en: 'A deadline in a year whose holiday calendar is not loaded is shown as an error, never guessed from weekends alone.'
		},
		source: TIME
	},
	'G-T4': {
		text: {
			zh: '缺勤只在上学日（学期内的工作日）计算；“连续”指连续的上学日，中间的周末或节假日不打断。',
			en: 'An absence counts only on a school day (a working day in term); consecutive means consecutive school days, so a weekend or holiday in between does not break the run.'
		},
		source: TIME
	}
};
