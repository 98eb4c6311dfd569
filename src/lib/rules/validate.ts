import { DEPARTMENT_KINDS, type CaseEvent, type EventType, type OrgKind } from '../domain';
import { CalendarRangeError, NoTermError, lastEnd } from './calendar';
import { closureStatus } from './closure';
import { isOverAge } from './cohort';
import { EVENT_NAMES, ORG_NAMES, joinNames } from './messages';
import { checkGuardianAdded, checkProfileUpdate } from './profile-update';
import { eventsOf, type CaseState } from './state';
import type { Bilingual, CheckResult, RefusalCode } from './types';

const OK: CheckResult = { ok: true };
const DEPARTMENTS = new Set<OrgKind>(DEPARTMENT_KINDS);

/** A refusal with its rule and sentence. */
export function refuse(rule: RefusalCode, reason: Bilingual): CheckResult {
	return { ok: false, rule, reason };
}

/** 'propose': a person is recording it now; 'replay': it is already on a merged timeline. */
export type CheckMode = 'propose' | 'replay';

/** Why a type of event cannot be recorded now, without building a sentence (hot path). */
export type Block = 'unknown' | 'closed' | 'org' | 'member' | 'requires' | 'no-path' | 'not-closed';

/**
 * Whether `orgKind` may record an event of `type` on the case as it stands, ignoring the
 * payload: the permission table, joint-team membership (S-9), prerequisites, closed cases.
 */
export function blockOf(state: CaseState, type: EventType, orgKind: OrgKind): Block | null {
	const rule = state.rules.get(type);
	if (!rule) return 'unknown';
	if (state.closed && !rule.whenClosed) return 'closed';
	if (!rule.by.includes(orgKind)) return 'org';
	if (rule.memberOnly && DEPARTMENTS.has(orgKind) && !state.team.has(orgKind)) return 'member';
	if (rule.requires.length && !hasAny(state, rule.requires)) return 'requires';
	if (type === 'closed' && !closureStatus(state).some((c) => c.eligible)) return 'no-path';
	if (type === 'reopened' && !state.closed) return 'not-closed';
	return null;
}

/** Whether any event of these types is on the current episode's timeline. */
export function hasAny(state: CaseState, types: readonly EventType[]): boolean {
	for (const t of types) if (state.byType.has(t)) return true;
	return false;
}

/** `blockOf` with the rule id and the sentence people read. */
export function checkType(state: CaseState, type: EventType, orgKind: OrgKind): CheckResult {
	const block = blockOf(state, type, orgKind);
	if (!block) return OK;
	const rule = state.rules.get(type);
	const name = EVENT_NAMES[type];
	switch (block) {
		case 'unknown':
			return refuse('permission', {
				zh: `本地流程不使用“${name.zh}”`,
				en: `this district's procedure has no ${name.en}`
			});
		case 'closed':
			return refuse('closed', {
				zh: '案件已销号，请先重新开启',
				en: 'the case is closed; reopen it first'
			});
		case 'org': {
			const who = joinNames((rule?.by ?? []).map((k) => ORG_NAMES[k]));
			return refuse(rule?.rule ?? 'permission', {
				zh: `“${name.zh}”由${who.zh}记录`,
				en: `${name.en} is recorded by: ${who.en}`
			});
		}
		case 'member':
			return refuse('S-9', {
				zh: `${ORG_NAMES[orgKind].zh}尚未加入本案联合劝返组`,
				en: `${ORG_NAMES[orgKind].en} has not joined this case's joint team`
			});
		case 'requires': {
			const need = joinNames((rule?.requires ?? []).map((t) => EVENT_NAMES[t]));
			return refuse(rule?.rule ?? 'permission', {
				zh: `需先记录：${need.zh}`,
				en: `first record: ${need.en}`
			});
		}
		case 'no-path':
			return refuse('S-10', {
				zh: '尚无符合销号条件的路径',
				en: 'no closure path is eligible yet'
			});
		case 'not-closed':
			return refuse('S-10', { zh: '案件未销号，无需重新开启', en: 'the case is not closed' });
	}
}

/** Checks one event against the case as it stands (payload included). */
export function validateEvent(
	state: CaseState,
	ev: CaseEvent,
	asOf: string,
	mode: CheckMode
): CheckResult {
	// A closure names its path: the payload check below says which evidence that path lacks.
	const block = blockOf(state, ev.type, ev.author.orgKind);
	if (block && block !== 'no-path') return checkType(state, ev.type, ev.author.orgKind);
	try {
		return checkPayload(state, ev, asOf, mode);
	} catch (err) {
		// A date outside every year the calendar answers for, or a school-day period past the last
		// term entered: a reason shown to people, never a guess.
		if (err instanceof CalendarRangeError) return refuse('G-T3', err.reason);
		if (err instanceof NoTermError) return refuse('G-T4', err.reason);
		throw err;
	}
}

function checkPayload(state: CaseState, ev: CaseEvent, asOf: string, mode: CheckMode): CheckResult {
	const p = state.profile;
	switch (ev.type) {
		case 'absence':
			// G-T4: an absence counts only on a school day.
			if (!state.calendar.isSchoolDay(ev.date, state.terms))
				return notSchoolDay(state, ev.date, mode);
			if (mode === 'propose' && eventsOf(state, 'absence').some((a) => a.date === ev.date)) {
				return refuse('G-M2', {
					zh: `${ev.date} 的缺勤已登记`,
					en: `the absence on ${ev.date} is already recorded`
				});
			}
			return OK;
		case 'deadline_notice_issued': {
			if (ev.servedOn < ev.date) {
				return refuse('S-8', { zh: '送达日期早于签发日期', en: 'served before it was issued' });
			}
			// S-8: return within 5 working days of service; the paper and the system must agree.
			const due = state.calendar.addPeriod(ev.servedOn, p.periods.noticeReturn, state.terms);
			if (ev.returnBy !== due) {
				return refuse('S-8', {
					zh: `限期返校日期应为 ${due}（送达之日起 ${p.periods.noticeReturn.count} 个工作日）`,
					en: `the return-by date must be ${due} (${p.periods.noticeReturn.count} working days after service)`
				});
			}
			if (mode === 'propose' && eventsOf(state, ev.type).some((n) => n.number === ev.number)) {
				return refuse('G-M2', {
					zh: `编号 ${ev.number} 的通知书已登记`,
					en: `notice ${ev.number} is already recorded`
				});
			}
			return OK;
		}
		case 'guardian_ordered_to_correct':
			// B-5: 责令限期改正 sets a date after the order. Only when proposed: an order stored
			// before this check still counts as it did when the case is folded again.
			if (mode === 'propose' && ev.correctBy <= ev.date) {
				return refuse(state.rules.get(ev.type)?.rule ?? 'B-5', {
					zh: `改正期限 ${ev.correctBy} 须晚于责令日期 ${ev.date}`,
					en: `the correct-by date ${ev.correctBy} must be after the order (${ev.date})`
				});
			}
			return OK;
		case 'joint_team_formed': {
			// S-9: the departments beside the street office follow the dropout reason.
			const need = (p.reasons[ev.reason]?.departments ?? []).filter(
				(k) => k !== 'street' && !ev.departments.includes(k)
			);
			if (need.length) {
				const names = joinNames(need.map((k) => ORG_NAMES[k]));
				return refuse('S-9', {
					zh: `此原因的联合劝返组须包括：${names.zh}`,
					en: `for this reason the team must include: ${names.en}`
				});
			}
			return OK;
		}
		case 'closed': {
			const st = closureStatus(state).find((c) => c.path === ev.path);
			if (!st?.eligible) {
				const missing = joinNames((st?.missing ?? []).map((m) => m.label));
				return refuse('S-10', {
					zh: `不符合销号条件，缺少：${missing.zh}`,
					en: `not eligible for closure; missing: ${missing.en}`
				});
			}
			return OK;
		}
		case 'over_age_leaving_mark':
			if (!isOverAge(state.student.birthDate, ev.date, p.cohort)) {
				return refuse('S-10', {
					zh: '学生尚未超龄，不能作超龄离校标注',
					en: 'the student is not over-age yet'
				});
			}
			return OK;
		case 'deferral': {
			const limit = addMonths(ev.from, p.deferralMaxMonths);
			if (ev.to <= ev.from || ev.to > limit) {
				return refuse('S-10', {
					zh: `延缓入学/休学期限须在 ${ev.from} 之后且不超过 ${p.deferralMaxMonths} 个月（至 ${limit}）`,
					en: `the period must end after ${ev.from} and last at most ${p.deferralMaxMonths} months (to ${limit})`
				});
			}
			return OK;
		}
		case 'profile_updated':
			return checkProfileUpdate(state, ev, asOf, mode);
		case 'guardian_added':
			return checkGuardianAdded(state, ev, mode);
		default:
			return OK;
	}
}

/** Where to enter the official schedule or the terms, for the reasons below. */
const WHERE = {
	zh: '由区教体局在“校历与节假日”页面或用 npm run admin -- calendar import 录入',
	en: 'the bureau enters it on the “Calendar” screen or with npm run admin -- calendar import'
};

/**
 * G-T4 with the reason a person can act on: a provisional holiday (G-T3: the State Council's
 * schedule is not entered yet), an official one, a weekend, or a day outside every term entered.
 * On replay (the calendar changed after the absence was recorded) it asks for a correction.
 */
function notSchoolDay(state: CaseState, date: string, mode: CheckMode): CheckResult {
	const cal = state.calendar;
	const year = Number(date.slice(0, 4));
	const inTerm = state.terms.some((t) => date >= t.start && date <= t.end);
	const fix =
		mode === 'replay'
			? {
					zh: '；日历或校历已更新，请记录单位核对并更正此缺勤记录',
					en: '; the calendar changed: the recording org reviews and amends this absence'
				}
			: { zh: '', en: '' };
	if (!inTerm) {
		const last = lastEnd(state.terms);
		return refuse('G-T4', {
			zh: `${date} 不在已录入的学期内（校历${last ? `录至 ${last}` : '尚未录入'}；学期${WHERE.zh}）${fix.zh}`,
			en: `${date} is outside every term entered (terms ${last ? `up to ${last}` : 'not entered'}; ${WHERE.en})${fix.en}`
		});
	}
	const name = cal.holidayName(date);
	if (name && cal.status(year) === 'provisional') {
		return refuse('G-T3', {
			zh: `${date} 按法定节假日推算暂定为${name}假期（${year} 年国务院放假安排尚未录入；发布后${WHERE.zh}）${fix.zh}`,
			en: `${date} is provisionally a holiday (${name}): the State Council schedule for ${year} is not entered yet (${WHERE.en})${fix.en}`
		});
	}
	return refuse('G-T4', {
		zh: `${date} 不是上学日（${name ? `${name}假期` : '周末'}）${fix.zh}`,
		en: `${date} is not a school day (${name ? `${name} holiday` : 'weekend'})${fix.en}`
	});
}

/** `date` plus `months` calendar months, clamped to the month's last day (string arithmetic). */
function addMonths(date: string, months: number): string {
	const total = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
	const y = Math.floor(total / 12);
	const m = (total % 12) + 1;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	const last = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 31;
	const d = Math.min(Number(date.slice(8, 10)), last);
	return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
