import { z } from 'zod';
import { authorSchema } from './org';
import { LIMITS, groupDigits } from './limits';
import { id, isoDateTime, planTextSchema } from './primitives';
import { guardianSchema } from './student';

/**
 * B-5 (一家一案，一生一案; Bishan seed 三(一)3 「切实做到“一家一案，一生一案”」): siblings are one
 * family with one shared plan; each sibling keeps their own case, timeline and deadlines.
 * A family is a document of its own, `family-<uuid>`, synced like a case.
 */
export const FAMILY_FORMAT = 1;

/** The id prefix that tells a family document from a case on the sync path. */
export const FAMILY_PREFIX = 'family-';

/** A family's id: `family-` and a UUID (fits the relay's 64-character document ids). */
export const familyId = z
	.string()
	.regex(/^family-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
		message: '家庭标识格式错误 / malformed family id'
	});

/** Whether a document id names a family (not a case). */
export function isFamilyId(docId: string): boolean {
	return docId.startsWith(FAMILY_PREFIX);
}

/** At most this many siblings' cases in one family. */
export const FAMILY_MEMBERS_MAX = 20;

/** One sibling's case in the family: who linked it and when (history stays on the case too). */
export const familyMemberSchema = z.strictObject({
	caseId: id,
	linkedAt: isoDateTime,
	linkedBy: authorSchema
});
export type FamilyMember = z.infer<typeof familyMemberSchema>;

/**
 * The family as plain JSON. `guardians` are the shared guardians, masked like a case's (issue
 * 11: a full ID number never enters a document; the relay refuses one anywhere in it).
 */
export const familySnapshotSchema = z.strictObject({
	format: z.literal(FAMILY_FORMAT),
	id: familyId,
	createdAt: isoDateTime,
	createdBy: authorSchema,
	members: z.array(familyMemberSchema).max(FAMILY_MEMBERS_MAX, {
		message: `最多 ${groupDigits(FAMILY_MEMBERS_MAX)} 个案件 / at most ${groupDigits(FAMILY_MEMBERS_MAX)} cases`
	}),
	guardians: z.array(guardianSchema).max(LIMITS.guardians),
	plan: planTextSchema
});
export type FamilySnapshot = z.infer<typeof familySnapshotSchema>;
