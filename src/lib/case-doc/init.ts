import * as Y from 'yjs';
import { z } from 'zod';
import {
	SNAPSHOT_FORMAT,
	caseSnapshotSchema,
	planTextSchema,
	parseSnapshot,
	parseWith,
	type CaseEvent,
	type CaseSnapshot,
	type InputError
} from '../domain';
import { cloneJson, wellFormed } from './json';
import {
	LOCAL_ORIGIN,
	eventsArray,
	guardiansArray,
	isEmptyCaseDoc,
	metaMap,
	planText,
	studentMap
} from './layout';

/** What creates a case: the snapshot without `format` and `events`; `plan` defaults to ''. */
export const caseInitSchema = caseSnapshotSchema
	.omit({ format: true, events: true })
	.extend({ plan: planTextSchema.default('') });
/** A case's creation data as a form produces it (defaults not yet applied). */
export type CaseInit = z.input<typeof caseInitSchema>;
/** A validated case init with defaults applied. */
export type ParsedCaseInit = z.output<typeof caseInitSchema>;

/** Thrown when data handed to a case-doc constructor is invalid; lists path-level errors. */
export class CaseDocInputError extends Error {
	readonly errors: InputError[];
	constructor(what: { zh: string; en: string }, errors: InputError[]) {
		const list = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
		super(`${what.zh} / ${what.en}: ${list}`);
		this.name = 'CaseDocInputError';
		this.errors = errors;
	}
}

const INVALID_INIT = { zh: '案件初始数据无效', en: 'invalid case init' };
const INVALID_SNAPSHOT = { zh: '案件快照无效', en: 'invalid case snapshot' };
const NOT_EMPTY = [{ path: '(root)', message: '文档已有内容 / the document already holds a case' }];

/** Writes a validated init into an empty doc; the caller owns the transaction. */
function writeInit(doc: Y.Doc, init: ParsedCaseInit): void {
	const meta = metaMap(doc);
	meta.set('format', SNAPSHOT_FORMAT);
	meta.set('id', init.id);
	if (init.caseNo) meta.set('caseNo', init.caseNo);
	meta.set('profile', init.profile);
	meta.set('createdAt', init.createdAt);
	meta.set('createdBy', cloneJson(init.createdBy));
	meta.set('orgs', cloneJson(init.orgs));
	const student = studentMap(doc);
	for (const [k, v] of Object.entries(init.student)) {
		if (v !== undefined) student.set(k, cloneJson(v));
	}
	const guardians = init.guardians.map((g) => cloneJson(g));
	if (guardians.length) guardiansArray(doc).push(guardians);
	if (init.plan) planText(doc).insert(0, wellFormed(init.plan));
}

/** Writes a new case into an empty doc in one transaction; throws `CaseDocInputError` if invalid. */
export function initCaseDoc(doc: Y.Doc, init: CaseInit): void {
	const r = parseWith(caseInitSchema, init);
	if (!r.ok) throw new CaseDocInputError(INVALID_INIT, r.errors);
	// Written-once keys: a second init (or an init over a synced doc) would make two writers of
	// the same map keys, and Yjs would silently keep one of them on every replica.
	if (!isEmptyCaseDoc(doc)) throw new CaseDocInputError(INVALID_INIT, NOT_EMPTY);
	doc.transact(() => writeInit(doc, r.value), LOCAL_ORIGIN);
}

/** A fresh Y.Doc holding a new case (see `initCaseDoc`). */
export function createCaseDoc(init: CaseInit): Y.Doc {
	const doc = new Y.Doc();
	initCaseDoc(doc, init);
	return doc;
}

/** Builds a case doc from a snapshot (validated first), e.g. an import; one transaction. */
export function fromSnapshot(snapshot: CaseSnapshot, doc: Y.Doc = new Y.Doc()): Y.Doc {
	const r = parseSnapshot(snapshot);
	if (!r.ok) throw new CaseDocInputError(INVALID_SNAPSHOT, r.errors);
	if (!isEmptyCaseDoc(doc)) throw new CaseDocInputError(INVALID_SNAPSHOT, NOT_EMPTY);
	const { events, format: _format, ...init } = r.value;
	doc.transact(() => {
		writeInit(doc, init);
		if (events.length) eventsArray(doc).push(events.map((e: CaseEvent) => cloneJson(e)));
	}, LOCAL_ORIGIN);
	return doc;
}
