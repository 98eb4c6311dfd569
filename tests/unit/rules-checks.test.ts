import { describe, expect, it } from 'vitest';
import { type CaseEvent, type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS, shilongClosedBy, shilongToJointTeam } from '../../src/lib/demo';
import { checkEvent, evaluate, type CheckResult } from '../../src/lib/rules';
import { obligation, parsed, shilong } from './helpers';

const PERSUASION = ['persuasion_attempt', 'joint_persuasion_attempt'];

function refusal(r: CheckResult): { rule: string; zh: string; en: string } {
	if (r.ok) throw new Error('expected a refusal');
	return { rule: r.rule, ...r.reason };
}

describe('checking a proposed event', () => {
	const opened = () =>
		shilong()
			.absences(['2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29'])
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } });

	it('[S-9] a police user on a case without a joint team has no persuasion actions', () => {
		const e = evaluate(opened().build(), '2025-10-09');
		expect(e.actions.police ?? []).toEqual([]);
		for (const t of PERSUASION) expect(e.actions.police).not.toContain(t);
		expect(e.actions.school).toContain('persuasion_attempt');
	});

	it('[S-9] once the team includes police, police may record joint persuasion; justice may not', () => {
		const e = evaluate(shilongToJointTeam('c', 'work').build(), '2025-10-14');
		expect(e.actions.police).toContain('joint_persuasion_attempt');
		expect(e.actions.justice ?? []).not.toContain('joint_persuasion_attempt');
		expect(e.teamDepartments.sort()).toEqual(['hr', 'police']);
		const b = shilongToJointTeam('c', 'work').by('justice');
		const r = checkEvent(
			b.build(),
			parsed(
				b.event('joint_persuasion_attempt', '2025-10-14', { mode: 'phone', outcome: 'refused' })
			),
			'2025-10-14'
		);
		expect(refusal(r).rule).toBe('S-9');
	});

	it('[S-9] the joint team must include the departments for the reason', () => {
		const b = shilongToJointTeam().by('street');
		const r = checkEvent(
			b.build(),
			parsed(
				b.event('joint_team_formed', '2025-10-14', { reason: 'religion', departments: ['police'] })
			),
			'2025-10-14'
		);
		expect(refusal(r)).toMatchObject({ rule: 'S-9' });
		expect(refusal(r).zh).toContain('宗教事务');
	});

	it.each([
		['guardian_neglect', ['justice']],
		['work', ['hr', 'police']],
		['disability', ['disability', 'bureau']],
		['early_marriage', ['civil']],
		['religion', ['religion']],
		['lost_contact', ['police']],
		['learning', ['school', 'community']]
	] as const)('[S-9] reason %s brings %j beside the street office', (reason, departments) => {
		const b = shilongToJointTeam().by('street');
		const snap = b.build();
		const ok = checkEvent(
			snap,
			parsed(b.event('joint_team_formed', '2025-10-14', { reason, departments: [...departments] })),
			'2025-10-14'
		);
		expect(ok).toEqual({ ok: true });
		const short = checkEvent(
			snap,
			parsed(
				b.event('joint_team_formed', '2025-10-14', { reason, departments: departments.slice(1) })
			),
			'2025-10-14'
		);
		expect(short.ok).toBe(false);
	});

	it('[S-8] only the street office issues the notice, and only after the school reports', () => {
		const b = opened();
		const notice = (by: 'school' | 'street') =>
			parsed(
				b.by(by).event('deadline_notice_issued', '2025-10-09', {
					number: 'N-1',
					servedTo: '李大山',
					servedOn: '2025-10-09',
					returnBy: '2025-10-16'
				})
			);
		expect(refusal(checkEvent(b.build(), notice('school'), '2025-10-09'))).toMatchObject({
			rule: 'S-8'
		});
		const byStreet = refusal(checkEvent(b.build(), notice('street'), '2025-10-09'));
		expect(byStreet.rule).toBe('S-8');
		expect(byStreet.zh).toContain('书面报告');
	});

	it('[S-8] the return-by date must be 5 working days after service (computed, G-T1)', () => {
		const s = shilongToJointTeam().build();
		const b = shilongToJointTeam().by('street');
		// A second notice, served Tue 2025-10-14, after the school's report of 10-11 (a notice
		// dated before that report is refused as out of order, S-8). 5 working days, the day of
		// service not counted: Wed 10-15, Thu 10-16, Fri 10-17, Mon 10-20, Tue 10-21.
		const mk = (returnBy: string) =>
			parsed(
				b.event('deadline_notice_issued', '2025-10-14', {
					number: 'N-2',
					servedTo: '李大山',
					servedOn: '2025-10-14',
					returnBy
				})
			);
		const wrong = refusal(checkEvent(s, mk('2025-10-20'), '2025-10-14'));
		expect(wrong.rule).toBe('S-8');
		expect(wrong.zh).toContain('2025-10-21');
		expect(checkEvent(s, mk('2025-10-21'), '2025-10-14')).toEqual({ ok: true });
	});

	it('[S-10] the over-age leaving mark needs an over-age student', () => {
		const s = shilongClosedBy('refuses_after_judicial');
		const before = { ...s, events: s.events.filter((e) => e.date < '2026-09-01') };
		const mark = (date: string) =>
			parsed({
				id: `mark-${date}`,
				type: 'over_age_leaving_mark',
				date,
				recordedAt: `${date}T08:00:00.000Z`,
				author: DEMO_AUTHORS.school,
				v: 1
			});
		// Born 2010-03-01: still in the 2025 cohort (from 2009-09-01), over-age in 2026's.
		expect(refusal(checkEvent(before, mark('2026-06-01'), '2026-06-01')).rule).toBe('S-10');
		expect(checkEvent(before, mark('2026-09-01'), '2026-09-01')).toEqual({ ok: true });
	});

	it('[S-10] a deferral lasts at most 12 months', () => {
		const s = shilongClosedBy('unfit_to_study');
		const base = {
			...s,
			events: s.events.filter((e) => e.type !== 'deferral' && e.type !== 'closed')
		};
		const mk = (to: string): CaseEventInput => ({
			id: `def-${to}`,
			type: 'deferral',
			date: '2025-11-05',
			recordedAt: '2025-11-05T08:00:00.000Z',
			author: DEMO_AUTHORS.bureau,
			v: 1,
			kind: 'deferred_enrollment',
			from: '2025-11-05',
			to
		});
		expect(checkEvent(base, parsed(mk('2026-11-05')), '2025-11-05')).toEqual({ ok: true });
		expect(refusal(checkEvent(base, parsed(mk('2026-11-06')), '2025-11-05')).rule).toBe('S-10');
	});

	it('[G-T4] an absence on a holiday or outside a term is refused', () => {
		const b = shilong();
		const on = (date: string) =>
			checkEvent(b.build(), parsed(b.event('absence', date, { excused: false })), '2025-12-31');
		expect(refusal(on('2025-10-03')).rule).toBe('G-T4');
		expect(refusal(on('2025-08-20')).rule).toBe('G-T4');
		expect(on('2025-10-11')).toEqual({ ok: true }); // Saturday make-up school day
	});

	it('[G-T4] a weekend or holiday between two absent days does not break the run', () => {
		// Tue 30 Sep, then 9, 10 Oct after the holiday: three consecutive school days.
		const s = shilong().absences(['2025-09-30', '2025-10-09', '2025-10-10']).build();
		expect(obligation(s, '2025-10-10', 'home-visit').since).toBe('2025-10-10');
	});

	it('[G-T3] a deadline that runs into a provisional year has a date, marked provisional', () => {
		const s = shilong('late-2026', '2026-12-01')
			.absences(['2026-12-24', '2026-12-25', '2026-12-28', '2026-12-29', '2026-12-30'])
			.build();
		const o = obligation(s, '2026-12-30', 'persuade');
		// 10 working days from Wed 2026-12-30: 12-31, (01-01 元旦), 01-04 … 01-08, 01-11 … 01-14.
		expect(o.due).toBe('2027-01-14');
		expect(o.provisional).toBe(true);
		expect(o.error).toBeUndefined();
		expect(obligation(s, '2026-12-30', 'open-suspected').provisional).toBeUndefined();
		const b = shilong('y2027', '2026-12-01');
		const ok = checkEvent(
			b.build(),
			parsed(b.event('absence', '2027-01-05', { excused: false })),
			'2027-01-05'
		);
		expect(ok).toEqual({ ok: true });
		const r = checkEvent(
			b.build(),
			parsed(b.event('absence', '2027-01-01', { excused: false })),
			'2027-01-05'
		);
		expect(refusal(r)).toMatchObject({ rule: 'G-T3' });
		expect(refusal(r).zh).toBe(
			'2027-01-01 按法定节假日推算暂定为元旦假期（2027 年国务院放假安排尚未录入；发布后由区教体局在“校历与节假日”页面或用 npm run admin -- calendar import 录入）'
		);
	});

	it('refuses a future date, a duplicate id, and anything but a reopening on a closed case', () => {
		const b = opened();
		const s = b.build();
		const future = parsed(
			b.event('persuasion_attempt', '2025-10-20', { mode: 'phone', outcome: 'refused' })
		);
		expect(refusal(checkEvent(s, future, '2025-10-19')).rule).toBe('future-date');
		expect(refusal(checkEvent(s, s.events[0] as CaseEvent, '2025-10-19')).rule).toBe(
			'duplicate-id'
		);
		const closed = shilongClosedBy('missing_or_deceased');
		const attempt = parsed({ ...future, id: 'after-close', date: '2025-12-05' });
		expect(refusal(checkEvent(closed, attempt, '2025-12-05')).rule).toBe('closed');
		expect(evaluate(closed, '2025-12-05').actions.street).toContain('reopened');
		expect(evaluate(closed, '2025-12-05').actions.street).not.toContain('joint_persuasion_attempt');
	});

	it('[G-M2] the same absence day cannot be proposed twice', () => {
		const b = shilong().absences(['2025-09-24']);
		const r = checkEvent(
			b.build(),
			parsed(b.event('absence', '2025-09-24', { excused: true })),
			'2025-09-25'
		);
		expect(refusal(r).rule).toBe('G-M2');
	});

	it('[G-M3] an amend is checked like any event: own org only (the bureau may amend any)', () => {
		const s = opened().build();
		const target = s.events[0]?.id ?? '';
		const amend = (by: 'street' | 'bureau' | 'school') =>
			parsed({
				id: `amend-${by}`,
				type: 'amend',
				date: '2025-09-30',
				recordedAt: '2025-09-30T08:00:00.000Z',
				author: DEMO_AUTHORS[by],
				v: 1,
				target,
				patch: { excused: true },
				reason: '更正'
			});
		expect(refusal(checkEvent(s, amend('street'), '2025-09-30')).rule).toBe('amend');
		expect(checkEvent(s, amend('school'), '2025-09-30')).toEqual({ ok: true });
		expect(checkEvent(s, amend('bureau'), '2025-09-30')).toEqual({ ok: true });
	});
});
