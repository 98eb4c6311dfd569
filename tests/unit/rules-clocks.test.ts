import { describe, expect, it } from 'vitest';
import { type CaseSnapshot } from '../../src/lib/domain';
import {
	CaseBuilder,
	bishanTermStart,
	shilongClosedBy,
	shilongToJointTeam
} from '../../src/lib/demo';
import { checkEvent, evaluate, isNonLocal } from '../../src/lib/rules';
import { obligation, obligationKeys, shilong } from './helpers';

// Issue 12: every date of the two documents is a clock with a state. Expected dates are counted
// by hand from the documents and the State Council schedules (calendar-builtin.json):
// 2025 National Day 10-01..10-08 off, Sun 09-28 and Sat 10-11 make-up working days;
// 2026 Spring Festival 02-15..02-23 off, Sat 02-14 and Sat 02-28 make-up working days.

/**
 * A Shilong case whose school reports on Sun 2025-09-28 (a make-up working day) and whose street
 * serves the notice on Tue 2025-09-30: 5 working days later is Tue 2025-10-14 (G-T1: 10-09,
 * 10-10, 10-11, 10-13, 10-14).
 */
function noticeServed(id = 'case-clock'): CaseBuilder {
	return shilong(id)
		.absences(['2025-09-15', '2025-09-16', '2025-09-17'])
		.add('home_visit', '2025-09-17', { mode: 'home_visit' })
		.absences(['2025-09-18', '2025-09-19'])
		.add('suspected_case_opened', '2025-09-19', { responsible: { name: '王老师' } })
		.add('persuasion_attempt', '2025-09-22', { mode: 'phone', outcome: 'refused' })
		.add('persuasion_attempt', '2025-09-23', { mode: 'home_visit', outcome: 'refused' })
		.add('persuasion_attempt', '2025-09-24', { mode: 'meeting', outcome: 'refused' })
		.add('dropout_file_created', '2025-09-25', { reason: 'work' })
		.add('written_report', '2025-09-28', { to: ['street', 'bureau'] })
		.by('street')
		.add('deadline_notice_issued', '2025-09-30', {
			number: '石龙街限〔2025〕7号',
			servedTo: '家长',
			servedOn: '2025-09-30',
			returnBy: '2025-10-14'
		});
}

describe('S-8: the notice’s own deadline (附件 二)', () => {
	it('[S-8] [G-T1] a notice served Tue 2025-09-30 must be answered by a return on Tue 2025-10-14', () => {
		const s = noticeServed().build();
		expect(obligation(s, '2025-10-14', 'notice-return')).toMatchObject({
			rule: 'S-8',
			responsible: 'street',
			since: '2025-09-30',
			due: '2025-10-14',
			state: 'pending',
			doneOn: null
		});
		// The return date on the paper is checked against the calendar when it is recorded.
		const wrong = noticeServed('case-clock-wrong')
			.by('street')
			.event('deadline_notice_issued', '2025-09-30', {
				number: '石龙街限〔2025〕8号',
				servedTo: '家长',
				servedOn: '2025-09-30',
				returnBy: '2025-10-13'
			});
		const r = checkEvent(s, wrong, '2025-09-30');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.reason.zh).toContain('2025-10-14');
	});

	it('[S-8] returned on the last day (10-14) → met, and no joint team is due', () => {
		const s = noticeServed()
			.by('school')
			.add('returned', '2025-10-14', { placement: 'join_class' });
		const snap = s.build();
		expect(obligation(snap, '2025-10-20', 'notice-return')).toMatchObject({
			state: 'met',
			doneOn: '2025-10-14'
		});
		expect(obligationKeys(snap, '2025-10-20')).not.toContain('joint-team');
	});

	it('[S-8] returned one day after (10-15) → late', () => {
		const s = noticeServed()
			.by('school')
			.add('returned', '2025-10-15', { placement: 'join_class' })
			.build();
		expect(obligation(s, '2025-10-20', 'notice-return')).toMatchObject({
			state: 'late',
			doneOn: '2025-10-15'
		});
	});

	it('[S-8] [S-9] not back on 10-15 → overdue for the street, and the joint team is due that day', () => {
		const s = noticeServed().build();
		expect(obligation(s, '2025-10-15', 'notice-return')).toMatchObject({
			responsible: 'street',
			state: 'overdue'
		});
		// The team by reason (S-9) is the next step: due the next working day after 10-14.
		expect(obligationKeys(s, '2025-10-14')).not.toContain('joint-team');
		expect(obligation(s, '2025-10-15', 'joint-team')).toMatchObject({
			rule: 'S-8',
			responsible: 'street',
			since: '2025-10-14',
			due: '2025-10-15',
			state: 'pending'
		});
		expect(obligation(s, '2025-10-16', 'joint-team').state).toBe('overdue');
		expect(evaluate(s, '2025-10-15').next).toMatchObject({
			key: 'notice-return',
			state: 'overdue'
		});
		const formed = noticeServed()
			.by('street')
			.add('joint_team_formed', '2025-10-15', { reason: 'work', departments: ['hr', 'police'] })
			.build();
		expect(obligation(formed, '2025-10-16', 'joint-team')).toMatchObject({
			state: 'met',
			doneOn: '2025-10-15'
		});
	});
});

describe('B-5: the guardian order’s date (责令限期改正)', () => {
	const ordered = () =>
		bishanTermStart()
			.by('street')
			.add('guardian_ordered_to_correct', '2026-03-09', { correctBy: '2026-03-16' });

	it('[B-5] correctBy is a clock for the street: pending on the day, overdue the day after', () => {
		const s = ordered().build();
		expect(obligation(s, '2026-03-16', 'guardian-correct')).toMatchObject({
			rule: 'B-5',
			responsible: 'street',
			since: '2026-03-09',
			due: '2026-03-16',
			state: 'pending'
		});
		expect(obligation(s, '2026-03-17', 'guardian-correct').state).toBe('overdue');
	});

	it('[B-5] back at school by correctBy → met; after it → late', () => {
		const onTime = ordered()
			.by('school')
			.add('returned', '2026-03-16', { placement: 'join_class' })
			.build();
		expect(obligation(onTime, '2026-03-20', 'guardian-correct')).toMatchObject({
			state: 'met',
			doneOn: '2026-03-16'
		});
		const late = ordered()
			.by('school')
			.add('returned', '2026-03-17', { placement: 'join_class' })
			.build();
		expect(obligation(late, '2026-03-20', 'guardian-correct').state).toBe('late');
	});

	it('[B-5] an order whose date to correct by is not after the order is refused', () => {
		const b = bishanTermStart();
		const s = b.build();
		const r = checkEvent(
			s,
			b
				.by('street')
				.event('guardian_ordered_to_correct', '2026-03-09', { correctBy: '2026-03-09' }),
			'2026-03-09'
		);
		expect(r).toMatchObject({ ok: false, rule: 'B-5' });
	});
});

/** The judicial path up to the deferral (from Tue 2025-12-23), without the later steps. */
function judicialDeferred(): CaseSnapshot {
	const s = shilongClosedBy('refuses_after_judicial');
	const at = s.events.findIndex((e) => e.type === 'deferral');
	return { ...s, events: s.events.slice(0, at + 1) };
}

describe('S-10: 继续劝返 during a deferral, and the poor-family path', () => {
	it('[S-10] a deferral on the judicial path asks for persuasion within 30 days (12-23 → 2026-01-22)', () => {
		const s = judicialDeferred();
		expect(obligation(s, '2026-01-22', 'deferral-persuade')).toMatchObject({
			rule: 'S-10',
			responsible: 'street',
			since: '2025-12-23',
			due: '2026-01-22',
			state: 'pending'
		});
		expect(obligation(s, '2026-01-23', 'deferral-persuade').state).toBe('overdue');
	});

	it('[S-10] [G-T2] each attempt opens the next period; one ending in the Spring Festival runs to 02-24', () => {
		const s = judicialDeferred();
		const after = {
			...s,
			events: [
				...s.events,
				...new CaseBuilder({
					id: 'case-judicial-x',
					profile: 'shilong-2022',
					student: { name: '李小明' },
					createdOn: '2026-01-20'
				})
					.by('street')
					.add('joint_persuasion_attempt', '2026-01-20', { mode: 'home_visit', outcome: 'refused' })
					.build().events
			]
		};
		expect(obligation(after, '2026-02-01', 'deferral-persuade')).toMatchObject({
			state: 'met',
			doneOn: '2026-01-20'
		});
		// 01-20 + 30 days = Thu 02-19, inside the Spring Festival holiday (02-15..02-23).
		expect(obligation(after, '2026-02-01', 'deferral-persuade#2')).toMatchObject({
			since: '2026-01-20',
			due: '2026-02-24',
			state: 'pending'
		});
	});

	it('[S-10] the over-age leaving mark ends it as no longer needed, never done', () => {
		const s = shilongClosedBy('refuses_after_judicial');
		const obs = evaluate(s, '2026-10-01').obligations.filter((o) =>
			o.key.startsWith('deferral-persuade')
		);
		// Nine attempts (01-20 … 08-27): nine periods met, the tenth ended by the mark on 09-07.
		expect(obs.map((o) => o.state)).toEqual([...Array<string>(9).fill('met'), 'not_needed']);
		// 08-27 + 30 days = Sat 09-26, inside the 2026 Mid-Autumn holiday (09-25..09-27): Mon 09-28.
		expect(obs[9]).toMatchObject({
			since: '2026-08-27',
			due: '2026-09-28',
			ended: { on: '2026-09-07', type: 'over_age_leaving_mark' }
		});
	});

	it('[S-10] a deferral for a student unfit to study (残疾人教育专家委员会) has no persuasion to continue', () => {
		expect(obligationKeys(shilongClosedBy('unfit_to_study'), '2026-10-01')).not.toContain(
			'deferral-persuade'
		);
	});

	it('[S-10] [B-6] the poor-family path needs a registered-poor or low-income student', () => {
		const s = shilongClosedBy('poor_family_refuses');
		const closed = s.events[s.events.length - 1];
		if (!closed) throw new Error('empty scenario');
		const withoutGroup = {
			...s,
			events: s.events.filter((e) => e.type !== 'profile_updated' && e !== closed)
		};
		const status = evaluate(withoutGroup, '2026-09-08').closure.find(
			(c) => c.path === 'poor_family_refuses'
		);
		expect(status?.eligible).toBe(false);
		expect(status?.missing.map((m) => m.key)).toEqual(['poor-family']);
		expect(checkEvent(withoutGroup, closed, '2026-09-08')).toMatchObject({
			ok: false,
			rule: 'S-10'
		});
		const lowIncome = {
			...withoutGroup,
			student: { ...withoutGroup.student, focusGroups: ['low_income' as const] }
		};
		expect(checkEvent(lowIncome, closed, '2026-09-08')).toEqual({ ok: true });
		expect(evaluate(s, '2026-10-01').conflicts).toEqual([]);
	});
});

describe('B-4: a non-local (非户籍) student', () => {
	const base = bishanTermStart().build(); // migrant, no 户籍 field: the old documents' shape

	it('[B-4] a report to the bureau about a non-local student asks the bureau to notify and transfer', () => {
		expect(base.student.hukouLocal).toBeUndefined();
		expect(obligation(base, '2026-03-09', 'notify-hukou')).toMatchObject({
			rule: 'B-4',
			responsible: 'bureau',
			since: '2026-03-06',
			due: null,
			state: 'pending'
		});
	});

	it('[B-4] the structured 户籍 field decides; the migrant flag is only the fallback', () => {
		const local = { ...base, student: { ...base.student, hukouLocal: true } };
		expect(obligationKeys(local, '2026-03-09')).not.toContain('notify-hukou');
		const away = { ...base, student: { ...base.student, hukouLocal: false, focusGroups: [] } };
		expect(obligationKeys(away, '2026-03-09')).toContain('notify-hukou');
		expect(isNonLocal({ focusGroups: [] })).toBe(false);
		expect(isNonLocal({ focusGroups: ['migrant'] })).toBe(true);
		expect(isNonLocal({ focusGroups: ['migrant'], hukouLocal: true })).toBe(false);
	});

	it('[B-4] [G-M4] a profile update sets the field; a handover with the registry file meets it', () => {
		const s = new CaseBuilder({
			id: 'case-b4',
			profile: 'bishan-2024',
			student: { name: '陈小红', grade: 6, birthDate: '2013-07-09' },
			createdOn: '2026-03-04'
		})
			.add('term_check', '2026-03-04', { termStart: '2026-03-02', registered: false })
			.add('profile_updated', '2026-03-05', {
				changes: [{ target: 'student', field: 'hukouLocal', value: false }]
			})
			.add('written_report', '2026-03-06', { to: ['bureau', 'street'] });
		expect(obligation(s.build(), '2026-03-09', 'notify-hukou').state).toBe('pending');
		const handed = s
			.by('bureau')
			.add('handover', '2026-03-10', {
				toDistrict: '四川省广安市',
				notifiedOrg: '广安区教育局',
				registryFileTransferred: true
			})
			.build();
		expect(obligation(handed, '2026-03-11', 'notify-hukou')).toMatchObject({
			state: 'met',
			doneOn: '2026-03-10'
		});
	});
});

describe('Issue 12: what the case moved past is 「不再需要」, never done', () => {
	it('[S-9] [B-8] after a return, 1 of 3 joint attempts and an unrecorded registry mark are not done', () => {
		const s = shilongToJointTeam()
			.by('street')
			.add('joint_persuasion_attempt', '2025-10-21', { mode: 'home_visit', outcome: 'refused' })
			.by('school')
			.add('returned', '2025-10-30', { placement: 'join_class' })
			.build();
		for (const key of ['joint-persuade', 'registry-mark']) {
			const o = obligation(s, '2025-10-31', key);
			expect(o).toMatchObject({
				state: 'not_needed',
				doneOn: null,
				ended: { on: '2025-10-30', type: 'returned' }
			});
			expect(o.ended?.reason.zh).toContain('不再需要');
			expect(o.ended?.reason.en).toContain('no longer needed');
		}
		// The notice's date (10-20) had passed without the return: it was met late, not moot.
		expect(obligation(s, '2025-10-31', 'notice-return').state).toBe('late');
	});

	it('[S-10] a closure ends what is open, saying when it was already past due', () => {
		const s = shilongClosedBy('missing_or_deceased');
		const o = obligation(s, '2025-12-03', 'notice-return');
		expect(o).toMatchObject({
			state: 'not_needed',
			due: '2025-10-20',
			ended: { on: '2025-12-02', type: 'closed' }
		});
		expect(o.ended?.reason.zh).toContain('期限 2025-10-20 前未完成');
		expect(evaluate(s, '2025-12-03').next?.key).not.toBe('notice-return');
	});
});
