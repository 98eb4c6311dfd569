import type * as Y from 'yjs';
import {
	LIMITS,
	bilingualErrors,
	caseChars,
	caseEventSchema,
	caseTooLarge,
	groupDigits,
	jsonChars,
	rememberCaseChars,
	textLength,
	toInputErrors,
	type CaseEvent,
	type CaseSnapshot
} from '../domain';
import { getPlan } from './plan';
import type { TrackedUpdate } from './track';

/** Why an update would leave the case unloadable: its rule id and a bilingual reason. */
export interface GrowthRefusal {
	ok: false;
	/** `schema`: a record fails its schema; `limits`: a limit of `LIMITS`; `duplicate-id`. */
	rule: 'schema' | 'limits' | 'duplicate-id';
	reason: { zh: string; en: string };
	eventId?: string;
}

export type GrowthVerdict =
	| {
			ok: true;
			/** The case after the update, as `toSnapshot` would read it (its size remembered). */
			snapshot: CaseSnapshot;
			/** The events the update appended, validated, in insertion order. */
			added: CaseEvent[];
	  }
	| GrowthRefusal;

const refuse = (
	rule: GrowthRefusal['rule'],
	zh: string,
	en: string,
	eventId?: string
): GrowthRefusal => ({ ok: false, rule, reason: { zh, en }, ...(eventId ? { eventId } : {}) });

/**
 * Checks what one tracked update adds to a valid case against the schemas and `LIMITS`, exactly
 * as `toSnapshot` would judge the whole case afterwards, but at a cost proportional to the
 * update: new events, the plan if it changed, the event count and the case's size. The relay
 * runs it on every incoming update and the loader on every stored one, so whatever the relay
 * accepts loads again (issue 10). `doc` is the document the update was applied to.
 */
export function checkGrowth(
	current: CaseSnapshot,
	tracked: TrackedUpdate,
	doc: Y.Doc
): GrowthVerdict {
	const added: CaseEvent[] = [];
	const ids = new Set<string>();
	for (const raw of tracked.addedEvents) {
		const r = caseEventSchema.safeParse(raw);
		if (!r.success) {
			const where = bilingualErrors(toInputErrors(r.error));
			return refuse('schema', `记录格式错误：${where.zh}`, `malformed record: ${where.en}`);
		}
		const id = r.data.id;
		if (ids.has(id) || current.events.some((e) => e.id === id)) {
			return refuse('duplicate-id', '事件标识重复', 'duplicate event id', id);
		}
		ids.add(id);
		added.push(r.data);
	}
	const count = current.events.length + added.length;
	if (count > LIMITS.eventsPerCase) {
		const max = groupDigits(LIMITS.eventsPerCase);
		return refuse(
			'limits',
			`本案件的记录已达上限（最多 ${max} 条）`,
			`the case holds the most events it may (${max})`
		);
	}
	const plan = tracked.planChanged ? getPlan(doc) : current.plan;
	if (textLength(plan) > LIMITS.plan) {
		const [n, max] = [groupDigits(textLength(plan)), groupDigits(LIMITS.plan)];
		return refuse(
			'limits',
			`劝返方案过长（${n} 字，最多 ${max} 字），请删减后再保存`,
			`the plan is too long (${n} characters, at most ${max}); shorten it to save it`
		);
	}
	// The size as `JSON.stringify` of the grown snapshot would count it: one comma per event
	// after the first, and the plan's string as JSON escapes it.
	const commas = current.events.length === 0 ? Math.max(0, added.length - 1) : added.length;
	const chars =
		caseChars(current) +
		added.reduce((n, e) => n + jsonChars(e), 0) +
		commas +
		jsonChars(plan) -
		jsonChars(current.plan);
	const tooLarge = caseTooLarge(chars);
	if (tooLarge) return refuse('limits', tooLarge.zh, tooLarge.en);
	const snapshot: CaseSnapshot = { ...current, plan, events: [...current.events, ...added] };
	rememberCaseChars(snapshot, chars);
	return { ok: true, snapshot, added };
}
