import { describe, expect, it } from 'vitest';
import { isValidIdNumber, maskIdNumber, type CaseSnapshot } from '../../src/lib/domain';
import { CaseBuilder } from '../../src/lib/demo';
import {
	buildDeadlineNotice,
	buildDropoutFile,
	maskRegistryNo,
	type DocSection,
	type DocumentInput
} from '../../src/lib/documents';

const ID = '410499201103080156';
const ORG_NAMES = {
	'org-school1': '示范区第一初级中学',
	'org-street1': '示范区新华街道办事处'
};

/**
 * A Shilong case up to the notice: five unexcused school days from Mon 15 Sep 2025 (S-4b),
 * three failed persuasions, the file and the report (S-4c); the street office serves the notice
 * on Tue 30 Sep, the eve of the National Day holiday (S-8).
 */
function toReport(id = 'case-doc'): CaseBuilder {
	return new CaseBuilder({
		id,
		profile: 'shilong-2022',
		student: {
			name: '陈小雨',
			gender: 'female',
			birthDate: '2011-03-08',
			idMasked: maskIdNumber(ID),
			registryNo: maskRegistryNo(`G${ID}`),
			grade: 8,
			className: '八年级（3）班',
			residence: '示范区新华街道和平路 8 号'
		},
		guardians: [
			{
				id: 'g1',
				name: '陈大山',
				relation: '父亲',
				phone: '13900000001',
				address: '示范区新华街道和平路 8 号',
				workingAway: true
			},
			{
				id: 'g2',
				name: '赵桂芳',
				relation: '祖母',
				phone: '',
				address: '',
				workingAway: false
			}
		],
		createdOn: '2025-09-15'
	})
		.absences(['2025-09-15', '2025-09-16', '2025-09-17'])
		.add('home_visit', '2025-09-17', { mode: 'home_visit', contacted: '祖母', findings: '外出' })
		.absences(['2025-09-18', '2025-09-19'])
		.add('suspected_case_opened', '2025-09-19', {
			responsible: { name: '王老师', phone: '13700000009' }
		})
		.add('persuasion_attempt', '2025-09-22', {
			mode: 'phone',
			outcome: 'refused',
			participants: ['班主任王老师']
		})
		.add('persuasion_attempt', '2025-09-23', { mode: 'home_visit', outcome: 'refused' })
		.add('persuasion_attempt', '2025-09-24', { mode: 'home_visit', outcome: 'refused' })
		.add('dropout_file_created', '2025-09-25', { reason: 'work', note: '随父亲外出打工' })
		.add('written_report', '2025-09-25', { to: ['street', 'bureau'] });
}

function withNotice(b = toReport()): CaseBuilder {
	return b.by('street').add('deadline_notice_issued', '2025-09-30', {
		number: '示范街限〔2025〕7号',
		servedTo: '陈大山',
		servedOn: '2025-09-30',
		returnBy: '2025-10-14'
	});
}

const input = (snapshot: CaseSnapshot, today: string, extra: Partial<DocumentInput> = {}) => ({
	snapshot,
	orgNames: ORG_NAMES,
	today,
	...extra
});

const fieldsOf = (s: DocSection | undefined) =>
	Object.fromEntries((s?.fields ?? []).map((f) => [f.label, f.value]));

describe('《限期返校通知书》 (S-8)', () => {
	it('[S-8][G-T1] a notice issued 2025-09-30 orders return by 2025-10-14, across National Day', () => {
		const doc = buildDeadlineNotice(input(withNotice().build(), '2025-10-09'));
		expect(doc.draft).toBe(false);
		expect(doc.draftMark).toBe('');
		expect(doc.returnBy.iso).toBe('2025-10-14');
		expect(doc.returnBy.value).toBe('2025年10月14日');
		expect(doc.requirement).toBe(
			'现责令你自收到本通知之日起5个工作日内，即于2025年10月14日前，将陈小雨送返示范区第一初级中学就读。'
		);
		expect(doc.number.value).toBe('示范街限〔2025〕7号');
		expect(doc.issuer.value).toBe('示范区新华街道办事处');
		expect(doc.issuedOn.value).toBe('2025年9月30日');
		expect(doc.consequences).toContain('示范区新华街道办事处将会同教育、司法、公安等部门');
	});

	it('[S-8][G-T1] the return-by date is the rules’ own: 10-01..08 are holidays, Sat 10-11 a make-up day', () => {
		const b = withNotice(toReport()).by('street');
		const snap = b
			.add('deadline_notice_issued', '2025-10-09', {
				number: '示范街限〔2025〕8号',
				servedTo: '陈大山',
				servedOn: '2025-10-09',
				returnBy: '2025-10-15'
			})
			.build();
		const first = buildDeadlineNotice(input(snap, '2025-10-20'), {
			noticeId: snap.events.find((e) => e.type === 'deadline_notice_issued')?.id ?? ''
		});
		expect(first.returnBy.iso).toBe('2025-10-14');
		// By default the latest notice: served Thu 10-09 → 10-10, 10-11 (Sat, make-up), 10-13, 10-14, 10-15.
		const latest = buildDeadlineNotice(input(snap, '2025-10-20'));
		expect(latest.number.value).toBe('示范街限〔2025〕8号');
		expect(latest.returnBy.iso).toBe('2025-10-15');
	});

	it('[S-8] the student’s ID number is masked (first 6 and last 4 kept), never printed in full', () => {
		const doc = buildDeadlineNotice(input(withNotice().build(), '2025-10-09'));
		expect(doc.student).toContainEqual({ label: '身份证号', value: '410499************' });
		expect(JSON.stringify(doc)).not.toContain(ID);
		const file = buildDropoutFile(input(withNotice().build(), '2025-10-09'));
		expect(JSON.stringify(file)).not.toContain(ID);
		expect(fieldsOf(file.sections[0])['学籍号']).toBe('G410499************');
	});

	it('[S-8] facts: the first day absent (S-4b run) and the persuasion attempts before the notice', () => {
		const snap = withNotice()
			.add('joint_team_formed', '2025-09-30', { reason: 'work', departments: ['hr', 'police'] })
			.add('joint_persuasion_attempt', '2025-10-09', {
				mode: 'home_visit',
				outcome: 'refused',
				departments: ['hr']
			})
			.build();
		const doc = buildDeadlineNotice(input(snap, '2025-10-10'));
		expect(doc.figures).toEqual({ firstAbsent: '2025-09-15', attempts: 3, servedOn: '2025-09-30' });
		expect(doc.facts).toContain('自2025年9月15日起无正当理由未到校上课');
		expect(doc.facts).toContain('已劝返3次');
		expect(doc.facts).toContain('示范区第一初级中学八年级（3）班');
	});

	it('[S-8] addressed to the guardian it was served on, with the relation; 送达回证 from the event', () => {
		const doc = buildDeadlineNotice(input(withNotice().build(), '2025-10-09'));
		expect(doc.salutation).toBe('陈大山（学生陈小雨的父亲）：');
		const rows = Object.fromEntries(doc.service.rows.map((r) => [r.label, r.value]));
		expect(rows['受送达人']).toBe('陈大山');
		expect(rows['送达日期']).toBe('2025年9月30日');
		expect(rows['送达人']).toBe('张科长');
		expect(rows['送达地点']).toBe('示范区新华街道和平路 8 号');
		expect(rows['受送达人签收']).toMatch(/^＿+$/);
		expect(rows['送达方式']).toContain('□直接送达');
		expect(doc.contact[0]).toEqual({ label: '联系人', value: '张科长' });
		expect(doc.contact[2]?.value).toBe('王老师 13700000009');
	});

	it('[S-8] a relation written after the served name is not said twice', () => {
		const b = withNotice().build();
		const served = {
			...b,
			events: b.events.map((e) =>
				e.type === 'deadline_notice_issued' ? { ...e, servedTo: '陈大山（父亲）' } : e
			)
		};
		expect(buildDeadlineNotice(input(served, '2025-10-09')).salutation).toBe(
			'陈大山（学生陈小雨的父亲）：'
		);
	});

	it('[S-8][G-T1] before any notice, a draft (草稿) whose return-by counts from today', () => {
		const doc = buildDeadlineNotice(input(toReport().build(), '2025-09-30'));
		expect(doc.draft).toBe(true);
		expect(doc.draftMark).toBe('草稿');
		expect(doc.noticeId).toBeNull();
		expect(doc.number.value).toBe('（草稿，未编号）');
		expect(doc.returnBy.iso).toBe('2025-10-14');
		expect(doc.issuedOn.value).toBe('＿＿＿＿年＿＿月＿＿日');
		// No notice: addressed to the first guardian.
		expect(doc.salutation).toBe('陈大山（学生陈小雨的父亲）：');
	});

	it('[G-T3] a return-by date in a provisional year is printed with 暂定 beside it', () => {
		// A draft served Monday 2031-03-03: 03-04, 03-05, 03-06, 03-07, 03-10.
		const doc = buildDeadlineNotice(input(toReport().build(), '2031-03-03'));
		expect(doc.returnBy.iso).toBe('2031-03-10');
		expect(doc.returnBy.error).toBeNull();
		expect(doc.returnBy.provisional).toBe('暂定：按法定节假日推算，国务院放假安排发布后自动更新');
		expect(doc.requirement).toContain('2031年3月10日前');
		const official = buildDeadlineNotice(input(withNotice().build(), '2025-10-09'));
		expect(official.returnBy.provisional).toBeNull();
	});

	it('[S-8] unknown street office name: fill-in line for the seal, generic issuer in the text', () => {
		const doc = buildDeadlineNotice({
			snapshot: withNotice().build(),
			orgNames: {},
			today: '2025-10-09'
		});
		expect(doc.issuer.value).toMatch(/^＿+$/);
		expect(doc.consequences).toContain('街道办事处（乡镇人民政府）将会同');
		expect(doc.requirement).toContain('送返＿＿＿＿＿＿就读');
	});

	it('[S-8] the English rendering follows the same rules and dates', () => {
		const doc = buildDeadlineNotice(input(withNotice().build(), '2025-10-09', { locale: 'en' }));
		expect(doc.returnBy.value).toBe('14 October 2025');
		expect(doc.requirement).toContain('within 5 working days of receiving this notice');
		expect(doc.title).toBe('Return Deadline Notice');
	});
});

describe('一生一表 dropout file (S-4c)', () => {
	it('[S-4c] student, guardians, reason, responsible persons and every persuasion attempt', () => {
		const snap = withNotice()
			.add('joint_team_formed', '2025-09-30', { reason: 'work', departments: ['hr', 'police'] })
			.by('hr')
			.add('joint_persuasion_attempt', '2025-10-09', {
				mode: 'home_visit',
				outcome: 'promised',
				participants: ['社区李主任'],
				departments: ['hr']
			})
			.build();
		const doc = buildDropoutFile(input(snap, '2025-10-10'));
		expect(doc.title).toBe('控辍保学“一生一表”');
		const [student, guardians, absence, reason, responsible, attempts, joint, outcome] =
			doc.sections;
		expect(fieldsOf(student)['姓名']).toBe('陈小雨');
		expect(fieldsOf(student)['学校']).toBe('示范区第一初级中学');
		expect(guardians?.table?.rows).toEqual([
			['陈大山', '父亲', '13900000001', '示范区新华街道和平路 8 号', '是'],
			['赵桂芳', '祖母', '＿＿＿＿＿＿', '＿＿＿＿＿＿', '否']
		]);
		expect(fieldsOf(absence)).toMatchObject({
			首次无故缺勤日期: '2025年9月15日',
			'无故缺勤天数（已登记）': '5',
			启动疑似辍学排查: '2025年9月19日',
			书面报告: '2025年9月25日报街道办事处、区教体局'
		});
		expect(fieldsOf(reason)).toEqual({ 辍学原因: '外出打工', 情况说明: '随父亲外出打工' });
		expect(responsible?.table?.rows[0]).toEqual([
			'排查责任人（专人）',
			'王老师',
			'示范区第一初级中学',
			'13700000009'
		]);
		expect(responsible?.table?.rows.map((r) => r[1])).toEqual(
			expect.arrayContaining(['张科长', '周科员'])
		);
		expect(doc.attemptCount).toBe(4);
		expect(attempts?.table?.rows.map((r) => r.slice(0, 4))).toEqual([
			['1', '2025年9月22日', '学校劝返', '电话'],
			['2', '2025年9月23日', '学校劝返', '家访'],
			['3', '2025年9月24日', '学校劝返', '家访'],
			['4', '2025年10月9日', '联合劝返', '家访']
		]);
		expect(attempts?.table?.rows[3]?.[4]).toBe('周科员、社区李主任、人社');
		expect(attempts?.table?.rows[3]?.[5]).toBe('答应返校');
		expect(fieldsOf(attempts)['合计']).toBe('学校劝返3次，联合劝返1次');
		expect(fieldsOf(joint)).toMatchObject({
			通知书文号: '示范街限〔2025〕7号',
			限期返校日期: '2025年10月14日',
			'组建依据（辍学原因）': '外出打工',
			参与部门: '街道办事处、人社、公安'
		});
		expect(fieldsOf(outcome)).toEqual({ 状态: '尚未复学或销号' });
	});

	it('[S-4c][S-6][S-10] placement, follow-up and closure', () => {
		const snap = withNotice()
			.by('school')
			.add('returned', '2025-10-13', { placement: 'join_class' })
			.add('follow_up', '2025-10-27', { status: 'stable' })
			.by('street')
			.add('closed', '2025-11-10', { path: 'returned' })
			.build();
		const doc = buildDropoutFile(input(snap, '2025-11-11'));
		const outcome = fieldsOf(doc.sections.find((s) => s.id === 'outcome'));
		expect(outcome).toEqual({
			复学: '2025年10月13日复学，安置方式：插班',
			跟踪回访: '2025年10月27日 稳定',
			销号: '2025年11月10日销号，路径：复学'
		});
		expect(doc.header).toContainEqual({ label: '当前阶段', value: '已销号' });
	});

	it('[S-4c][G-M3] an amended attempt is shown as corrected', () => {
		const b = withNotice();
		const snap0 = b.build();
		const target = snap0.events.find((e) => e.type === 'persuasion_attempt');
		const snap = b
			.by('school')
			.add('amend', '2025-10-09', {
				target: target?.id ?? '',
				patch: { outcome: 'no_contact' },
				reason: '记录有误'
			})
			.build();
		const rows = buildDropoutFile(input(snap, '2025-10-10')).sections.find(
			(s) => s.id === 'attempts'
		)?.table?.rows;
		expect(rows?.[0]?.[5]).toBe('联系不上');
		expect(rows).toHaveLength(3);
	});

	it('[S-4c] a case without attempts has an empty ledger, and no ID number on file says so', () => {
		const snap = new CaseBuilder({
			id: 'case-empty',
			profile: 'shilong-2022',
			student: { name: '李小明', grade: 7 },
			createdOn: '2025-09-15'
		}).build();
		const doc = buildDropoutFile(input(snap, '2025-09-16'));
		const attempts = doc.sections.find((s) => s.id === 'attempts');
		expect(attempts?.table?.rows).toEqual([]);
		expect(attempts?.empty).toBe('尚无劝返记录');
		expect(fieldsOf(doc.sections[0])['身份证号']).toBe('未登记');
	});
});

describe('masking (minors’ data)', () => {
	it('[S-4c] a G registry number embeds the ID number and is masked; others are kept', () => {
		expect(isValidIdNumber(ID)).toBe(true);
		expect(maskRegistryNo(`G${ID}`)).toBe('G410499************');
		expect(maskRegistryNo('L2025000123')).toBe('L2025000123');
	});
});
