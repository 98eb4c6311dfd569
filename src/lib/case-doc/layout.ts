import * as Y from 'yjs';

/**
 * Version of the Y.Doc layout below. A change of top-level names or of what a key holds is a new
 * layout version (and a migration), never a silent edit.
 */
export const CASE_DOC_LAYOUT_VERSION = 1;

/** The only top-level shared types a case doc may hold (anything else is refused by the relay). */
export const CASE_DOC_KEYS = {
	/** Y.Map: format, id, profile, createdAt, createdBy, orgs. Written once. */
	meta: 'meta',
	/** Y.Map: the student fields as created, one plain value per key. Written once. */
	student: 'student',
	/** Y.Array: plain guardian objects as created. Written once. */
	guardians: 'guardians',
	/** Y.Array: plain JSON events, append-only. */
	events: 'events',
	/** Y.Text: the co-edited persuasion plan (一家一案/一生一案). */
	plan: 'plan'
} as const;
export type CaseDocKey = (typeof CASE_DOC_KEYS)[keyof typeof CASE_DOC_KEYS];

/** All top-level names of the layout, for membership tests. */
export const CASE_DOC_KEY_LIST: readonly CaseDocKey[] = Object.values(CASE_DOC_KEYS);

/** The keys `meta` holds. */
export const META_KEYS = [
	'format',
	'id',
	'caseNo',
	'profile',
	'createdAt',
	'createdBy',
	'orgs'
] as const;
export type MetaKey = (typeof META_KEYS)[number];

/**
 * Transaction origin of every change this module makes on behalf of the local user. A string,
 * not a Symbol, so two bundled copies of this module (app and worker) still agree on it.
 */
export const LOCAL_ORIGIN = 'case-doc/local';

/** The `meta` map of a case doc. */
export function metaMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(CASE_DOC_KEYS.meta);
}

/** The `student` map of a case doc. */
export function studentMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(CASE_DOC_KEYS.student);
}

/** The `guardians` array of a case doc. */
export function guardiansArray(doc: Y.Doc): Y.Array<unknown> {
	return doc.getArray<unknown>(CASE_DOC_KEYS.guardians);
}

/** The `events` array of a case doc (raw: validate before trusting). */
export function eventsArray(doc: Y.Doc): Y.Array<unknown> {
	return doc.getArray<unknown>(CASE_DOC_KEYS.events);
}

/** The shared persuasion plan text. */
export function planText(doc: Y.Doc): Y.Text {
	return doc.getText(CASE_DOC_KEYS.plan);
}

/** True when nothing of the layout holds content yet (a doc before `initCaseDoc` or first sync). */
export function isEmptyCaseDoc(doc: Y.Doc): boolean {
	return (
		metaMap(doc).size === 0 &&
		studentMap(doc).size === 0 &&
		guardiansArray(doc).length === 0 &&
		eventsArray(doc).length === 0 &&
		planText(doc).length === 0
	);
}
