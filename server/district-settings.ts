import { z } from 'zod';
import {
	DEFAULT_DISTRICT_SETTINGS,
	districtSettingsSchema,
	isoDateTime,
	toInputErrors,
	type DistrictSettings,
	type InputError
} from '../src/lib/domain';
import type { Storage } from './storage/types';

/**
 * Issue 11: the bureau's personal-data settings (src/lib/domain/settings.ts), one JSON value
 * under one settings key, checked with the same schema on the way in and on the way out.
 */

/** The settings key. */
export const DISTRICT_SETTINGS_KEY = 'district-settings';

const storedSchema = districtSettingsSchema.extend({
	updatedAt: isoDateTime,
	updatedBy: z.string().min(1)
});

/** The settings in force, and who set them when (null while the defaults apply). */
export interface SettingsInForce {
	settings: DistrictSettings;
	changed: { at: string; by: string } | null;
	/**
	 * True when a stored value no longer validates: the defaults are shown, and the retention
	 * run refuses to work (a broken value must never shorten how long cases are kept).
	 */
	invalid: boolean;
}

/** Reads the settings; the defaults when none were stored. */
export async function readDistrictSettings(
	storage: Pick<Storage, 'getSetting'>
): Promise<SettingsInForce> {
	const raw = await storage.getSetting(DISTRICT_SETTINGS_KEY);
	if (raw === null)
		return { settings: { ...DEFAULT_DISTRICT_SETTINGS }, changed: null, invalid: false };
	let parsed: z.ZodSafeParseResult<z.infer<typeof storedSchema>>;
	try {
		parsed = storedSchema.safeParse(JSON.parse(raw));
	} catch {
		parsed = storedSchema.safeParse(undefined);
	}
	if (!parsed.success)
		return { settings: { ...DEFAULT_DISTRICT_SETTINGS }, changed: null, invalid: true };
	const { updatedAt, updatedBy, ...settings } = parsed.data;
	return { settings, changed: { at: updatedAt, by: updatedBy }, invalid: false };
}

/** Checks and stores new settings; the path-level errors (Chinese / English) otherwise. */
export async function writeDistrictSettings(
	storage: Pick<Storage, 'setSetting'>,
	input: unknown,
	by: { userId: string; at: string }
): Promise<{ ok: true; settings: DistrictSettings } | { ok: false; errors: InputError[] }> {
	const r = districtSettingsSchema.safeParse(input);
	if (!r.success) return { ok: false, errors: toInputErrors(r.error) };
	const stored = storedSchema.parse({ ...r.data, updatedAt: by.at, updatedBy: by.userId });
	await storage.setSetting(DISTRICT_SETTINGS_KEY, JSON.stringify(stored));
	return { ok: true, settings: r.data };
}
