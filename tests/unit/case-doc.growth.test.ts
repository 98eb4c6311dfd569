import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	applyTracked,
	checkGrowth,
	getPlan,
	initCaseDoc,
	setPlan,
	toSnapshot,
	type CaseInit
} from '$lib/case-doc';
import { LIMITS, caseChars, type Author, type CaseSnapshot } from '$lib/domain';

/** Re-run a failure with PROPERTY_SEED=<seed> (printed in the test name and by fast-check). */
const seed = process.env.PROPERTY_SEED
	? Number(process.env.PROPERTY_SEED)
	: Math.floor(Math.random() * 0x7fffffff);

const AUTHOR: Author = {
	userId: 'u-0',
	orgId: 'school-1',
	orgKind: 'school',
	role: 'head_teacher',
	name: '王老师'
};
const INIT: CaseInit = {
	id: 'case-g',
	profile: 'shilong-2022',
	createdAt: '2025-09-01T08:00:00.000Z',
	createdBy: AUTHOR,
	orgs: { schoolId: 'school-1', streetId: 'street-1' },
	student: {
		name: '张小红',
		gender: 'female',
		birthDate: '2012-03-04',
		registryNo: 'G110101************',
		schoolId: 'school-1',
		grade: 7
	},
	guardians: [],
	plan: '一家一案'
};

/** Rare Unicode a teacher's paste brings: astral, combining marks, RTL, emoji sequences. */
const RARE = ['𠮷', 'é', 'ǅ', 'مرحبا', '\u202Eשלום', '👩‍👩‍👧', '劝', '\n', '"\\'];

type Op =
	| { k: 'events'; count: number; noteLen: number; unit: number; badDate: boolean; dup: boolean }
	| { k: 'plan'; len: number; unit: number; at: number };

const rarely = fc.nat(9).map((x) => x === 0);
const nearNote = fc.integer({ min: LIMITS.note - 2, max: LIMITS.note + 1 });
const events = (count: fc.Arbitrary<number>, noteLen: fc.Arbitrary<number>) =>
	fc.record({
		k: fc.constant('events' as const),
		count,
		noteLen,
		unit: fc.nat(RARE.length - 1),
		badDate: rarely,
		dup: rarely
	});
const opArb: fc.Arbitrary<Op> = fc.oneof(
	// A few events, their notes near the limit or short.
	events(fc.integer({ min: 1, max: 3 }), fc.oneof(nearNote, fc.nat(50))),
	// Many short events, towards LIMITS.eventsPerCase.
	events(fc.integer({ min: 300, max: 1_500 }), fc.nat(20)),
	// Long notes in bulk, towards LIMITS.caseChars.
	events(fc.integer({ min: 150, max: 420 }), fc.constant(LIMITS.note - 5)),
	fc.record({
		k: fc.constant('plan' as const),
		len: fc.oneof(
			fc.integer({ min: LIMITS.plan - 3, max: LIMITS.plan + 2 }),
			fc.integer({ min: 0, max: 30 })
		),
		unit: fc.nat(RARE.length - 1),
		at: fc.nat()
	})
);

/** `len` code points: one rare unit, then plain characters. */
function textOf(len: number, unit: number): string {
	if (len === 0) return '';
	const rare = RARE[unit] ?? '劝';
	const rareLen = [...rare].length;
	return len >= rareLen ? rare + '记'.repeat(len - rareLen) : '记'.repeat(len);
}

describe('case-doc: checkGrowth judges an update exactly as toSnapshot judges the result', () => {
	it(`[limits] what checkGrowth accepts loads, what it refuses does not, sizes agree (seed ${seed})`, () => {
		fc.assert(
			fc.property(fc.array(opArb, { minLength: 1, maxLength: 10 }), (ops) => {
				const writer = new Y.Doc();
				writer.clientID = 1;
				initCaseDoc(writer, INIT);
				// The relay's replica: each update is tracked into it, then read back whole.
				const relay = new Y.Doc();
				Y.applyUpdate(relay, Y.encodeStateAsUpdate(writer));
				const first = toSnapshot(relay);
				if (!first.ok) throw new Error('init');
				let current: CaseSnapshot = first.value;
				let n = 0;
				for (const op of ops) {
					const before = Y.encodeStateVector(writer);
					if (op.k === 'events') {
						const events = Array.from({ length: op.count }, () => ({
							id: op.dup && n > 0 ? 'e-0' : `e-${n++}`,
							type: 'follow_up',
							date: op.badDate ? '2025-02-30' : '2025-09-08',
							recordedAt: '2025-09-08T02:00:00.000Z',
							author: AUTHOR,
							v: 1,
							status: 'stable',
							note: textOf(op.noteLen, op.unit)
						}));
						writer.getArray('events').push(events);
					} else {
						// Keep a prefix of the old plan: the edit touches only the rest (setPlan diffs).
						const old = getPlan(writer);
						const keep = op.at % (Math.min(old.length, op.len) + 1);
						setPlan(writer, old.slice(0, keep) + textOf(op.len - keep, op.unit));
					}
					const update = Y.encodeStateAsUpdate(writer, before);
					// The relay's view: only what the update adds; the loader's: the whole case.
					const g = checkGrowth(current, applyTracked(relay, update), relay);
					const loaded = toSnapshot(relay);
					expect(g.ok, g.ok ? 'accepted' : g.reason.en).toBe(loaded.ok);
					if (!g.ok || !loaded.ok) break; // refused: the scenario ends here
					expect(caseChars(g.snapshot)).toBe(JSON.stringify(loaded.value).length);
					expect(g.snapshot).toEqual(loaded.value);
					current = g.snapshot;
				}
				writer.destroy();
				relay.destroy();
			}),
			{ seed, numRuns: 12 }
		);
	}, 60_000);

	it('[limits] refuses the event past LIMITS.eventsPerCase and a plan one character too long', () => {
		const doc = new Y.Doc();
		initCaseDoc(doc, INIT);
		const s = toSnapshot(doc);
		if (!s.ok) throw new Error('init');
		const tooLong = new Y.Doc();
		Y.applyUpdate(tooLong, Y.encodeStateAsUpdate(doc));
		const sv = Y.encodeStateVector(tooLong);
		setPlan(tooLong, '方'.repeat(LIMITS.plan + 1));
		const shadow = new Y.Doc();
		Y.applyUpdate(shadow, Y.encodeStateAsUpdate(doc));
		const g = checkGrowth(
			s.value,
			applyTracked(shadow, Y.encodeStateAsUpdate(tooLong, sv)),
			shadow
		);
		expect(g).toMatchObject({
			ok: false,
			rule: 'limits',
			reason: { zh: '劝返方案过长（20,001 字，最多 20,000 字），请删减后再保存' }
		});
		const full = { ...s.value, events: [] as CaseSnapshot['events'] };
		const many = Array.from({ length: LIMITS.eventsPerCase }, (_, i) => ({
			id: `m-${i}`,
			type: 'follow_up' as const,
			date: '2025-09-08',
			recordedAt: '2025-09-08T02:00:00.000Z',
			author: AUTHOR,
			v: 1 as const,
			status: 'stable' as const,
			note: ''
		}));
		const at = { ...full, events: many };
		const one = new Y.Doc();
		Y.applyUpdate(one, Y.encodeStateAsUpdate(doc));
		const sv2 = Y.encodeStateVector(one);
		one.getArray('events').push([{ ...many[0], id: 'one-more' }]);
		const shadow2 = new Y.Doc();
		Y.applyUpdate(shadow2, Y.encodeStateAsUpdate(doc));
		const g2 = checkGrowth(at, applyTracked(shadow2, Y.encodeStateAsUpdate(one, sv2)), shadow2);
		expect(g2).toMatchObject({ ok: false, rule: 'limits' });
		if (!g2.ok) expect(g2.reason.zh).toBe('本案件的记录已达上限（最多 5,000 条）');
	});
});
