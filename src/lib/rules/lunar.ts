// chinese-days is CommonJS for Node: only its default export survives Node's ESM interop.
import chineseDays from 'chinese-days';

/**
 * Lunar festivals and the 清明 solar term of a Gregorian year, from the maintained chinese-days
 * package (its lunar tables cover 1900–2100), behind this one interface so the rest of the rules
 * never see its types (G-T3).
 *
 * Time-zone trap: the package parses `YYYY-MM-DD` as UTC but reads it back with local getters,
 * so west of Greenwich its answers are a day early. A local Date at noon goes in instead, and the
 * solar-term answer (which it formats the same way) is corrected by the host's own offset.
 */
export interface FestivalDates {
	/** 除夕: the day before 正月初一. */
	chuxi: string;
	/** 正月初一. */
	chunjie: string;
	/** The day of the 清明 solar term. */
	qingming: string;
	/** 五月初五. */
	duanwu: string;
	/** 八月十五. */
	zhongqiu: string;
}

/** First and last Gregorian years this interface answers for. */
export const LUNAR_YEARS = { first: 1901, last: 2099 } as const;

const pad = (n: number) => String(n).padStart(2, '0');

function localIso(d: Date): string {
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The Gregorian date of a lunar month/day in lunar year `year` (never a leap month). */
function fromLunar(year: number, month: number, day: number): string {
	return chineseDays.getSolarDateFromLunar(new Date(year, month - 1, day, 12)).date;
}

function minusOneDay(iso: string): string {
	const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
	return localIso(new Date(y, m - 1, d - 1, 12));
}

function qingming(year: number): string {
	const raw = chineseDays.getSolarTermDate(year, 4, 'pure_brightness');
	const [y, m, d] = raw.split('-').map(Number) as [number, number, number];
	// The package built UTC midnight of the right day and printed it in local time.
	const printed = new Date(Date.UTC(y, m - 1, d));
	return printed.getDate() === d ? raw : localIso(new Date(y, m - 1, d + 1, 12));
}

/** The festival dates of one Gregorian year (G-T3). */
export function festivalDates(year: number): FestivalDates {
	if (!Number.isInteger(year) || year < LUNAR_YEARS.first || year > LUNAR_YEARS.last) {
		throw new RangeError(`农历数据不含 ${year} 年 / no lunar data for ${year}`);
	}
	const chunjie = fromLunar(year, 1, 1);
	return {
		chuxi: minusOneDay(chunjie),
		chunjie,
		qingming: qingming(year),
		duanwu: fromLunar(year, 5, 5),
		zhongqiu: fromLunar(year, 8, 15)
	};
}
