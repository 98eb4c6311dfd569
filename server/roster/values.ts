import type { FocusGroup } from '../../src/lib/domain';
import type { Cell } from './csv';

/** The text of a cell, trimmed; numbers without exponent or grouping (phones, registry numbers). */
export function cellText(c: Cell): string {
	if (c === null) return '';
	if (typeof c === 'string') return c.trim();
	if (typeof c === 'number') {
		return Number.isInteger(c) ? BigInt(Math.round(c)).toString() : String(c);
	}
	if (typeof c === 'boolean') return c ? 'TRUE' : 'FALSE';
	return c.toISOString().slice(0, 10);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Excel's day 0 for the 1900 date system (serial 60 is the phantom 1900-02-29). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A birth date as `YYYY-MM-DD`, or null when the cell is not written as a date. The result
 * may still be an impossible date (2012-02-30): the caller checks it with the domain's
 * `isoDate`, so that "impossible date" and "not a date" are different errors.
 * Accepts 2012-03-04, 2012/3/4, 2012.3.4, 2012年3月4日, 20120304, Excel date cells and
 * Excel serial numbers.
 */
export function parseDate(c: Cell): string | null {
	if (c === null) return null;
	if (c instanceof Date) {
		// exceljs gives date cells as UTC midnight of the day shown.
		if (Number.isNaN(c.getTime())) return null;
		return `${pad(c.getUTCFullYear(), 4)}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())}`;
	}
	if (typeof c === 'number') {
		if (Number.isInteger(c) && c >= 10_000_101 && c <= 99_991_231) return parseDate(String(c));
		// A date serial not formatted as a date: 1900-03-01 … 2099-12-31.
		if (c >= 61 && c < 73_051) {
			const d = new Date(EXCEL_EPOCH_MS + Math.floor(c) * 86_400_000);
			return parseDate(d);
		}
		return null;
	}
	const s = cellText(c);
	let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
	if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
	// A date-time from a CSV export (2012-03-04 00:00:00): the day part.
	if (!m) m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.exec(s);
	if (!m) return null;
	return `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
}

/** 男/女, male/female, M/F and GB/T 2261.1's 1/2; null otherwise. */
export function parseGender(c: Cell): 'male' | 'female' | null {
	const s = cellText(c).toLowerCase();
	if (['男', '男性', 'male', 'm', '1', 'boy'].includes(s)) return 'male';
	if (['女', '女性', 'female', 'f', '2', 'girl'].includes(s)) return 'female';
	return null;
}

const DIGITS: Record<string, number> = {
	一: 1,
	二: 2,
	三: 3,
	四: 4,
	五: 5,
	六: 6,
	七: 7,
	八: 8,
	九: 9
};

/**
 * Grade 1–9 of compulsory education: 7, "7年级", 七年级, 初一/初中一年级 (= 7), 小学三年级,
 * "grade 7"; null otherwise.
 */
export function parseGrade(c: Cell): number | null {
	const s = cellText(c)
		.toLowerCase()
		.replace(/[\s\u3000]/g, '')
		.replace(/^grade|^g(?=\d)/, '')
		.replace(/年级$|级$/, '');
	let m = /^([1-9])$/.exec(s);
	if (m) return Number(m[1]);
	m = /^初中?([一二三1-3])$/.exec(s);
	if (m?.[1]) return 6 + (DIGITS[m[1]] ?? Number(m[1]));
	m = /^(?:小学?)?([一二三四五六七八九])$/.exec(s);
	if (m?.[1]) return DIGITS[m[1]] ?? null;
	m = /^小学?([1-6])$/.exec(s);
	if (m) return Number(m[1]);
	return null;
}

/**
 * B-6 focus groups as an export writes them (农村留守儿童 … 随迁子女, or their short forms),
 * separated by 、，,;； / or spaces; the words no group is called by come back in `unknown`.
 * 无 / 否 / 空 mean none.
 */
const GROUP_WORDS: readonly [FocusGroup, readonly string[]][] = [
	['left_behind', ['农村留守儿童', '留守儿童', '留守', 'left_behind', 'left-behind']],
	[
		'registered_poor',
		['建档立卡', '建档立卡户', '脱贫家庭', '脱贫户', '建档立卡/脱贫家庭', '脱贫', 'registered_poor']
	],
	['low_income', ['家庭经济困难', '经济困难', '困难家庭', '低保', '困难', 'low_income']],
	['in_difficulty', ['困境儿童', '困境', 'in_difficulty']],
	['disabled', ['残疾', '残疾儿童', '残疾学生', 'disabled']],
	['migrant', ['随迁子女', '随迁', '进城务工人员随迁子女', 'migrant']]
];
const BY_WORD: ReadonlyMap<string, FocusGroup> = new Map(
	GROUP_WORDS.flatMap(([g, words]) => words.map((w) => [w.toLowerCase(), g] as const))
);

export function parseFocusGroups(c: Cell): { groups: FocusGroup[]; unknown: string[] } {
	const groups = new Set<FocusGroup>();
	const unknown: string[] = [];
	// 建档立卡/脱贫家庭 is one group's name: read it whole before splitting on "/".
	const text = cellText(c).replace(/建档立卡\s*\/\s*脱贫家庭/g, '建档立卡');
	for (const word of text.split(/[、，,;；/\s\u3000]+/)) {
		const w = word.trim().toLowerCase();
		if (w === '' || w === '无' || w === '否' || w === '空') continue;
		const g = BY_WORD.get(w);
		if (g) groups.add(g);
		else unknown.push(word.trim());
	}
	return { groups: [...groups], unknown };
}
