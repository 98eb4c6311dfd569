import type { Profile } from './profile-schema';

/** Counts of one cohort for the retention rate (research/domain-china.md §2.1). */
export interface CohortCounts {
	entrants: number;
	transfersIn: number;
	transfersOut: number;
	/** Still enrolled (or graduated) at the end of the period. */
	retained: number;
}

/**
 * B-7: 巩固率 = retained ÷ (entrants + transfers in − transfers out), capped at 1
 * (the county formula of research §2.1). Null when the denominator is 0.
 */
export function retentionRate(c: CohortCounts): number | null {
	const base = c.entrants + c.transfersIn - c.transfersOut;
	return base > 0 ? Math.min(1, c.retained / base) : null;
}

/** B-7: 入学率 = school-age children enrolled ÷ school-age children (休学 excluded from the numerator). */
export function enrollmentRate(enrolled: number, schoolAge: number): number | null {
	return schoolAge > 0 ? enrolled / schoolAge : null;
}

export interface TargetCheck {
	enrollment: boolean | null;
	retention: boolean | null;
	poorRetention: boolean | null;
}

/** B-7: whether the rates meet the profile's targets (null where a rate is unknown). */
export function meetsTargets(
	rates: { enrollment: number | null; retention: number | null; poorRetention: number | null },
	profile: Profile
): TargetCheck {
	const t = profile.targets;
	const ge = (v: number | null, min: number) => (v === null ? null : v >= min - 1e-12);
	return {
		enrollment: ge(rates.enrollment, t.enrollmentRate),
		retention: ge(rates.retention, t.retentionRate),
		poorRetention: ge(rates.poorRetention, t.poorRetentionRate)
	};
}
