import type { CaseEvent } from '../domain';
import { CalendarRangeError, NoTermError } from './calendar';
import type { ObligationDef } from './profile-schema';
import { eventsOf, factDates, matches, nthFactDate, type CaseState, type RunHit } from './state';
import type { Obligation } from './types';

interface Instance {
	def: ObligationDef;
	n: number;
	since: string;
	anchor: string;
	due: string | null;
	doneOn: string | null;
	dischargedOn: string | null;
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
		for (const hit of triggers(state, def, byId, today)) {
			const inst = instance(state, def, hit, list.length + 1);
			list.push(inst);
			out.push(toObligation(inst, today));
		}
		byId.set(def.id, list);
	}
	return out;
}

function triggers(
	state: CaseState,
	def: ObligationDef,
	byId: Map<string, Instance[]>,
	today: string
): RunHit[] {
	const t = def.trigger;
	switch (t.kind) {
		case 'absenceRun':
			return state.runHits.get(t.days) ?? [];
		case 'event': {
			if (t.studentGroup && !(state.student.focusGroups as string[]).includes(t.studentGroup)) {
				return [];
			}
			const ev = eventsOf(state, t.type).find((e) => matches(e, t.where, t.includes));
			if (!ev) return [];
			const field = t.dateField ? (ev as unknown as Record<string, unknown>)[t.dateField] : null;
			const since = typeof field === 'string' ? field : ev.date;
			return [{ since, anchor: since < ev.date ? since : ev.date }];
		}
		case 'persuasionFailed': {
			const out: RunHit[] = [];
			for (const inst of byId.get(t.obligation) ?? []) {
				const failed = failedOn(state, inst, today);
				if (failed) out.push({ since: failed, anchor: inst.anchor });
			}
			return out;
		}
	}
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
	if (first && inst.dischargedOn && inst.dischargedOn <= first) return null;
	return first;
}

function instance(state: CaseState, def: ObligationDef, hit: RunHit, n: number): Instance {
	let due: string | null = null;
	let error: Instance['error'];
	if (def.within) {
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
		dischargedOn: firstOf(state, def.dischargedBy, hit.anchor),
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

function firstOf(
	state: CaseState,
	types: readonly CaseEvent['type'][],
	from: string
): string | null {
	let first: string | null = null;
	for (const t of types) {
		for (const e of eventsOf(state, t)) {
			if (e.date >= from) {
				if (first === null || e.date < first) first = e.date;
				break;
			}
		}
	}
	return first;
}

function toObligation(inst: Instance, today: string): Obligation {
	const { def, due } = inst;
	let state: Obligation['state'];
	let done = inst.doneOn;
	if (inst.dischargedOn && (!done || inst.dischargedOn < done)) done = inst.dischargedOn;
	if (done) state = due === null || done <= due ? 'met' : 'late';
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
	if (inst.provisional) o.provisional = true;
	if (inst.error) o.error = inst.error;
	return o;
}
