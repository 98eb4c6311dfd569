import type { DemoCase } from './seed-cases';
import { getProfile, schoolYearOf } from '../src/lib/rules';
import { currentTerm, previousTerm } from './roster/trace';
import { demoIdNumber } from './seed-cases';
import type { RosterStudent, Storage } from './storage/types';

/**
 * The two demo roster terms for a day: the term the roster page opens on that day (the one
 * holding it, or the last one begun) and the term before it, so the trace list has something to
 * show. Seeded on 2026-12-01: 2026-03-02 and 2026-09-01; on 2025-10-21: 2025-02-17 and 2025-09-01.
 */
export function demoRosterTerms(today: string): { previous: string; current: string } {
	const current = currentTerm(today);
	const previous = previousTerm(current);
	if (!previous) {
		throw new Error(
			`演示名册需要 ${current} 之前的学期 / the demo roster needs a term before ${current}`
		);
	}
	return { previous, current };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹';
const GIVEN = [
	'子涵',
	'浩宇',
	'一诺',
	'宇轩',
	'欣怡',
	'俊熙',
	'雨桐',
	'梦瑶',
	'志远',
	'佳琪',
	'思源',
	'子豪',
	'若曦',
	'博文',
	'嘉怡',
	'晨曦',
	'明哲',
	'诗雨',
	'天宇',
	'可欣'
];
const FATHERS = ['建国', '志刚', '卫东', '海峰', '永强', '国平', '建军', '大勇', '明', '伟'];
const GRADE_NAMES = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
const STREET_OF: Record<string, string> = {
	'org-school1': '示范区新华街道',
	'org-school2': '示范区光明街道',
	'org-school3': '示范区新华街道'
};

/**
 * B-1/B-2 demo: students (by index within their cohort) who are on the previous term's roster
 * and not on the current one, with their grade of the previous term: two of school 1, two of
 * school 2, one of school 3.
 */
const LEFT_BETWEEN_TERMS: readonly { grade: number; i: number }[] = [
	{ grade: 7, i: 10 },
	{ grade: 8, i: 44 },
	{ grade: 7, i: 3 },
	{ grade: 8, i: 21 },
	{ grade: 4, i: 7 }
];

/**
 * One made-up student of the filler roster: cohort `entry` (the school year of grade 1) and
 * index i < 200. Indices below 50 go to 新华小学 for grades 1–6; from grade 7 even indices go to
 * 第一初级中学 and odd ones to 光明中学, keeping their 学籍号 (the registry follows the child).
 */
function filler(entry: number, i: number, schoolYear: number): RosterStudent | null {
	const grade = schoolYear - entry + 1;
	if (grade < 1 || grade > 9 || (grade <= 6 && i >= 50)) return null;
	const schoolId = grade <= 6 ? 'org-school3' : i % 2 === 0 ? 'org-school1' : 'org-school2';
	const gender = (Math.floor(i / 2) + entry) % 2 === 0 ? 'male' : 'female';
	// Born January–August of entry − 6 (at school at 6 by 31 August, S-1's cohort).
	const birthDate = `${entry - 6}-${String((i % 8) + 1).padStart(2, '0')}-${String((Math.floor(i / 8) % 28) + 1).padStart(2, '0')}`;
	// Sequence numbers from 100 on: the demo cases use 1–20 (no ID number is shared).
	const idNumber = demoIdNumber(birthDate, 100 + i, gender);
	const surname = SURNAMES[(i * 7 + entry) % SURNAMES.length] ?? '王';
	const k = (i * 13 + entry * 3) % GIVEN.length;
	return {
		registryNo: `G${idNumber}`,
		name: surname + (GIVEN[k] ?? ''),
		gender,
		birthDate,
		// Some students have no ID number on file (as in real exports).
		idNumber: i % 10 === 9 ? null : idNumber,
		schoolId,
		grade,
		className: `${GRADE_NAMES[grade - 1] ?? grade}年级（${(i % 4) + 1}）班`,
		hukouPlace: '河南省平顶山市',
		residence: `${STREET_OF[schoolId] ?? ''}建设路${(i * 17 + entry) % 300}号`,
		guardianName: surname + (FATHERS[(i + entry) % FATHERS.length] ?? ''),
		guardianPhone: `138${String(entry * 1000 + i).padStart(8, '0')}`,
		// B-6 early warning (issue 12): every 40th student of a cohort (i = 4, 44, 84, …) is
		// left behind, and i = 25, 65, … from a low-income family: the watch list's students.
		...(i % 40 === 4
			? { focusGroups: ['left_behind' as const] }
			: i % 40 === 25
				? { focusGroups: ['low_income' as const] }
				: {})
	};
}

/**
 * A demo case's student on the roster of a term: the same 学籍号, name and details, in the grade
 * of that term's school year (the case's grade is that of the demo's own school year). A
 * student below grade 7 is listed at the primary school.
 */
function fromCase(c: DemoCase, grade: number): RosterStudent {
	const s = c.snapshot;
	const g = s.guardians[0];
	return {
		registryNo: c.registryNo,
		name: s.student.name,
		gender: s.student.gender,
		birthDate: s.student.birthDate,
		idNumber: c.idNumber ?? null,
		schoolId:
			grade <= 6 && s.student.schoolId !== 'org-school3' ? 'org-school3' : s.student.schoolId,
		grade,
		className: `${GRADE_NAMES[grade - 1] ?? grade}年级（1）班`,
		hukouPlace: s.student.hukouPlace,
		residence: s.student.residence,
		guardianName: g?.name ?? '',
		guardianPhone: g?.phone ?? '',
		...(s.student.focusGroups.length > 0 ? { focusGroups: [...s.student.focusGroups] } : {})
	};
}

/**
 * The demo roster of one term: about 300 students per demo school. `anchor` is the day the demo
 * cases count back from (`demoAnchor`): their grades are those of its school year. `leftSince`,
 * the term before, leaves out the students who left between that term and this one.
 */
export function demoRoster(
	term: string,
	cases: readonly DemoCase[],
	anchor: string,
	leftSince: string | null = null
): RosterStudent[] {
	const cohort = getProfile('shilong-2022').cohort;
	const year = schoolYearOf(term, cohort);
	// 1 across a summer (everyone a grade up), 0 between the two terms of one school year.
	const up = leftSince === null ? 0 : year - schoolYearOf(leftSince, cohort);
	const out = new Map<string, RosterStudent>();
	for (let entry = year - 8; entry <= year; entry++) {
		for (let i = 0; i < 200; i++) {
			const s = filler(entry, i, year);
			if (!s) continue;
			// Left between the terms: on the previous roster (in grade s.grade − up), not this one.
			const before = s.grade - up;
			if (leftSince && LEFT_BETWEEN_TERMS.some((x) => x.grade === before && x.i === i)) continue;
			out.set(s.registryNo, s);
		}
	}
	// The demo cases' students keep their 学籍号; B-1's two unregistered students (the Bishan
	// cases demo-19/20) are on the previous term's roster only.
	const caseYear = schoolYearOf(anchor, cohort);
	for (const c of cases) {
		if (leftSince && c.snapshot.profile === 'bishan-2024') continue;
		const grade = c.snapshot.student.grade - (caseYear - year);
		if (grade < 1 || grade > 9) continue;
		out.set(c.registryNo, fromCase(c, grade));
	}
	return [...out.values()];
}

/**
 * Stores the demo roster of the current term and the one before (`demoRosterTerms(today)`;
 * S-1, B-1, B-2): ~300 students per demo school including the demo cases' students, with five
 * students on the previous roster missing from the current one (the trace list of the
 * term-start check). Imported as by `bureau1`.
 */
export async function seedDemoRoster(
	storage: Storage,
	cases: readonly DemoCase[],
	options: { now: Date; today: string; anchor: string }
): Promise<number> {
	const { now, anchor } = options;
	const { previous, current } = demoRosterTerms(options.today);
	let total = 0;
	for (const [term, leftSince] of [
		[previous, null],
		[current, previous]
	] as const) {
		const rows = demoRoster(term, cases, anchor, leftSince);
		await storage.importRoster(
			{
				term,
				userId: 'bureau1',
				fileName: `示范区学籍名册-${term}.xlsx`,
				rows: rows.length,
				at: now.toISOString()
			},
			rows
		);
		total += rows.length;
	}
	return total;
}
