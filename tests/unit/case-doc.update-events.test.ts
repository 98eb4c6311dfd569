import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	appendEventUnchecked,
	createCaseDoc,
	objectsInUpdate,
	setPlan
} from '../../src/lib/case-doc';
import { caseEventSchema } from '../../src/lib/domain';
import { CaseBuilder } from '../../src/lib/demo';

function fixture() {
	const b = new CaseBuilder({
		id: 'case-ue',
		profile: 'shilong-2022',
		student: { name: '更新' },
		createdOn: '2026-11-16'
	}).absences(['2026-11-16']);
	const { format: _f, events, ...init } = b.build();
	const doc = createCaseDoc(init);
	for (const e of events) appendEventUnchecked(doc, e);
	return { doc, b };
}

/** The update one change makes (the doc's own `update` event). */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
	const parts: Uint8Array[] = [];
	const on = (u: Uint8Array) => parts.push(u);
	doc.on('update', on);
	change();
	doc.off('update', on);
	return Y.mergeUpdates(parts);
}

describe('objectsInUpdate: what an update inserts, without applying it', () => {
	it('finds an event appended after others (no parent name in the update)', () => {
		const { doc, b } = fixture();
		const ev = b.event('absence', '2026-11-17', { excused: false });
		const u = updateOf(doc, () => appendEventUnchecked(doc, ev));
		expect(objectsInUpdate(u)).toEqual([caseEventSchema.parse(ev)]);
	});

	it('finds every event of a merged update; a plan edit inserts none', () => {
		const { doc, b } = fixture();
		const one = b.event('absence', '2026-11-17', { excused: false });
		const two = b.event('home_visit', '2026-11-17', { mode: 'phone' });
		const u = updateOf(doc, () => {
			appendEventUnchecked(doc, one);
			setPlan(doc, '每周家访');
			appendEventUnchecked(doc, two);
		});
		expect(objectsInUpdate(u).map((e) => (e as { type: string }).type)).toEqual([
			'absence',
			'home_visit'
		]);
		expect(objectsInUpdate(updateOf(doc, () => setPlan(doc, '每周家访两次')))).toEqual([]);
	});

	it('reads an update that no document could integrate, and nothing from bytes that do not decode', () => {
		const { doc, b } = fixture();
		// Two updates in a row: the second alone depends on the first (Yjs would park it).
		updateOf(doc, () =>
			appendEventUnchecked(doc, b.event('absence', '2026-11-17', { excused: false }))
		);
		const ev = b.event('absence', '2026-11-18', { excused: false });
		const second = updateOf(doc, () => appendEventUnchecked(doc, ev));
		const fresh = new Y.Doc();
		Y.applyUpdate(fresh, second);
		expect(fresh.store.pendingStructs).not.toBeNull();
		expect(objectsInUpdate(second)).toEqual([caseEventSchema.parse(ev)]);
		expect(objectsInUpdate(new Uint8Array([1, 2, 3, 250, 251]))).toEqual([]);
		expect(objectsInUpdate(new Uint8Array())).toEqual([]);
	});
});
