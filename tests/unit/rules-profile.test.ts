import { describe, expect, it } from 'vitest';
import type { CaseEventInput } from '../../src/lib/domain';
import { checkEvent, foldCase, getProfile, type CheckResult } from '../../src/lib/rules';
import { parsed, shilong } from './helpers';

const TODAY = '2025-10-21';

function refusal(r: CheckResult): { rule: string; zh: string; en: string } {
	if (r.ok) throw new Error('expected a refusal');
	return { rule: r.rule, ...r.reason };
}

type Change = Extract<CaseEventInput, { type: 'profile_updated' }>['changes'][number];

/** 李小明, grade 8, born 2012-05-14, male, no ID number (tests/unit/helpers.ts). */
function propose(
	by: 'school' | 'community' | 'street' | 'bureau',
	changes: Change[],
	b = shilong()
) {
	const s = b.build();
	const ev = parsed(b.by(by).event('profile_updated', TODAY, { changes }));
	return { snapshot: s, ev, result: checkEvent(s, ev, TODAY) };
}

const BIRTH: Change = { target: 'student', field: 'birthDate', value: '2012-06-01' };
const FEMALE: Change = { target: 'student', field: 'gender', value: 'female' };

describe('[G-M3] [G-M4] correcting the student’s identity', () => {
	it('[G-M4] a school’s correction of 出生日期 and 性别 is accepted and folded; the created record stays', () => {
		const { snapshot, ev, result } = propose('school', [BIRTH, FEMALE]);
		expect(result).toEqual({ ok: true });
		const st = foldCase(
			{ ...snapshot, events: [...snapshot.events, ev] },
			getProfile('shilong-2022')
		);
		expect(st.student.birthDate).toBe('2012-06-01');
		expect(st.student.gender).toBe('female');
		expect(st.conflicts).toEqual([]);
		expect(snapshot.student.birthDate).toBe('2012-05-14');
		expect(snapshot.student.gender).toBe('male');
	});

	it('[G-M3] the bureau may correct the name, 出生日期 and 性别 too', () => {
		const name: Change = { target: 'student', field: 'name', value: '李晓明' };
		expect(propose('bureau', [name, BIRTH, FEMALE]).result).toEqual({ ok: true });
	});

	it.each(['community', 'street'] as const)(
		'[G-M3] a %s user may not correct the name, 出生日期 or 性别, only the other fields',
		(org) => {
			for (const field of ['name', 'birthDate', 'gender'] as const) {
				const value = field === 'name' ? '李晓明' : field === 'birthDate' ? '2012-06-01' : 'female';
				const r = refusal(propose(org, [{ target: 'student', field, value }]).result);
				expect(r.rule).toBe('G-M3');
				expect(r.zh).toBe('学生的姓名、出生日期和性别只能由学校、区教体局更正');
			}
			const home: Change = { target: 'student', field: 'residence', value: '石龙区人民路1号' };
			expect(propose(org, [home]).result).toEqual({ ok: true });
		}
	);

	it.each([
		['a birth date after today', '2030-01-01', '出生日期 2030-01-01 晚于今天（2025-10-21）'],
		['a birth date of a 9-year-old for grade 8', '2016-05-01', '与 8 年级不符'],
		['an impossible date', '2012-02-30', 'birthDate']
	])('[G-M4] %s is refused with the reason', (_what, value, text) => {
		const r = refusal(propose('school', [{ target: 'student', field: 'birthDate', value }]).result);
		expect(r.rule).toBe('schema');
		expect(r.zh).toContain(text);
	});

	it('[G-M4] a grade change is checked against the birth date too', () => {
		const r = refusal(propose('school', [{ target: 'student', field: 'grade', value: 3 }]).result);
		expect(r.zh).toContain('与 3 年级不符');
	});

	// Issue 11: the document holds the ID number masked to its region, so its agreement with the
	// birth date and sex is the relay's check (tests/integration/person-ids.test.ts).
});

describe('[G-M4] guardians’ phones', () => {
	it('a phone 「abc」 is refused, on a change and on a new guardian; a real one is accepted', () => {
		const change = (value: string) =>
			propose('community', [{ target: 'guardian', guardianId: 'g1', field: 'phone', value }])
				.result;
		expect(refusal(change('abc')).zh).toContain('电话号码格式不正确：abc');
		expect(change('0375-2345678')).toEqual({ ok: true });
		const b = shilong();
		const add = (phone: string) =>
			checkEvent(
				b.build(),
				parsed(
					b.by('school').event('guardian_added', TODAY, {
						guardian: { id: 'g2', name: '李奶奶', relation: '祖母', phone }
					})
				),
				TODAY
			);
		expect(refusal(add('abc')).zh).toContain('电话号码格式不正确');
		expect(add('139 0000 0000')).toEqual({ ok: true });
	});
});

describe('[G-M4] stored data from before the checks', () => {
	it('a stored street rename and a stored phone 「abc」 still fold, without conflicts', () => {
		const s = shilong()
			.by('street')
			.add('profile_updated', '2025-09-10', {
				changes: [
					{ target: 'student', field: 'name', value: '李晓明' },
					{ target: 'guardian', guardianId: 'g1', field: 'phone', value: 'abc' }
				]
			})
			.add('guardian_added', '2025-09-11', {
				guardian: { id: 'g2', name: '李奶奶', relation: '祖母', phone: '无' }
			})
			.build();
		const st = foldCase(s, getProfile(s.profile));
		expect(st.conflicts).toEqual([]);
		expect(st.student.name).toBe('李晓明');
		expect(st.guardians.map((g) => g.phone)).toEqual(['abc', '无']);
	});
});
