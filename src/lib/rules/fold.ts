import { caseEventSchema, type CaseEvent, type CaseSnapshot } from '../domain';
import { builtinCalendar, type Calendar } from './calendar';
import { compareEvents, inEvaluationOrder } from './order';
import type { Profile } from './profile-schema';
import { initialState, type CaseState } from './state';
import type { Stage } from './types';
import { validateEvent } from './validate';

/** Stage each milestone moves the case to, with its rank (a case never moves back by rank). */
function milestone(type: CaseEvent['type']): [Stage, number] | null {
	switch (type) {
		case 'suspected_case_opened':
			return ['suspected', 2];
		case 'dropout_file_created':
		case 'written_report':
			return ['dropout', 3];
		case 'deadline_notice_issued':
		case 'guardian_ordered_to_correct':
			return ['notice', 4];
		case 'joint_team_formed':
		case 'joint_persuasion_attempt':
			return ['joint', 5];
		case 'deferral':
			return ['deferred', 6];
		default:
			return null;
	}
}

/** Fields an amendment never changes. */
export const IMMUTABLE = new Set(['id', 'type', 'author', 'v', 'recordedAt']);

/**
 * Folds a case's events in G-M1 order into a state. Amendments are applied first (a correction
 * or withdrawal counts whatever its date); then every event is checked against the state before
 * it, and an event the merged order makes invalid is kept as a conflict, not counted (G-M3).
 */
export function foldCase(
	snapshot: CaseSnapshot,
	profile: Profile,
	calendar: Calendar = builtinCalendar()
): CaseState {
	const state = initialState(snapshot, profile, calendar);
	const events = inEvaluationOrder(snapshot.events);
	let amended: Map<string, CaseEvent | null> | null = null;
	for (const ev of events) {
		if (ev.type !== 'amend') continue;
		if (!amended) {
			// Only amendments look events up by id; most cases have none, so skip the index.
			amended = new Map();
			for (const e of events) if (!state.ids.has(e.id)) state.ids.set(e.id, e);
		}
		applyAmend(state, amended, ev);
	}
	for (const raw of events) foldStep(state, amended, raw);
	state.amended = amended;
	return state;
}

/** One event of the fold: checked against the state before it, then counted or kept as a conflict. */
function foldStep(
	state: CaseState,
	amended: Map<string, CaseEvent | null> | null,
	raw: CaseEvent
): void {
	if (raw.type === 'amend') return;
	const ev = amended?.has(raw.id) ? amended.get(raw.id) : raw;
	if (!ev) return; // withdrawn by an amendment
	const r = validateEvent(state, ev, ev.date, 'replay');
	if (r.ok) accept(state, ev);
	else state.conflicts.push({ eventId: ev.id, rule: r.rule, reason: r.reason });
}

/**
 * Issue 14: `state` (the fold of its own snapshot) brought to `snapshot`, which is that snapshot
 * with `added` appended, by one step of the fold per added event instead of the whole fold —
 * only when that is exactly what `foldCase(snapshot)` gives: every added event sorts after every
 * event already folded, in G-M1 order, and none is an amendment (an amendment re-reads the
 * timeline). Mutates and returns `state`; null when the caller must fold again.
 */
export function extendState(
	state: CaseState,
	snapshot: CaseSnapshot,
	added: readonly CaseEvent[]
): CaseState | null {
	const before = state.snapshot.events;
	if (snapshot.events.length !== before.length + added.length) return null;
	if (snapshot.profile !== state.snapshot.profile) return null;
	let last: CaseEvent | null = null;
	for (const e of before) if (!last || compareEvents(e, last) > 0) last = e;
	const next = [...added].sort(compareEvents);
	for (const ev of next) {
		if (ev.type === 'amend' || state.amended?.has(ev.id)) return null;
		if (last && compareEvents(ev, last) <= 0) return null;
		last = ev;
	}
	for (const ev of next) {
		if (state.amended) state.ids.set(ev.id, ev);
		foldStep(state, state.amended, ev);
	}
	state.snapshot = snapshot;
	return state;
}

/**
 * Whether `author` may amend `target` (G-M3): the profile lets the author's org kind amend, and
 * each org corrects its own records — the bureau, which oversees the district, any.
 */
export function mayAmend(
	profile: Profile,
	author: Pick<CaseEvent['author'], 'orgKind' | 'orgId'>,
	target: CaseEvent
): boolean {
	if (!profile.events.amend?.by.includes(author.orgKind)) return false;
	return target.author.orgId === author.orgId || author.orgKind === 'bureau';
}

/** The event as the case now counts it: corrected by amendments, or null when withdrawn. */
export function effectiveEvent(state: CaseState, ev: CaseEvent): CaseEvent | null {
	if (ev.type === 'amend') return ev;
	const a = state.amended;
	return a?.has(ev.id) ? (a.get(ev.id) ?? null) : ev;
}

function applyAmend(
	state: CaseState,
	amended: Map<string, CaseEvent | null>,
	ev: Extract<CaseEvent, { type: 'amend' }>
): void {
	const conflict = (zh: string, en: string) =>
		state.conflicts.push({ eventId: ev.id, rule: 'amend', reason: { zh, en } });
	const target = state.ids.get(ev.target);
	if (!target || target.type === 'amend')
		return void conflict('更正的对象不存在', 'nothing to amend');
	if (!mayAmend(state.profile, ev.author, target)) {
		return void conflict('只能更正本单位的记录', 'only the recording org may amend a record');
	}
	const current = amended.has(target.id) ? amended.get(target.id) : target;
	if (ev.retract || current === null || current === undefined) {
		amended.set(target.id, null);
		return;
	}
	const patch: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(ev.patch)) if (!IMMUTABLE.has(k)) patch[k] = v;
	const parsed = caseEventSchema.safeParse({ ...current, ...patch });
	if (!parsed.success) return void conflict('更正后的记录无效', 'the amended record is invalid');
	amended.set(target.id, parsed.data);
}

function accept(state: CaseState, ev: CaseEvent): void {
	if (ev.type === 'reopened') {
		// S-10 relapse: a new episode; the history stays on the timeline.
		state.byType.clear();
		state.runHits.clear();
		state.lastAbsence = null;
		state.team.clear();
		state.runLast = state.runStart = null;
		state.runLength = 0;
		state.closed = null;
		state.stage = 'watch';
		state.stageRank = 0;
	}
	state.closure = null;
	let list = state.byType.get(ev.type);
	if (!list) state.byType.set(ev.type, (list = []));
	list.push(ev);

	switch (ev.type) {
		case 'absence':
			// G-M2: one day counts once. Events arrive in date order, so a repeat of a day is
			// always right after its first record among the absences.
			if (state.lastAbsence !== ev.date) {
				state.lastAbsence = ev.date;
				if (!ev.excused) extendRun(state, ev.date);
				else state.runLast = null;
			}
			break;
		case 'term_check':
			if (!ev.registered) raise(state, 'absent', 1);
			break;
		case 'joint_team_formed':
			// S-9: the street forms the team by the reason; a later formation re-forms it (e.g.
			// police to find the student, then the departments of the reason found), so the
			// team is the latest formation's, not the union of all (DOMAIN.md "Who works…").
			state.team = new Set(ev.departments);
			for (const k of ev.departments) state.teamEver.add(k);
			break;
		case 'returned':
		case 'enrollment_elsewhere_confirmed':
			state.stage = 'returned';
			state.stageRank = 0.5; // a later absence run moves the case on again
			state.runLast = null;
			break;
		case 'closed':
			state.closed = ev;
			state.stage = 'closed';
			break;
		case 'profile_updated':
			applyProfileUpdate(state, ev);
			break;
		case 'guardian_added':
			state.guardians = [...state.guardians, ev.guardian];
			break;
		case 'family_linked':
			// B-5: the latest link names the family (a retracted one is not folded at all);
			// a reopened case stays in its family, which is not an episode's.
			state.family = ev.familyId;
			break;
	}
	const m = milestone(ev.type);
	if (m) raise(state, m[0], m[1]);
}

function raise(state: CaseState, stage: Stage, rank: number): void {
	if (state.closed || rank <= state.stageRank) return;
	state.stage = stage;
	state.stageRank = rank;
}

/**
 * G-T4: consecutive means consecutive school days, so the run continues when the previous
 * school day (skipping weekends and holidays) was an unexcused absence too.
 */
function extendRun(state: CaseState, date: string): void {
	let prev: string | null = null;
	try {
		prev = state.calendar.previousSchoolDay(date, state.terms);
	} catch {
		prev = null; // before the calendar's first year: the run starts here
	}
	if (state.runLast !== null && prev === state.runLast) state.runLength++;
	else {
		state.runLength = 1;
		state.runStart = date;
	}
	state.runLast = date;
	const n = state.runLength;
	if (!state.thresholds.includes(n)) return;
	let hits = state.runHits.get(n);
	if (!hits) state.runHits.set(n, (hits = []));
	hits.push({ since: date, anchor: state.runStart ?? date });
	// The run that opens the suspected case (S-4b) makes the case suspected; a shorter one (S-4a)
	// only asks for a check. The lengths come from the profile.
	const def = state.profile.obligations.find(
		(o) => o.trigger.kind === 'absenceRun' && o.trigger.days === n
	);
	if (def?.rule === 'S-4b') raise(state, 'suspected', 2);
	else raise(state, 'absent', 1);
}

function applyProfileUpdate(
	state: CaseState,
	ev: Extract<CaseEvent, { type: 'profile_updated' }>
): void {
	// G-M4: last writer (in G-M1 order) wins per field; copy on first write.
	let student = state.student === state.snapshot.student ? { ...state.student } : state.student;
	let guardians = state.guardians;
	for (const c of ev.changes) {
		if (c.target === 'student') {
			student = { ...student, [c.field]: c.value };
		} else {
			guardians = guardians.map((g) => (g.id === c.guardianId ? { ...g, [c.field]: c.value } : g));
		}
	}
	state.student = student;
	state.guardians = guardians;
}
