import { z } from 'zod';
import { calendarDataSchema, officialYearSchema, termYearSchema } from '../rules/calendar-data';

/**
 * Issue 13: `/api/calendar*` (G-T3, G-T4). Any user reads the calendar data every device
 * evaluates with; the bureau enters a year's official schedule or a school year's terms.
 */

/** `GET /api/calendar`: `{version, years, termYears}`, cached by devices for offline use. */
export const calendarAnswer = calendarDataSchema;

/** `PUT /api/calendar/years` body: one year's official State Council schedule. */
export const calendarYearBody = officialYearSchema;
/** `PUT /api/calendar/terms` body: one school year's terms. */
export const calendarTermsBody = termYearSchema;

/** `PUT /api/calendar/years|terms` → the version now in force. */
export const calendarSaveAnswer = z.strictObject({ version: z.string().min(1) });

/** One entry of the calendar log (server/storage/types.ts `CalendarLogEntry`). */
export const calendarLogEntrySchema = z.strictObject({
	seq: z.number().int(),
	kind: z.enum(['year', 'terms']),
	/** `2027` for a year; `2026-2027` for the district's terms, `2026-2027/<schoolId>` for a school's. */
	key: z.string(),
	userId: z.string(),
	at: z.string(),
	source: z.string().nullable()
});
export type CalendarLogEntry = z.infer<typeof calendarLogEntrySchema>;

/** `GET /api/calendar/log` (bureau): who entered what, when; oldest first. */
export const calendarLogAnswer = z.strictObject({ log: z.array(calendarLogEntrySchema) });
