import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
	decodeText,
	fieldOfHeader,
	parseCsv,
	parseDate,
	parseGender,
	parseGrade,
	parseRosterFile,
	traceList,
	validateRoster,
	type RosterContext,
	type TableRow
} from '../../server/roster';
import { demoIdNumber } from '../../server/seed-cases';
import type { RosterRecord } from '../../server/storage/types';

const SCHOOLS = [
	{ id: 'org-school1', name: '示范区第一初级中学' },
	{ id: 'org-school2', name: '示范区光明中学' }
];
/** An import on the autumn term 2025's first day (school year 2025–2026). */
const DATES = { today: '2025-09-01', term: '2025-09-01' };
const BUREAU: RosterContext = {
	schools: SCHOOLS,
	importer: { orgKind: 'bureau', orgId: 'org-bureau' },
	...DATES
};
const SCHOOL1: RosterContext = {
	schools: SCHOOLS,
	importer: { orgKind: 'school', orgId: 'org-school1' },
	...DATES
};
const ID = demoIdNumber('2012-03-04', 7, 'male');

/** GBK bytes of a string, for the characters used here (encoded by hand: no encoder in Node). */
const GBK: Record<string, number[]> = {
	学: [0xd1, 0xa7],
	籍: [0xbc, 0xae],
	号: [0xba, 0xc5],
	姓: [0xd0, 0xd5],
	名: [0xc3, 0xfb],
	性: [0xd0, 0xd4],
	别: [0xb1, 0xf0],
	出: [0xb3, 0xf6],
	生: [0xc9, 0xfa],
	日: [0xc8, 0xd5],
	期: [0xc6, 0xda],
	校: [0xd0, 0xa3],
	年: [0xc4, 0xea],
	级: [0xbc, 0xb6],
	王: [0xcd, 0xf5],
	芳: [0xb7, 0xbc],
	女: [0xc5, 0xae],
	七: [0xc6, 0xdf]
};
function gbk(s: string): Uint8Array {
	const out: number[] = [];
	for (const ch of s) {
		const code = GBK[ch];
		if (code) out.push(...code);
		else if (ch.charCodeAt(0) < 128) out.push(ch.charCodeAt(0));
		else throw new Error(`no GBK bytes for ${ch}`);
	}
	return new Uint8Array(out);
}

const rows = (csv: string): TableRow[] => {
	const r = parseCsv(csv);
	if (!r.ok) throw new Error(r.message.en);
	return r.rows;
};
const cells = (csv: string) => rows(csv).map((r) => r.cells);

describe('CSV reading (RFC 4180)', () => {
	it('splits fields on commas and records on CRLF, LF or CR', () => {
		expect(cells('a,b\r\nc,d\ne,f\rg,h')).toEqual([
			['a', 'b'],
			['c', 'd'],
			['e', 'f'],
			['g', 'h']
		]);
	});
	it('keeps commas, line breaks and doubled quotes inside quoted fields, numbering records as rows', () => {
		const r = rows('name,address\r\n"王, 芳","和平路\r\n1号"\r\n"说""好""",x\r\n');
		expect(r.map((x) => x.cells)).toEqual([
			['name', 'address'],
			['王, 芳', '和平路\r\n1号'],
			['说"好"', 'x']
		]);
		expect(r.map((x) => x.row)).toEqual([1, 2, 3]);
	});
	it('keeps empty fields and a last record without a line break', () => {
		expect(cells('a,,c\n,,\nx')).toEqual([['a', '', 'c'], ['', '', ''], ['x']]);
	});
	it('reports a quote that never closes, with its row', () => {
		const r = parseCsv('a,b\n"open,x\ny,z');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.row).toBe(2);
	});
	it('reads tab-separated text (Excel "Unicode text")', () => {
		expect(cells('学籍号\t姓名\nG1\t王芳')).toEqual([
			['学籍号', '姓名'],
			['G1', '王芳']
		]);
	});
});

describe('text encodings', () => {
	it('strips a UTF-8 BOM', () => {
		const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('学籍号,姓名')]);
		expect(decodeText(bytes)).toEqual({ text: '学籍号,姓名', encoding: 'utf-8' });
	});
	it('reads UTF-8 without a BOM', () => {
		expect(decodeText(new TextEncoder().encode('王芳')).encoding).toBe('utf-8');
	});
	it('reads GBK (GB18030) when the bytes are not UTF-8, as Chinese Excel saves CSV', () => {
		expect(decodeText(gbk('学籍号,姓名,王芳'))).toEqual({
			text: '学籍号,姓名,王芳',
			encoding: 'gb18030'
		});
	});
	it('[S-1] imports a whole GBK file', async () => {
		const csv = `学籍号,姓名,性别,出生日期,学校,年级\r\nG${ID},王芳,女,2012-03-04,org-school1,七年级\r\n`;
		const r = await parseRosterFile(gbk(csv), BUREAU);
		expect(r.errors).toEqual([]);
		expect(r.students[0]).toMatchObject({ name: '王芳', gender: 'female', grade: 7 });
	});
	it('reads UTF-16 LE with a BOM', () => {
		const s = '学籍号';
		const bytes = new Uint8Array(2 + s.length * 2);
		bytes.set([0xff, 0xfe]);
		for (let i = 0; i < s.length; i++) {
			bytes[2 + i * 2] = s.charCodeAt(i) & 0xff;
			bytes[3 + i * 2] = s.charCodeAt(i) >> 8;
		}
		expect(decodeText(bytes).text).toBe('学籍号');
	});
});

describe('column names', () => {
	it.each([
		['学籍号', 'registryNo'],
		[' 全国学籍号 ', 'registryNo'],
		['Registry No', 'registryNo'],
		['student_id', 'registryNo'],
		['*姓名', 'name'],
		['Name', 'name'],
		['性　别', 'gender'],
		['SEX', 'gender'],
		['出生日期（YYYY-MM-DD）', 'birthDate'],
		['Date of Birth', 'birthDate'],
		['身份证号码', 'idNumber'],
		['ID Number', 'idNumber'],
		['学校名称', 'school'],
		['年级', 'grade'],
		['班级', 'className'],
		['户籍所在地', 'hukouPlace'],
		['现住址', 'residence'],
		['监护人姓名', 'guardianName'],
		['联系电话', 'guardianPhone'],
		['Phone', 'guardianPhone']
	])('%s → %s', (header, field) => {
		expect(fieldOfHeader(header)).toBe(field);
	});
	it('ignores unknown columns', () => {
		expect(fieldOfHeader('民族')).toBeUndefined();
	});
});

describe('cell values', () => {
	it.each([
		['2012-03-04', '2012-03-04'],
		['2012/3/4', '2012-03-04'],
		['2012.03.04', '2012-03-04'],
		['2012年3月4日', '2012-03-04'],
		['20120304', '2012-03-04'],
		['2012-03-04 00:00:00', '2012-03-04'],
		['2025-02-30', '2025-02-30'],
		['March 4', null],
		['', null]
	])('date %s → %s', (text, iso) => {
		expect(parseDate(text)).toBe(iso);
	});
	it('reads Excel date cells, 8-digit numbers and date serials', () => {
		expect(parseDate(new Date('2012-03-04T00:00:00Z'))).toBe('2012-03-04');
		expect(parseDate(20120304)).toBe('2012-03-04');
		expect(parseDate(40972)).toBe('2012-03-04');
	});
	it.each([
		['7', 7],
		['七年级', 7],
		['7年级', 7],
		['初一', 7],
		['初中二年级', 8],
		['初二', 8],
		['初三', 9],
		['一年级', 1],
		['小学三年级', 3],
		['Grade 9', 9],
		['10', null],
		['高一', null]
	])('grade %s → %s', (text, grade) => {
		expect(parseGrade(text)).toBe(grade);
	});
	it('reads numeric grade cells', () => {
		expect(parseGrade(8)).toBe(8);
	});
	it.each([
		['男', 'male'],
		['女', 'female'],
		['Male', 'male'],
		['F', 'female'],
		['m', 'male'],
		['1', 'male'],
		['2', 'female'],
		['x', null]
	])('gender %s → %s', (text, g) => {
		expect(parseGender(text)).toBe(g);
	});
});

const HEADER = '学籍号,姓名,性别,出生日期,身份证号,学校,年级,班级,户籍地,居住地,监护人,电话';
const line = (
	over: Partial<
		Record<'no' | 'id' | 'birth' | 'school' | 'gender' | 'grade' | 'name' | 'phone', string>
	> = {}
) =>
	[
		over.no ?? `G${ID}`,
		over.name ?? '王芳',
		over.gender ?? '男',
		over.birth ?? '2012-03-04',
		over.id ?? ID,
		over.school ?? '示范区第一初级中学',
		over.grade ?? '初一',
		'七年级（1）班',
		'河南省平顶山市',
		'和平路1号',
		'王建国',
		over.phone ?? '13900000000'
	].join(',');
const check = (csv: string, ctx = BUREAU) => validateRoster(rows(csv), ctx);

describe('[S-1] row validation', () => {
	it('a clean row becomes a roster student (school by name or id, header aliases, blank lines skipped)', () => {
		const r = check(
			`\n\n${HEADER}\n${line()}\n,,,\n${line({ no: 'L12345678901', id: '', school: 'org-school2' })}`
		);
		expect(r.errors).toEqual([]);
		expect(r.dataRows).toBe(2);
		expect(r.students).toEqual([
			{
				registryNo: `G${ID}`,
				name: '王芳',
				gender: 'male',
				birthDate: '2012-03-04',
				idNumber: ID,
				schoolId: 'org-school1',
				grade: 7,
				className: '七年级（1）班',
				hukouPlace: '河南省平顶山市',
				residence: '和平路1号',
				guardianName: '王建国',
				guardianPhone: '13900000000'
			},
			expect.objectContaining({
				registryNo: 'L12345678901',
				idNumber: null,
				schoolId: 'org-school2'
			})
		]);
	});

	it.each([
		[
			'bad ID checksum',
			{ id: ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1') },
			'身份证号',
			'校验位'
		],
		['malformed ID number', { id: '12345' }, '身份证号', '18 位'],
		['impossible date', { birth: '2025-02-30' }, '出生日期', '不存在的日期'],
		['not a date', { birth: 'soon' }, '出生日期', '无法识别'],
		['unknown school', { school: '火星中学' }, '学校', '没有这所学校'],
		['bad gender', { gender: '?' }, '性别', '性别'],
		['bad grade', { grade: '高三' }, '年级', '年级应为'],
		['malformed registry number', { no: 'X1' }, '学籍号', '学籍号格式错误'],
		['missing name', { name: '' }, '姓名', '姓名为空'],
		// Issue 11: the person checks (ID = 2012-03-04, male; grade 7 of 2025–2026 allows births
		// 2009-09-01 … 2014-08-31).
		['a 2030 birth date', { birth: '2030-05-01', id: '' }, '出生日期', '晚于今天（2025-09-01）'],
		[
			'a birth date too young for the grade',
			{ birth: '2016-05-01', id: '' },
			'出生日期',
			'与 7 年级不符'
		],
		[
			'a birth date the ID number contradicts',
			{ birth: '2012-03-05' },
			'身份证号',
			'与出生日期（2012-03-05）不一致'
		],
		['a gender the ID number contradicts', { gender: '女' }, '身份证号', '与性别（女）不一致'],
		['a phone 「abc」', { phone: 'abc' }, '电话', '电话号码格式不正确：abc']
	])('%s is an error of its row and column', (_what, over, column, text) => {
		const r = check(`${HEADER}\n${line({ no: 'G410499201001010011', id: '' })}\n${line(over)}`);
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]).toMatchObject({ row: 3, column });
		expect(r.errors[0]?.message.zh).toContain(text);
		expect(r.errors[0]?.message.en.length).toBeGreaterThan(5);
		expect(r.students).toHaveLength(1);
	});

	it('a 学籍号 twice in the file is an error on both rows, each naming the other', () => {
		const r = check(`${HEADER}\n${line()}\n${line({ no: 'L12345678901', id: '' })}\n${line()}`);
		expect(r.errors.map((e) => [e.row, e.column])).toEqual([
			[2, '学籍号'],
			[4, '学籍号']
		]);
		expect(r.errors[0]?.message.zh).toContain('第 4 行');
		expect(r.errors[1]?.message.zh).toContain('第 2 行');
		expect(r.students.map((s) => s.registryNo)).toEqual(['L12345678901']);
	});

	it('missing required columns are one file-level error naming them', () => {
		const r = check('学籍号,姓名,备注\nG1,王,x');
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]?.row).toBe(1);
		expect(r.errors[0]?.message.zh).toContain('性别、出生日期、年级、学校');
		expect(r.students).toEqual([]);
	});

	it('an empty file, and a header without rows, are file-level errors', () => {
		expect(check('').errors[0]?.message.en).toBe('the file is empty');
		expect(check(HEADER).errors[0]?.message.en).toBe('the file has no students');
	});

	it('a school user may leave out 学校 (its own school) but not name another school', () => {
		const noSchool = '学籍号,姓名,性别,出生日期,年级\nG' + ID + ',王芳,女,2012-03-04,7';
		expect(check(noSchool, SCHOOL1).students[0]?.schoolId).toBe('org-school1');
		expect(check(noSchool).errors[0]?.message.zh).toContain('学校');
		const other = check(`${HEADER}\n${line({ school: '示范区光明中学' })}`, SCHOOL1);
		expect(other.errors[0]).toMatchObject({ row: 2, column: '学校' });
		expect(other.errors[0]?.message.zh).toContain('只能导入本校');
	});

	it("a school user may not take a student on another school's roster this term", () => {
		const ctx = { ...SCHOOL1, existing: new Map([[`G${ID}`, 'org-school2']]) };
		const r = check(`${HEADER}\n${line()}`, ctx);
		expect(r.errors[0]?.message.zh).toContain('示范区光明中学');
		expect(check(`${HEADER}\n${line()}`, { ...BUREAU, existing: ctx.existing }).errors).toEqual([]);
	});

	it('a legacy .xls file is refused with advice', async () => {
		const r = await parseRosterFile(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), BUREAU);
		expect(r.errors[0]?.message.zh).toContain('.xlsx');
	});
});

describe('[B-1] trace list', () => {
	const rec = (registryNo: string, grade: number, schoolId = 'org-school1'): RosterRecord => ({
		registryNo,
		name: registryNo,
		gender: 'male',
		birthDate: '2012-03-04',
		idNumber: null,
		schoolId,
		grade,
		className: '',
		hukouPlace: '',
		residence: '',
		guardianName: '',
		guardianPhone: '',
		term: '2026-03-02',
		importId: 1
	});
	const previous = [
		rec('A', 7),
		rec('B', 8),
		rec('C', 9),
		rec('D', 8),
		rec('E', 7),
		rec('F', 8, 'org-school3')
	];
	const input = {
		term: '2026-09-01',
		previousTerm: '2026-03-02',
		previous,
		current: new Set(['B']),
		currentSchools: new Set(['org-school1']),
		withCase: new Set(['D'])
	};
	it('lists students not registered this term, without grade 9 leavers, cases or schools not yet imported', () => {
		const r = traceList(input);
		expect(r.students.map((s) => s.registryNo)).toEqual(['A', 'E']);
		expect(r.pendingSchools).toEqual(['org-school3']);
	});
	it('keeps grade 9 within one school year (autumn → spring)', () => {
		const r = traceList({ ...input, term: '2026-03-02', previousTerm: '2025-09-01' });
		expect(r.students.map((s) => s.registryNo)).toEqual(['A', 'C', 'E']);
	});
});

describe('[S-1] XLSX reading', () => {
	it('reads the first sheet only, header at the first non-empty row, dates, rich text and formulas', async () => {
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('名册');
		ws.getCell('A1').value = null;
		ws.addRow([]);
		ws.addRow(['学籍号', '姓名', '性别', '出生日期', '学校', '年级', '电话']);
		ws.addRow([
			`G${ID}`,
			{ richText: [{ text: '王' }, { text: '芳' }] },
			'女',
			new Date('2012-03-04T00:00:00Z'),
			'org-school1',
			{ formula: '3+4', result: 7 },
			13900000000
		]);
		wb.addWorksheet('说明').addRow(['这一页不是名册']);
		const r = await parseRosterFile(new Uint8Array(await wb.xlsx.writeBuffer()), BUREAU);
		expect(r.kind).toBe('xlsx');
		expect(r.errors).toEqual([]);
		expect(r.students).toEqual([
			expect.objectContaining({
				name: '王芳',
				birthDate: '2012-03-04',
				grade: 7,
				guardianPhone: '13900000000'
			})
		]);
	});

	it("reports errors with the sheet's own row numbers", async () => {
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('名册');
		ws.getRow(4).values = ['学籍号', '姓名', '性别', '出生日期', '学校', '年级'];
		ws.getRow(6).values = [`G${ID}`, '王芳', '女', '2012-02-30', 'org-school1', 7];
		const r = await parseRosterFile(new Uint8Array(await wb.xlsx.writeBuffer()), BUREAU);
		expect(r.errors.map((e) => [e.row, e.column])).toEqual([[6, '出生日期']]);
	});

	it('a broken XLSX file is one file-level error', async () => {
		const r = await parseRosterFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), BUREAU);
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]?.row).toBeNull();
	});
});
