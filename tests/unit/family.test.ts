import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addFamilyMember,
	checkFamilyChange,
	initFamilyDoc,
	isEmptyFamilyDoc,
	setPlan,
	toFamilySnapshot
} from '../../src/lib/case-doc';
import { isFamilyId, type Guardian } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { caseState } from '../../src/lib/rules';
import { idNumber } from '../e2e/id-numbers';
import { shilong } from './helpers';

const FAMILY = 'family-0b6f3c1e-3f4a-4c55-9a51-2d1f0c7e8a90';
const AT = '2025-11-03T02:00:00.000Z';
const school = DEMO_AUTHORS.school;
const mother: Guardian = {
	id: 'g-mother',
	name: '李秀英',
	relation: '母亲',
	phone: '13800000001',
	address: '',
	workingAway: false
};

function newFamily(): Y.Doc {
	const doc = new Y.Doc();
	initFamilyDoc(doc, {
		id: FAMILY,
		createdAt: AT,
		createdBy: school,
		caseId: 'case-a',
		guardians: [mother]
	});
	return doc;
}

/** The relay's check: `after` is a copy of `before` with the sender's change applied. */
function check(before: Y.Doc | null, change: (d: Y.Doc) => void, sender = school) {
	const after = new Y.Doc();
	if (before) Y.applyUpdate(after, Y.encodeStateAsUpdate(before));
	const prev = before ? toFamilySnapshot(before) : null;
	const sv = Y.encodeSnapshot(Y.snapshot(after));
	change(after);
	return checkFamilyChange(FAMILY, prev?.ok ? prev.value : null, sv, after, sender);
}

describe('[B-5] the family document (一家一案)', () => {
	it('[B-5] a family holds its sibling cases, the shared (masked) guardians and one plan', () => {
		const doc = newFamily();
		expect(isFamilyId(FAMILY)).toBe(true);
		expect(isFamilyId('case-a')).toBe(false);
		// The second sibling shares the mother and brings the father: the mother is kept once.
		const father: Guardian = { ...mother, id: 'g-father', name: '陈建国', relation: '父亲' };
		addFamilyMember(doc, 'case-b', '2025-11-04T02:00:00.000Z', school, [mother, father]);
		addFamilyMember(doc, 'case-b', '2025-11-05T02:00:00.000Z', school); // already a member
		setPlan(doc, '每周一次家庭会议；姐弟同时返校。');
		const s = toFamilySnapshot(doc);
		expect(s.ok).toBe(true);
		if (!s.ok) return;
		expect(s.value.members.map((m) => m.caseId)).toEqual(['case-a', 'case-b']);
		expect(s.value.members[1]?.linkedAt).toBe('2025-11-04T02:00:00.000Z');
		expect(s.value.guardians.map((g) => g.name)).toEqual(['李秀英', '陈建国']);
		expect(s.value.plan).toBe('每周一次家庭会议；姐弟同时返校。');
		expect(isEmptyFamilyDoc(new Y.Doc())).toBe(true);
	});

	it('[B-5] two replicas editing the family plan offline converge on one text', () => {
		const a = newFamily();
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		setPlan(a, '学校：每日联系。');
		setPlan(b, '街道：落实低保。');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		const pa = toFamilySnapshot(a);
		const pb = toFamilySnapshot(b);
		expect(pa.ok && pb.ok && pa.value.plan === pb.value.plan).toBe(true);
		expect(pa.ok && pa.value.plan).toContain('学校：每日联系。');
		expect(pa.ok && pa.value.plan).toContain('街道：落实低保。');
	});

	it('[B-5] the relay accepts a new family and a sibling joining, with the members added', () => {
		const created = check(null, (d) => {
			initFamilyDoc(d, {
				id: FAMILY,
				createdAt: AT,
				createdBy: school,
				caseId: 'case-a',
				guardians: [mother]
			});
		});
		expect(created.ok && created.changed && created.added.map((m) => m.caseId)).toEqual(['case-a']);
		const joined = check(newFamily(), (d) => addFamilyMember(d, 'case-b', AT, school));
		expect(joined.ok && joined.changed && joined.added.map((m) => m.caseId)).toEqual(['case-b']);
		const same = check(newFamily(), () => undefined);
		expect(same).toEqual({ ok: true, changed: false });
	});

	it.each([
		['a member removed', (d: Y.Doc) => d.getMap('members').delete('case-a'), 'family'],
		[
			'a member linked in another user’s name',
			(d: Y.Doc) => addFamilyMember(d, 'case-b', AT, DEMO_AUTHORS.street),
			'author'
		],
		[
			'a full ID number in the plan (issue 11)',
			(d: Y.Doc) => setPlan(d, `身份证 ${idNumber('2012-03-04', 21)}`),
			'id-number'
		],
		['an unknown top-level type', (d: Y.Doc) => d.getMap('extra').set('x', 1), 'family'],
		[
			'the written-once part changed',
			(d: Y.Doc) => d.getMap('meta').set('createdAt', '2025-11-05T02:00:00.000Z'),
			'family'
		],
		['a plan over the limit', (d: Y.Doc) => setPlan(d, 'x'.repeat(20_001)), 'schema']
	])('[B-5] the relay refuses %s', (_what, change, rule) => {
		const v = check(newFamily(), change);
		expect(v.ok).toBe(false);
		if (!v.ok) expect(v.rule).toBe(rule);
	});

	it('[B-5] a case names its family by its latest family_linked event; a retracted link is none', () => {
		const linked = shilong('case-a')
			.add('family_linked', '2025-11-03', { familyId: FAMILY, note: '' })
			.build();
		expect(caseState(linked).family).toBe(FAMILY);
		const id = linked.events[0]?.id ?? '';
		const retracted = shilong('case-a')
			.add('family_linked', '2025-11-03', { familyId: FAMILY, note: '' })
			.add('amend', '2025-11-04', { target: id, retract: true, patch: {}, reason: '误关联' })
			.build();
		expect(retracted.events[0]?.id).toBe(id);
		expect(caseState(retracted).family).toBeNull();
		expect(caseState(shilong('case-c').build()).family).toBeNull();
	});
});
