import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOSURE_PATHS, type CaseEvent, type CaseSnapshot } from '../../src/lib/domain';
import {
	builtinCalendar,
	closureStatus,
	compareEvents,
	extendState,
	foldCase,
	getProfile,
	type CaseState
} from '../../src/lib/rules';
import { obligations } from '../../src/lib/rules/obligations';
import { bishanTermStart, shilongClosedBy, shilongToJointTeam } from '../../src/lib/demo';

/**
 * Issue 14: the relay folds each open case once and extends the fold by each accepted update
 * (`extendState`). Whenever it extends, the result must be exactly the whole fold's: same stage,
 * obligations on any day, closure, conflicts (G-M3), team (S-9). When it cannot (an amendment,
 * an event dated before one already folded), it says so and the relay folds again.
 */
const calendar = builtinCalendar();
const fold = (s: CaseSnapshot) => foldCase(s, getProfile(s.profile), calendar);
const view = (s: CaseState) =>
	JSON.stringify({
		stage: s.stage,
		closed: s.closed,
		conflicts: s.conflicts,
		team: [...s.team].sort(),
		closure: closureStatus(s),
		// A day after every sample's last event, and one in the middle of the procedures.
		late: obligations(s, '2027-12-31'),
		mid: obligations(s, '2025-10-20')
	});

const SAMPLES: [string, CaseSnapshot][] = [
	['shilong to the joint team', shilongToJointTeam().build()],
	['bishan term start', bishanTermStart().build()],
	...CLOSURE_PATHS.map((p): [string, CaseSnapshot] => [`closed by ${p}`, shilongClosedBy(p)])
];
const upTo = (s: CaseSnapshot, events: readonly CaseEvent[]): CaseSnapshot => ({
	...s,
	events: [...events]
});

describe('extending the fold gives the whole fold (issue 14)', () => {
	it.each(SAMPLES)('%s: one event at a time, in G-M1 order', (_name, s) => {
		const ordered = [...s.events].sort(compareEvents);
		let state = fold(upTo(s, []));
		let extended = 0;
		for (let k = 1; k <= ordered.length; k++) {
			const snap = upTo(s, ordered.slice(0, k));
			const next = extendState(state, snap, [ordered[k - 1] as CaseEvent]);
			if (next) extended++;
			state = next ?? fold(snap);
			expect(view(state)).toBe(view(fold(snap)));
		}
		// Only amendments need the whole fold when events come in order.
		expect(extended).toBe(ordered.filter((e) => e.type !== 'amend').length);
	});

	const seed = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : Date.now() % 1e9;
	it(`in any order of recording, with or without extending (seed ${seed})`, () => {
		const sample = fc.constantFrom(...SAMPLES.map(([, s]) => s));
		fc.assert(
			fc.property(
				sample.chain((s) =>
					fc.tuple(fc.constant(s), fc.shuffledSubarray(s.events, { minLength: 1 }))
				),
				([s, events]) => {
					let state = fold(upTo(s, []));
					for (let k = 1; k <= events.length; k++) {
						const snap = upTo(s, events.slice(0, k));
						state = extendState(state, snap, [events[k - 1] as CaseEvent]) ?? fold(snap);
						if (view(state) !== view(fold(snap))) return false;
					}
					return true;
				}
			),
			{ seed, numRuns: 150 }
		);
	});

	it('refuses what only the whole fold can do: an earlier date, an amendment', () => {
		const s = shilongToJointTeam().build();
		const ordered = [...s.events].sort(compareEvents);
		const first = ordered[0] as CaseEvent;
		const rest = ordered.slice(1);
		// The earliest event recorded last sorts before what is folded: fold again.
		expect(extendState(fold(upTo(s, rest)), upTo(s, [...rest, first]), [first])).toBeNull();
		const amend = {
			...first,
			id: 'amend-1',
			type: 'amend',
			target: first.id,
			patch: {},
			retract: true,
			date: '2030-01-01'
		} as unknown as CaseEvent;
		expect(extendState(fold(upTo(s, ordered)), upTo(s, [...ordered, amend]), [amend])).toBeNull();
	});
});
