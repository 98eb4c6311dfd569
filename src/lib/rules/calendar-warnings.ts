import { addCalendarDays, type Calendar } from './calendar';
import type { Bilingual } from './types';

/** A warning for the bureau that the calendar data runs out soon (G-T3). */
export interface CalendarWarning {
	key: string;
	/** The day it is about: the last term's end, or 1 Jan of the year without a schedule. */
	date: string;
	message: Bilingual;
}

/** How far ahead the bureau is warned (the 60 days). */
export const CALENDAR_WARNING_DAYS = 60;

/**
 * G-T3: what the bureau must enter soon: the next terms when the last term entered ends within
 * 60 days (or has ended), and the State Council schedule of a year that begins within 60 days
 * (or has begun) without one.
 */
export function calendarWarnings(calendar: Calendar, today: string): CalendarWarning[] {
	const out: CalendarWarning[] = [];
	const horizon = addCalendarDays(today, CALENDAR_WARNING_DAYS);
	const last = calendar.lastTermEnd();
	if (!last) {
		out.push({
			key: 'terms:none',
			date: today,
			message: { zh: '尚未录入任何学期（校历）', en: 'no school terms entered yet' }
		});
	} else if (last <= horizon) {
		out.push({
			key: `terms:${last}`,
			date: last,
			message: {
				zh: `已录入的最后一个学期于 ${last} 结束，请录入下一学期校历`,
				en: `the last term entered ends on ${last}; enter the next terms`
			}
		});
	}
	const from = Number(today.slice(0, 4));
	for (let y = from; y <= Number(horizon.slice(0, 4)); y++) {
		if (calendar.status(y) === 'official') continue;
		out.push({
			key: `year:${y}`,
			date: `${y}-01-01`,
			message: {
				zh: `${y} 年国务院放假安排尚未录入，期限暂按法定节假日推算（暂定）`,
				en: `the State Council schedule for ${y} is not entered; deadlines are provisional`
			}
		});
	}
	return out;
}
