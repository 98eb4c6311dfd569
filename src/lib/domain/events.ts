import { z } from 'zod';
import { authorSchema, orgKind } from './org';
import { familyId } from './family';
import { LIMITS, tooLongMessage } from './limits';
import {
	EVENT_SCHEMA_VERSION,
	boundedText,
	id,
	isoDate,
	isoDateTime,
	longText,
	shortText
} from './primitives';
import {
	GUARDIAN_MUTABLE_FIELDS,
	STUDENT_MUTABLE_FIELDS,
	guardianSchema,
	personSchema
} from './student';

/** Dropout reasons of S-9 (with Bishan's learning/other). */
export const REASONS = [
	'guardian_neglect',
	'work',
	'disability',
	'early_marriage',
	'religion',
	'lost_contact',
	'learning',
	'other'
] as const;
export const reason = z.enum(REASONS);
export type Reason = z.infer<typeof reason>;

/** Closure paths of S-10. */
export const CLOSURE_PATHS = [
	'returned',
	'enrolled_elsewhere',
	'refuses_after_judicial',
	'unfit_to_study',
	'poor_family_refuses',
	'missing_or_deceased'
] as const;
export const closurePath = z.enum(CLOSURE_PATHS);
export type ClosurePath = z.infer<typeof closurePath>;

/** Placements after return (S-6). */
export const PLACEMENTS = [
	'join_class', // 插班
	'separate_class', // 单独编班
	'general_vocational', // 普职融合
	'individual_tutoring', // 个别辅导
	'regular_class_inclusion', // 随班就读
	'special_school', // 特殊教育学校
	'home_teaching', // 送教上门
	// 附件二 二、联合劝返工作 (残疾辍学的): 送教上门、远程信息化教学 for disabled students.
	'remote_teaching' // 远程信息化教学
] as const;
export const placement = z.enum(PLACEMENTS);
export type Placement = z.infer<typeof placement>;

export const CONTACT_MODES = ['home_visit', 'phone', 'meeting', 'online'] as const;
export const contactMode = z.enum(CONTACT_MODES);
export type ContactMode = z.infer<typeof contactMode>;

export const OUTCOMES = ['returned', 'promised', 'refused', 'not_found', 'no_contact'] as const;
export const outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof outcome>;

const base = {
	id,
	/** The day it happened (China time). */
	date: isoDate,
	/** When it was recorded on a device. */
	recordedAt: isoDateTime,
	author: authorSchema,
	v: z.literal(EVENT_SCHEMA_VERSION)
};

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
	z.strictObject({ ...base, type: z.literal(type), ...shape });

/** Why a case reopens or an event is amended: required, at most `LIMITS.reason`. */
const reasonText = z
	.string()
	.trim()
	.min(1)
	.max(LIMITS.reason, { message: tooLongMessage(LIMITS.reason) });
const participants = z.array(shortText).max(LIMITS.participants).default([]);
const note = longText.default('');
const docRef = {
	issuer: shortText,
	documentNo: boundedText(LIMITS.documentNo).default('')
};

/** S-4a: one school day of absence; only unexcused days count towards the thresholds. */
export const absenceEvent = ev('absence', { excused: z.boolean(), note });
/** S-4a: home visit or contact with the guardian to verify. */
export const homeVisitEvent = ev('home_visit', {
	mode: contactMode,
	contacted: boundedText(LIMITS.place).default(''),
	findings: note
});
/** S-4b: the suspected-dropout investigation opens with one responsible person (专人). */
export const suspectedCaseOpenedEvent = ev('suspected_case_opened', {
	responsible: personSchema,
	note
});
/** S-4b: one persuasion attempt by the school (or community). */
export const persuasionAttemptEvent = ev('persuasion_attempt', {
	mode: contactMode,
	participants,
	outcome,
	note
});
/** S-4c: dropout file (一生一表) and persuasion ledger created. */
export const dropoutFileCreatedEvent = ev('dropout_file_created', { reason, note });
/** S-4c: written report to the street office and the bureau. */
export const writtenReportEvent = ev('written_report', {
	to: z.array(orgKind).min(1),
	note
});
/** S-8: 《限期返校通知书》 served on the guardian; return by 5 working days after service. */
export const deadlineNoticeIssuedEvent = ev('deadline_notice_issued', {
	number: shortText,
	servedTo: shortText,
	servedOn: isoDate,
	returnBy: isoDate,
	note
});
/** S-8/S-9: joint persuasion team formed by reason. */
export const jointTeamFormedEvent = ev('joint_team_formed', {
	reason,
	/** Org kinds beside the street office: partner departments, or bureau/school/community (S-9). */
	departments: z.array(orgKind).max(LIMITS.departments),
	note
});
/** S-8/S-9: one joint persuasion attempt. */
export const jointPersuasionAttemptEvent = ev('joint_persuasion_attempt', {
	mode: contactMode,
	participants,
	departments: z.array(orgKind).default([]),
	outcome,
	note
});
/** B-3/S-9 lost contact: the student's whereabouts are found. */
export const studentLocatedEvent = ev('student_located', {
	whereabouts: z
		.string()
		.trim()
		.min(1)
		.max(LIMITS.whereabouts, { message: tooLongMessage(LIMITS.whereabouts) }),
	/** S-7: the student has moved to another county; the old place must notify the 户籍 place. */
	movedOutOfCounty: z.boolean().default(false),
	note
});
/** S-6: the student is back, with a placement. */
export const returnedEvent = ev('returned', { placement, schoolId: id.optional(), note });
/** S-6: follow-up after return (防止反复反弹). */
export const followUpEvent = ev('follow_up', {
	status: z.enum(['stable', 'at_risk']),
	note
});
/** B-5: the guardian is criticised and ordered to correct within a set time. */
export const guardianOrderedEvent = ev('guardian_ordered_to_correct', {
	correctBy: isoDate,
	note
});
/** S-10 refuses_after_judicial: the court/justice decision on the guardian's legal duty. */
export const judicialDecisionEvent = ev('judicial_decision', {
	...docRef,
	guardianDutyFulfilled: z.boolean(),
	note
});
/** S-10 refuses_after_judicial: the written statement of student and parents. */
export const writtenStatementEvent = ev('written_statement', {
	by: z.array(shortText).min(1).max(LIMITS.signatories),
	note
});
/** S-10 refuses_after_judicial: district government approval. */
export const districtApprovalEvent = ev('district_approval', {
	...docRef,
	decision: z.enum(['deferred_enrollment', 'suspension']),
	note
});
/** S-10 unfit_to_study: assessment by the district expert committee via 残联. */
export const disabilityAssessmentEvent = ev('disability_assessment', {
	...docRef,
	fitToStudy: z.boolean(),
	note
});
/** S-10 poor_family_refuses: 乡村振兴局 verifies and approves. */
export const ruralApprovalEvent = ev('rural_revitalization_approval', {
	...docRef,
	approved: z.boolean(),
	note
});
/**
 * S-10 missing_or_deceased: the determination. The Shilong annex names the police; in law a
 * declaration of disappearance or death is a court's, so the record names the authority.
 */
export const policeDeterminationEvent = ev('police_determination', {
	...docRef,
	authority: z.enum(['police', 'court', 'hospital', 'civil']),
	finding: z.enum(['missing', 'deceased']),
	note
});
/** S-10: 延缓入学/休学 for a period. */
export const deferralEvent = ev('deferral', {
	kind: z.enum(['deferred_enrollment', 'suspension']),
	from: isoDate,
	to: isoDate,
	note
});
/** S-10: over-age leaving mark (超龄离校标注). */
export const overAgeLeavingMarkEvent = ev('over_age_leaving_mark', { note });
/** S-10 enrolled_elsewhere / B-2: enrollment at another school confirmed. */
export const enrollmentElsewhereEvent = ev('enrollment_elsewhere_confirmed', {
	school: shortText,
	region: boundedText(LIMITS.place).default(''),
	confirmedBy: shortText,
	note
});
/** S-7, B-4: handed over to another district (户籍 place / new place), registry file sent. */
export const handoverEvent = ev('handover', {
	toDistrict: shortText,
	notifiedOrg: shortText,
	registryFileTransferred: z.boolean(),
	note
});
/** B-8 (and the transfer step of S-10 enrolled_elsewhere): a mark in the national registry. */
export const registryMarkEvent = ev('registry_mark', {
	mark: z.enum(['dropout', 'cleared', 'transferred']),
	note
});
/** B-1: the term-start check found the student not registered (未到校注册). */
export const termCheckEvent = ev('term_check', {
	termStart: isoDate,
	registered: z.boolean(),
	note
});
/** S-10: the case is closed (销号) along one path. */
export const closedEvent = ev('closed', { path: closurePath, note });
/** S-10: a closed case reopens (relapse); history stays. */
export const reopenedEvent = ev('reopened', { reason: reasonText });
/**
 * Nothing is deleted: an amend corrects (`patch`) or withdraws (`retract`) an earlier event, or
 * resolves a merge conflict (G-M3).
 */
export const amendEvent = ev('amend', {
	target: id,
	retract: z.boolean().default(false),
	patch: z.record(z.string(), z.unknown()).default({}),
	reason: reasonText
});
/** G-M4: profile fields are last-writer-wins per field; the timeline shows who changed them. */
export const profileUpdatedEvent = ev('profile_updated', {
	changes: z
		.array(
			z.union([
				z.strictObject({
					target: z.literal('student'),
					field: z.enum(STUDENT_MUTABLE_FIELDS),
					value: z.unknown()
				}),
				z.strictObject({
					target: z.literal('guardian'),
					guardianId: id,
					field: z.enum(GUARDIAN_MUTABLE_FIELDS),
					value: z.unknown()
				})
			])
		)
		.min(1)
		.max(LIMITS.profileChanges)
});
/**
 * B-5 (一家一案): the case joins a family (siblings, shared guardians, one shared plan). On the
 * timeline so the link is history and can be amended (retracted) like any event.
 */
export const familyLinkedEvent = ev('family_linked', { familyId, note });
/** G-M4: a guardian or contact added to the profile. */
export const guardianAddedEvent = ev('guardian_added', { guardian: guardianSchema });

export const caseEventSchema = z.discriminatedUnion('type', [
	absenceEvent,
	homeVisitEvent,
	suspectedCaseOpenedEvent,
	persuasionAttemptEvent,
	dropoutFileCreatedEvent,
	writtenReportEvent,
	deadlineNoticeIssuedEvent,
	jointTeamFormedEvent,
	jointPersuasionAttemptEvent,
	studentLocatedEvent,
	returnedEvent,
	followUpEvent,
	guardianOrderedEvent,
	judicialDecisionEvent,
	writtenStatementEvent,
	districtApprovalEvent,
	disabilityAssessmentEvent,
	ruralApprovalEvent,
	policeDeterminationEvent,
	deferralEvent,
	overAgeLeavingMarkEvent,
	enrollmentElsewhereEvent,
	handoverEvent,
	registryMarkEvent,
	termCheckEvent,
	closedEvent,
	reopenedEvent,
	amendEvent,
	profileUpdatedEvent,
	guardianAddedEvent,
	familyLinkedEvent
]);
export type CaseEvent = z.infer<typeof caseEventSchema>;
export type EventType = CaseEvent['type'];
export type EventOf<T extends EventType> = Extract<CaseEvent, { type: T }>;
/** The input of an event before defaults are applied (what a form produces). */
export type CaseEventInput = z.input<typeof caseEventSchema>;

export const EVENT_TYPES = caseEventSchema.options.map<EventType>((o) => o.shape.type.value);

/** Shared event fields, for code that handles any event. */
export const eventBase = z.object(base);
