import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTracked, appendEventUnchecked, createCaseDoc, setPlan } from '../../src/lib/case-doc';
import { caseEventSchema } from '../../src/lib/domain';
import { CaseBuilder } from '../../src/lib/demo';

function fixture() {
	const snap = new CaseBuilder({
		id: 'case-track',
		profile: 'shilong-2022',
		student: { name: '跟踪' },
		createdOn: '2026-11-16'
	})
		.absences(['2026-11-16'])
		.build();
	const { format: _f, events, ...init } = snap;
	const live = createCaseDoc(init);
	for (const e of events) appendEventUnchecked(live, e);
	const peer = new Y.Doc();
	Y.applyUpdate(peer, Y.encodeStateAsUpdate(live));
	const shadow = new Y.Doc();
	Y.applyUpdate(shadow, Y.encodeStateAsUpdate(live));
	return { live, peer, shadow, events };
}

/** The update a peer produces for one change. */
function updateOf(peer: Y.Doc, change: (d: Y.Doc) => void): Uint8Array {
	const before = Y.encodeStateVector(peer);
	let out: Uint8Array = new Uint8Array();
	const on = (u: Uint8Array) =>
		(out = Y.mergeUpdates([out.length ? out : Y.encodeStateAsUpdate(new Y.Doc()), u]));
	peer.on('update', on);
	change(peer);
	peer.off('update', on);
	return out.length ? out : Y.encodeStateAsUpdate(peer, before);
}

describe('applyTracked: what one update did, read off its transaction', () => {
	it('reports appended events and plan edits, and nothing else', () => {
		const { peer, shadow, events } = fixture();
		const ev = caseEventSchema.parse({
			...events[0],
			id: 'e-new',
			date: '2026-11-17',
			recordedAt: '2026-11-17T09:00:00.000Z'
		});
		const u = updateOf(peer, (d) => {
			appendEventUnchecked(d, ev);
			setPlan(d, '每周家访');
		});
		const t = applyTracked(shadow, u);
		expect(t).toMatchObject({ violation: null, planChanged: true, pending: false, changed: true });
		expect(t.addedEvents).toEqual([ev]);
	});

	it('a resend changes nothing', () => {
		const { live, shadow } = fixture();
		const t = applyTracked(shadow, Y.encodeStateAsUpdate(live));
		expect(t).toMatchObject({ violation: null, changed: false, addedEvents: [] });
	});

	it.each([
		['deleting an event', (d: Y.Doc) => d.getArray('events').delete(0, 1), 'append-only'],
		[
			'rewriting the student',
			(d: Y.Doc) => d.getMap('student').set('name', '改名'),
			'written-once'
		],
		['a new top-level key', (d: Y.Doc) => d.getMap('evil').set('x', 1), 'unknown-key'],
		[
			'a nested type inside events',
			(d: Y.Doc) => d.getArray('events').insert(0, [new Y.Map()]),
			'malformed'
		],
		[
			'formatting in the plan',
			(d: Y.Doc) => d.getText('plan').insert(0, 'x', { bold: true }),
			'malformed'
		]
	])('flags %s', (_what, change, violation) => {
		const { peer, shadow } = fixture();
		expect(applyTracked(shadow, updateOf(peer, change)).violation).toBe(violation);
	});

	it('notices an update that depends on changes this doc lacks', () => {
		const { peer, shadow, events } = fixture();
		const first = updateOf(peer, (d) => setPlan(d, 'a'));
		const ev = caseEventSchema.parse({
			...events[0],
			id: 'e-later',
			date: '2026-11-18',
			recordedAt: '2026-11-18T09:00:00.000Z'
		});
		const second = updateOf(peer, (d) => appendEventUnchecked(d, ev));
		expect(first.length).toBeGreaterThan(0);
		expect(applyTracked(shadow, second).pending).toBe(true);
	});
});
