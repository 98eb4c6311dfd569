import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	appendEventUnchecked,
	getPlan,
	hasPendingUpdates,
	initCaseDoc,
	readEvents,
	setPlan,
	toSnapshot,
	type CaseInit
} from '$lib/case-doc';
import type { Author, CaseEvent, CaseEventInput, CaseSnapshot } from '$lib/domain';

/** Re-run a failure with PROPERTY_SEED=<seed> (printed in the test name and by fast-check). */
const seed = process.env.PROPERTY_SEED
	? Number(process.env.PROPERTY_SEED)
	: Math.floor(Math.random() * 0x7fffffff);
const numRuns = process.env.PROPERTY_RUNS ? Number(process.env.PROPERTY_RUNS) : 100;

const REMOTE = 'test/remote';
const MAX_REPLICAS = 5;
const SCHOOL_DAYS = [
	'2025-09-08',
	'2025-09-09',
	'2025-09-10',
	'2025-09-11',
	'2025-09-12',
	'2025-09-15',
	'2025-09-16',
	'2025-09-17'
];
const AUTHORS: Author[] = [
	{ userId: 'u-0', orgId: 'school-1', orgKind: 'school', role: 'head_teacher', name: '王老师' },
	{ userId: 'u-1', orgId: 'school-1', orgKind: 'school', role: 'school_leader', name: '赵校长' },
	{ userId: 'u-2', orgId: 'comm-1', orgKind: 'community', role: 'officer', name: '社区刘' },
	{ userId: 'u-3', orgId: 'street-1', orgKind: 'street', role: 'officer', name: '街道陈' },
	{ userId: 'u-4', orgId: 'bureau-1', orgKind: 'bureau', role: 'officer', name: '教体局周' }
];

const init: CaseInit = {
	id: 'case-p',
	profile: 'shilong-2022',
	createdAt: '2025-09-01T08:00:00.000Z',
	createdBy: AUTHORS[0] as Author,
	orgs: { schoolId: 'school-1', streetId: 'street-1', communityId: 'comm-1' },
	student: {
		name: '张小红',
		gender: 'female',
		birthDate: '2012-03-04',
		registryNo: 'G110101************',
		schoolId: 'school-1',
		grade: 7
	},
	guardians: [{ id: 'g-1', name: '张大海', relation: '父亲' }],
	plan: '一家一案：先家访。'
};

type Op =
	| {
			k: 'append';
			r: number;
			kind: 'absence' | 'follow_up' | 'profile_updated';
			day: number;
			minute: number;
			flag: boolean;
	  }
	| { k: 'edit'; r: number; pos: number; del: number; text: string }
	| { k: 'deliver'; r: number; pick: number }
	| { k: 'exchange'; a: number; b: number }
	| { k: 'toggle'; r: number };

const replicaIndex = fc.nat(MAX_REPLICAS - 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.record({
			k: fc.constant('append' as const),
			r: replicaIndex,
			kind: fc.constantFrom('absence' as const, 'follow_up' as const, 'profile_updated' as const),
			day: fc.nat(SCHOOL_DAYS.length - 1),
			minute: fc.nat(3),
			flag: fc.boolean()
		})
	},
	{
		weight: 3,
		arbitrary: fc.record({
			k: fc.constant('edit' as const),
			r: replicaIndex,
			pos: fc.nat(),
			del: fc.nat(3),
			text: fc.constantFrom('', '家访', '电话', 'a', 'bc', '😀', ' ', '\n')
		})
	},
	{
		weight: 5,
		arbitrary: fc.record({ k: fc.constant('deliver' as const), r: replicaIndex, pick: fc.nat() })
	},
	{
		weight: 1,
		arbitrary: fc.record({ k: fc.constant('exchange' as const), a: replicaIndex, b: replicaIndex })
	},
	{ weight: 1, arbitrary: fc.record({ k: fc.constant('toggle' as const), r: replicaIndex }) }
);

function makeEvent(op: Extract<Op, { k: 'append' }>, id: string, r: number): CaseEventInput {
	const date = SCHOOL_DAYS[op.day] ?? '2025-09-08';
	// Few distinct minutes, so equal (date, recordedAt) pairs happen and the id decides (G-M1).
	const base = {
		id,
		date,
		recordedAt: `${date}T10:0${op.minute}:00.000Z`,
		author: AUTHORS[r] as Author,
		v: 1 as const
	};
	switch (op.kind) {
		case 'absence':
			// A lone surrogate now and then: Yjs's UTF-8 encoding would turn it into U+FFFD on the
			// peers only, unless case-doc makes it well-formed before storing.
			return {
				...base,
				type: 'absence',
				excused: op.flag,
				note: op.minute === 3 ? '缺\uD83D' : ''
			};
		case 'follow_up':
			return { ...base, type: 'follow_up', status: op.flag ? 'stable' : 'at_risk' };
		case 'profile_updated':
			return {
				...base,
				type: 'profile_updated',
				changes: [{ target: 'student', field: 'residence', value: `${id} 住址` }]
			};
	}
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** Moves an index off the middle of a surrogate pair (a person never edits half an emoji). */
function atCodePoint(s: string, i: number): number {
	return i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) ? i - 1 : i;
}

/** G-M1: the day it happened, then recorded-at, then event id. */
function byEvaluationOrder(a: CaseEvent, b: CaseEvent): number {
	const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
	return cmp(a.date, b.date) || cmp(a.recordedAt, b.recordedAt) || cmp(a.id, b.id);
}

function sorted(s: CaseSnapshot): CaseSnapshot {
	return { ...s, events: [...s.events].sort(byEvaluationOrder) };
}

interface Sent {
	from: number;
	update: Uint8Array;
	released: boolean;
}

/** Runs one scenario; returns the replicas after the final full sync and the ids appended. */
function runScenario(n: number, ops: Op[]): { docs: Y.Doc[]; appended: string[] } {
	// Fixed client ids: Yjs orders concurrent inserts by client id, so a seed must fix them too.
	const origin = new Y.Doc();
	origin.clientID = 1000;
	initCaseDoc(origin, init);
	const start = Y.encodeStateAsUpdate(origin);
	const log: Sent[] = [];
	const online: boolean[] = [];
	const docs = Array.from({ length: n }, (_, i) => {
		const d = new Y.Doc();
		d.clientID = i + 1;
		Y.applyUpdate(d, start, REMOTE);
		d.on('update', (update: Uint8Array, o: unknown) => {
			if (o !== REMOTE) log.push({ from: i, update, released: online[i] === true });
		});
		online.push(true);
		return d;
	});
	const appended: string[] = [];
	let counter = 0;
	for (const op of ops) {
		switch (op.k) {
			case 'append': {
				const r = op.r % n;
				const id = `r${r}-${counter++}`;
				const res = appendEventUnchecked(docs[r] as Y.Doc, makeEvent(op, id, r));
				expect(res).toEqual({ ok: true });
				appended.push(id);
				break;
			}
			case 'edit': {
				const doc = docs[op.r % n] as Y.Doc;
				const s = getPlan(doc);
				const from = atCodePoint(s, op.pos % (s.length + 1));
				const to = atCodePoint(s, Math.min(s.length, from + op.del));
				setPlan(doc, s.slice(0, from) + op.text + s.slice(Math.max(from, to)));
				break;
			}
			case 'deliver': {
				// Any released update, in any order, possibly again: Yjs must park what it cannot
				// integrate yet (pending) and ignore what it already has.
				const ready = log.filter((m) => m.released && m.from !== op.r % n);
				const m = ready[op.pick % Math.max(1, ready.length)];
				if (m && online[op.r % n]) Y.applyUpdate(docs[op.r % n] as Y.Doc, m.update, REMOTE);
				break;
			}
			case 'exchange': {
				const [a, b] = [docs[op.a % n] as Y.Doc, docs[op.b % n] as Y.Doc];
				if (a === b || !online[op.a % n] || !online[op.b % n]) break;
				Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE);
				Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE);
				break;
			}
			case 'toggle': {
				const r = op.r % n;
				online[r] = !online[r];
				// Back online: what it produced offline may now travel.
				if (online[r]) for (const m of log) if (m.from === r) m.released = true;
				break;
			}
		}
	}
	// Everyone comes online and syncs through a hub (replica 0), as through the relay.
	const hub = docs[0] as Y.Doc;
	for (const d of docs)
		Y.applyUpdate(hub, Y.encodeStateAsUpdate(d, Y.encodeStateVector(hub)), REMOTE);
	for (const d of docs)
		Y.applyUpdate(d, Y.encodeStateAsUpdate(hub, Y.encodeStateVector(d)), REMOTE);
	return { docs, appended };
}

describe('case-doc: convergence of concurrent replicas (property)', () => {
	it(`[G-M1] replicas converge to identical snapshots in any delivery order; no event lost or duplicated (seed ${seed})`, () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 3, max: MAX_REPLICAS }),
				fc.array(opArb, { minLength: 1, maxLength: 80 }),
				(n, ops) => {
					const { docs, appended } = runScenario(n, ops);
					const snaps = docs.map((d) => {
						expect(hasPendingUpdates(d)).toBe(false);
						const r = toSnapshot(d);
						if (!r.ok) throw new Error(`invalid snapshot: ${JSON.stringify(r.errors)}`);
						return r.value;
					});
					const first = snaps[0] as CaseSnapshot;
					for (const s of snaps) expect(sorted(s)).toEqual(sorted(first));
					// Stronger than the rules need, and what Yjs promises: the same array order.
					for (const d of docs) expect(readEvents(d)).toEqual(readEvents(docs[0] as Y.Doc));
					const plans = new Set(docs.map((d) => getPlan(d)));
					expect(plans.size).toBe(1);
					expect(first.plan).not.toContain('\uFFFD');
					const ids = first.events.map((e) => e.id).sort();
					expect(ids).toEqual([...appended].sort());
				}
			),
			{ seed, numRuns }
		);
	});
});
