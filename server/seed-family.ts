import * as Y from 'yjs';
import { addFamilyMember, initFamilyDoc, setPlan, toFamilySnapshot } from '../src/lib/case-doc';
import { type CaseSnapshot } from '../src/lib/domain';
import { DEMO_AUTHORS } from '../src/lib/demo';
import type { Storage } from './storage/types';
import { DEMO_FAMILY_CASES, DEMO_FAMILY_ID } from './seed-cases';

/**
 * B-5 (一家一案): stores the demo family of two sisters' cases (their `family_linked` events are
 * in the cases): the shared guardian, both cases as members and a shared plan. Checked before
 * it is written, like the demo cases.
 */
export async function seedDemoFamily(
	storage: Storage,
	cases: readonly CaseSnapshot[],
	now: Date
): Promise<void> {
	const [first, second] = DEMO_FAMILY_CASES.map((id) => cases.find((c) => c.id === id));
	if (!first || !second) return;
	const at = now.toISOString();
	const by = DEMO_AUTHORS.school;
	const doc = new Y.Doc();
	initFamilyDoc(doc, {
		id: DEMO_FAMILY_ID,
		createdAt: at,
		createdBy: by,
		caseId: first.id,
		guardians: first.guardians
	});
	addFamilyMember(doc, second.id, at, by, second.guardians);
	setPlan(
		doc,
		'一家一案：姐妹二人同住，母亲刘秀英在家照看。班主任与社区每周共同家访一次；姐妹安排同一天返校，互相督促。'
	);
	const snap = toFamilySnapshot(doc);
	if (!snap.ok) throw new Error('演示家庭无效 / the demo family is invalid');
	await storage.appendFamilyUpdate(
		DEMO_FAMILY_ID,
		Y.encodeStateAsUpdate(doc),
		by.userId,
		at,
		snap.value.members.map((m) => m.caseId)
	);
	doc.destroy();
}
