import { addCalendarDays } from './dates';
import type { Profile } from './profile-schema';

type Cohort = Profile['cohort'];

/** The school year a date belongs to, named by the year in which it starts (cutoff 09-01). */
export function schoolYearOf(date: string, cohort: Cohort): number {
	const y = Number(date.slice(0, 4));
	return date.slice(5) >= cohort.cutoff ? y : y - 1;
}

/**
 * S-1: the compulsory-education cohort of school year Y is born from cutoff (Y−leavingAge)
 * through the day before cutoff (Y−entryAge): for 2022, 2006-09-01 … 2016-08-31.
 */
export function cohortBirthRange(schoolYear: number, cohort: Cohort): { from: string; to: string } {
	const pad = (y: number) => String(y).padStart(4, '0');
	const from = `${pad(schoolYear - cohort.leavingAge)}-${cohort.cutoff}`;
	const before = `${pad(schoolYear - cohort.entryAge)}-${cohort.cutoff}`;
	return { from, to: addCalendarDays(before, -1) };
}

/** S-1: whether a child born on `birthDate` belongs on the roster of school-age children on `date`. */
export function isSchoolAge(birthDate: string, date: string, cohort: Cohort): boolean {
	const r = cohortBirthRange(schoolYearOf(date, cohort), cohort);
	return birthDate >= r.from && birthDate <= r.to;
}

/**
 * S-10: over-age (超龄) = born before the cohort's first birthday, i.e. already `leavingAge` the
 * day before the school year's cutoff. DOMAIN.md says "16 or older on 1 September", which would
 * also drop a child born exactly on 1 Sep (Y−16); the cohort definition it cites keeps that child.
 */
export function isOverAge(birthDate: string, date: string, cohort: Cohort): boolean {
	return birthDate < cohortBirthRange(schoolYearOf(date, cohort), cohort).from;
}
