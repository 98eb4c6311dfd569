import { describe, expect, it } from 'vitest';
import { caseEventSchema } from '../../src/lib/domain';
import { CaseBuilder, DEMO_AUTHORS } from '../../src/lib/demo';
import { message, type MessageKey } from '../../src/lib/i18n/messages';
import { RULE_TEXTS } from '../../src/lib/i18n/rule-texts';
import { RULE_IDS, getProfile } from '../../src/lib/rules';
import {
	actionForm,
	amendForm,
	guardianAddForm,
	guardianEditForm,
	studentForm
} from '../../src/lib/ui/case-forms';
import {
	EVENT_FIELDS,
	STUDENT_FIELDS,
	emptyValues,
	payloadOf,
	splitList,
	valuesFrom,
	type ActionType,
	type FormValues
} from '../../src/lib/ui/event-forms';
import { describeEvent, priorValues } from '../../src/lib/ui/event-summary';
import {
	actionDraft,
	amendDraft,
	amendFields,
	bilingual,
	computedValues,
	guardianAddDraft,
	say,
	studentDraft,
	type DraftResult
} from '../../src/lib/ui/form-drafts';
import { buildNewCase, newCaseValues, placeServerErrors } from '../../src/lib/ui/new-case';

const author = DEMO_AUTHORS.school;
const profile = getProfile('shilong-2022');
const zhSpeaker = {
	t: (key: MessageKey, params?: Record<string, string | number>) =>
		message('zh-CN', key).replace(/\{(\w+)\}/g, (w, n: string) => String(params?.[n] ?? w)),
	pick: (b: { zh: string; en: string }) => b.zh
};

function fieldErrors(r: DraftResult): Record<string, string> {
	if (r.ok) throw new Error('expected errors');
	return Object.fromEntries(Object.entries(r.fields).map(([k, m]) => [k, say(zhSpeaker, m)]));
}

/** The day the forms check against (birth dates not after it, grades of 2025–2026). */
const TODAY = '2025-10-21';
/** What every case form needs, for a school user on TODAY (profile set per test). */
const FORM_CTX = { today: TODAY, author: DEMO_AUTHORS.school, eligiblePaths: [] };

describe('event form specs', () => {
	it('every field label and option has a message in both languages', () => {
		for (const fields of [...Object.values(EVENT_FIELDS), STUDENT_FIELDS]) {
			for (const f of fields) {
				expect(message('zh-CN', f.label), f.label).not.toBe(f.label);
				expect(message('en', f.label), f.label).not.toBe(f.label);
				for (const o of f.options ?? []) expect(message('en', o.label), o.label).not.toBe(o.label);
			}
		}
	});

	it('the filled-in empty form of every action type parses once required fields are set', () => {
		// Guards the specs against drifting from the zod schemas (a renamed or missing field).
		const fill: Record<string, unknown> = {
			mode: 'phone',
			outcome: 'refused',
			reason: 'work',
			placement: 'join_class',
			status: 'stable',
			decision: 'suspension',
			kind: 'suspension',
			authority: 'police',
			finding: 'missing',
			mark: 'dropout',
			path: 'returned'
		};
		for (const type of Object.keys(EVENT_FIELDS) as ActionType[]) {
			const fields = EVENT_FIELDS[type];
			const values: FormValues = emptyValues(fields, '2025-10-09');
			for (const f of fields) {
				if (f.kind === 'select') values[f.name] = String(fill[f.name]);
				else if (f.kind === 'text' || f.kind === 'textarea' || f.kind === 'list')
					values[f.name] = 'x';
				else if (f.kind === 'date') values[f.name] = '2025-10-09';
				else if (f.kind === 'multiselect') values[f.name] = [f.options?.[0]?.value ?? ''];
			}
			if (type === 'deferral') values['to'] = '2026-01-09';
			const r = actionDraft(type, fields, values, author);
			expect(r.ok ? 'ok' : JSON.stringify(r), type).toBe('ok');
		}
	});

	it('splits lists at commas, 、 and new lines', () => {
		expect(splitList('王老师、李主任, 张科长\n 陈法官 ')).toEqual([
			'王老师',
			'李主任',
			'张科长',
			'陈法官'
		]);
	});

	it('nests dotted names and reads them back', () => {
		const fields = EVENT_FIELDS.suspected_case_opened;
		const p = payloadOf(fields, {
			date: '2025-10-09',
			'responsible.name': '王老师',
			'responsible.phone': '',
			note: ''
		});
		expect(p).toEqual({ date: '2025-10-09', responsible: { name: '王老师', phone: '' }, note: '' });
		expect(valuesFrom(fields, p)['responsible.name']).toBe('王老师');
	});
});

describe('drafts validated with the domain schemas', () => {
	it('an empty persuasion form names its missing fields, in the chosen language', () => {
		const fields = EVENT_FIELDS.persuasion_attempt;
		const r = actionDraft('persuasion_attempt', fields, emptyValues(fields, '2025-10-09'), author);
		expect(fieldErrors(r)).toEqual({ mode: '请选择一项', outcome: '请选择一项' });
	});

	it('a domain message "中文 / English" shows the half of the locale', () => {
		expect(bilingual('不存在的日期，应为 YYYY-MM-DD / not a real date (YYYY-MM-DD)')).toEqual({
			zh: '不存在的日期，应为 YYYY-MM-DD',
			en: 'not a real date (YYYY-MM-DD)'
		});
		const fields = EVENT_FIELDS.absence;
		const r = actionDraft(
			'absence',
			fields,
			{ date: '2025-02-30', excused: false, note: '' },
			author
		);
		expect(fieldErrors(r)).toEqual({ date: '不存在的日期，应为 YYYY-MM-DD' });
	});

	it('a valid draft comes back without the placeholders the sync layer fills in', () => {
		const fields = EVENT_FIELDS.persuasion_attempt;
		const values = {
			...emptyValues(fields, '2025-10-09'),
			mode: 'phone',
			outcome: 'promised',
			participants: '王老师、李主任'
		};
		const r = actionDraft('persuasion_attempt', fields, values, author);
		expect(r).toEqual({
			ok: true,
			draft: {
				type: 'persuasion_attempt',
				date: '2025-10-09',
				mode: 'phone',
				participants: ['王老师', '李主任'],
				outcome: 'promised',
				note: ''
			}
		});
	});

	it('[S-8] the return-by date is computed from the profile period and shown read-only', () => {
		const c = computedValues('deadline_notice_issued', { servedOn: '2025-09-30' }, profile);
		// G-T1 example of DOMAIN.md: 5 working days from Tuesday 2025-09-30 end on 2025-10-14.
		expect(c.values['returnBy']).toBe('2025-10-14');
		expect(c.hints).toEqual({});
		const form = actionForm('deadline_notice_issued', {
			today: '2025-10-09',
			author,
			profile,
			eligiblePaths: []
		});
		expect(form.fields.find((f) => f.name === 'returnBy')?.computed).toBe(true);
	});

	it('[G-T3] a return-by date in a provisional year is computed and marked 暂定', () => {
		// Monday 2031-03-03 + 5 working days: 03-04, 03-05, 03-06, 03-07, 03-10.
		const c = computedValues('deadline_notice_issued', { servedOn: '2031-03-03' }, profile);
		expect(c.values['returnBy']).toBe('2031-03-10');
		expect(c.errors).toEqual({});
		expect(say(zhSpeaker, c.hints['returnBy'] ?? { key: 'issue.invalid' })).toBe(
			'暂定：按法定节假日推算，国务院放假安排发布后自动更新'
		);
	});

	it('[S-9] choosing a reason suggests the departments of the joint team', () => {
		const form = actionForm('joint_team_formed', {
			today: '2025-10-09',
			author,
			profile,
			eligiblePaths: []
		});
		expect(form.changed?.('reason', { reason: 'work', departments: [] })).toEqual({
			departments: ['hr', 'police']
		});
	});

	it('[S-10] a closure offers only the eligible paths', () => {
		const form = actionForm('closed', {
			today: '2025-10-09',
			author,
			profile,
			eligiblePaths: ['returned']
		});
		expect(form.fields.find((f) => f.name === 'path')?.options?.map((o) => o.value)).toEqual([
			'returned'
		]);
	});
});

describe('corrections and profile changes', () => {
	const target = caseEventSchema.parse({
		id: 'ev-1',
		type: 'persuasion_attempt',
		date: '2025-10-09',
		recordedAt: '2025-10-09T08:00:00.000Z',
		author,
		v: 1,
		mode: 'phone',
		outcome: 'refused'
	});
	const ctx = { today: '2025-10-10', author, profile, eligiblePaths: [] };

	it('[G-M3] a correction that changes nothing asks for a change or a withdrawal', () => {
		const form = amendForm(target, ctx);
		const r = amendDraft(
			target,
			form.fields,
			{ ...form.initial, reason: '记错了' },
			ctx.today,
			author
		);
		expect(r.ok).toBe(false);
		if (!r.ok)
			expect(r.form.map((m) => say(zhSpeaker, m))).toContain('请至少修改一项内容，或选择撤回。');
	});

	it('[G-M3] a correction patches only the fields that changed', () => {
		const form = amendForm(target, ctx);
		const r = amendDraft(
			target,
			form.fields,
			{ ...form.initial, reason: '方式记错', 'patch.mode': 'home_visit' },
			ctx.today,
			author
		);
		expect(r.ok && r.draft).toMatchObject({
			type: 'amend',
			target: 'ev-1',
			retract: false,
			patch: { mode: 'home_visit' }
		});
	});

	it('a withdrawal needs a reason and carries no patch', () => {
		const fields = amendFields(target);
		const form = amendForm(target, ctx);
		expect(
			fieldErrors(amendDraft(target, fields, { ...form.initial, retract: true }, ctx.today, author))
		).toEqual({ reason: '必填' });
		const ok = amendDraft(
			target,
			fields,
			{ ...form.initial, retract: true, reason: '重复' },
			ctx.today,
			author
		);
		expect(ok.ok && ok.draft).toMatchObject({ retract: true, patch: {} });
	});

	it('[G-M4] a student profile update lists one change per field that differs', () => {
		const student = {
			name: '李小明',
			gender: 'male' as const,
			birthDate: '2012-05-14',
			registryNo: 'G410402201205140011',
			schoolId: 'org-school1',
			grade: 8,
			className: '',
			hukouPlace: '',
			residence: '旧址',
			focusGroups: []
		};
		const values = { ...valuesFrom(STUDENT_FIELDS, student), residence: '新址', grade: '9' };
		const shilong = getProfile('shilong-2022');
		const r = studentDraft(student, STUDENT_FIELDS, values, '2025-10-10', author, shilong);
		expect(r.ok && r.draft).toMatchObject({
			type: 'profile_updated',
			changes: [
				{ target: 'student', field: 'grade', value: 9 },
				{ target: 'student', field: 'residence', value: '新址' }
			]
		});
	});

	it('[G-M3] issue 11: the school corrects 出生日期 and 性别; the person checks show on their fields', () => {
		const student = {
			name: '李小明',
			gender: 'male' as const,
			birthDate: '2012-05-14',
			registryNo: 'G410402************',
			// Issue 11: the document holds the ID number masked to its region.
			idMasked: '410402************',
			schoolId: 'org-school1',
			grade: 8,
			className: '',
			hukouPlace: '',
			residence: '',
			focusGroups: []
		};
		const shilong = getProfile('shilong-2022');
		const ctx = { ...FORM_CTX, profile: shilong };
		const school = studentForm(student, ctx);
		expect(school.fields.map((f) => f.name).slice(0, 3)).toEqual(['name', 'gender', 'birthDate']);
		const street = studentForm(student, { ...ctx, author: DEMO_AUTHORS.street });
		expect(street.fields.map((f) => f.name)).not.toContain('birthDate');
		expect(street.fields.map((f) => f.name)).not.toContain('gender');
		expect(street.fields.map((f) => f.name)).not.toContain('name');

		const draft = (over: FormValues) => school.build({ ...school.initial, ...over });
		const future = draft({ birthDate: '2030-01-01' });
		expect(
			!future.ok && say(zhSpeaker, future.fields['birthDate'] ?? { key: 'issue.invalid' })
		).toBe('出生日期 2030-01-01 晚于今天（2025-10-21）');
		// Issue 11: agreement with the ID number is the relay's check (the document holds it masked).
		const ok = draft({ birthDate: '2012-05-14', name: '李晓明' });
		expect(ok.ok && ok.draft).toMatchObject({
			changes: [{ target: 'student', field: 'name', value: '李晓明' }]
		});
	});

	it('issue 11: a guardian phone 「abc」 shows the reason on the phone field, edited or added', () => {
		const guardian = {
			id: 'g1',
			name: '家长',
			relation: '父亲',
			phone: '',
			address: '',
			workingAway: false
		};
		const ctx = { ...FORM_CTX, profile: getProfile('shilong-2022') };
		const edit = guardianEditForm(guardian, ctx);
		const bad = edit.build({ ...edit.initial, phone: 'abc' });
		expect(!bad.ok && say(zhSpeaker, bad.fields['phone'] ?? { key: 'issue.invalid' })).toContain(
			'电话号码格式不正确：abc'
		);
		expect(edit.build({ ...edit.initial, phone: '0375 2345678' }).ok).toBe(true);
		const add = guardianAddForm(ctx, 'g2');
		const added = add.build({ ...add.initial, name: '奶奶', relation: '祖母', phone: 'abc' });
		expect(!added.ok && Object.keys(added.fields)).toEqual(['phone']);
	});

	it('a new guardian without a name says so on the name field', () => {
		const r = guardianAddDraft(
			'g-new',
			{ name: '', relation: '母亲', phone: '', address: '', workingAway: false },
			'2025-10-10',
			author
		);
		expect(fieldErrors(r)).toEqual({ name: '必填' });
	});
});

describe('timeline in words', () => {
	it('[G-M4] a correction reads old → new, each change against the value before it', () => {
		const b = new CaseBuilder({
			id: 'c-fix',
			profile: 'shilong-2022',
			student: { name: '李小明', grade: 8 },
			createdOn: '2025-09-01'
		});
		b.add('profile_updated', '2025-09-10', {
			changes: [
				{ target: 'student', field: 'birthDate', value: '2012-06-01' },
				{ target: 'student', field: 'gender', value: 'female' },
				{ target: 'guardian', guardianId: 'g1', field: 'phone', value: '13900000000' }
			]
		});
		b.add('profile_updated', '2025-09-12', {
			changes: [{ target: 'student', field: 'birthDate', value: '2012-06-02' }]
		});
		const s = b.build();
		const prior = priorValues(s.events, s);
		const [first, second] = s.events;
		if (!first || !second) throw new Error('two events');
		expect(describeEvent(first, zhSpeaker.t, s.guardians, prior[first.id])).toEqual([
			{ label: '出生日期', value: '2012-05-14 → 2012-06-01' },
			{ label: '性别', value: '男 → 女' },
			{ label: '家长的电话', value: '13800000000 → 13900000000' }
		]);
		expect(describeEvent(second, zhSpeaker.t, s.guardians, prior[second.id])).toEqual([
			{ label: '出生日期', value: '2012-06-01 → 2012-06-02' }
		]);
		// An update the rules did not count replaced nothing.
		expect(priorValues(s.events, s, new Set([first.id]))[second.id]).toEqual(['2012-05-14']);
	});

	it('describes an event by its fields, never as JSON', () => {
		const ev = caseEventSchema.parse({
			id: 'ev-2',
			type: 'persuasion_attempt',
			date: '2025-10-09',
			recordedAt: '2025-10-09T08:00:00.000Z',
			author,
			v: 1,
			mode: 'home_visit',
			participants: ['王老师', '李主任'],
			outcome: 'promised'
		});
		const lines = describeEvent(ev, zhSpeaker.t);
		expect(lines).toEqual([
			{ label: '方式', value: '家访' },
			{ label: '参加人员', value: '王老师、李主任' },
			{ label: '结果', value: '答应返校' }
		]);
	});

	it('shows a 学籍号 of the form G+身份证号 masked, whatever the event holds (issue 11)', () => {
		const ev = caseEventSchema.parse({
			id: 'ev-3',
			type: 'profile_updated',
			date: '2025-10-09',
			recordedAt: '2025-10-09T08:00:00.000Z',
			author,
			v: 1,
			changes: [
				{ target: 'student', field: 'registryNo', value: 'G410402201205140011' },
				{ target: 'student', field: 'className', value: '八年级（2）班' }
			]
		});
		expect(describeEvent(ev, zhSpeaker.t)).toEqual([
			{ label: '学籍号', value: 'G410402************' },
			{ label: '班级', value: '八年级（2）班' }
		]);
	});
});

describe('rule texts', () => {
	it('every rule id has a policy sentence and a source in both languages', () => {
		for (const id of RULE_IDS) {
			const t = RULE_TEXTS[id];
			expect(t.text.zh.length, id).toBeGreaterThan(10);
			expect(t.text.en.length, id).toBeGreaterThan(10);
			expect(t.source.zh && t.source.en, id).toBeTruthy();
		}
	});
});

describe('new case form', () => {
	it('names every missing required field before anything is sent', () => {
		const r = buildNewCase(newCaseValues(), true, TODAY);
		expect(r.ok).toBe(false);
		if (!r.ok)
			expect(Object.keys(r.fields).sort()).toEqual(
				[
					'schoolId',
					'student.birthDate',
					'student.gender',
					'student.grade',
					'student.name',
					'student.registryNo'
				].sort()
			);
	});

	it('checks the ID number check digit and builds the request', () => {
		const values: FormValues = {
			...newCaseValues(),
			'student.name': '测试',
			'student.gender': 'female',
			'student.birthDate': '2012-03-04',
			'student.registryNo': 'G410402201203041234',
			'student.idNumber': '410402201203041234',
			'student.grade': '7',
			'guardian.name': '家长',
			'guardian.relation': '母亲'
		};
		const bad = buildNewCase(values, false, TODAY);
		expect(
			!bad.ok && say(zhSpeaker, bad.fields['student.idNumber'] ?? { key: 'issue.invalid' })
		).toBe('身份证号校验位错误，请逐位核对');
		const r = buildNewCase({ ...values, 'student.idNumber': '' }, false, TODAY);
		expect(r.ok && r.input).toMatchObject({
			profile: 'shilong-2022',
			student: { name: '测试', grade: 7, focusGroups: [] },
			guardians: [{ name: '家长', relation: '母亲', phone: '' }]
		});
		expect(r.ok && 'communityId' in r.input).toBe(false);
		const withCommunity = buildNewCase(
			{ ...values, 'student.idNumber': '', communityId: 'org-community1' },
			false,
			TODAY
		);
		expect(withCommunity.ok && withCommunity.input.communityId).toBe('org-community1');
	});

	it('issue 11: shows the person checks next to their fields, in Chinese, before anything is sent', () => {
		const values: FormValues = {
			...newCaseValues(),
			'student.name': '测试',
			'student.gender': 'male',
			'student.birthDate': '2030-05-01',
			'student.registryNo': 'G410402201203040021',
			// 410402 20120304 002 1 (132 mod 11 = 0 → 1): born 2012-03-04, female.
			'student.idNumber': '410402201203040021',
			'student.grade': '8',
			'guardian.name': '家长',
			'guardian.relation': '母亲',
			'guardian.phone': 'abc'
		};
		const r = buildNewCase(values, false, TODAY);
		const text = (name: string) =>
			!r.ok && r.fields[name] ? say(zhSpeaker, r.fields[name]) : null;
		expect(text('student.birthDate')).toBe('出生日期 2030-05-01 晚于今天（2025-10-21）');
		// Each field gets its own reason.
		expect(text('student.idNumber')).toBe(
			'身份证号中的出生日期（2012-03-04）与出生日期（2030-05-01）不一致'
		);
		expect(text('guardian.phone')).toContain('电话号码格式不正确：abc');
		const fixed = buildNewCase(
			{
				...values,
				'student.birthDate': '2012-03-04',
				'student.gender': 'female',
				'guardian.phone': '138-0000-0001'
			},
			false,
			TODAY
		);
		expect(fixed.ok).toBe(true);
	});

	it("places the relay's path-level errors on the form", () => {
		const placed = placeServerErrors(
			[
				{ path: 'guardians.0.phone', message: '太长 / too long' },
				{ path: 'schoolId', message: '没有这所学校 / no such school' }
			],
			{ zh: '填写的内容有误', en: 'some fields are invalid' }
		);
		expect(Object.keys(placed.fields).sort()).toEqual(['guardian.phone', 'schoolId']);
		expect(placed.form.map((m) => say(zhSpeaker, m))).toEqual(['填写的内容有误']);
	});
});
