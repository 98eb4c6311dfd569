import { addCalendarDays, fromDayNumber, isWeekend, toDayNumber } from './dates';
import { festivalDates } from './lunar';

/** A named holiday range, both ends inclusive (the format of an official schedule too). */
export interface HolidayRange {
	name: string;
	from: string;
	to: string;
}

/** A year's rest days beyond weekends, and its make-up working days (调休上班). */
export interface YearSchedule {
	holidays: HolidayRange[];
	workdays: string[];
}

/**
 * G-T3: a year without an official State Council schedule, computed from 《全国年节及纪念日放假办法》
 * (revision in force since 2025-01-01): 元旦 1, 春节 除夕–初三 4, 清明 1, 劳动节 May 1–2, 端午 1,
 * 中秋 1, 国庆 Oct 1–3. Art. 6: each statutory day on a Saturday or Sunday gives one 补假 on the
 * first working day after its holiday block. No make-up working days: those only a notice sets.
 */
export function provisionalYear(year: number): YearSchedule {
	const f = festivalDates(year);
	const y = String(year).padStart(4, '0');
	const statutory = new Map<number, string>();
	const add = (name: string, from: string, days: number) => {
		for (let i = 0; i < days; i++) {
			const n = toDayNumber(addCalendarDays(from, i));
			// 中秋 can fall inside 国庆 (2028-10-03): one date is one rest day, named for both.
			const had = statutory.get(n);
			statutory.set(n, had && had !== name ? `${had}、${name}` : name);
		}
	};
	add('元旦', `${y}-01-01`, 1);
	add('春节', f.chuxi, 4);
	add('清明节', f.qingming, 1);
	add('劳动节', `${y}-05-01`, 2);
	add('端午节', f.duanwu, 1);
	add('中秋节', f.zhongqiu, 1);
	add('国庆节', `${y}-10-01`, 3);

	// Blocks of consecutive statutory days; a weekend inside a block does not split it.
	const days = [...statutory.keys()].sort((a, b) => a - b);
	const blocks: number[][] = [];
	for (const n of days) {
		const last = blocks[blocks.length - 1];
		const prev = last?.[last.length - 1];
		if (last && prev !== undefined && n === prev + 1) last.push(n);
		else blocks.push([n]);
	}
	const holidays: HolidayRange[] = [];
	const off = new Set(days);
	for (const block of blocks) {
		const first = block[0] as number;
		let end = block[block.length - 1] as number;
		const names = [...new Set(block.flatMap((n) => (statutory.get(n) ?? '').split('、')))];
		// Art. 6: one 补假 per statutory day on a weekend, on the next working days after the block.
		let owed = block.filter(isWeekend).length;
		let n = end;
		while (owed > 0) {
			n++;
			if (isWeekend(n) || off.has(n)) continue;
			off.add(n);
			end = n;
			owed--;
		}
		holidays.push({ name: names.join('、'), from: fromDayNumber(first), to: fromDayNumber(end) });
	}
	return { holidays, workdays: [] };
}
