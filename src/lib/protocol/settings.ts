import { z } from 'zod';
import { districtSettingsSchema, id } from '../domain';
import { SETTINGS_API_VERSION } from '../domain/versions';

/**
 * Issue 11: `/api/settings` and `/api/retention/run`, the bureau's personal-data settings and
 * the retention run. One schema per answer: the relay builds these shapes, the app parses them.
 * No answer holds a name or any other personal data: case ids and counts only.
 */
export { SETTINGS_API_VERSION };

const bilingual = z.strictObject({ zh: z.string(), en: z.string() });

/** `GET /api/settings` for any user: what a device needs (login answers carry it too). */
export const deviceSettingsAnswerSchema = z.strictObject({
	v: z.literal(SETTINGS_API_VERSION),
	settings: districtSettingsSchema.pick({ localWipeDays: true })
});

/** `GET` and `PUT /api/settings` for the bureau: every setting, and who last set them when. */
export const bureauSettingsAnswerSchema = z.strictObject({
	v: z.literal(SETTINGS_API_VERSION),
	settings: districtSettingsSchema,
	/** Null while the defaults apply. */
	changed: z.strictObject({ at: z.string(), by: z.string() }).nullable(),
	/** True when the stored value no longer validates (the defaults are shown; retention refuses). */
	invalid: z.boolean()
});
export type BureauSettingsAnswer = z.infer<typeof bureauSettingsAnswerSchema>;

/** `PUT /api/settings` refused: one line per field, Chinese and English. */
export const settingsErrorsSchema = z.object({
	message: bilingual,
	errors: z.array(z.strictObject({ path: z.string(), zh: z.string(), en: z.string() }))
});

/** `POST /api/retention/run` body: `dryRun` lists what would be anonymised, changing nothing. */
export const retentionRunBodySchema = z.strictObject({ dryRun: z.boolean().default(false) });

/** What a retention run found and did (server/retention.ts `RetentionReport`). */
export const retentionReportSchema = z.strictObject({
	today: z.string(),
	retentionYears: z.number().int(),
	dryRun: z.boolean(),
	cases: z.number().int(),
	open: z.number().int(),
	notDue: z.number().int(),
	anonymised: z.array(id),
	already: z.array(id),
	failed: z.array(
		// Issue 12: the case's human number, for people; the id for links.
		z.strictObject({ caseId: id, caseNo: z.string().max(60).optional(), reason: bilingual })
	)
});
export type RetentionReportAnswer = z.infer<typeof retentionReportSchema>;

export const retentionAnswerSchema = z.strictObject({
	v: z.literal(SETTINGS_API_VERSION),
	report: retentionReportSchema
});
