import { z } from 'zod';
import { CLOSURE_PATHS, EVENT_TYPES, FOCUS_GROUPS, ORG_KINDS, REASONS } from '../domain';
import type { EventType } from '../domain';
import { RULE_IDS } from './types';

const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const ruleId = z.enum(RULE_IDS);
const orgKind = z.enum(ORG_KINDS);
const eventType = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

/** `{count, unit}`: every period of a profile states its unit (DOMAIN.md "Time"). */
export const periodSchema = z.strictObject({
	count: z.number().int().min(0).max(1000),
	unit: z.enum(['schoolDay', 'workingDay', 'calendarDay'])
});

/** Field equality (`where`) and array-contains-all (`includes`) tests on an event's payload. */
const matcher = {
	where: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
	includes: z.record(z.string(), z.array(z.string())).optional()
};

/** What makes an obligation arise; the vocabulary is code, the numbers and types are data. */
const triggerSchema = z.discriminatedUnion('kind', [
	/** The n-th consecutive unexcused school day of absence (S-4a/S-4b, G-T4). Repeats per run. */
	z.strictObject({ kind: z.literal('absenceRun'), days: z.number().int().min(1).max(60) }),
	/** The first event of a type in the episode (optionally one whose payload matches). */
	z.strictObject({
		kind: z.literal('event'),
		type: eventType,
		...matcher,
		/** Only for students in this focus group. */
		studentGroup: z.string().optional(),
		/** B-4: only for students whose 户籍 is outside the district (`isNonLocal`). */
		nonLocal: z.literal(true).optional(),
		/** Only when the episode also has an event of one of these types (the S-10 path). */
		withAny: z.array(eventType).optional(),
		/** Take the start date from a date field of the event instead of its date (B-1 termStart). */
		dateField: z.string().optional(),
		/**
		 * Take the due date from a date field of the event (S-8 returnBy, B-5 correctBy): the date
		 * the paper served on the guardian names, which `within` does not then compute.
		 */
		dueField: z.string().optional()
	}),
	/** The school's persuasion failed: an attempt found nobody, or the window closed without return (S-4c). */
	z.strictObject({ kind: z.literal('persuasionFailed'), obligation: z.string() }),
	/**
	 * Another obligation's due day passed without it being met (S-8: the notice's return date
	 * passed without a return, so the joint team is due). Arises on that due day.
	 */
	z.strictObject({ kind: z.literal('missed'), obligation: z.string() })
]);

export const obligationDefSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9-]+$/),
	rule: ruleId,
	title: bilingual,
	responsible: orgKind,
	trigger: triggerSchema,
	/** null where the policy sets no date. */
	within: periodSchema.nullable(),
	done: z.strictObject({
		types: z.array(eventType).min(1),
		count: z.number().int().min(1).default(1),
		...matcher
	}),
	/** Events that make the obligation moot (the student returned, the case closed). */
	dischargedBy: z.array(eventType).default([]),
	/**
	 * Arises again once met, from the day it was met, until discharged (S-10: 继续劝返 during a
	 * deferral, one attempt per period).
	 */
	repeat: z.boolean().default(false),
	/** The sentence of the policy document the obligation and its period come from. */
	source: z.string().optional()
});
export type ObligationDef = z.infer<typeof obligationDefSchema>;

/** Evidence is an event on the timeline, or (S-10 poor family) the student's focus group. */
export const evidenceSchema = z.union([
	z.strictObject({
		key: z.string(),
		label: bilingual,
		type: eventType,
		count: z.number().int().min(1).default(1),
		...matcher
	}),
	z.strictObject({
		key: z.string(),
		label: bilingual,
		/** The student is in at least one of these focus groups (B-6) as of now (G-M4). */
		focusGroups: z.array(z.enum(FOCUS_GROUPS)).min(1)
	})
]);
export type EvidenceDef = z.infer<typeof evidenceSchema>;

export const eventRuleSchema = z.strictObject({
	rule: ruleId,
	/** Org kinds that may record it. */
	by: z.array(orgKind).min(1),
	/** Partner departments may act only once the joint team includes them (S-9). */
	memberOnly: z.boolean().default(false),
	/** At least one of these must already be on the timeline of the current episode. */
	requires: z.array(eventType).default([]),
	/** May be recorded on a closed case. */
	whenClosed: z.boolean().default(false)
});
export type EventRule = z.infer<typeof eventRuleSchema>;

export const profileSchema = z.strictObject({
	id: z.string(),
	name: bilingual,
	source: z.string(),
	periods: z.strictObject({
		/** S-4b: the window for the school's persuasion attempts. */
		persuasionWindow: periodSchema,
		/** S-8: return within this period after the notice is served. */
		noticeReturn: periodSchema,
		/**
		 * S-2: registry review after term start (Shilong 开学后两周内); null where the profile's
		 * term-start check covers the registry changes (Bishan B-1 开学后5日内…学籍变化情况).
		 */
		registryReview: periodSchema.nullable(),
		/** B-1: term-start check and report. */
		termCheck: periodSchema.nullable(),
		termReport: periodSchema.nullable()
	}),
	attempts: z.strictObject({ persuasion: z.number().int().min(1), joint: z.number().int().min(1) }),
	/** S-9: departments beside the street office, by reason. */
	reasons: z.record(z.enum(REASONS), z.strictObject({ departments: z.array(orgKind) })),
	obligations: z.array(obligationDefSchema),
	/** S-10: closure paths and the evidence each needs. */
	closure: z.record(z.enum(CLOSURE_PATHS), z.strictObject({ evidence: z.array(evidenceSchema) })),
	events: z.record(eventType, eventRuleSchema),
	/**
	 * G-M3: who may correct the student's identity (`STUDENT_IDENTITY_FIELDS`: name, 出生日期,
	 * 性别) with a profile update; the other profile fields follow `events.profile_updated` (G-M4).
	 */
	identityCorrection: z
		.strictObject({ rule: ruleId, by: z.array(orgKind).min(1) })
		.default({ rule: 'G-M3', by: ['school', 'bureau'] }),
	/** S-1: the compulsory-education cohort; over-age after it (S-10 leaving mark). */
	cohort: z.strictObject({
		cutoff: z.string().regex(/^\d{2}-\d{2}$/),
		entryAge: z.number().int(),
		leavingAge: z.number().int()
	}),
	/** Deferral/suspension lasts at most this many months (renewed on application). */
	deferralMaxMonths: z.number().int().min(1),
	/** B-6: focus periods: the first weeks of each term. */
	focusWeeksAfterTermStart: z.number().int().min(0),
	/** B-7: targets. */
	targets: z.strictObject({
		enrollmentRate: z.number(),
		retentionRate: z.number(),
		poorRetentionRate: z.number()
	}),
	/**
	 * Whether a school may keep its own terms (校历) beside the district's. The terms themselves
	 * are calendar data the bureau enters (calendar-data.ts), not policy.
	 */
	termsPerSchool: z.boolean().default(false)
});
export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
