import { describe, expect, it } from 'vitest';
import {
	GRADE_AGE_TOLERANCE,
	checkBirthDate,
	checkGuardian,
	checkIdNumber,
	checkPhone,
	checkStudent,
	type PersonCheck
} from '../../src/lib/domain';

/**
 * Every ID number below was checked by hand (GB 11643-1999, ISO 7064 MOD 11-2): weights
 * 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 on the first 17 digits, sum mod 11 → "1 0 X 9 8 7 6 5 4 3 2".
 */
const ID = {
	/** The standard's own sample: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → X. 1949-12-31, female (2). */
	sample: '11010519491231002X',
	/** 28+9+0+20+0+8+4+0+6+6+0+27+0+20+0+0+4 = 132; mod 11 = 0 → 1. 2012-03-04, female (2). */
	girl: '410402201203040021',
	/** …+0+0+2 = 130; mod 11 = 9 → 3. 2012-03-04, male (1). */
	boy: '410402201203040013',
	/** …+0+4+2 = 134; mod 11 = 2 → X. 2012-03-04, male (1). */
	boyX: '41040220120304011X',
	/** 28+36+0+15+0+24+4+0+6+15+0+18+20+40+0+0+8 = 214; mod 11 = 5 → 7. 2015-02-28, female (4). */
	shenzhen: '440306201502280047',
	/** 28+9+0+20+0+8+4+0+6+9+0+18+30+0+0+0+2 = 134; mod 11 = 2 → X: a right check digit on 2013-02-30. */
	feb30: '41040220130230001X'
};

const code = (r: PersonCheck) => (r.ok ? 'ok' : r.code);
const zh = (r: PersonCheck) => (r.ok ? '' : r.reason.zh);

describe('ID numbers (GB 11643-1999)', () => {
	it.each([
		['the standard sample', ID.sample],
		['a girl born 2012-03-04', ID.girl],
		['a boy born 2012-03-04', ID.boy],
		['a check digit X', ID.boyX],
		['a lower-case x', ID.boyX.toLowerCase()],
		['a girl born 2015-02-28', ID.shenzhen]
	])('%s is valid', (_what, id) => {
		expect(checkIdNumber(id)).toEqual({ ok: true });
	});

	it.each([
		['17 characters', '41040220120304002', 'id-format', '应为 18 位'],
		['19 characters', '4104022012030400211', 'id-format', '现为 19 位'],
		['a letter inside', '41040220120304A021', 'id-format', '应为 18 位'],
		['empty', '', 'id-format', '现为 0 位'],
		// 132 mod 11 = 0 → 1, not 2 / not X.
		['a wrong check digit', '410402201203040022', 'id-checksum', '校验位错误'],
		['X where 1 belongs', '41040220120304002X', 'id-checksum', '校验位错误'],
		// Two digits swapped (…0304… → …0340…): 28+9+0+20+0+8+4+0+6+6+0+27+40+0+0+0+4 = 152 → 3, not 1.
		['two digits swapped', '410402201203400021', 'id-checksum', '校验位错误'],
		['a right check digit on 2013-02-30', ID.feb30, 'id-birth-date', '出生日期不存在：20130230']
	])('%s is refused (%s)', (_what, id, expected, text) => {
		const r = checkIdNumber(id);
		expect(code(r)).toBe(expected);
		expect(zh(r)).toContain(text);
		if (!r.ok) expect(r.reason.en.length).toBeGreaterThan(10);
	});

	it('agrees with the 出生日期 and 性别 fields when they are given', () => {
		expect(checkIdNumber(ID.girl, { birthDate: '2012-03-04', gender: 'female' })).toEqual({
			ok: true
		});
		const born = checkIdNumber(ID.girl, { birthDate: '2012-03-05', gender: 'female' });
		expect(code(born)).toBe('id-birth-mismatch');
		expect(zh(born)).toBe('身份证号中的出生日期（2012-03-04）与出生日期（2012-03-05）不一致');
		const sex = checkIdNumber(ID.boy, { birthDate: '2012-03-04', gender: 'female' });
		expect(code(sex)).toBe('id-sex-mismatch');
		expect(zh(sex)).toBe('身份证号第 17 位表示男性，与性别（女）不一致');
		expect(code(checkIdNumber(ID.sample, { gender: 'male' }))).toBe('id-sex-mismatch');
		// An impossible 出生日期 is the schema's error, not a mismatch.
		expect(checkIdNumber(ID.girl, { birthDate: '2012-02-30' })).toEqual({ ok: true });
	});

	it('format comes before the check digit, the check digit before the date and the fields', () => {
		expect(code(checkIdNumber('410402201203040022', { gender: 'male' }))).toBe('id-checksum');
		expect(code(checkIdNumber(ID.feb30, { birthDate: '2013-03-01' }))).toBe('id-birth-date');
	});
});

/** School year 2025–2026, the Shilong/Bishan cohort (S-1): cutoff 1 September, entry at 6. */
const COHORT = { cutoff: '09-01', entryAge: 6, leavingAge: 16 };
const TODAY = '2025-10-21';
const ctx = { today: TODAY, cohort: COHORT };

describe('[S-1] birth dates for the grade', () => {
	it('keeps its tolerance in one constant: one year younger, three older', () => {
		expect(GRADE_AGE_TOLERANCE).toEqual({ younger: 1, older: 3 });
	});

	// Grade 8 in 2025–2026 is usually born 2011-09-01 … 2012-08-31 (13 on 31 August 2025);
	// three years older reaches back to 2008-09-01, one younger up to 2013-08-31.
	it.each([
		['2012-03-04', 8, 'ok'],
		['2011-09-01', 8, 'ok'],
		['2012-08-31', 8, 'ok'],
		['2008-09-01', 8, 'ok'],
		['2008-08-31', 8, 'birth-grade'],
		['2013-08-31', 8, 'ok'],
		['2013-09-01', 8, 'birth-grade'],
		['2016-05-01', 8, 'birth-grade'],
		// Grade 1: usually 2018-09-01 … 2019-08-31; allowed 2015-09-01 … 2020-08-31.
		['2019-08-31', 1, 'ok'],
		['2020-08-31', 1, 'ok'],
		['2020-09-01', 1, 'birth-grade'],
		['2015-08-31', 1, 'birth-grade'],
		// Grade 9: usually 2010-09-01 … 2011-08-31; allowed 2007-09-01 … 2012-08-31.
		['2007-09-01', 9, 'ok'],
		['2007-08-31', 9, 'birth-grade'],
		// Not after today, whatever the grade.
		['2030-05-01', 8, 'birth-future'],
		['2025-10-22', 1, 'birth-future'],
		['2025-10-21', 1, 'birth-grade']
	])('born %s in grade %i: %s', (birthDate, grade, expected) => {
		expect(code(checkBirthDate(birthDate, grade, ctx))).toBe(expected);
	});

	it('says in Chinese which dates the grade is usually born in', () => {
		expect(zh(checkBirthDate('2016-05-01', 8, ctx))).toBe(
			'出生日期 2016-05-01 与 8 年级不符：2025–2026 学年 8 年级的学生一般出生于 2011-09-01 至 2012-08-31（可相差 2008-09-01 至 2013-08-31）'
		);
		expect(zh(checkBirthDate('2030-05-01', 8, ctx))).toBe(
			'出生日期 2030-05-01 晚于今天（2025-10-21）'
		);
	});

	it('counts the school year of the given day, or of the grade’s day (a roster’s term)', () => {
		// On 31 August 2025 the school year is still 2024–2025: grade 8 allowed 2007-09-01 … 2012-08-31.
		const summer = { today: '2025-08-31', cohort: COHORT };
		expect(code(checkBirthDate('2012-09-01', 8, summer))).toBe('birth-grade');
		expect(code(checkBirthDate('2007-09-01', 8, summer))).toBe('ok');
		// A roster for the autumn term 2026 (school year 2026–2027): grade 8 allowed 2009-09-01 … 2014-08-31.
		const next = { today: '2026-06-30', cohort: COHORT, gradeAsOf: '2026-09-01' };
		expect(code(checkBirthDate('2014-08-31', 8, next))).toBe('ok');
		expect(code(checkBirthDate('2009-08-31', 8, next))).toBe('birth-grade');
		// The spring term belongs to the school year that began in September.
		const spring = { today: '2026-02-20', cohort: COHORT, gradeAsOf: '2026-03-01' };
		expect(code(checkBirthDate('2013-09-01', 8, spring))).toBe('birth-grade');
	});
});

describe('phone numbers', () => {
	it.each([
		'',
		'   ',
		'13812345678',
		'19912345678',
		'138 1234 5678',
		'138-1234-5678',
		'+8613812345678',
		'+86 138 1234 5678',
		'008613812345678',
		'010-12345678',
		'010 12345678',
		'01012345678',
		'0375-2345678',
		'03752345678',
		'0375-2345678-801',
		'0375-2345678转801'
	])('%j is accepted', (phone) => {
		expect(checkPhone(phone)).toEqual({ ok: true });
	});

	it.each([
		'abc',
		'1381234567', // 10 digits
		'138123456789', // 12 digits
		'12812345678', // 12x is no mobile prefix
		'+85213812345678', // not mainland
		'2345678', // no area code
		'0375-234567', // 6 digits
		'0375-0234567', // a local number never starts with 0
		'110',
		'138 1234 567a'
	])('%j is refused', (phone) => {
		const r = checkPhone(phone);
		expect(code(r)).toBe('phone');
		expect(zh(r)).toContain('电话号码格式不正确');
	});
});

describe('whole records', () => {
	it('a new student: birth date for the grade, then the ID number against the fields', () => {
		const student = { birthDate: '2012-03-04', gender: 'female' as const, grade: 8 };
		expect(checkStudent({ ...student, idNumber: ID.girl }, ctx)).toEqual([]);
		expect(checkStudent(student, ctx)).toEqual([]);
		const bad = checkStudent({ ...student, birthDate: '2030-01-01', idNumber: ID.boy }, ctx);
		expect(bad.map((i) => [i.field, i.code])).toEqual([
			['birthDate', 'birth-future'],
			['idNumber', 'id-birth-mismatch']
		]);
	});

	it('a new guardian: the phone and an ID number when given', () => {
		expect(checkGuardian({ phone: '13800000001' })).toEqual([]);
		expect(checkGuardian({})).toEqual([]);
		expect(
			checkGuardian({ phone: 'abc', idNumber: '410402201203040022' }).map((i) => i.field)
		).toEqual(['phone', 'idNumber']);
	});
});
