import {
	checkBirthDate,
	checkIdNumber,
	checkPhone,
	isoDate,
	registryNoInput as registryNoSchema,
	shortText
} from '../../src/lib/domain';
import type { OrgKind, PersonCheck } from '../../src/lib/domain';
import { getProfile, type Bilingual } from '../../src/lib/rules';
import type { RosterStudent } from '../storage/types';
import { ROSTER_COLUMNS, fieldOfHeader, type RosterField } from './columns';
import type { Cell, TableRow } from './csv';
import { cellText, parseDate, parseFocusGroups, parseGender, parseGrade } from './values';

/** One problem of an import file: the row as the spreadsheet numbers it (null: the whole file). */
export interface RosterError {
	row: number | null;
	/** The column's header as written in the file (or its Chinese name when it is missing). */
	column: string | null;
	message: Bilingual;
}

/** A school an import may name, by id or by name. */
export interface RosterSchool {
	id: string;
	name: string;
}

export interface RosterContext {
	schools: readonly RosterSchool[];
	/** S-1: the bureau imports for every school; a school only for itself. */
	importer: { orgKind: OrgKind; orgId: string };
	/** 学籍号 → school id of the term's stored roster: a school may not take another's student. */
	existing?: ReadonlyMap<string, string>;
	/** The day of the import (no birth date after it) and the term's first day (the grades' day). */
	today: string;
	term: string;
}

export interface ValidatedRoster {
	/** The valid rows (all rows when `errors` is empty). */
	students: RosterStudent[];
	errors: RosterError[];
	/** Non-empty rows below the header. */
	dataRows: number;
}

/** Columns every file needs; a school user's file may leave out 学校 (its own school). */
const REQUIRED: readonly RosterField[] = ['registryNo', 'name', 'gender', 'birthDate', 'grade'];

const LIMITS: Partial<Record<RosterField, number>> = {
	className: 40,
	hukouPlace: 200,
	residence: 200,
	guardianName: 200,
	guardianPhone: 40
};

const blank = (cells: readonly Cell[]) => cells.every((c) => cellText(c) === '');
const squash = (s: string) => s.replace(/[\s\u3000]/g, '');
const nameOf = (f: RosterField) => ROSTER_COLUMNS.find((c) => c.field === f)?.zh ?? f;

/**
 * Checks every row of a roster file with the domain's schemas (S-1, B-1, B-2) and returns the
 * students, or the errors: per row and column (bad ID checksum, impossible date, a birth date
 * that does not fit the grade or the ID number, a malformed phone, unknown or foreign school,
 * 学籍号 twice in the file — both rows), or one file-level error for missing
 * columns. A caller imports only when `errors` is empty: nothing is half-imported.
 */
export function validateRoster(table: readonly TableRow[], ctx: RosterContext): ValidatedRoster {
	const errors: RosterError[] = [];
	const start = table.findIndex((r) => !blank(r.cells));
	const header = table[start];
	if (!header) {
		return {
			students: [],
			dataRows: 0,
			errors: [{ row: null, column: null, message: { zh: '文件是空的', en: 'the file is empty' } }]
		};
	}
	const col = new Map<RosterField, number>();
	const label = new Map<RosterField, string>();
	header.cells.forEach((c, i) => {
		const text = cellText(c);
		const f = fieldOfHeader(text);
		if (f && !col.has(f)) {
			col.set(f, i);
			label.set(f, text);
		}
	});
	const isSchoolUser = ctx.importer.orgKind === 'school';
	const required = isSchoolUser ? REQUIRED : [...REQUIRED, 'school' as const];
	const missing = required.filter((f) => !col.has(f));
	if (missing.length > 0) {
		const zh = missing.map(nameOf).join('、');
		const en = missing.map((f) => ROSTER_COLUMNS.find((c) => c.field === f)?.en ?? f).join(', ');
		return {
			students: [],
			dataRows: 0,
			errors: [
				{
					row: header.row,
					column: zh,
					message: {
						zh: `缺少必需的列：${zh}（第 ${header.row} 行应为表头）`,
						en: `missing required column(s): ${en} (row ${header.row} should be the header)`
					}
				}
			]
		};
	}

	// The roster belongs to no case, so to no profile: every shipped profile has this cohort (S-1).
	const dates = {
		today: ctx.today,
		gradeAsOf: ctx.term,
		cohort: getProfile('shilong-2022').cohort
	};
	const byId = new Map(ctx.schools.map((s) => [s.id, s]));
	const byName = new Map(ctx.schools.map((s) => [squash(s.name), s]));
	const own = byId.get(ctx.importer.orgId);
	const students: RosterStudent[] = [];
	const firstRow = new Map<string, number[]>();
	let dataRows = 0;

	for (let k = start + 1; k < table.length; k++) {
		const r = table[k];
		if (!r || blank(r.cells)) continue;
		dataRows++;
		const at = (f: RosterField): Cell => {
			const i = col.get(f);
			return i === undefined ? null : (r.cells[i] ?? null);
		};
		const text = (f: RosterField) => cellText(at(f));
		let ok = true;
		const err = (f: RosterField, zh: string, en: string) => {
			ok = false;
			errors.push({ row: r.row, column: label.get(f) ?? nameOf(f), message: { zh, en } });
		};
		const need = (f: RosterField): string => {
			const v = text(f);
			if (v === '') err(f, `${nameOf(f)}为空`, `${label.get(f) ?? f} is empty`);
			return v;
		};

		const registryNo = need('registryNo');
		if (registryNo && !registryNoSchema.safeParse(registryNo).success) {
			err(
				'registryNo',
				`学籍号格式错误：${registryNo}（应为 G、L 或 J 加 10–19 位字母或数字）`,
				`malformed registry number ${registryNo} (G, L or J and 10–19 letters or digits)`
			);
		}
		if (registryNo) {
			const seen = firstRow.get(registryNo);
			if (seen) seen.push(r.row);
			else firstRow.set(registryNo, [r.row]);
		}

		const name = text('name');
		if (!shortText.safeParse(name).success) {
			if (name === '') err('name', '姓名为空', 'the name is empty');
			else err('name', '姓名过长（最多 200 字）', 'the name is too long (at most 200 characters)');
		}

		const genderCell = need('gender');
		const gender = parseGender(at('gender'));
		if (genderCell && !gender) {
			err(
				'gender',
				`性别应为"男"或"女"：${genderCell}`,
				`gender must be 男/女 or male/female: ${genderCell}`
			);
		}

		const birthCell = need('birthDate');
		const birthDate = parseDate(at('birthDate'));
		if (birthCell && birthDate === null) {
			err(
				'birthDate',
				`无法识别的日期：${birthCell}（应如 2012-03-04）`,
				`not a date: ${birthCell} (write it like 2012-03-04)`
			);
		} else if (birthDate !== null && !isoDate.safeParse(birthDate).success) {
			err('birthDate', `不存在的日期：${birthDate}`, `no such date: ${birthDate}`);
		}

		const gradeCell = need('grade');
		const grade = parseGrade(at('grade'));
		if (gradeCell && grade === null) {
			err(
				'grade',
				`年级应为 1–9（如 7、七年级、初一）：${gradeCell}`,
				`grade must be 1–9 (7, 七年级, 初一): ${gradeCell}`
			);
		}
		// Issue 11: the person checks of the forms and the relay (a birth date for the grade, the ID
		// number against 出生日期 and 性别, the phone).
		const person = (f: RosterField, r: PersonCheck) => {
			if (!r.ok) err(f, r.reason.zh, r.reason.en);
		};
		const realBirth = birthDate !== null && isoDate.safeParse(birthDate).success;
		if (realBirth && grade !== null) person('birthDate', checkBirthDate(birthDate, grade, dates));

		const idNumber = text('idNumber').toUpperCase() || null;
		if (idNumber !== null) {
			const facts = { birthDate: realBirth ? birthDate : undefined, gender: gender ?? undefined };
			person('idNumber', checkIdNumber(idNumber, facts));
		}
		person('guardianPhone', checkPhone(text('guardianPhone')));

		let schoolId = '';
		const schoolCell = col.has('school') ? text('school') : '';
		if (schoolCell === '' && isSchoolUser) schoolId = ctx.importer.orgId;
		else if (schoolCell === '') err('school', '学校为空', 'the school is empty');
		else {
			const s = byId.get(schoolCell) ?? byName.get(squash(schoolCell));
			if (!s) err('school', `没有这所学校：${schoolCell}`, `no such school: ${schoolCell}`);
			else if (isSchoolUser && s.id !== ctx.importer.orgId) {
				err(
					'school',
					`只能导入本校（${own?.name ?? ctx.importer.orgId}）的学生：${schoolCell}`,
					`you may import students of your own school only: ${schoolCell}`
				);
			} else schoolId = s.id;
		}
		const elsewhere = ctx.existing?.get(registryNo);
		if (isSchoolUser && schoolId && elsewhere !== undefined && elsewhere !== schoolId) {
			const other = byId.get(elsewhere)?.name ?? elsewhere;
			err(
				'registryNo',
				`该学籍号本学期已在${other}的名册上，请联系区教体局`,
				`this registry number is on ${other}'s roster this term; ask the bureau`
			);
		}

		// B-6: the focus groups the export names (early warning, issue 12).
		const focus = parseFocusGroups(at('focusGroups'));
		if (focus.unknown.length > 0) {
			err(
				'focusGroups',
				`无法识别的重点群体：${focus.unknown.join('、')}（可填：留守、建档立卡、困难、困境、残疾、随迁，用顿号分隔）`,
				`unknown focus group(s): ${focus.unknown.join(', ')} (use 留守, 建档立卡, 困难, 困境, 残疾, 随迁)`
			);
		}

		const extra: Record<string, string> = {};
		for (const [f, max] of Object.entries(LIMITS) as [RosterField, number][]) {
			const v = text(f);
			if (v.length > max)
				err(
					f,
					`${nameOf(f)}过长（最多 ${max} 字）`,
					`${label.get(f) ?? f} is too long (at most ${max})`
				);
			extra[f] = v;
		}

		if (!ok || !gender || !birthDate || grade === null) continue;
		students.push({
			registryNo,
			name,
			gender,
			birthDate,
			idNumber,
			schoolId,
			grade,
			className: extra['className'] ?? '',
			hukouPlace: extra['hukouPlace'] ?? '',
			residence: extra['residence'] ?? '',
			guardianName: extra['guardianName'] ?? '',
			guardianPhone: extra['guardianPhone'] ?? '',
			...(focus.groups.length > 0 ? { focusGroups: focus.groups } : {})
		});
	}

	// 学籍号 is unique within a term: report every row of a repeated one, naming the others.
	for (const rows of firstRow.values()) {
		if (rows.length < 2) continue;
		for (const row of rows) {
			const all = rows.filter((x) => x !== row);
			const others = all.slice(0, 5).join('、') + (all.length > 5 ? '…' : '');
			errors.push({
				row,
				column: label.get('registryNo') ?? '学籍号',
				message: {
					zh: `学籍号与第 ${others} 行重复`,
					en: `the registry number is also on row ${others.replaceAll('、', ', ')}`
				}
			});
		}
	}
	const unique = students.filter((s) => (firstRow.get(s.registryNo)?.length ?? 0) < 2);
	if (errors.length === 0 && unique.length === 0) {
		errors.push({
			row: null,
			column: null,
			message: { zh: '文件中没有学生', en: 'the file has no students' }
		});
	}
	errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
	return { students: unique, errors, dataRows };
}
