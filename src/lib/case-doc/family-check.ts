import * as Y from 'yjs';
import { containsFullIdNumber, FULL_ID_REFUSAL } from '../domain/id-mask';
import { bilingualErrors, type FamilySnapshot } from '../domain';
import { FAMILY_DOC_KEYS, strayFamilyKeys, toFamilySnapshot } from './family';
import { jsonEqual } from './json';

/** Why the relay refuses an update of a family document (B-5). */
export interface FamilyRefusal {
	ok: false;
	rule: string;
	reason: { zh: string; en: string };
}

/** The family after an update, and the cases it added as members (their visibility is checked by the caller). */
export type FamilyVerdict =
	| { ok: true; changed: false }
	| { ok: true; changed: true; snapshot: FamilySnapshot; added: FamilySnapshot['members'] }
	| FamilyRefusal;

const refuse = (rule: string, zh: string, en: string): FamilyRefusal => ({
	ok: false,
	rule,
	reason: { zh, en }
});

/**
 * The relay's check of one update to a family document, on a copy `after` that has it applied
 * (B-5). Simpler than a case's: the layout and schema (limits included), no full ID number
 * anywhere, the written-once part unchanged, members never removed, each new member linked by
 * the sender. `before` is the family as last accepted (null while none is stored).
 */
export function checkFamilyChange(
	familyId: string,
	before: FamilySnapshot | null,
	/** `Y.encodeSnapshot(Y.snapshot(doc))` of the family as last accepted (state vector and deletions). */
	beforeState: Uint8Array,
	after: Y.Doc,
	sender: { userId: string; orgId: string; orgKind: string }
): FamilyVerdict {
	const senderId = sender.userId;
	// Missing dependencies would apply later, unchecked: refuse the update as it is.
	if (after.store.pendingStructs !== null || after.store.pendingDs !== null) {
		return refuse('family', '修改缺少前序内容', 'the update depends on changes the relay lacks');
	}
	// A deletion alone leaves the state vector as it was: compare state vector and delete set.
	if (sameBytes(Y.encodeSnapshot(Y.snapshot(after)), beforeState)) {
		return { ok: true, changed: false };
	}
	const stray = strayFamilyKeys(after);
	if (stray.length)
		return refuse('family', '家庭文档中有未知内容', 'unknown content in the family');
	for (const v of after.getMap(FAMILY_DOC_KEYS.members).values()) {
		if (v instanceof Y.AbstractType)
			return refuse('family', '家庭成员格式错误', 'malformed member');
	}
	for (const v of after.getArray(FAMILY_DOC_KEYS.guardians).toArray()) {
		if (v instanceof Y.AbstractType)
			return refuse('family', '监护人格式错误', 'malformed guardian');
	}
	const parsed = toFamilySnapshot(after);
	if (!parsed.ok) {
		const r = bilingualErrors(parsed.errors);
		return refuse('schema', r.zh, r.en);
	}
	const snap = parsed.value;
	if (snap.id !== familyId) return refuse('family', '家庭标识不符', 'the family id does not match');
	// Issue 11: a document never carries a full ID number, not in the plan, not in a guardian.
	if (containsFullIdNumber(JSON.stringify(snap))) {
		return { ok: false, rule: FULL_ID_REFUSAL.rule, reason: FULL_ID_REFUSAL.reason };
	}
	if (before) {
		const same = (a: FamilySnapshot, b: FamilySnapshot) =>
			a.createdAt === b.createdAt && jsonEqual(a.createdBy, b.createdBy);
		if (!same(before, snap))
			return refuse(
				'family',
				'家庭的创建信息不能修改',
				'the family was changed where it is written once'
			);
		const now = new Map(snap.members.map((m) => [m.caseId, m]));
		for (const m of before.members) {
			const k = now.get(m.caseId);
			if (!k || !jsonEqual(k, m)) {
				return refuse(
					'family',
					'家庭成员只能加入，不能删除或修改',
					'a member may join, never be removed or changed'
				);
			}
		}
		// Shared guardians are only added to (masked copies of the siblings' own).
		const g = snap.guardians;
		if (
			g.length < before.guardians.length ||
			before.guardians.some((x, i) => !jsonEqual(x, g[i]))
		) {
			return refuse('family', '共同监护人只能添加', 'shared guardians are only added to');
		}
	} else if (snap.createdBy.userId !== senderId || snap.createdBy.orgId !== sender.orgId) {
		return refuse('author', '创建人必须是本人', 'the family is created by its sender');
	}
	const known = new Set((before?.members ?? []).map((m) => m.caseId));
	const added = snap.members.filter((m) => !known.has(m.caseId));
	const mine = (a: FamilySnapshot['createdBy']) =>
		a.userId === senderId && a.orgId === sender.orgId && a.orgKind === sender.orgKind;
	if (added.some((m) => !mine(m.linkedBy))) {
		return refuse('author', '只能以本人名义关联案件', 'a case is linked in the sender’s own name');
	}
	if (snap.members.length === 0)
		return refuse('family', '家庭至少有一个案件', 'a family has at least one case');
	return { ok: true, changed: true, snapshot: snap, added };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}
