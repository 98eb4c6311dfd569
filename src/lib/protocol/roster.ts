import { z } from 'zod';
import { focusGroup, profileId } from '../domain';
import { bilingual } from './common';
import { riskFlagSchema } from './cases';

/**
 * Issue 13: `/api/roster/*` (S-1, B-1, B-2, B-6). Roster rows are minors' data: every row leaves
 * the relay with its 学籍号 and ID number masked (issue 11), named by an opaque key where the
 * page acts on it. The page's view types are these schemas' (`z.infer`).
 */

const term = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const gender = z.enum(['male', 'female']);
const counts = z.record(z.string(), z.number().int().min(0));
/** A row's opaque key: an HMAC with a relay secret (server/http/roster.ts `traceKey`). */
const rowKey = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

/** A problem of an uploaded file: its row and column, when it has one. */
export const rosterErrorSchema = z.strictObject({
	row: z.number().int().nullable(),
	column: z.string().nullable(),
	message: bilingual
});
export type RosterErrorView = z.infer<typeof rosterErrorSchema>;

/** A preview row: the 学籍号 and ID number come masked (issue 11). */
export const rosterRowSchema = z.strictObject({
	registryNo: z.string(),
	name: z.string(),
	gender,
	birthDate: z.string(),
	idNumber: z.string().nullable(),
	schoolId: z.string(),
	grade: z.number().int(),
	className: z.string(),
	hukouPlace: z.string(),
	residence: z.string(),
	guardianName: z.string(),
	guardianPhone: z.string(),
	focusGroups: z.array(focusGroup).optional()
});
export type RosterRowView = z.infer<typeof rosterRowSchema>;

/** A student of a difference list: masked, named by the relay's opaque key. */
export const diffRowSchema = z.strictObject({
	key: z.string(),
	registryNo: z.string(),
	name: z.string(),
	schoolId: z.string(),
	grade: z.number().int(),
	className: z.string()
});
export type DiffRowView = z.infer<typeof diffRowSchema>;

/** What a full import changes (server/roster/diff.ts); the row lists may be cut, never the counts. */
export const rosterDiffSchema = z.strictObject({
	schools: z.array(z.string()),
	before: z.number().int(),
	after: z.number().int(),
	added: z.number().int(),
	removed: z.number().int(),
	changed: z.number().int(),
	unchanged: z.number().int(),
	addedRows: z.array(diffRowSchema),
	removedRows: z.array(diffRowSchema),
	changedRows: z.array(
		diffRowSchema.extend({
			changes: z.array(
				z.strictObject({
					field: z.string(),
					before: z.string().nullable(),
					after: z.string().nullable()
				})
			)
		})
	)
});
export type RosterDiffView = z.infer<typeof rosterDiffSchema>;

/** Issue 12 (B-1): the schools' full roster of the term (the default), or additions only. */
export const importKindSchema = z.enum(['full', 'additions']);
export type ImportKind = z.infer<typeof importKindSchema>;

/** `POST /api/roster/preview?term=&name=&kind=` (raw CSV/XLSX body) → the checked file. */
export const previewAnswer = z.strictObject({
	previewId: z.string(),
	term,
	fileName: z.string(),
	/** The file's format. */
	kind: z.enum(['csv', 'xlsx']),
	rows: z.number().int(),
	valid: z.number().int(),
	errorCount: z.number().int(),
	errors: z.array(rosterErrorSchema),
	sample: z.array(rosterRowSchema),
	bySchool: counts,
	schools: z.record(z.string(), z.string()),
	importKind: importKindSchema,
	/** A full import's difference to the stored roster (null for additions, or with errors). */
	replace: rosterDiffSchema.nullable()
});
export type PreviewView = z.infer<typeof previewAnswer>;

/** `POST /api/roster/import` body. */
export const importBody = z.strictObject({ previewId: z.string().max(100) });

/** `POST /api/roster/import` → what was stored. */
export const importAnswer = z.strictObject({
	importId: z.number().int(),
	term,
	rows: z.number().int(),
	importKind: importKindSchema,
	/** The schools whose roster of the term a full import replaced. */
	schools: z.array(z.string())
});
export type ImportAnswer = z.infer<typeof importAnswer>;

/** `GET /api/roster/summary?term=`: students per school, this term and the one before (B-7). */
export const summaryAnswer = z.strictObject({
	term,
	currentTerm: term,
	terms: z.array(term),
	counts,
	previousTerm: term.nullable(),
	previousCounts: counts,
	schools: z.record(z.string(), z.string())
});
export type SummaryView = z.infer<typeof summaryAnswer>;

/** A student to trace (B-1/B-2): the 学籍号 and ID number come masked (issue 11). */
export const traceStudentSchema = z.strictObject({
	/** Opaque, from the relay: names the row when a case is opened for it (never the 学籍号). */
	key: rowKey,
	registryNo: z.string(),
	name: z.string(),
	gender,
	idNumber: z.string().nullable(),
	schoolId: z.string(),
	school: z.string(),
	grade: z.number().int(),
	className: z.string(),
	previousTerm: term
});
export type TraceStudentView = z.infer<typeof traceStudentSchema>;

/** `GET /api/roster/trace?term=`. */
export const traceAnswer = z.strictObject({
	term,
	previousTerm: term.nullable(),
	pendingSchools: z.array(z.string()),
	students: z.array(traceStudentSchema)
});
export type TraceView = z.infer<typeof traceAnswer>;

/** A student of the watch list (B-6): masked, with the rules' flags. */
export const watchStudentSchema = traceStudentSchema
	.omit({ previousTerm: true })
	.extend({ flags: z.array(riskFlagSchema) });
export type WatchStudentView = z.infer<typeof watchStudentSchema>;

/** `GET /api/roster/watch?term=` (audited `roster-watch`). */
export const watchAnswer = z.strictObject({ term, students: z.array(watchStudentSchema) });
export type WatchView = z.infer<typeof watchAnswer>;

/** `POST /api/roster/trace/case` and `/api/roster/watch/case` body: a row by its opaque key. */
export const rowCaseBody = z.strictObject({ term, key: rowKey, profile: profileId.optional() });
