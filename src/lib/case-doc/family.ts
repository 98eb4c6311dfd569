import * as Y from 'yjs';
import {
	FAMILY_FORMAT,
	familySnapshotSchema,
	parseWith,
	type Author,
	type FamilySnapshot,
	type Guardian,
	type ParseResult
} from '../domain';
import { cloneJson } from './json';
import { LOCAL_ORIGIN, planText } from './layout';

/**
 * B-5 (一家一案): a family document. Its own small layout, beside the case doc's: `meta` (format,
 * id, createdAt, createdBy; written once), `members` (Y.Map caseId → member; a case joins, it is
 * never removed here — an unlink is an amend of the case's `family_linked` event), `guardians`
 * (Y.Array of masked guardians shared by the siblings) and `plan` (Y.Text, the one family plan;
 * the same name as a case's, so the plan editor's helpers work on both).
 */
export const FAMILY_DOC_KEYS = {
	meta: 'meta',
	members: 'members',
	guardians: 'guardians',
	plan: 'plan'
} as const;

/** Every top-level name a family doc may hold (anything else is refused by the relay). */
export const FAMILY_DOC_KEY_LIST: readonly string[] = Object.values(FAMILY_DOC_KEYS);

const FAMILY_META_KEYS = ['format', 'id', 'createdAt', 'createdBy'] as const;

const meta = (doc: Y.Doc) => doc.getMap<unknown>(FAMILY_DOC_KEYS.meta);
const members = (doc: Y.Doc) => doc.getMap<unknown>(FAMILY_DOC_KEYS.members);
const guardians = (doc: Y.Doc) => doc.getArray<unknown>(FAMILY_DOC_KEYS.guardians);

/** What a new family starts with: its first member (the case it was created from). */
export interface FamilyInit {
	id: string;
	createdAt: string;
	createdBy: Author;
	/** The case the family is created from: its first member, linked by the creator. */
	caseId: string;
	guardians: readonly Guardian[];
}

/** True when a family doc holds nothing yet (before `initFamilyDoc` or its first sync). */
export function isEmptyFamilyDoc(doc: Y.Doc): boolean {
	return meta(doc).size === 0 && members(doc).size === 0 && guardians(doc).length === 0;
}

/**
 * Writes a new family with its first member in one transaction (one update: the relay refuses a
 * family without a case); the shared guardians are the case's, masked as in the case.
 */
export function initFamilyDoc(doc: Y.Doc, init: FamilyInit): void {
	doc.transact(() => {
		const m = meta(doc);
		m.set('format', FAMILY_FORMAT);
		m.set('id', init.id);
		m.set('createdAt', init.createdAt);
		m.set('createdBy', cloneJson(init.createdBy));
		addFamilyMember(doc, init.caseId, init.createdAt, init.createdBy, init.guardians);
	}, LOCAL_ORIGIN);
}

/**
 * Adds a sibling's case to the family (no-op when it is a member already). Guardians of the
 * new sibling not yet shared (same name and relation) are added to the shared ones.
 */
export function addFamilyMember(
	doc: Y.Doc,
	caseId: string,
	linkedAt: string,
	linkedBy: Author,
	caseGuardians: readonly Guardian[] = []
): void {
	doc.transact(() => {
		const m = members(doc);
		if (!m.has(caseId)) m.set(caseId, cloneJson({ caseId, linkedAt, linkedBy }));
		const shared = guardians(doc).toJSON() as Guardian[];
		const key = (g: Guardian) => `${g.name}\u0000${g.relation}`;
		const known = new Set(shared.map(key));
		const fresh = caseGuardians.filter((g) => !known.has(key(g)));
		if (fresh.length) guardians(doc).push(fresh.map((g) => cloneJson(g)));
	}, LOCAL_ORIGIN);
}

/** The family doc as plain JSON, before validation. */
function projectFamily(doc: Y.Doc): Record<string, unknown> {
	const list = [...members(doc).values()] as { linkedAt?: unknown; caseId?: unknown }[];
	// Map order differs between replicas: members are listed by when they were linked.
	list.sort(
		(a, b) =>
			String(a.linkedAt).localeCompare(String(b.linkedAt)) ||
			String(a.caseId).localeCompare(String(b.caseId))
	);
	return {
		...meta(doc).toJSON(),
		members: list,
		guardians: guardians(doc).toJSON(),
		plan: planText(doc).toJSON()
	};
}

/** The family doc as a validated snapshot (zod at the trust boundary). */
export function toFamilySnapshot(doc: Y.Doc): ParseResult<FamilySnapshot> {
	const stray = [...meta(doc).keys()].filter(
		(k) => !(FAMILY_META_KEYS as readonly string[]).includes(k)
	);
	if (stray.length) {
		return {
			ok: false,
			errors: stray.map((k) => ({
				path: `meta.${k}`,
				message: '家庭元数据中有未知字段 / unknown key in family meta'
			}))
		};
	}
	// A member stored under another case's key would let one case's link pass for another's.
	for (const [k, v] of members(doc).entries()) {
		if ((v as { caseId?: unknown } | null)?.caseId !== k) {
			return {
				ok: false,
				errors: [{ path: `members.${k}`, message: '成员与键不符 / member under another key' }]
			};
		}
	}
	return parseWith(familySnapshotSchema, projectFamily(doc));
}

/** Top-level names in the doc that the family layout does not have. */
export function strayFamilyKeys(doc: Y.Doc): string[] {
	return [...doc.share.keys()].filter((k) => !FAMILY_DOC_KEY_LIST.includes(k));
}

/** Calls `cb` after every transaction that changed the family doc; returns the unsubscribe. */
export function onFamilyChange(
	doc: Y.Doc,
	cb: (change: { plan: boolean; local: boolean }) => void
): () => void {
	const plan = planText(doc);
	const handler = (tr: Y.Transaction) => {
		if (tr.changed.size === 0) return;
		cb({ plan: new Set<unknown>(tr.changed.keys()).has(plan), local: tr.local });
	};
	doc.on('afterTransaction', handler);
	return () => doc.off('afterTransaction', handler);
}
