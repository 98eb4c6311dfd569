import type { ClosurePath, EventType, IsoDate, OrgKind } from '../domain';
import { RULE_IDS } from './rule-ids';

export { RULE_IDS };
export type RuleId = (typeof RULE_IDS)[number];

/**
 * Why a proposed event is refused: a DOMAIN.md rule, or one of the checks every record
 * passes whatever the policy (schema, author, dates, permissions, closed case).
 */
export type RefusalCode =
	| RuleId
	| 'schema'
	| 'author'
	| 'future-date'
	| 'duplicate-id'
	| 'permission'
	| 'closed'
	| 'amend'
	| 'id-number';

/** A sentence for people, in both UI languages. */
export interface Bilingual {
	zh: string;
	en: string;
}

export type CheckResult = { ok: true } | { ok: false; rule: RefusalCode; reason: Bilingual };

/** Units of a period (DOMAIN.md "Time"): the profile says which, never the code. */
export type PeriodUnit = 'schoolDay' | 'workingDay' | 'calendarDay';
export interface Period {
	count: number;
	unit: PeriodUnit;
}

/**
 * `not_needed`: the case moved on before it was done (the student returned, the case closed);
 * never shown as done (issue 12). `Obligation.ended` says why.
 */
export type ObligationState = 'pending' | 'met' | 'late' | 'overdue' | 'not_needed';

/** One thing someone must do by a date, derived from the events. */
export interface Obligation {
	/** Stable within a case: profile obligation id (+ '#n' when it repeats, e.g. per notice). */
	key: string;
	rule: RuleId;
	title: Bilingual;
	responsible: OrgKind;
	/** When the obligation arose. */
	since: IsoDate;
	/** Last day to meet it; null where the policy sets no date. */
	due: IsoDate | null;
	state: ObligationState;
	/** The day it was met, when met or late. */
	doneOn: IsoDate | null;
	/** When `not_needed`: the record that ended it, its day, and the sentence saying so. */
	ended?: { on: IsoDate; type: EventType; reason: Bilingual };
	/**
	 * G-T3: the due date is counted through a year whose official schedule is not entered yet
	 * (暂定); it moves when the bureau enters it.
	 */
	provisional?: true;
	/** Set when the calendar cannot compute the due date, e.g. no term entered (G-T4). */
	error?: Bilingual;
}

export type Stage =
	| 'watch'
	| 'absent'
	| 'suspected'
	| 'dropout'
	| 'notice'
	| 'joint'
	| 'returned'
	| 'deferred'
	| 'closed';

export interface ClosureStatus {
	path: ClosurePath;
	eligible: boolean;
	/** Evidence still missing, each with its sentence. Empty when eligible. */
	missing: { key: string; label: Bilingual }[];
}

/** An event the merged order made invalid (G-M3): kept on the timeline, shown, resolved by amend. */
export interface Conflict {
	eventId: string;
	rule: RefusalCode;
	reason: Bilingual;
}

export interface Evaluation {
	today: IsoDate;
	/** The calendar data version this evaluation used (G-T3). */
	calendarVersion: string;
	stage: Stage;
	obligations: Obligation[];
	/** The next obligation not yet met, earliest due first (overdue first). */
	next: Obligation | null;
	/** Event types each org kind may record now (the action bar). */
	actions: Partial<Record<OrgKind, EventType[]>>;
	closure: ClosureStatus[];
	/**
	 * The closure in force (S-10 销号), or null: a closed case has no open work and offers no
	 * closure again (issue 12, "closed means closed").
	 */
	closed: { on: IsoDate; path: ClosurePath } | null;
	conflicts: Conflict[];
	/** Org kinds on the current joint team (S-9): the partner departments among them see the case. */
	teamDepartments: OrgKind[];
}
