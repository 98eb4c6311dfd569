import { z } from 'zod';
import { isoDate } from '../domain/primitives';
import builtin from './calendar-builtin.json';
import { isWeekend, toDayNumber } from './dates';
import type { Bilingual } from './types';

/**
 * The calendar as data the district keeps (G-T3, DOMAIN.md "Time"): the State Council's official
 * schedule of each year the bureau entered (or that ships with the program), and the school terms
 * (校历) of each school year. Validated with zod wherever it crosses a trust boundary: the import
 * command, the bureau's screen, the relay's storage and a device's cache.
 */

/** One year's official schedule, exactly as its notice reads (the import format). */
export const officialYearSchema = z.strictObject({
	year: z.number().int().min(2000).max(2099),
	/** The notice: its number or title, e.g. 国办发明电〔2025〕7号. */
	source: z.string().trim().min(1).max(200),
	title: z.string().max(200).optional(),
	issued: isoDate.optional(),
	url: z.url().optional(),
	/** Every range the notice gives off (放假), weekend days inside it included. */
	holidays: z
		.array(
			z.strictObject({
				name: z.string().trim().min(1).max(40),
				from: isoDate,
				to: isoDate
			})
		)
		.min(1)
		.max(40),
	/** The make-up working days (调休上班), each a Saturday or Sunday. */
	workdays: z.array(isoDate).max(40)
});
export type OfficialYear = z.infer<typeof officialYearSchema>;

/** One school year's terms (校历), for the district or, where the profile allows, one school. */
export const termYearSchema = z.strictObject({
	/** `2026-2027`: the school year starts in autumn. */
	schoolYear: z.string().regex(/^\d{4}-\d{4}$/, '学年应写作 2026-2027 / school year as 2026-2027'),
	/** A school's own calendar; absent for the district's default. */
	school: z.string().min(1).max(64).optional(),
	source: z.string().max(200).optional(),
	terms: z
		.array(
			z.strictObject({
				name: z.string().trim().min(1).max(40).optional(),
				start: isoDate,
				end: isoDate
			})
		)
		.min(1)
		.max(4)
});
export type TermYear = z.infer<typeof termYearSchema>;

/** Everything a device or the relay evaluates with; `version` changes with every import. */
export interface CalendarData {
	version: string;
	years: OfficialYear[];
	termYears: TermYear[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Bilingual[] };

const issue = (zh: string, en: string): Bilingual => ({ zh, en });

function zodErrors(error: z.ZodError): Bilingual[] {
	return error.issues.map((i) => {
		const where = i.path.length ? i.path.join('.') : '（整体）';
		return issue(`${where}：${i.message}`, `${i.path.join('.') || '(root)'}: ${i.message}`);
	});
}

/**
 * Validates one year's official schedule: dates inside the year, ranges in order and not
 * overlapping, make-up days on a weekend and not inside a holiday. Each error names its entry.
 */
export function checkOfficialYear(input: unknown): Checked<OfficialYear> {
	const r = officialYearSchema.safeParse(input);
	if (!r.success) return { ok: false, errors: zodErrors(r.error) };
	const y = r.data;
	const errors: Bilingual[] = [];
	const inYear = (d: string) => d.startsWith(`${y.year}-`);
	const label = (i: number) => {
		const h = y.holidays[i];
		return h ? `holidays[${i}]（${h.name} ${h.from}–${h.to}）` : `holidays[${i}]`;
	};
	const spans: [number, number, number][] = [];
	y.holidays.forEach((h, i) => {
		if (!inYear(h.from) || !inYear(h.to)) {
			errors.push(issue(`${label(i)} 不在 ${y.year} 年内`, `holidays[${i}] is outside ${y.year}`));
		} else if (h.to < h.from) {
			errors.push(issue(`${label(i)} 结束早于开始`, `holidays[${i}] ends before it starts`));
		} else spans.push([toDayNumber(h.from), toDayNumber(h.to), i]);
	});
	spans.sort((a, b) => a[0] - b[0]);
	for (let k = 1; k < spans.length; k++) {
		const [, prevEnd, pi] = spans[k - 1] as [number, number, number];
		const [start, , i] = spans[k] as [number, number, number];
		if (start <= prevEnd) {
			errors.push(
				issue(`${label(i)} 与 ${label(pi)} 重叠`, `holidays[${i}] overlaps holidays[${pi}]`)
			);
		}
	}
	const seen = new Set<string>();
	y.workdays.forEach((d, i) => {
		const where = `workdays[${i}]（${d}）`;
		const n = toDayNumber(d);
		if (!inYear(d))
			errors.push(issue(`${where} 不在 ${y.year} 年内`, `workdays[${i}] outside year`));
		else if (seen.has(d)) errors.push(issue(`${where} 重复`, `workdays[${i}] repeats ${d}`));
		else if (!isWeekend(n)) {
			errors.push(
				issue(`${where} 不是周六或周日`, `workdays[${i}] ${d} is not a Saturday or Sunday`)
			);
		} else if (spans.some(([a, b]) => n >= a && n <= b)) {
			errors.push(issue(`${where} 在放假期间内`, `workdays[${i}] ${d} is inside a holiday`));
		}
		seen.add(d);
	});
	return errors.length ? { ok: false, errors } : { ok: true, value: y };
}

/** Validates one school year's terms: inside the school year (Aug 1 – Aug 31), in order, apart. */
export function checkTermYear(input: unknown): Checked<TermYear> {
	const r = termYearSchema.safeParse(input);
	if (!r.success) return { ok: false, errors: zodErrors(r.error) };
	const t = r.data;
	const errors: Bilingual[] = [];
	const first = Number(t.schoolYear.slice(0, 4));
	if (Number(t.schoolYear.slice(5)) !== first + 1) {
		errors.push(
			issue(
				`学年 ${t.schoolYear} 应为相邻两年`,
				`school year ${t.schoolYear} must span two consecutive years`
			)
		);
	}
	const lo = `${first}-08-01`;
	const hi = `${first + 1}-08-31`;
	const sorted = [...t.terms]
		.map((x, i) => ({ ...x, i }))
		.sort((a, b) => a.start.localeCompare(b.start));
	sorted.forEach((x, k) => {
		const where = `terms[${x.i}]（${x.start}–${x.end}）`;
		if (x.end < x.start)
			errors.push(issue(`${where} 结束早于开始`, `terms[${x.i}] ends before it starts`));
		if (x.start < lo || x.end > hi) {
			errors.push(
				issue(
					`${where} 不在 ${t.schoolYear} 学年内（${lo}–${hi}）`,
					`terms[${x.i}] outside school year ${t.schoolYear}`
				)
			);
		}
		const prev = sorted[k - 1];
		if (prev && x.start <= prev.end) {
			errors.push(
				issue(`${where} 与 terms[${prev.i}] 重叠`, `terms[${x.i}] overlaps terms[${prev.i}]`)
			);
		}
	});
	return errors.length ? { ok: false, errors } : { ok: true, value: t };
}

/** The calendar as it travels to devices and sits in their cache. */
export const calendarDataSchema = z.strictObject({
	version: z.string().min(1).max(80),
	years: z.array(officialYearSchema),
	termYears: z.array(termYearSchema)
});

/** Parses calendar data from outside (relay answer, device cache); null when it does not hold. */
export function parseCalendarData(input: unknown): CalendarData | null {
	const r = calendarDataSchema.safeParse(input);
	if (!r.success) return null;
	for (const y of r.data.years) if (!checkOfficialYear(y).ok) return null;
	for (const t of r.data.termYears) if (!checkTermYear(t).ok) return null;
	return r.data;
}

/** Bumped when the shipped data changes, so devices refetch. */
const BUILTIN_REVISION = 'b1';

/** The data that ships with the program: official notices 2024–2026 and the demo district's terms. */
export function builtinCalendarData(): CalendarData {
	const data = parseCalendarData({ version: `${BUILTIN_REVISION}-0`, ...builtin });
	if (!data) throw new Error('随程序提供的日历数据无效 / the shipped calendar data is invalid');
	return data;
}

/**
 * The district's data on top of the shipped data: a stored year replaces the shipped one, a
 * stored school year (per school or district) replaces the shipped one. `seq` is the storage's
 * version counter; 0 when nothing is stored.
 */
export function mergeCalendarData(
	base: CalendarData,
	stored: { years: readonly OfficialYear[]; termYears: readonly TermYear[] },
	seq: number
): CalendarData {
	const years = new Map(base.years.map((y) => [y.year, y]));
	for (const y of stored.years) years.set(y.year, y);
	const key = (t: TermYear) => `${t.school ?? ''}|${t.schoolYear}`;
	const terms = new Map(base.termYears.map((t) => [key(t), t]));
	for (const t of stored.termYears) terms.set(key(t), t);
	return {
		version: `${base.version.split('-')[0] ?? BUILTIN_REVISION}-${seq}`,
		years: [...years.values()].sort((a, b) => a.year - b.year),
		termYears: [...terms.values()].sort((a, b) => key(a).localeCompare(key(b)))
	};
}
