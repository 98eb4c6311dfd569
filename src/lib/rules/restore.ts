import type { Calendar } from './calendar';
import type { Author, CaseEvent, CaseSnapshot } from '../domain';
import { effectiveEvent, foldCase, IMMUTABLE, mayAmend } from './fold';
import { inEvaluationOrder } from './order';
import { getProfile } from './profiles';
import type { Bilingual } from './types';

/** An amendment the restore proposes (the caller records it as a normal `amend` event). */
export interface RestoreAmend {
	type: 'amend';
	date: string;
	target: string;
	retract: boolean;
	patch: Record<string, unknown>;
	reason: string;
	/** What it undoes, for the confirmation list. */
	what: 'withdraw-added' | 'withdraw-restored' | 'revert-correction';
	targetType: CaseEvent['type'];
	targetDate: string;
}

/** A difference the restore cannot undo by an amendment, with why. */
export interface RestoreBlocked {
	eventId: string;
	targetType: CaseEvent['type'];
	targetDate: string;
	reason: Bilingual;
}

export interface RestorePlan {
	amends: RestoreAmend[];
	blocked: RestoreBlocked[];
	/** The plan text differs from the earlier version (restoring it is a plan edit). */
	planDiffers: boolean;
}

const OTHER_ORG: Bilingual = {
	zh: '由其他单位记录，只能由该单位或区教体局更正',
	en: 'recorded by another org: only that org or the bureau may amend it'
};
const WITHDRAWN: Bilingual = {
	zh: '该记录已撤回，撤回不能撤销；如需要请重新记录',
	en: 'this record was withdrawn and a withdrawal cannot be undone; record it again if needed'
};
const FIELD_REMOVED: Bilingual = {
	zh: '后来的更正增加了字段，更正无法删除字段；请手动更正',
	en: 'a later correction added a field that an amendment cannot remove; amend it by hand'
};

function same(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * "Restore to an earlier point" as new amendments, never a rewrite (nothing is deleted, G-M3):
 * every event added since `past` is withdrawn, every event corrected since is corrected back,
 * each only where `author` may amend it (its own org's records; the bureau any). What cannot be
 * undone this way is listed with the reason. `past` must be an earlier version of `current`.
 */
export function restorePlan(
	current: CaseSnapshot,
	past: CaseSnapshot,
	author: Author,
	today: string,
	reason: string,
	calendar?: Calendar
): RestorePlan {
	const profile = getProfile(current.profile);
	const now = foldCase(current, profile, calendar);
	const then = foldCase(past, getProfile(past.profile), calendar);
	const pastById = new Map(past.events.map((e) => [e.id, e]));

	const plan: RestorePlan = { amends: [], blocked: [], planDiffers: past.plan !== current.plan };
	const block = (e: CaseEvent, why: Bilingual) =>
		plan.blocked.push({ eventId: e.id, targetType: e.type, targetDate: e.date, reason: why });
	const amend = (
		e: CaseEvent,
		what: RestoreAmend['what'],
		retract: boolean,
		patch: Record<string, unknown> = {}
	) => {
		if (!mayAmend(profile, author, e)) return block(e, OTHER_ORG);
		plan.amends.push({
			type: 'amend',
			date: today,
			target: e.id,
			retract,
			patch,
			reason,
			what,
			targetType: e.type,
			targetDate: e.date
		});
	};

	for (const e of inEvaluationOrder(current.events)) {
		if (e.type === 'amend') continue;
		const nowEv = effectiveEvent(now, e);
		const pastRaw = pastById.get(e.id);
		if (!pastRaw) {
			if (nowEv) amend(e, 'withdraw-added', true);
			continue;
		}
		const thenEv = effectiveEvent(then, pastRaw);
		if (!thenEv) {
			if (nowEv) amend(e, 'withdraw-restored', true);
			continue;
		}
		if (!nowEv) {
			block(e, WITHDRAWN);
			continue;
		}
		if (same(thenEv, nowEv)) continue;
		const was = thenEv as Record<string, unknown>;
		const is = nowEv as Record<string, unknown>;
		if (Object.keys(is).some((k) => !(k in was) && !IMMUTABLE.has(k))) {
			block(e, FIELD_REMOVED);
			continue;
		}
		const patch: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(was)) {
			if (!IMMUTABLE.has(k) && !same(v, is[k])) patch[k] = v;
		}
		amend(e, 'revert-correction', false, patch);
	}
	return plan;
}
