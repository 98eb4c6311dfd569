import { z } from 'zod';
import { EVENT_TYPES, id, orgKind, type EventType } from '../domain';
import { QUARANTINE_LIST_VERSION } from '../domain/versions';

/**
 * `GET /api/quarantine[?case=ID]`: the updates the relay refused and kept (DESIGN.md "When the
 * relay refuses an update"), for the bureau. One schema: the relay builds this shape and the app
 * parses it. Who, when, rule, reason, case and the event types the update carried — never the
 * update itself, nor any student's name or ID number.
 */
export { QUARANTINE_LIST_VERSION };

const eventType = z.custom<EventType>(
	(v) => typeof v === 'string' && (EVENT_TYPES as readonly string[]).includes(v)
);

/** One event a refused update carried: its id (a timeline key) and type, no payload. */
export const quarantinedEventSchema = z.strictObject({ id: z.string().max(200), type: eventType });

/** One refused update as the bureau sees it. */
export const quarantineEntrySchema = z.strictObject({
	/** The quarantine id: the `id` of the relay's refused message to the sender. */
	id: z.number().int().positive(),
	caseId: id,
	/** Issue 12: the case's human number, null when no such case is stored. */
	caseNo: z.string().max(60).nullable().optional(),
	/** ISO instant the relay received (and refused) it. */
	receivedAt: z.string(),
	/** A DOMAIN.md rule id, or schema, author, layout, append-only, causality, malformed. */
	rule: z.string(),
	reason: z.strictObject({ zh: z.string(), en: z.string() }),
	user: z.strictObject({
		id: z.string(),
		/** The account's display name (the user id when the account is gone). */
		displayName: z.string(),
		orgId: z.string().nullable(),
		orgName: z.string().nullable(),
		orgKind: orgKind.nullable()
	}),
	/** Events the update inserted (none for a plan edit or a malformed update). */
	events: z.array(quarantinedEventSchema)
});
export type QuarantineEntry = z.infer<typeof quarantineEntrySchema>;

export const quarantineListSchema = z.strictObject({
	v: z.literal(QUARANTINE_LIST_VERSION),
	/** The case asked for, or null for the whole district. */
	caseId: id.nullable(),
	/** Newest first. */
	records: z.array(quarantineEntrySchema)
});
export type QuarantineList = z.infer<typeof quarantineListSchema>;
