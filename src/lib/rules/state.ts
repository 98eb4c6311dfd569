import type { CaseEvent, CaseSnapshot, EventType, Guardian, OrgKind, Student } from '../domain';
import type { Calendar, Term } from './calendar';
import type { EventRule, Profile } from './profile-schema';
import type { ClosureStatus, Conflict, Stage } from './types';

/** Where an absence run reached a threshold: `since` its n-th day, `anchor` its first day. */
export interface RunHit {
	since: string;
	anchor: string;
}

/**
 * The case after folding its events in G-M1 order: plain data the obligations, closure and
 * permission checks read. "Episode" = the events since the last reopening (S-10 relapse).
 */
export interface CaseState {
	profile: Profile;
	/** The working-day calendar this evaluation uses (G-T3: a value, not module state). */
	calendar: Calendar;
	/** The school terms of the case's school (G-T4). */
	terms: readonly Term[];
	snapshot: CaseSnapshot;
	/** Every event by id, whatever its fate; filled only when the case has amendments. */
	ids: Map<string, CaseEvent>;
	/**
	 * Events changed by amendments: id → the corrected event, or null when withdrawn. Null when
	 * the case has no amendments (history view and restore read it).
	 */
	amended: Map<string, CaseEvent | null> | null;
	/** Accepted events of the current episode by type, each list in G-M1 order. */
	byType: Map<EventType, CaseEvent[]>;
	closed: Extract<CaseEvent, { type: 'closed' }> | null;
	stage: Stage;
	stageRank: number;
	/** Absence-run thresholds reached, per threshold (S-4a, S-4b, G-T4). */
	runHits: Map<number, RunHit[]>;
	runLast: string | null;
	runStart: string | null;
	runLength: number;
	/** The last absence day counted (G-M2: a day counts once). */
	lastAbsence: string | null;
	/**
	 * Org kinds on the joint team now (S-9): the latest formation of this episode, empty after a
	 * reopening until the team is formed again; and every kind ever on a team (history only).
	 */
	team: Set<OrgKind>;
	teamEver: Set<OrgKind>;
	conflicts: Conflict[];
	/** The profile as of now: `profile_updated` folded in G-M1 order (G-M4). */
	student: Student;
	guardians: Guardian[];
	/** B-5 (一家一案): the family the case belongs to, by its latest `family_linked`; null if none. */
	family: string | null;
	/** Thresholds of absence runs the profile's obligations use. */
	thresholds: number[];
	/** The profile's event rules by type (a Map: hot lookups by a dynamic key). */
	rules: Map<EventType, EventRule>;
	/** Closure status as of the last accepted event (cache, see closure.ts). */
	closure: ClosureStatus[] | null;
}

/** A fresh state for a snapshot. */
export function initialState(
	snapshot: CaseSnapshot,
	profile: Profile,
	calendar: Calendar
): CaseState {
	const thresholds: number[] = [];
	for (const o of profile.obligations) {
		if (o.trigger.kind === 'absenceRun' && !thresholds.includes(o.trigger.days)) {
			thresholds.push(o.trigger.days);
		}
	}
	return {
		profile,
		calendar,
		terms: calendar.termsFor(profile.termsPerSchool ? snapshot.orgs.schoolId : null),
		snapshot,
		ids: new Map(),
		amended: null,
		byType: new Map(),
		closed: null,
		stage: 'watch',
		stageRank: 0,
		runHits: new Map(),
		runLast: null,
		runStart: null,
		runLength: 0,
		lastAbsence: null,
		team: new Set(),
		teamEver: new Set(),
		conflicts: [],
		student: snapshot.student,
		guardians: snapshot.guardians,
		family: null,
		thresholds,
		rules: rulesOf(profile),
		closure: null
	};
}

const RULES = new WeakMap<Profile, Map<EventType, EventRule>>();

/** The event rules of a profile as a Map, built once per profile. */
export function rulesOf(profile: Profile): Map<EventType, EventRule> {
	let m = RULES.get(profile);
	if (!m) {
		m = new Map(Object.entries(profile.events) as [EventType, EventRule][]);
		RULES.set(profile, m);
	}
	return m;
}

/** Accepted events of a type in the current episode. */
export function eventsOf<T extends EventType>(
	state: CaseState,
	type: T
): readonly Extract<CaseEvent, { type: T }>[] {
	return (state.byType.get(type) ?? []) as Extract<CaseEvent, { type: T }>[];
}

/** Whether an event's payload matches `where` (equality) and `includes` (array contains all). */
export function matches(
	ev: CaseEvent,
	where?: Record<string, string | number | boolean>,
	includes?: Record<string, string[]>
): boolean {
	const rec = ev as unknown as Record<string, unknown>;
	if (where) for (const k in where) if (rec[k] !== where[k]) return false;
	if (includes) {
		for (const k in includes) {
			const have = rec[k];
			if (!Array.isArray(have)) return false;
			for (const want of includes[k] ?? []) if (!have.includes(want)) return false;
		}
	}
	return true;
}

/**
 * G-M2: the same fact recorded twice counts once. Attempts are the same fact when they share
 * the day and the mode; other events when they share the day.
 */
export function factKey(ev: CaseEvent): string {
	return 'mode' in ev ? `${ev.date}|${ev.mode}` : ev.date;
}

/**
 * The date of the n-th distinct matching fact on or after `from` (G-M2), or null. `events` is in
 * G-M1 order, so dates ascend. The common n = 1 case allocates nothing.
 */
export function nthFactDate(
	events: readonly CaseEvent[],
	from: string,
	n: number,
	where?: Record<string, string | number | boolean>,
	includes?: Record<string, string[]>
): string | null {
	let seen: Set<string> | null = null;
	for (const ev of events) {
		if (ev.date < from || !matches(ev, where, includes)) continue;
		if (n === 1) return ev.date;
		const key = factKey(ev);
		seen ??= new Set();
		if (seen.has(key)) continue;
		seen.add(key);
		if (seen.size === n) return ev.date;
	}
	return null;
}

/** Dates (ascending) of distinct matching facts on or after `from`. */
export function factDates(
	events: readonly CaseEvent[],
	from: string,
	where?: Record<string, string | number | boolean>,
	includes?: Record<string, string[]>
): string[] {
	const out: string[] = [];
	const seen = new Set<string>();
	for (const ev of events) {
		if (ev.date < from || !matches(ev, where, includes)) continue;
		const key = factKey(ev);
		if (seen.has(key)) continue;
		seen.add(key);
		out.push(ev.date);
	}
	return out;
}
