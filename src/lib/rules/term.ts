import { addCalendarDays, builtinCalendar, type Calendar, type Term } from './calendar';
import type { Profile } from './profile-schema';
import type { Bilingual, Period, RuleId } from './types';

/** A district- or school-level deadline (not tied to one case). */
export interface Deadline {
	rule: RuleId;
	key: TermDeadlineKey;
	title: Bilingual;
	due: string;
}

/** The keys of a school's term-start deadlines (S-2, B-1). */
export type TermDeadlineKey = 'registry-review' | 'term-check' | 'term-report';

/** S-2 and B-1: what each term-start deadline asks of the school. */
export const TERM_DEADLINE_TITLES: Record<TermDeadlineKey, Bilingual> = {
	'registry-review': {
		zh: '全面梳理学籍异动情况（人籍一致）',
		en: 'Review registry changes (registry = reality)'
	},
	'term-check': {
		zh: '全面清查入学、变动、辍学情况',
		en: 'Check enrollment, changes and dropouts'
	},
	'term-report': {
		zh: '向教育主管部门和镇街报告辍学情况',
		en: 'Report dropouts to the bureau and the town/street office'
	}
};

/**
 * S-2 and B-1: the school's deadlines after a term starts (in Shilong the registry review within
 * two weeks; in Bishan the enrollment check, which covers the registry changes, within 5 days
 * and the dropout report within 10 days). Calendar days, start day not counted (G-T1), a last
 * day that is not a working day moves to the next working day (G-T2).
 */
export function termDeadlines(
	termStart: string,
	profile: Profile,
	calendar: Calendar = builtinCalendar(),
	terms: readonly Term[] = calendar.termsFor(null)
): Deadline[] {
	const p = profile.periods;
	const out: Deadline[] = [];
	const add = (rule: RuleId, key: TermDeadlineKey, period: Period | null) => {
		if (!period) return;
		const due = calendar.addPeriod(termStart, period, terms);
		out.push({ rule, key, title: TERM_DEADLINE_TITLES[key], due });
	};
	add('S-2', 'registry-review', p.registryReview);
	add('B-1', 'term-check', p.termCheck);
	add('B-1', 'term-report', p.termReport);
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
