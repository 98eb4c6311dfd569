import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	appendEventUnchecked,
	applyUpdateToCopy,
	createCaseDoc,
	diffCaseDocs,
	hasPendingUpdates,
	setPlan,
	type CaseInit
} from '$lib/case-doc';
import { cloneJson, jsonEqual } from '$lib/case-doc/json';
import type { CaseEventInput } from '$lib/domain';

// Fixtures as in case-doc.test.ts (a vitest file cannot import another test file).

const author = {
	userId: 'u-teacher',
	orgId: 'school-1',
	orgKind: 'school',
	role: 'head_teacher',
	name: '王老师'
} as const;

function makeInit(over: Partial<CaseInit> = {}): CaseInit {
	return {
		id: 'case-1',
		profile: 'shilong-2022',
		createdAt: '2025-09-01T08:00:00.000Z',
		createdBy: author,
		orgs: { schoolId: 'school-1', streetId: 'street-1' },
		student: {
			name: '李小明',
			gender: 'male',
			birthDate: '2011-05-04',
			registryNo: 'G110101************',
			schoolId: 'school-1',
			grade: 8
		},
		guardians: [{ id: 'g-1', name: '李大山', relation: '父亲', phone: '13800000000' }],
		...over
	};
}

let seq = 0;
function absence(date: string, over: Partial<Record<string, unknown>> = {}): CaseEventInput {
	seq++;
	return {
		id: `ev-${seq}`,
		type: 'absence',
		date,
		recordedAt: `${date}T09:00:00.000Z`,
		author,
		v: 1,
		excused: false,
		...over
	};
}

/** A second replica of `doc`, with its own client id. */
function replica(doc: Y.Doc): Y.Doc {
	const r = new Y.Doc();
	Y.applyUpdate(r, Y.encodeStateAsUpdate(doc));
	return r;
}

describe('case-doc: JSON helpers', () => {
	it.each([
		[{ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }, true],
		[{ a: 1, u: undefined }, { a: 1 }, true],
		[{ a: 1 }, { a: 1, b: null }, false],
		[[1, 2], [2, 1], false],
		[[1], { 0: 1 }, false],
		[new Uint8Array([1, 2]), new Uint8Array([1, 2]), true],
		[new Uint8Array([1, 2]), new Uint8Array([1, 3]), false],
		[new Uint8Array([1]), [1], false],
		[NaN, NaN, true],
		[null, {}, false]
	])('jsonEqual(%o, %o) is %s', (a, b, want) => {
		expect(jsonEqual(a, b)).toBe(want);
		expect(jsonEqual(b, a)).toBe(want);
	});

	it('cloneJson copies deeply and makes strings well-formed', () => {
		const v = { s: 'a\uDC00', bin: new Uint8Array([7]), list: [undefined, { k: 1 }] };
		const c = cloneJson(v);
		expect(c).toEqual({ s: 'a\uFFFD', bin: new Uint8Array([7]), list: [null, { k: 1 }] });
		expect(c.bin).not.toBe(v.bin);
		expect(c.list[1]).not.toBe(v.list[1]);
	});
});

describe('case-doc: diffCaseDocs (for the relay)', () => {
	const base = () => {
		const doc = createCaseDoc(makeInit({ plan: '计划' }));
		appendEventUnchecked(doc, absence('2025-09-15'));
		return doc;
	};
	const clean = {
		unknownKeys: [],
		malformedKeys: [],
		metaChanged: false,
		studentChanged: false,
		guardiansChanged: false,
		eventsRemovedOrChanged: false,
		addedEvents: [],
		planChanged: false,
		initialised: false
	};
	/** The update a peer that started from `doc` produces with `edit`. */
	const updateFrom = (doc: Y.Doc, edit: (peer: Y.Doc) => void): Uint8Array => {
		const peer = replica(doc);
		const sv = Y.encodeStateVector(peer);
		edit(peer);
		return Y.encodeStateAsUpdate(peer, sv);
	};

	it('an update changing nothing gives a clean diff', () => {
		const doc = base();
		expect(
			diffCaseDocs(
				doc,
				applyUpdateToCopy(
					doc,
					updateFrom(doc, () => undefined)
				)
			)
		).toEqual(clean);
	});

	it('detects an unknown top-level type defined by a remote update', () => {
		const doc = base();
		const evil = new Y.Doc();
		evil.getMap('evil').set('x', 1);
		const after = applyUpdateToCopy(doc, Y.encodeStateAsUpdate(evil));
		expect(diffCaseDocs(doc, after)).toEqual({ ...clean, unknownKeys: ['evil'] });
	});

	it('lists added events, also when a concurrent append lands in the middle', () => {
		const relay = base();
		const a = replica(relay);
		const b = replica(relay);
		appendEventUnchecked(a, absence('2025-09-16'));
		appendEventUnchecked(b, absence('2025-09-17'));
		appendEventUnchecked(b, absence('2025-09-18'));
		Y.applyUpdate(relay, Y.encodeStateAsUpdate(a));
		const after = applyUpdateToCopy(relay, Y.encodeStateAsUpdate(b));
		const d = diffCaseDocs(relay, after);
		expect(d).toEqual({ ...clean, addedEvents: d.addedEvents });
		expect(d.addedEvents.map((e) => (e as { date: string }).date).sort()).toEqual([
			'2025-09-17',
			'2025-09-18'
		]);
	});

	it('detects a removed event', () => {
		const doc = base();
		const after = applyUpdateToCopy(
			doc,
			updateFrom(doc, (p) => p.getArray('events').delete(0))
		);
		expect(diffCaseDocs(doc, after)).toMatchObject({ ...clean, eventsRemovedOrChanged: true });
	});

	it('detects a changed event (deleted and re-inserted with another value)', () => {
		const doc = base();
		const update = updateFrom(doc, (p) => {
			const evs = p.getArray<Record<string, unknown>>('events');
			const old = evs.get(0);
			evs.delete(0);
			evs.insert(0, [{ ...old, excused: true }]);
		});
		const d = diffCaseDocs(doc, applyUpdateToCopy(doc, update));
		expect(d.eventsRemovedOrChanged).toBe(true);
		expect(d.addedEvents).toHaveLength(1);
	});

	it('detects an event deleted and re-inserted unchanged (a Yjs-level deletion)', () => {
		const doc = base();
		const update = updateFrom(doc, (p) => {
			const evs = p.getArray<unknown>('events');
			const old = evs.get(0);
			evs.delete(0);
			evs.push([old]);
		});
		const d = diffCaseDocs(doc, applyUpdateToCopy(doc, update));
		expect(d).toEqual({ ...clean, eventsRemovedOrChanged: true });
	});

	it('detects changes to meta, student, guardians and plan', () => {
		const doc = base();
		const update = updateFrom(doc, (p) => {
			p.getMap('meta').set('profile', 'bishan-2024');
			p.getMap('student').set('grade', 9);
			p.getArray('guardians').push([{ id: 'g-2', name: '张三', relation: '舅舅' }]);
			setPlan(p, '新计划');
		});
		expect(diffCaseDocs(doc, applyUpdateToCopy(doc, update))).toEqual({
			...clean,
			metaChanged: true,
			studentChanged: true,
			guardiansChanged: true,
			planChanged: true
		});
	});

	it('detects a meta key rewritten with the same value', () => {
		const doc = base();
		const update = updateFrom(doc, (p) => p.getMap('meta').set('id', 'case-1'));
		expect(diffCaseDocs(doc, applyUpdateToCopy(doc, update)).metaChanged).toBe(true);
	});

	it('detects content the layout never writes (map entries in events, nested types, formatting)', () => {
		const doc = base();
		const evil = new Y.Doc();
		evil.getMap('events').set('x', 1);
		evil.getArray('guardians').push([new Y.Map()]);
		evil.getText('plan').insert(0, 'bold', { bold: true });
		const after = applyUpdateToCopy(doc, Y.encodeStateAsUpdate(evil));
		expect(diffCaseDocs(doc, after).malformedKeys).toEqual(['guardians', 'events', 'plan']);
	});

	it('reports initialisation of an empty doc, not changes', () => {
		const empty = new Y.Doc();
		const after = applyUpdateToCopy(empty, Y.encodeStateAsUpdate(base()));
		const d = diffCaseDocs(empty, after);
		expect(d).toEqual({
			...clean,
			initialised: true,
			planChanged: true,
			addedEvents: d.addedEvents
		});
		expect(d.addedEvents).toHaveLength(1);
	});

	it('hasPendingUpdates tells an update whose predecessors are missing', () => {
		const doc = base();
		const peer = replica(doc);
		const updates: Uint8Array[] = [];
		peer.on('update', (u: Uint8Array) => updates.push(u));
		setPlan(peer, '一');
		setPlan(peer, '一二');
		const second = updates[1];
		if (!second) throw new Error('expected two updates');
		const after = applyUpdateToCopy(doc, second);
		expect(hasPendingUpdates(after)).toBe(true);
		expect(diffCaseDocs(doc, after).planChanged).toBe(false);
		expect(hasPendingUpdates(applyUpdateToCopy(doc, updates[0] ?? new Uint8Array()))).toBe(false);
	});
});
