import { z } from 'zod';

/**
 * Issue 11: the district's personal-data settings, set by the bureau. `retentionYears`: closed
 * cases are kept in full until the end of the school year in which the student would finish
 * grade 9, plus this many school years (src/lib/rules/retention.ts); then anonymised.
 * `localWipeDays`: a device removes a user's local cases after this many days without a login.
 * Both defaults are product defaults a district changes to its own rules.
 */
export const DEFAULT_DISTRICT_SETTINGS = { retentionYears: 3, localWipeDays: 30 } as const;

/** Bounds of the settings (a retention past 30 years or a wipe past a year is a typing error). */
export const SETTINGS_BOUNDS = {
	retentionYears: { min: 0, max: 30 },
	localWipeDays: { min: 1, max: 365 }
} as const;

const whole = (zh: string, en: string, { min, max }: { min: number; max: number }) => {
	const message = `${zh}须为 ${min}–${max} 的整数 / ${en} must be a whole number from ${min} to ${max}`;
	return z.number({ message }).int({ message }).min(min, { message }).max(max, { message });
};

/** The settings as the bureau enters them (`PUT /api/settings`) and as stored. */
export const districtSettingsSchema = z.strictObject({
	retentionYears: whole('保留年限', 'The years kept in full', SETTINGS_BOUNDS.retentionYears),
	localWipeDays: whole(
		'本机数据保留天数',
		'The days local data is kept',
		SETTINGS_BOUNDS.localWipeDays
	)
});
export type DistrictSettings = z.infer<typeof districtSettingsSchema>;
