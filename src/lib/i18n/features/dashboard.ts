import { registerMessages } from '../messages';

/**
 * The dashboard screens' strings (issue 5), loaded with those screens only: they stay out of the
 * first screen's bundle. Importing this module registers them with the catalogues.
 */
export const zh = {
	'dashboard.title': '总览',
	'dashboard.basis': '基于本机已下载的 {count} 个案件，最后同步于 {time}。',
	'dashboard.neverSynced': '尚未同步',
	'dashboard.offline': '当前离线：以下数字来自本机数据，联网后自动更新。',
	'dashboard.loading': '正在读取本机数据…',
	'dashboard.empty': '本机还没有案件。联网后打开案件列表即可下载。',
	'dashboard.unsummarised':
		'有 {count} 个案件尚未汇总（联网刷新后补全）：它们计入阶段统计，但不参与按街道、学期的筛选，也不计入期限、专人、指标和趋势统计。',
	'dashboard.filters': '筛选',
	'dashboard.street': '街道',
	'dashboard.streetAll': '全部街道',
	'dashboard.school': '学校',
	'dashboard.schoolAll': '全部学校',
	'dashboard.term': '学期',
	'dashboard.termAll': '全部学期',
	'dashboard.termSpring': '{year}年春季学期',
	'dashboard.termAutumn': '{year}年秋季学期',
	'dashboard.termRange': '{start} 至 {end}',
	'dashboard.termNote':
		'选定学期时，只统计该学期内在办的案件：立案或首次缺勤不晚于学期结束，且未在学期开始前销号。',
	'dashboard.clear': '清除筛选',
	'dashboard.shown': '当前筛选下共 {count} 个案件',
	'dashboard.total': '合计',
	'dashboard.stages.title': '各阶段案件数',
	'dashboard.stages.desc': '条形图：每个阶段的案件数，共 {total} 个案件。',
	'dashboard.stages.stage': '阶段',
	'dashboard.stages.count': '案件数',
	'dashboard.deadlines.title': '逾期和 7 日内到期的工作（按责任单位）',
	'dashboard.deadlines.desc': '堆叠条形图：各责任单位已逾期 {overdue} 项、7 日内到期 {soon} 项。',
	'dashboard.deadlines.org': '责任单位',
	'dashboard.deadlines.overdue': '已逾期',
	'dashboard.deadlines.soon': '7 日内到期',
	'dashboard.deadlines.none': '没有逾期或 7 日内到期的工作。',
	'dashboard.deadlines.note':
		'按每项工作的期限以今天（{today}）重新判断；“7 日内到期”指今天起 7 个自然日内到期、尚未完成的工作。',
	'dashboard.responsible.title': '未落实专人的案件',
	'dashboard.responsible.help':
		'无故缺勤满 5 个上课日须启动疑似辍学排查并落实专人（S-4b）。以下案件尚未落实：',
	'dashboard.responsible.none': '需要专人的案件都已落实专人。',
	'dashboard.responsible.since': '首次缺勤 {date}',
	'dashboard.responsible.count': '{count} 个案件',
	'dashboard.schools.title': '各校指标',
	'dashboard.schools.formula':
		'在校巩固率（学期）=（名册人数 − 仍未返校的辍学人数）÷ 名册人数，目标 ≥ {target}（B-7）。',
	'dashboard.schools.stillOutDef':
		'仍未返校的辍学人数 = 处于“辍学报告”“限期返校”“联合劝返”阶段的案件数，按各案件当前阶段计算。',
	'dashboard.schools.notStatistical':
		'这是学期内的工作指标，不是统计意义上的九年义务教育巩固率（毕业人数 ÷ 同届入学人数）。',
	'dashboard.schools.poorNote': '建档立卡学生的巩固率目标为 100%：其中有人未返校即未达标。',
	'dashboard.schools.caption': '各校指标（名册学期：{term}）',
	'dashboard.schools.school': '学校',
	'dashboard.schools.enrolled': '名册人数',
	'dashboard.schools.previous': '上学期名册人数',
	'dashboard.schools.suspected': '疑似辍学',
	'dashboard.schools.stillOut': '辍学未返校',
	'dashboard.schools.poor': '其中建档立卡',
	'dashboard.schools.retention': '在校巩固率',
	'dashboard.schools.status': '是否达标',
	'dashboard.schools.met': '达标',
	'dashboard.schools.below': '低于目标',
	'dashboard.schools.unknown': '—',
	'dashboard.schools.unknownLabel': '无名册数据',
	'dashboard.schools.rosterLive': '名册人数来自服务器（{time} 获取）。',
	'dashboard.schools.rosterCache': '名册人数来自本机缓存（{time} 获取），当前无法从服务器更新。',
	'dashboard.schools.rosterNone':
		'名册人数显示为“—”：服务器没有该学期的名册数据（导入学籍名册后即可计算巩固率）。',
	'dashboard.schools.rosterOffline':
		'名册人数显示为“—”：当前离线，本机也没有该学期缓存的名册数据。',
	'dashboard.schools.rosterLoading': '正在获取名册人数…',
	'dashboard.schools.empty': '没有学校数据。',
	'dashboard.trend.title': '近 12 个月趋势',
	'dashboard.trend.desc': '折线图：{from} 至 {to} 每月新增疑似辍学、复学和销号的案件数。',
	'dashboard.trend.month': '月份',
	'dashboard.trend.suspected': '新增疑似辍学',
	'dashboard.trend.returned': '复学',
	'dashboard.trend.closed': '销号',
	'dashboard.trend.note': '按各案件当前一轮（最近一次重新启动以来）的日期统计；不受学期筛选影响。'
} as const;

export const en: Record<keyof typeof zh, string> = {
	'dashboard.title': 'Overview',
	'dashboard.basis': 'Based on the {count} cases downloaded to this device, last synced {time}.',
	'dashboard.neverSynced': 'not yet',
	'dashboard.offline': 'Offline: the figures below come from this device; they update when online.',
	'dashboard.loading': 'Reading this device’s data…',
	'dashboard.empty':
		'No cases on this device yet. Open the case list while online to download them.',
	'dashboard.unsummarised':
		'{count} cases are not summarised yet (filled in at the next refresh online): they count by stage, but are left out of the street and term filters and of the deadline, responsible-person, indicator and trend figures.',
	'dashboard.filters': 'Filters',
	'dashboard.street': 'Street',
	'dashboard.streetAll': 'All streets',
	'dashboard.school': 'School',
	'dashboard.schoolAll': 'All schools',
	'dashboard.term': 'Term',
	'dashboard.termAll': 'All terms',
	'dashboard.termSpring': 'Spring term {year}',
	'dashboard.termAutumn': 'Autumn term {year}',
	'dashboard.termRange': '{start} to {end}',
	'dashboard.termNote':
		'With a term chosen, only cases worked on during it count: opened or first absent no later than the term’s end, and not closed before its start.',
	'dashboard.clear': 'Clear filters',
	'dashboard.shown': '{count} cases match the filters',
	'dashboard.total': 'Total',
	'dashboard.stages.title': 'Cases by stage',
	'dashboard.stages.desc': 'Bar chart: cases in each stage, {total} cases in all.',
	'dashboard.stages.stage': 'Stage',
	'dashboard.stages.count': 'Cases',
	'dashboard.deadlines.title': 'Overdue and due within 7 days (by responsible org)',
	'dashboard.deadlines.desc':
		'Stacked bar chart: {overdue} overdue and {soon} due within 7 days, by responsible org.',
	'dashboard.deadlines.org': 'Responsible org',
	'dashboard.deadlines.overdue': 'Overdue',
	'dashboard.deadlines.soon': 'Due within 7 days',
	'dashboard.deadlines.none': 'Nothing overdue or due within 7 days.',
	'dashboard.deadlines.note':
		'Judged again for today ({today}) from each due date; “due within 7 days” means not done and due within the next 7 calendar days.',
	'dashboard.responsible.title': 'Cases without a responsible person',
	'dashboard.responsible.help':
		'5 unexcused school days require opening the suspected-dropout case with a responsible person (S-4b). Not yet done for:',
	'dashboard.responsible.none': 'Every case that needs a responsible person has one.',
	'dashboard.responsible.since': 'first absent {date}',
	'dashboard.responsible.count': '{count} cases',
	'dashboard.schools.title': 'Indicators per school',
	'dashboard.schools.formula':
		'In-term retention = (students on the roster − dropouts not yet returned) ÷ students on the roster; target ≥ {target} (B-7).',
	'dashboard.schools.stillOutDef':
		'Dropouts not yet returned = cases at the stages “dropout reported”, “return notice” or “joint persuasion”, by each case’s current stage.',
	'dashboard.schools.notStatistical':
		'This is an operational in-term indicator, not the statistical nine-year retention rate (graduates ÷ entrants of the same cohort).',
	'dashboard.schools.poorNote':
		'Registered-poor students have a 100 % retention target: one of them not back misses it.',
	'dashboard.schools.caption': 'Indicators per school (roster term: {term})',
	'dashboard.schools.school': 'School',
	'dashboard.schools.enrolled': 'On the roster',
	'dashboard.schools.previous': 'On the roster last term',
	'dashboard.schools.suspected': 'Suspected',
	'dashboard.schools.stillOut': 'Dropouts not back',
	'dashboard.schools.poor': 'of them registered poor',
	'dashboard.schools.retention': 'In-term retention',
	'dashboard.schools.status': 'Target met',
	'dashboard.schools.met': 'met',
	'dashboard.schools.below': 'below target',
	'dashboard.schools.unknown': '—',
	'dashboard.schools.unknownLabel': 'no roster data',
	'dashboard.schools.rosterLive': 'Roster figures from the server (fetched {time}).',
	'dashboard.schools.rosterCache':
		'Roster figures from this device’s copy (fetched {time}); the server cannot be reached now.',
	'dashboard.schools.rosterNone':
		'Roster figures show “—”: the server has no roster for this term (import the student roster to compute retention).',
	'dashboard.schools.rosterOffline':
		'Roster figures show “—”: offline, and this device has no copy of this term’s roster.',
	'dashboard.schools.rosterLoading': 'Fetching roster figures…',
	'dashboard.schools.empty': 'No schools to show.',
	'dashboard.trend.title': 'Trends over the last 12 months',
	'dashboard.trend.desc':
		'Line chart: new suspected dropouts, returns and closures per month, {from} to {to}.',
	'dashboard.trend.month': 'Month',
	'dashboard.trend.suspected': 'New suspected',
	'dashboard.trend.returned': 'Returned',
	'dashboard.trend.closed': 'Closed',
	'dashboard.trend.note':
		'Counted by the dates of each case’s current episode (since its last reopening); the term filter does not apply.'
};

registerMessages(zh, en);
