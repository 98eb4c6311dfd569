import { addCalendarDays, builtinCalendar, type Calendar, type Term } from './calendar';
import type { Profile } from './profile-schema';
import type { Bilingual, RuleId } from './types';

/** A district- or school-level deadline (not tied to one case). */
export interface Deadline {
	rule: RuleId;
	key: string;
	title: Bilingual;
	due: string;
}

/**
 * S-2 and B-1: the school's deadlines after a term starts (registry review within two weeks;
 * in Bishan the enrollment check within 5 days and the dropout report within 10 days).
 */
export function termDeadlines(
	termStart: string,
	profile: Profile,
	calendar: Calendar = builtinCalendar(),
	terms: readonly Term[] = calendar.termsFor(null)
): Deadline[] {
	const p = profile.periods;
	const addPeriod = (from: string, period: Parameters<Calendar['addPeriod']>[1]) =>
		calendar.addPeriod(from, period, terms);
	const out: Deadline[] = [
		{
			rule: 'S-2',
			key: 'registry-review',
			title: {
				zh: '全面梳理学籍异动情况（人籍一致）',
				en: 'Review registry changes (registry = reality)'
			},
			due: addPeriod(termStart, p.registryReview)
		}
	];
	if (p.termCheck) {
		out.push({
			rule: 'B-1',
			key: 'term-check',
			title: { zh: '全面清查入学、变动、辍学情况', en: 'Check enrollment, changes and dropouts' },
			due: addPeriod(termStart, p.termCheck)
		});
	}
	if (p.termReport) {
		out.push({
			rule: 'B-1',
			key: 'term-report',
			title: {
				zh: '向教育主管部门和镇街报告辍学情况',
				en: 'Report dropouts to the bureau and the town/street office'
			},
			due: addPeriod(termStart, p.termReport)
		});
	}
	return out;
}

/** S-5: the quarter (1–4) a date falls in. */
export function quarterOf(date: string): { year: number; quarter: 1 | 2 | 3 | 4 } {
	const m = Number(date.slice(5, 7));
	return {
		year: Number(date.slice(0, 4)),
		quarter: (Math.floor((m - 1) / 3) + 1) as 1 | 2 | 3 | 4
	};
}

/**
 * S-5: the quarterly statistics form is filed at the quarter's end; a quarter ending on a
 * rest day is filed on the next working day (G-T2, 民法典 Art. 203).
 */
export function quarterlyReportDue(
	year: number,
	quarter: 1 | 2 | 3 | 4,
	calendar: Calendar = builtinCalendar()
): string {
	const end = ['03-31', '06-30', '09-30', '12-31'][quarter - 1];
	return calendar.endOfCalendarDayPeriod(`${year}-${end}`, 0);
}

/** B-6: focus periods are the first weeks of each term. */
export function inFocusPeriod(date: string, profile: Profile, terms: readonly Term[]): boolean {
	const days = profile.focusWeeksAfterTermStart * 7;
	return terms.some((t) => date >= t.start && date < addCalendarDays(t.start, days));
}
