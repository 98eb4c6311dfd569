import {
	builtinCalendar,
	getProfile,
	schoolYearOf,
	type Calendar,
	type Term
} from '../../src/lib/rules';
import type { RosterRecord } from '../storage/types';

/** The district's school terms (a term is named by its start date, `YYYY-MM-DD`). */
export function rosterTerms(calendar: Calendar = builtinCalendar()): readonly Term[] {
	return calendar.termsFor(null);
}

/** The term holding `today`, or the latest one started before it (between terms: the last one). */
export function currentTerm(today: string, terms: readonly Term[] = rosterTerms()): string {
	let found = terms[0]?.start ?? today;
	for (const t of terms) if (t.start <= today) found = t.start;
	return found;
}

/** The term before `term`, or null for the first one. */
export function previousTerm(term: string, terms: readonly Term[] = rosterTerms()): string | null {
	const i = terms.findIndex((t) => t.start === term);
	return i > 0 ? (terms[i - 1]?.start ?? null) : null;
}

export interface TraceInput {
	term: string;
	previousTerm: string;
	/** The previous term's roster (of the schools the user may see). */
	previous: readonly RosterRecord[];
	/** Every 学籍号 on this term's roster, of every school: a move between schools is no loss. */
	current: ReadonlySet<string>;
	/** Schools with at least one student on this term's roster. */
	currentSchools: ReadonlySet<string>;
	/** 学籍号 of students who already have a case. */
	withCase: ReadonlySet<string>;
}

/**
 * B-1/B-2: the students of the previous term's roster who are not registered this term, to
 * trace. Left out: grade 9 when a school year ended in between (they finished compulsory
 * education), students who already have a case, and the students of a school that has not
 * imported this term's roster yet (`pendingSchools`: otherwise its whole roster would show).
 */
export function traceList(input: TraceInput): {
	students: RosterRecord[];
	pendingSchools: string[];
} {
	const cohort = getProfile('shilong-2022').cohort;
	const newYear = schoolYearOf(input.term, cohort) !== schoolYearOf(input.previousTerm, cohort);
	const pending = new Set<string>();
	const students: RosterRecord[] = [];
	for (const r of input.previous) {
		if (!input.currentSchools.has(r.schoolId)) {
			pending.add(r.schoolId);
			continue;
		}
		if (input.current.has(r.registryNo) || input.withCase.has(r.registryNo)) continue;
		if (newYear && r.grade >= 9) continue;
		students.push(r);
	}
	return { students, pendingSchools: [...pending].sort() };
}

/** The grade a student of the previous term's roster is in this term (a year up after summer). */
export function gradeNow(grade: number, previousTerm: string, term: string): number {
	const cohort = getProfile('shilong-2022').cohort;
	const up = schoolYearOf(term, cohort) - schoolYearOf(previousTerm, cohort);
	return Math.min(9, Math.max(1, grade + up));
}
