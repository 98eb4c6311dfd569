import { z } from 'zod';
import { isoDate } from '../domain/primitives';
import { ORG_OBLIGATION_KINDS, type OrgObligation } from '../rules/org-obligations';

/** Issue 13: `/api/org-obligations` and `/api/org-records` (issue 12: B-1, S-2, S-5). */

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * One org-level obligation as the shared rules compute it (rules `OrgObligation`, its type the
 * contract); checked for the fields the dashboard reads.
 */
export const orgObligationSchema = z.custom<OrgObligation>(
	(v) =>
		isObj(v) &&
		typeof v['key'] === 'string' &&
		(ORG_OBLIGATION_KINDS as readonly unknown[]).includes(v['kind']) &&
		typeof v['orgId'] === 'string' &&
		typeof v['period'] === 'string' &&
		['pending', 'met', 'late', 'overdue'].includes(v['state'] as string),
	{ message: '本单位工作事项的格式不对 / not an org obligation' }
);

const count = z.number().int().min(0);

/** `GET /api/org-obligations` → the items the user sees and their counts by state. */
export const orgObligationsAnswer = z.strictObject({
	today: isoDate,
	items: z.array(orgObligationSchema),
	counts: z.strictObject({ pending: count, met: count, late: count, overdue: count })
});
export type OrgObligationsAnswer = z.infer<typeof orgObligationsAnswer>;

/** `POST /api/org-records` body: the check was done on `doneOn`, with what it found. */
export const orgRecordBody = z.strictObject({
	kind: z.enum(ORG_OBLIGATION_KINDS),
	/** The term's start day, or `YYYY-Qn`. */
	period: z.string().min(1).max(10),
	doneOn: isoDate,
	count: z.number().int().min(0).max(1_000_000).nullable().default(null),
	note: z.string().max(500).default('')
});
export type OrgRecordBody = z.input<typeof orgRecordBody>;

/** `POST /api/org-records` → 201: the record's id and the obligation as it stands now. */
export const orgRecordAnswer = z.strictObject({ id: z.number().int(), item: orgObligationSchema });
