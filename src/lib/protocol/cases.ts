import { z } from 'zod';
import { caseSummarySchema } from '../dashboard/summary';
import { LIMITS } from '../domain/limits';
import {
	EVENT_TYPES,
	caseSnapshotSchema,
	guardianInputSchema,
	idNumber,
	isoDate,
	orgKind,
	planTextSchema,
	profileId,
	studentInputSchema,
	type EventType
} from '../domain';
import { RULE_IDS } from '../rules/types';
import { bilingual } from './common';
import { STAGES } from './stages';

/**
 * Issue 13: `/api/cases*` — the case list, a new case, one case, its edit history, the bureau's
 * repair notice, the audited ID number reveal and its correction. The relay builds these answers
 * with the schemas (server/http/common.ts `answer`); the app parses them (src/lib/protocol/client.ts).
 */

const ruleId = z.enum(RULE_IDS);
const eventType = z.custom<EventType>(
	(v) => typeof v === 'string' && (EVENT_TYPES as readonly string[]).includes(v)
);

/** A stage of a case (rules `Stage`). */
export const stageSchema = z.enum(STAGES);

/** An obligation as the rules compute it (rules `Obligation`). */
export const obligationSchema = z.strictObject({
	key: z.string(),
	rule: ruleId,
	title: bilingual,
	responsible: orgKind,
	since: isoDate,
	due: isoDate.nullable(),
	state: z.enum(['pending', 'met', 'late', 'overdue', 'not_needed']),
	doneOn: isoDate.nullable(),
	ended: z.strictObject({ on: isoDate, type: eventType, reason: bilingual }).optional(),
	provisional: z.literal(true).optional(),
	error: bilingual.optional()
});

/** An early-warning flag (rules `RiskFlag`, B-6, S-3). */
export const riskFlagSchema = z.strictObject({ rule: ruleId, key: z.string(), label: bilingual });
export type RiskFlagAnswer = z.infer<typeof riskFlagSchema>;

/** One row of `GET /api/cases`, evaluated by the relay with the shared rules. */
export const caseListRowSchema = z.strictObject({
	id: z.string(),
	/** Issue 12: the human number; the id stays the URL. */
	caseNo: z.string(),
	student: z.string(),
	/** Full or masked as stored; the device keeps the masked form only (issue 11). */
	registryNo: z.string(),
	schoolId: z.string(),
	school: z.string(),
	profile: profileId,
	stage: stageSchema,
	next: obligationSchema.nullable(),
	/** Working days to the next due date, computed by the relay with the same rules. */
	daysLeft: z.number().int().nullable(),
	overdue: z.number().int(),
	conflicts: z.number().int(),
	street: z.string(),
	/** Issue 11: in-place rewrites of the stored log (ID numbers masked, retention). */
	rewrites: z.number().int(),
	/** B-5: the case's family. */
	family: z.string().optional(),
	/** Dashboard facts by the same shared rules (B-7, S-4b, S-10). */
	summary: caseSummarySchema,
	flags: z.array(riskFlagSchema)
});
export type CaseListRow = z.infer<typeof caseListRowSchema>;

/** `GET /api/cases`: the relay's today, its calendar version (G-T3) and the visible cases (S-9). */
export const caseListAnswer = z.strictObject({
	today: isoDate,
	calendarVersion: z.string(),
	cases: z.array(caseListRowSchema)
});
export type CaseListAnswer = z.infer<typeof caseListAnswer>;

/** `POST /api/cases` body (S-1/B-2: school and bureau users). */
export const newCaseBody = z.strictObject({
	profile: profileId.default('shilong-2022'),
	/** As entered: the full ID number and 学籍号, which the relay keeps out of the document. */
	student: studentInputSchema,
	guardians: z.array(guardianInputSchema).max(LIMITS.guardians).default([]),
	plan: planTextSchema.default(''),
	/** Bureau users name the school; school users create cases of their own school. */
	schoolId: z.string().optional(),
	communityId: z.string().optional()
});
export type NewCaseBody = z.input<typeof newCaseBody>;

/** `GET /api/cases/:id`: the case as a CaseSnapshot (audited). */
export const caseAnswer = caseSnapshotSchema;

const addedEvent = z.strictObject({ id: z.string(), type: z.string(), date: z.string() });

/** One stored update on the edit timeline (server/history.ts `HistoryEntry`). */
export const historyEntrySchema = z.strictObject({
	seq: z.number().int(),
	receivedAt: z.string(),
	user: z.strictObject({
		id: z.string(),
		name: z.string(),
		orgId: z.string().nullable(),
		orgName: z.string().nullable()
	}),
	created: z.boolean(),
	eventsAdded: z.array(addedEvent),
	planChanged: z.boolean(),
	profileChanged: z.boolean(),
	setAside: z.string().optional()
});
export type HistoryEntryAnswer = z.infer<typeof historyEntrySchema>;

/** `GET /api/cases/:id/history`. */
export const historyAnswer = z.strictObject({
	id: z.string(),
	entries: z.array(historyEntrySchema)
});

/** `GET /api/cases/:id/history/:seq`: the case right after update `seq` ("view as of"). */
export const asOfAnswer = z.strictObject({
	id: z.string(),
	seq: z.number().int(),
	receivedAt: z.string(),
	snapshot: caseSnapshotSchema,
	setAside: z.string().optional()
});
export type AsOfAnswer = z.infer<typeof asOfAnswer>;

/** One stored update the case loads without (issue 10), as the bureau's notice shows it. */
export const repairItemSchema = z.strictObject({
	seq: z.number().int(),
	userId: z.string(),
	userName: z.string(),
	receivedAt: z.string(),
	reason: bilingual,
	events: z.array(addedEvent),
	planText: z.boolean(),
	quarantineId: z.number().int().nullable()
});
export type RepairItemAnswer = z.infer<typeof repairItemSchema>;

/** `GET /api/cases/:id/repairs` (bureau). */
export const repairsAnswer = z.strictObject({
	id: z.string(),
	setAside: z.array(repairItemSchema)
});

/** `POST /api/cases/:id/reveal`: the full ID number for a short time (issue 11, audited). */
export const revealAnswer = z.strictObject({
	idNumber: z.string().nullable(),
	showSeconds: z.number().int().positive()
});
export type RevealAnswer = z.infer<typeof revealAnswer>;

/** `PUT /api/cases/:id/id-number`: the student's ID number, or a guardian's with `guardianId`. */
export const idCorrectionBody = z.strictObject({
	guardianId: z.string().max(64).optional(),
	idNumber
});

/** `PUT /api/cases/:id/id-number` → the masked form the app records on the timeline. */
export const idCorrectionAnswer = z.strictObject({ idMasked: z.string() });
export type IdCorrectionAnswer = z.infer<typeof idCorrectionAnswer>;
