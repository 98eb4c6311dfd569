import {
	DEPARTMENT_KINDS,
	ORG_KINDS,
	caseEventSchema,
	type CaseEvent,
	type CaseSnapshot,
	type EventType,
	type OrgKind
} from '../domain';
import type { z } from 'zod';
import { builtinCalendar, type Calendar } from './calendar';
import { closureStatus } from './closure';
import { foldCase } from './fold';
import { obligations } from './obligations';
import { getProfile } from './profiles';
import type { CaseState } from './state';
import type { CheckResult, Evaluation, Obligation } from './types';
import { checkRecordOrder } from './record-order';
import { blockOf, hasAny, refuse, validateEvent } from './validate';

const DEPARTMENTS = new Set<OrgKind>(DEPARTMENT_KINDS);

export interface EvaluateOptions {
	/** Compute the action bar for every org kind (default true; dashboards may skip it). */
	actions?: boolean;
	/** The calendar and terms to evaluate with (default: the built-in one). */
	calendar?: Calendar;
}

/**
 * Evaluates a case for a given day: stage, obligations, next due, actions, closure, conflicts.
 * Pure: `today` is a parameter and nothing is stored.
 */
export function evaluate(
	snapshot: CaseSnapshot,
	today: string,
	options: EvaluateOptions = {}
): Evaluation {
	const calendar = options.calendar ?? builtinCalendar();
	const state = foldCase(snapshot, getProfile(snapshot.profile), calendar);
	const obs = obligations(state, today);
	return {
		today,
		calendarVersion: calendar.version,
		stage: state.stage,
		obligations: obs,
		next: nextObligation(obs),
		actions: options.actions === false ? {} : allActions(state),
		closure: closureStatus(state),
		closed: state.closed ? { on: state.closed.date, path: state.closed.path } : null,
		conflicts: state.conflicts,
		teamDepartments: [...state.team]
	};
}

/** The folded state of a case, for callers that need more than the evaluation (the relay). */
export function caseState(snapshot: CaseSnapshot, calendar?: Calendar): CaseState {
	return foldCase(snapshot, getProfile(snapshot.profile), calendar);
}

/** The next obligation not yet met: overdue first, then by due date (undated last). */
export function nextObligation(obs: readonly Obligation[]): Obligation | null {
	let best: Obligation | null = null;
	for (const o of obs) {
		if (o.state !== 'pending' && o.state !== 'overdue') continue;
		if (!best || rank(o) < rank(best)) best = o;
	}
	return best;
}

function rank(o: Obligation): string {
	return `${o.state === 'overdue' ? 0 : 1}${o.due ?? '9999-99-99'}`;
}

/** Event types an org kind may record on the case now (the action bar). */
export function actionsFor(state: CaseState, orgKind: OrgKind): EventType[] {
	const out: EventType[] = [];
	for (const t of state.rules.keys()) {
		// Each org amends its own records (the bureau any): offer it only where there are some.
		if (t === 'amend' && !hasRecordsBy(state, orgKind)) continue;
		if (!blockOf(state, t, orgKind)) out.push(t);
	}
	return out;
}

function hasRecordsBy(state: CaseState, orgKind: OrgKind): boolean {
	const events = state.snapshot.events;
	if (orgKind === 'bureau') return events.length > 0;
	for (const e of events) if (e.author.orgKind === orgKind) return true;
	return false;
}

/**
 * The action bar of every org kind at once. Same decisions as `blockOf`, but the gates that do
 * not depend on the org are checked once per type (this runs on every evaluation).
 */
function allActions(state: CaseState): Partial<Record<OrgKind, EventType[]>> {
	const out: Partial<Record<OrgKind, EventType[]>> = {};
	for (const k of ORG_KINDS) out[k] = [];
	for (const [t, rule] of state.rules) {
		if (state.closed && !rule.whenClosed) continue;
		if (rule.requires.length && !hasAny(state, rule.requires)) continue;
		if (t === 'closed' && !closureStatus(state).some((c) => c.eligible)) continue;
		if (t === 'reopened' && !state.closed) continue;
		for (const k of rule.by) {
			if (rule.memberOnly && DEPARTMENTS.has(k) && !state.team.has(k)) continue;
			if (t === 'amend' && !hasRecordsBy(state, k)) continue;
			out[k]?.push(t);
		}
	}
	return out;
}

/**
 * Checks a proposed new event against the case and its author, as recorded `today`:
 * `{ ok: true }` or the rule id and a reason in Chinese and English. The event is parsed with
 * the domain schema first, so any input gets an answer (a malformed date or a missing field is
 * a format error naming its path), never an exception.
 */
export function checkEvent(
	snapshot: CaseSnapshot,
	input: unknown,
	today: string,
	calendar?: Calendar,
	/**
	 * The fold of `snapshot` when the caller keeps one (issue 14: the relay folds each open case
	 * once and extends it, instead of folding every event on every update); read, never changed.
	 */
	folded?: CaseState
): CheckResult {
	const parsed = caseEventSchema.safeParse(input);
	if (!parsed.success) return formatRefusal(parsed.error.issues);
	const event = parsed.data;
	if (snapshot.events.some((e) => e.id === event.id)) {
		return refuse('duplicate-id', { zh: '事件标识重复', en: 'duplicate event id' });
	}
	if (event.date > today) {
		return refuse('future-date', {
			zh: `日期 ${event.date} 晚于今天（${today}）`,
			en: `date ${event.date} is after today (${today})`
		});
	}
	const state =
		folded && folded.snapshot === snapshot && (!calendar || folded.calendar === calendar)
			? folded
			: caseState(snapshot, calendar);
	if (event.type === 'amend') return checkAmend(state, event);
	const r = validateEvent(state, event, today, 'propose');
	// Issue 12: refused when recorded, not saved to become a conflict in date order (G-M1).
	return r.ok ? checkRecordOrder(state, event) : r;
}

type Issue = z.core.$ZodIssue;

/**
 * A record that does not parse: each problem with its path (`servedOn`, `date`), in the
 * domain's own words where it has them (`中文 / English`), at most five.
 */
function formatRefusal(issues: readonly Issue[]): CheckResult {
	const zh: string[] = [];
	const en: string[] = [];
	for (const i of issues.slice(0, 5)) {
		const path = i.path.length ? i.path.map(String).join('.') : '(记录)';
		const [z, e] = issueWords(i);
		zh.push(`${path}：${z}`);
		en.push(`${path === '(记录)' ? '(record)' : path}: ${e}`);
	}
	return refuse('schema', {
		zh: `记录格式错误：${zh.join('；')}`,
		en: `malformed record: ${en.join('; ')}`
	});
}

function issueWords(i: Issue): [string, string] {
	// zod reports a missing field as a type error "…, received undefined".
	if (i.code === 'invalid_type' && i.message.endsWith('received undefined')) {
		return ['缺少此项', 'missing'];
	}
	if (i.code === 'invalid_union' && i.path.join('.') === 'type') {
		return ['未知的记录类型', 'unknown record type'];
	}
	const at = i.message.indexOf(' / ');
	if (at >= 0) return [i.message.slice(0, at), i.message.slice(at + 3)];
	return [`格式错误（${i.message}）`, i.message];
}

function checkAmend(state: CaseState, ev: Extract<CaseEvent, { type: 'amend' }>): CheckResult {
	const before = state.conflicts.length;
	const probe = foldCase(
		{ ...state.snapshot, events: [...state.snapshot.events, ev] },
		state.profile,
		state.calendar
	);
	const own = probe.conflicts.slice(before).find((c) => c.eventId === ev.id);
	return own ? refuse(own.rule, own.reason) : { ok: true };
}
