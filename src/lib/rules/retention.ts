import { chinaDate } from '../domain/china-date';
import { schoolYearOf } from './cohort';
import { addCalendarDays } from './dates';
import type { Profile } from './profile-schema';
import type { CaseState } from './state';

/**
 * Issue 11, retention: how long a closed case is kept in full. The default is a product default
 * a district changes (no national rule fixes it; research/domain-china.md §4 says to make it a
 * jurisdiction setting): until the end of the school year in which the student would finish
 * compulsory education — grade 9 — plus `retentionYears` (default 3) further school years.
 */

type Cohort = Profile['cohort'];

/** Grades of compulsory education (义务教育: 小学 1–6, 初中 7–9). */
export const COMPULSORY_GRADES = 9;

/**
 * S-1: the school year (named by the year it starts in) in which a child born on `birthDate`
 * is in grade 9 on normal progress: entry at `entryAge` by the cohort cutoff (born 2010-03-15:
 * grade 1 in 2016, grade 9 in 2024–2025).
 */
export function grade9YearByBirth(birthDate: string, cohort: Cohort): number {
	const y = Number(birthDate.slice(0, 4));
	const entry = birthDate.slice(5) >= cohort.cutoff ? y + cohort.entryAge + 1 : y + cohort.entryAge;
	return entry + COMPULSORY_GRADES - 1;
}

/** The school year in which a student recorded in `grade` on `on` is in grade 9, a grade a year. */
export function grade9YearByGrade(grade: number, on: string, cohort: Cohort): number {
	return schoolYearOf(on, cohort) + COMPULSORY_GRADES - grade;
}

/** The last day of school year `year` (the day before the next cutoff: 2024 → 2025-08-31). */
export function schoolYearEnd(year: number, cohort: Cohort): string {
	return addCalendarDays(`${String(year + 1).padStart(4, '0')}-${cohort.cutoff}`, -1);
}

/** What the retention date is computed from: the birth date and each grade recorded, with when. */
export interface RetentionInput {
	birthDate: string;
	grades: readonly { grade: number; on: string }[];
}

/**
 * The last day a case is kept in full: the end of the school year in which the student would
 * finish grade 9, plus `years` school years. The later of what the birth date and each recorded
 * grade give, so a student who repeated a year is not anonymised while still of school age.
 */
export function keepInFullUntil(input: RetentionInput, cohort: Cohort, years: number): string {
	let finish = grade9YearByBirth(input.birthDate, cohort);
	for (const g of input.grades) finish = Math.max(finish, grade9YearByGrade(g.grade, g.on, cohort));
	return schoolYearEnd(finish + years, cohort);
}

/** A case's retention: whether it is closed now (S-10, not reopened) and its date. */
export interface CaseRetention {
	closed: boolean;
	keepUntil: string;
}

/**
 * The retention of a folded case: the birth date as now recorded (profile updates folded), the
 * grade as created (on the day of creation) and every grade a profile update recorded (on its
 * day, whether or not it is still in force: the later date wins).
 */
export function caseRetention(state: CaseState, years: number): CaseRetention {
	const grades = [
		{ grade: state.snapshot.student.grade, on: chinaDate(new Date(state.snapshot.createdAt)) }
	];
	for (const e of state.snapshot.events) {
		if (e.type !== 'profile_updated') continue;
		for (const c of e.changes) {
			const g = c.value;
			if (c.target === 'student' && c.field === 'grade' && Number.isInteger(g))
				grades.push({ grade: g as number, on: e.date });
		}
	}
	return {
		closed: state.closed !== null,
		keepUntil: keepInFullUntil(
			{ birthDate: state.student.birthDate, grades },
			state.profile.cohort,
			years
		)
	};
}

/** True when a case is anonymised on `today`: closed, and its keep-in-full date has passed. */
export function retentionDue(r: CaseRetention, today: string): boolean {
	return r.closed && today > r.keepUntil;
}
