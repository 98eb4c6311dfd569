/**
 * The dashboard's per-case summary: a few plain facts a case's index row carries so that the
 * overview (counts, deadlines, indicators, trends) never opens a case document. Computed by the
 * shared rules from the case's snapshot, in the browser (local index) and in the relay
 * (`GET /api/cases`) alike.
 */
import { z } from 'zod';
import {
	chinaDate,
	closurePath,
	focusGroup,
	id,
	isoDate,
	orgKind,
	profileId,
	reason,
	type CaseEvent,
	type CaseSnapshot,
	type EventType,
	type Reason
} from '../domain';
import { RULE_IDS, caseState, evaluate, type CaseState, type Obligation } from '../rules';

/** Format version of a summary: a row with another version counts as "not yet summarised". */
export const SUMMARY_VERSION = 1;

const openObligationSchema = z.object({
	key: z.string(),
	rule: z.enum(RULE_IDS),
	responsible: orgKind,
	due: isoDate.nullable(),
	state: z.enum(['pending', 'overdue'])
});
/** An obligation not met yet when the summary was made. */
export type OpenObligation = z.infer<typeof openObligationSchema>;

/**
 * Whether the case has its one responsible person (专人, S-4b): `named` once the suspected case
 * is opened with one, `missing` when S-4b requires one (5 unexcused days, or a later stage) and
 * nobody is named yet, `not-required` before that.
 */
export const RESPONSIBLE_STATES = ['named', 'missing', 'not-required'] as const;

/** Read-back schema: rows come from IndexedDB and the relay (zod at every trust boundary). */
export const caseSummarySchema = z.object({
	v: z.literal(SUMMARY_VERSION),
	/** The day the obligation states were judged for. */
	asOf: isoDate,
	profile: profileId,
	/** The day the case was created (China time). */
	openedOn: isoDate,
	streetId: id,
	schoolId: id,
	grade: z.number().int(),
	focusGroups: z.array(focusGroup),
	/** S-9 reasons named by the dropout file and the joint team, first named first. */
	reasons: z.array(reason),
	responsible: z.enum(RESPONSIBLE_STATES),
	/** First unexcused absence of the current episode (S-4a). */
	firstAbsence: isoDate.nullable(),
	/** The suspected-dropout case was opened (S-4b). */
	suspectedOn: isoDate.nullable(),
	/** Last return to school (S-6). */
	returnedOn: isoDate.nullable(),
	/** Closure (S-10): day and path. */
	closedOn: isoDate.nullable(),
	closedPath: closurePath.nullable(),
	/** Obligations not met yet (pending or overdue as of `asOf`). */
	open: z.array(openObligationSchema)
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

/** A stored summary if it is one of this version; null for rows made before it ("not yet"). */
export function readSummary(value: unknown): CaseSummary | null {
	if (value === undefined || value === null) return null;
	const r = caseSummarySchema.safeParse(value);
	return r.success ? r.data : null;
}

function accepted<T extends EventType>(
	state: CaseState,
	type: T
): readonly Extract<CaseEvent, { type: T }>[] {
	return (state.byType.get(type) ?? []) as Extract<CaseEvent, { type: T }>[];
}

/** Stages at which S-4b's responsible person must exist. */
const NEEDS_RESPONSIBLE = new Set(['suspected', 'dropout', 'notice', 'joint', 'deferred']);

/**
 * The summary of a folded case and its obligations for `today`. Dates are of the current
 * episode (since the last reopening, S-10 relapse), as the rules count them.
 */
export function summarizeState(
	state: CaseState,
	obligations: readonly Obligation[],
	today: string
): CaseSummary {
	const snap = state.snapshot;
	const reasons: Reason[] = [];
	for (const e of [
		...accepted(state, 'dropout_file_created'),
		...accepted(state, 'joint_team_formed')
	])
		if (!reasons.includes(e.reason)) reasons.push(e.reason);
	const opened = accepted(state, 'suspected_case_opened')[0];
	// S-4b: 5 unexcused school days require the responsible person; so does any later stage.
	const required = obligations.some((o) => o.rule === 'S-4b') || NEEDS_RESPONSIBLE.has(state.stage);
	const returned = accepted(state, 'returned');
	return {
		v: SUMMARY_VERSION,
		asOf: today,
		profile: snap.profile,
		openedOn: chinaDate(new Date(snap.createdAt)),
		streetId: snap.orgs.streetId,
		schoolId: snap.orgs.schoolId,
		grade: state.student.grade,
		focusGroups: [...state.student.focusGroups],
		reasons,
		responsible: opened?.responsible.name ? 'named' : required ? 'missing' : 'not-required',
		firstAbsence: accepted(state, 'absence').find((e) => !e.excused)?.date ?? null,
		suspectedOn: opened?.date ?? null,
		returnedOn: returned[returned.length - 1]?.date ?? null,
		closedOn: state.closed?.date ?? null,
		closedPath: state.closed?.path ?? null,
		open: obligations
			.filter((o) => o.state === 'pending' || o.state === 'overdue')
			.map((o) => ({
				key: o.key,
				rule: o.rule,
				responsible: o.responsible,
				due: o.due,
				state: o.state as 'pending' | 'overdue'
			}))
	};
}

/** The summary of a case snapshot for `today` (folds and evaluates it with the shared rules). */
export function summarize(snapshot: CaseSnapshot, today: string): CaseSummary {
	const e = evaluate(snapshot, today, { actions: false });
	return summarizeState(caseState(snapshot), e.obligations, today);
}
