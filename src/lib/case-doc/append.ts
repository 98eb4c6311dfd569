import type * as Y from 'yjs';
import {
	FULL_ID_REFUSAL,
	caseEventSchema,
	containsFullIdNumber,
	parseWith,
	type CaseEvent,
	type CaseEventInput,
	type InputError
} from '../domain';
import { checkEvent, type Calendar } from '../rules';
import type { CheckResult } from '../rules/types';
import { cloneJson } from './json';
import { LOCAL_ORIGIN, eventsArray } from './layout';
import { toSnapshot } from './snapshot';

function listErrors(errors: InputError[]): string {
	return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}

function schemaRefusal(zh: string, en: string, errors: InputError[]): CheckResult {
	const list = listErrors(errors);
	return { ok: false, rule: 'schema', reason: { zh: `${zh}：${list}`, en: `${en}: ${list}` } };
}

/** Whether the timeline already holds an event with this id. */
export function hasEventId(doc: Y.Doc, id: string): boolean {
	return eventsArray(doc)
		.toArray()
		.some((e) => typeof e === 'object' && e !== null && (e as { id?: unknown }).id === id);
}

function push(doc: Y.Doc, event: CaseEvent): void {
	// Always `push` (insert at the end): local order is then the order of recording, and a copy
	// keeps the caller's object out of Yjs's store (see json.ts).
	doc.transact(() => eventsArray(doc).push([cloneJson(event)]), LOCAL_ORIGIN);
}

/**
 * Appends an event after only the schema check and a duplicate-id check, skipping the rules.
 * For tests, imports and migrations: the app must use `appendEvent`.
 */
export function appendEventUnchecked(doc: Y.Doc, event: CaseEventInput): CheckResult {
	const r = parseWith(caseEventSchema, event);
	if (!r.ok) return schemaRefusal('事件格式错误', 'malformed event', r.errors);
	if (hasEventId(doc, r.value.id)) {
		return {
			ok: false,
			rule: 'duplicate-id',
			reason: {
				zh: `事件标识 ${r.value.id} 已存在`,
				en: `an event with id ${r.value.id} already exists`
			}
		};
	}
	push(doc, r.value);
	return { ok: true };
}

/**
 * Validates an event (schema, then the rules against the current case) and, only when accepted,
 * appends it in one transaction with origin `LOCAL_ORIGIN`.
 */
export function appendEvent(
	doc: Y.Doc,
	event: CaseEventInput,
	today: string,
	calendar?: Calendar
): CheckResult {
	const r = parseWith(caseEventSchema, event);
	if (!r.ok) return schemaRefusal('事件格式错误', 'malformed event', r.errors);
	// Issue 11: the relay refuses it too; say so before anything is written.
	if (containsFullIdNumber(JSON.stringify(r.value))) return { ok: false, ...FULL_ID_REFUSAL };
	const snapshot = toSnapshot(doc);
	if (!snapshot.ok) {
		return schemaRefusal('案件文档无效，无法记录', 'the case document is invalid', snapshot.errors);
	}
	const verdict = checkEvent(snapshot.value, r.value, today, calendar);
	if (verdict.ok) push(doc, r.value);
	return verdict;
}
