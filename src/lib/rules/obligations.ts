import type { CaseEvent, EventType } from '../domain';
import { CalendarRangeError, NoTermError } from './calendar';
import { addCalendarDays } from './dates';
import { isNonLocal } from './hukou';
import { EVENT_NAMES } from './messages';
import type { ObligationDef } from './profile-schema';
import { eventsOf, factDates, matches, nthFactDate, type CaseState, type RunHit } from './state';
import type { Obligation } from './types';

/** Where an obligation arises; `due` when the triggering paper names the date (S-8, B-5). */
interface Hit extends RunHit {
	due?: string;
}

interface Instance {
	def: ObligationDef;
	n: number;
	since: string;
	anchor: string;
	due: string | null;
	doneOn: string | null;
	discharged: { on: string; type: EventType } | null;
	provisional: boolean;
	error?: Obligation['error'];
}

/**
 * Every obligation the events give rise to, with its due date and state for `today`.
 * Triggers, periods and the events that meet an obligation all come from the profile.
 */
export function obligations(state: CaseState, today: string): Obligation[] {
	const out: Obligation[] = [];
	const byId = new Map<string, Instance[]>();
	for (const def of state.profile.obligations) {
		const list: Instance[] = [];
		for (const first of triggers(state, def, byId, today)) {
			let hit: Hit | null = first;
			while (hit) {
				const inst = instance(state, def, hit, list.length + 1);
				list.push(inst);
				out.push(toObligation(inst, today));
				hit = def.repeat ? again(inst) : null;
			}
		}
		byId.set(def.id, list);
	}
	return out;
}

/**
 * S-10 继续劝返: a repeating obligation arises again from the day it was met, counting what is
 * done after that day, until an event discharges it.
 */
function again(inst: Instance): Hit | null {
	const done = inst.doneOn;
	if (!done || (inst.discharged && inst.discharged.on <= done)) return null;
	return { since: done, anchor: addCalendarDays(done, 1) };
}

function triggers(
	state: CaseState,
	def: ObligationDef,
	byId: Map<string, Instance[]>,
	today: string
): Hit[] {
	const t = def.trigger;
	switch (t.kind) {
		case 'absenceRun':
			return state.runHits.get(t.days) ?? [];
		case 'event': {
			if (t.studentGroup && !(state.student.focusGroups as string[]).includes(t.studentGroup)) {
				return [];
			}
			if (t.nonLocal && !isNonLocal(state.student)) return [];
			if (t.withAny && !t.withAny.some((type) => state.byType.has(type))) return [];
			const ev = eventsOf(state, t.type).find((e) => matches(e, t.where, t.includes));
			if (!ev) return [];
			const since = dateField(ev, t.dateField) ?? ev.date;
			const hit: Hit = { since, anchor: since < ev.date ? since : ev.date };
			const due = dateField(ev, t.dueField);
			if (due) hit.due = due;
			return [hit];
		}
		case 'persuasionFailed': {
			const out: Hit[] = [];
			for (const inst of byId.get(t.obligation) ?? []) {
				const failed = failedOn(state, inst, today);
				if (failed) out.push({ since: failed, anchor: inst.anchor });
			}
			return out;
		}
		case 'missed': {
			const out: Hit[] = [];
			for (const inst of byId.get(t.obligation) ?? []) {
				if (missed(inst, today)) out.push({ since: inst.due as string, anchor: inst.anchor });
			}
			return out;
		}
	}
}

/** A date field of an event's payload, when the profile names one and it holds a string. */
function dateField(ev: CaseEvent, field: string | undefined): string | null {
	if (!field) return null;
	const v = (ev as unknown as Record<string, unknown>)[field];
	return typeof v === 'string' ? v : null;
}

/**
 * S-8: the due day passed and the obligation was not met by then (met later, or not at all),
 * nor made moot by that day.
 */
function missed(inst: Instance, today: string): boolean {
	const due = inst.due;
	if (!due) return false;
	if (inst.doneOn ? inst.doneOn <= due : today <= due) return false;
	return !(inst.discharged && inst.discharged.on <= due);
}

/**
 * S-4c: persuasion failed on the first of: an attempt that found nobody (失踪失联), the last
 * required attempt without a return, or the window closing without a return.
 */
function failedOn(state: CaseState, inst: Instance, today: string): string | null {
	const candidates: string[] = [];
	for (const type of inst.def.done.types) {
		for (const e of eventsOf(state, type)) {
			if (e.date >= inst.anchor && 'outcome' in e && e.outcome === 'not_found') {
				candidates.push(e.date);
				break;
			}
		}
	}
	if (inst.doneOn) candidates.push(inst.doneOn);
	else if (inst.due && today > inst.due) candidates.push(inst.due);
	if (!candidates.length) return null;
	const first = candidates.sort()[0] ?? null;
	if (first && inst.discharged && inst.discharged.on <= first) return null;
	return first;
}

function instance(state: CaseState, def: ObligationDef, hit: Hit, n: number): Instance {
	let due: string | null = hit.due ?? null;
	let error: Instance['error'];
	if (def.within && !hit.due) {
		try {
			due = state.calendar.addPeriod(hit.since, def.within, state.terms);
		} catch (err) {
			// G-T4: a school-day period past the last term entered; the obligation says why it has
			// no date instead of guessing one.
			if (err instanceof NoTermError || err instanceof CalendarRangeError) error = err.reason;
			else throw err;
		}
	}
	return {
		def,
		n,
		since: hit.since,
		anchor: hit.anchor,
		due,
		doneOn: doneOn(state, def, hit.anchor),
		discharged: endOf(state, def, hit.anchor),
		// G-T3: a due date counted through a year without an official schedule is 暂定.
		provisional: due !== null && state.calendar.provisionalBetween(hit.since, due),
		error
	};
}

function doneOn(state: CaseState, def: ObligationDef, from: string): string | null {
	const { types, count, where, includes } = def.done;
	if (types.length === 1) {
		return nthFactDate(
			eventsOf(state, types[0] as CaseEvent['type']),
			from,
			count,
			where,
			includes
		);
	}
	const dates: string[] = [];
	for (const t of types) dates.push(...factDates(eventsOf(state, t), from, where, includes));
	dates.sort();
	return dates[count - 1] ?? null;
}

/**
 * What ended an obligation without it being done: the first discharging record of the profile,
 * or the closure in force (S-10 销号). Issue 12, "closed means closed": a closed case has no
 * open work, so every obligation the profile does not end otherwise ends on the closure day —
 * S-6 follow-up and B-8 registry marks too: the seed ties neither to the ledger after 销号, and a
 * relapse reopens the case (S-10).
 */
function endOf(state: CaseState, def: ObligationDef, from: string): Instance['discharged'] {
	const first = firstOf(state, def.dischargedBy, from);
	const closed = state.closed;
	if (closed && (first === null || closed.date < first.on))
		return { on: closed.date, type: 'closed' };
	return first;
}

/** The first event of these types on or after `from`: its date and type. */
function firstOf(
	state: CaseState,
	types: readonly EventType[],
	from: string
): Instance['discharged'] {
	let first: Instance['discharged'] = null;
	for (const t of types) {
		for (const e of eventsOf(state, t)) {
			if (e.date >= from) {
				if (first === null || e.date < first.on) first = { on: e.date, type: t };
				break;
			}
		}
	}
	return first;
}

function toObligation(inst: Instance, today: string): Obligation {
	const { def, due, discharged } = inst;
	const done = inst.doneOn && (!discharged || inst.doneOn <= discharged.on) ? inst.doneOn : null;
	let state: Obligation['state'];
	if (done) state = due === null || done <= due ? 'met' : 'late';
	else if (discharged) state = 'not_needed';
	else state = due !== null && today > due ? 'overdue' : 'pending';
	const o: Obligation = {
		key: inst.n > 1 ? `${def.id}#${inst.n}` : def.id,
		rule: def.rule,
		title: def.title,
		responsible: def.responsible,
		since: inst.since,
		due,
		state,
		doneOn: done
	};
	if (state === 'not_needed' && discharged) o.ended = ended(discharged, due);
	if (inst.provisional) o.provisional = true;
	if (inst.error) o.error = inst.error;
	return o;
}

/**
 * Issue 12: an obligation the case moved past (the student returned, the case closed) is not
 * done: it says which record ended it, and that it was already past due when it did.
 */
function ended(by: NonNullable<Instance['discharged']>, due: string | null): Obligation['ended'] {
	const name = EVENT_NAMES[by.type];
	const late = due !== null && by.on > due;
	const zhLate = late ? `；期限 ${due} 前未完成` : '';
	const enLate = late ? `; it was due on ${due} and not done` : '';
	const reason =
		by.type === 'closed'
			? {
					zh: `案件已于 ${by.on} 销号，此项不再需要${zhLate}`,
					en: `no longer needed: the case was closed on ${by.on}${enLate}`
				}
			: {
					zh: `已记录「${name.zh}」（${by.on}），此项不再需要${zhLate}`,
					en: `no longer needed: “${name.en}” was recorded (${by.on})${enLate}`
				};
	return { on: by.on, type: by.type, reason };
}
