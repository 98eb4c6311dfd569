import { describe, expect, it } from 'vitest';
import { CLOSURE_PATHS, ORG_KINDS, type CaseSnapshot } from '../../src/lib/domain';
import { checkEvent, evaluate } from '../../src/lib/rules';
import { shilongClosedBy, shilongToJointTeam } from '../../src/lib/demo';
import { obligation, shilong } from './helpers';

/**
 * Issue 12, "the case page tells the truth". Dates by hand from the samples' comments and the
 * 2025 calendar: the notice of Mon 13 Oct 2025 orders a return by Mon 20 Oct (5 working days,
 * G-T1: 14, 15, 16, 17, 20 Oct); the joint team is formed on 13 Oct.
 */

/** The scenario: one joint persuasion (Tue 21 Oct), back at school Thu 23 Oct. */
function returnedAfterOneJointAttempt(): CaseSnapshot {
	return shilongToJointTeam('case-truth')
		.by('street')
		.add('joint_persuasion_attempt', '2025-10-21', { mode: 'home_visit', outcome: 'refused' })
		.by('school')
		.add('returned', '2025-10-23', { placement: 'join_class' })
		.build();
}

/** Back at school Thu 23 Oct 2025, closed on the return path Fri 24 Oct. */
function closedOnReturn(id: string) {
	return shilongToJointTeam(id)
		.by('school')
		.add('returned', '2025-10-23', { placement: 'join_class' })
		.by('street')
		.add('closed', '2025-10-24', { path: 'returned' });
}

const OPEN = new Set(['pending', 'overdue']);

describe('an obligation the case moved past is 「不再需要」, never done (issue 12)', () => {
	it('[S-9][B-8] return after 1 joint persuasion, no registry mark: neither is met', () => {
		const s = returnedAfterOneJointAttempt();
		const joint = obligation(s, '2025-10-24', 'joint-persuade');
		expect(joint.state).toBe('not_needed');
		expect(joint.doneOn).toBeNull();
		expect(joint.ended?.type).toBe('returned');
		expect(joint.ended?.reason.zh).toBe('已记录「复学」（2025-10-23），此项不再需要');
		const mark = obligation(s, '2025-10-24', 'registry-mark');
		expect(mark.state).toBe('not_needed');
		expect(mark.doneOn).toBeNull();
		expect(mark.ended?.on).toBe('2025-10-23');
		// S-8: back on 23 Oct, after the notice's 20 Oct: late, not met.
		expect(obligation(s, '2025-10-24', 'notice-return').state).toBe('late');
	});

	it('[S-4b] every obligation that is met really has its records', () => {
		const s = returnedAfterOneJointAttempt();
		for (const o of evaluate(s, '2025-10-24').obligations) {
			if (o.state === 'met' || o.state === 'late') expect(o.doneOn).not.toBeNull();
			else expect(o.doneOn).toBeNull();
			if (o.state === 'not_needed') expect(o.ended?.reason.zh).toContain('不再需要');
		}
	});
});

describe('closed means closed (issue 12, S-10)', () => {
	it.each(CLOSURE_PATHS)(
		'[S-10] closed by %s: no open obligation, no next, no closure offered',
		(path) => {
			const s = shilongClosedBy(path);
			// A year after the latest closure of the samples (2026-09-08): every due date has passed.
			const e = evaluate(s, '2027-09-30');
			expect(e.stage).toBe('closed');
			expect(e.closed?.path).toBe(path);
			expect(e.obligations.filter((o) => OPEN.has(o.state))).toEqual([]);
			expect(e.next).toBeNull();
			for (const k of ORG_KINDS) {
				// Only reopening, corrections of the record (G-M3 amend, G-M4 profile) and linking the
				// student's family (B-5: a sibling's new case may name a closed one's family) stay.
				for (const t of e.actions[k] ?? [])
					expect([
						'reopened',
						'amend',
						'profile_updated',
						'guardian_added',
						'family_linked'
					]).toContain(t);
				expect(e.actions[k]).not.toContain('closed');
			}
		}
	);

	it('[B-8] missing_or_deceased: the dropout mark never recorded ends with the closure', () => {
		// Closed on Tue 2 Dec 2025 (the sample); the registry mark arose with the dropout file.
		const m = obligation(shilongClosedBy('missing_or_deceased'), '2025-12-10', 'registry-mark');
		expect(m.state).toBe('not_needed');
		expect(m.ended).toMatchObject({ on: '2025-12-02', type: 'closed' });
		expect(m.ended?.reason.zh).toBe('案件已于 2025-12-02 销号，此项不再需要');
		expect(m.ended?.reason.en).toBe('no longer needed: the case was closed on 2025-12-02');
	});

	it('[S-6] a follow-up not done when the case closes is not_needed, not overdue', () => {
		// Returned Thu 23 Oct 2025, closed Fri 24 Oct. Follow-up within 10 school days of the
		// return: 24, 27, 28, 29, 30, 31 Oct, 3, 4, 5, 6 Nov → due Thu 6 Nov 2025.
		const s = closedOnReturn('case-fu').build();
		const fu = obligation(s, '2025-11-10', 'follow-up');
		expect(fu.due).toBe('2025-11-06');
		expect(fu.state).toBe('not_needed');
		expect(fu.ended?.reason.zh).toBe('案件已于 2025-10-24 销号，此项不再需要');
	});

	it('[S-6] a follow-up done before the closure stays met', () => {
		// The sample: returned 30 Oct, follow-up 6 Nov, closed 7 Nov 2025.
		expect(obligation(shilongClosedBy('returned'), '2025-11-20', 'follow-up').state).toBe('met');
	});

	it('[S-10] a follow-up or a registry mark cannot be recorded on a closed case', () => {
		const b = closedOnReturn('case-closed-fu');
		const s = b.build();
		const fu = b.by('school').event('follow_up', '2025-10-27', { status: 'stable' });
		expect(checkEvent(s, fu, '2025-10-27')).toMatchObject({ ok: false, rule: 'closed' });
		const mark = b.by('school').event('registry_mark', '2025-10-27', { mark: 'cleared' });
		expect(checkEvent(s, mark, '2025-10-27')).toMatchObject({ ok: false, rule: 'closed' });
	});
});

describe('a record dated before the case could take it is refused when recorded (issue 12)', () => {
	// Absences Wed 24 – Mon 29 Sep 2025 (Sun 28 Sep a make-up school day); the suspected case
	// opened on Mon 29 Sep.
	const b = shilong('case-early', '2025-09-24')
		.absences(['2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29'])
		.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } });
	const s = b.build();

	it('[S-4b] a persuasion dated before the suspected case opened is refused with the reason', () => {
		const early = b.event('persuasion_attempt', '2025-09-26', {
			mode: 'phone',
			outcome: 'refused'
		});
		const r = checkEvent(s, early, '2025-09-30');
		expect(r).toEqual({
			ok: false,
			rule: 'S-4b',
			reason: {
				zh: '「劝返」的日期 2025-09-26 早于「启动疑似辍学排查」（2025-09-29）：须在该日或之后',
				en: 'the persuasion attempt is dated 2025-09-26, before the suspected case opened (2025-09-29); it must be on or after that day'
			}
		});
	});

	it('[S-4b] on the day the case opened, or after, it is accepted', () => {
		for (const date of ['2025-09-29', '2025-09-30']) {
			const ev = b.event('persuasion_attempt', date, { mode: 'phone', outcome: 'refused' });
			expect(checkEvent(s, ev, '2025-09-30')).toEqual({ ok: true });
		}
	});

	it('[S-10] after a reopening, a record dated before it is refused', () => {
		const rb = closedOnReturn('case-reopen')
			.by('school')
			.add('reopened', '2025-11-10', { reason: '再次连续缺勤' });
		const snap = rb.build();
		const before = rb.event('absence', '2025-11-07', { excused: false });
		expect(checkEvent(snap, before, '2025-11-11')).toMatchObject({ ok: false, rule: 'S-10' });
		const after = rb.event('absence', '2025-11-11', { excused: false });
		expect(checkEvent(snap, after, '2025-11-11')).toEqual({ ok: true });
	});

	it('[S-10] a reopening dated before the closure is refused', () => {
		const rb = closedOnReturn('case-reopen-early');
		const snap = rb.build();
		const ev = rb.by('school').event('reopened', '2025-10-22', { reason: '再次连续缺勤' });
		expect(checkEvent(snap, ev, '2025-11-11')).toMatchObject({ ok: false, rule: 'S-10' });
	});
});
