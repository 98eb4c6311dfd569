import type { CaseEvent, EventType } from '../domain';
import { EVENT_NAMES, joinNames } from './messages';
import type { CaseState } from './state';
import type { CheckResult } from './types';

const OK: CheckResult = { ok: true };

/**
 * Issue 12: a record dated before the case could take it is refused when it is recorded, with
 * the reason, instead of being saved and marked a conflict once the timeline is put in date
 * order (G-M1). Two cases, both of them checks of a proposal only (a merged timeline keeps its
 * conflicts, G-M3):
 * - an event the profile lets follow only another (`requires`: a persuasion attempt needs the
 *   suspected-dropout case opened, S-4b) dated before the earliest of them in this episode;
 * - any event dated before the case was reopened (S-10): it would fall into the closed episode.
 */
export function checkRecordOrder(state: CaseState, ev: CaseEvent): CheckResult {
	const reopened = state.byType.get('reopened')?.[0];
	if (reopened && ev.type !== 'amend' && ev.date < reopened.date) {
		return {
			ok: false,
			rule: 'S-10',
			reason: {
				zh: `日期 ${ev.date} 早于案件重新开启日期 ${reopened.date}：重新开启后的记录须在该日或之后`,
				en: `the date ${ev.date} is before the case was reopened (${reopened.date}); records after a reopening are dated on or after it`
			}
		};
	}
	const closed = state.closed;
	if (ev.type === 'reopened' && closed && ev.date < closed.date) {
		return {
			ok: false,
			rule: 'S-10',
			reason: {
				zh: `重新开启日期 ${ev.date} 早于销号日期 ${closed.date}`,
				en: `the reopening (${ev.date}) is dated before the closure (${closed.date})`
			}
		};
	}
	const rule = state.rules.get(ev.type);
	if (!rule?.requires.length) return OK;
	const first = earliest(state, rule.requires);
	// No prerequisite at all is the permission check's refusal ("first record: …").
	if (first === null || first <= ev.date) return OK;
	const need = joinNames(
		rule.requires.filter((t) => state.byType.has(t)).map((t) => EVENT_NAMES[t])
	);
	const name = EVENT_NAMES[ev.type];
	return {
		ok: false,
		rule: rule.rule,
		reason: {
			zh: `「${name.zh}」的日期 ${ev.date} 早于「${need.zh}」（${first}）：须在该日或之后`,
			en: `the ${name.en} is dated ${ev.date}, before the ${need.en} (${first}); it must be on or after that day`
		}
	};
}

/** The earliest date of an accepted event of these types in the current episode, or null. */
function earliest(state: CaseState, types: readonly EventType[]): string | null {
	let first: string | null = null;
	for (const t of types) {
		const d = state.byType.get(t)?.[0]?.date;
		if (d !== undefined && (first === null || d < first)) first = d;
	}
	return first;
}
