import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/lib/rules';
import { shilongToJointTeam } from '../../src/lib/demo';
import { obligation, obligationKeys, shilong } from './helpers';

// Dates cross the 2025 National Day holiday: 10-01..10-08 off, Sun 09-28 and Sat 10-11 are
// make-up working (and school) days.
const FIVE_DAYS = ['2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29'];

describe('Shilong procedure (shilong-2022)', () => {
	it('[S-4a] 3 unexcused school days ask for a home visit by the next school day', () => {
		const s = shilong().absences(FIVE_DAYS.slice(0, 3)).build();
		const o = obligation(s, '2025-09-26', 'home-visit');
		expect(o).toMatchObject({ rule: 'S-4a', responsible: 'school', since: '2025-09-26' });
		// Sat 09-27 is a weekend; Sun 09-28 is a make-up working day inside the term.
		expect(o.due).toBe('2025-09-28');
		expect(o.state).toBe('pending');
		expect(obligation(s, '2025-09-29', 'home-visit').state).toBe('overdue');
		expect(evaluate(s, '2025-09-26').stage).toBe('absent');
	});

	it('[S-4a] a home visit or guardian contact meets it; a late one is marked late', () => {
		const b = shilong().absences(FIVE_DAYS.slice(0, 3));
		const onTime = b.add('home_visit', '2025-09-27', { mode: 'phone' }).build();
		expect(obligation(onTime, '2025-10-10', 'home-visit')).toMatchObject({
			state: 'met',
			doneOn: '2025-09-27'
		});
		const late = shilong()
			.absences(FIVE_DAYS.slice(0, 3))
			.add('home_visit', '2025-09-30', { mode: 'home_visit' })
			.build();
		expect(obligation(late, '2025-10-10', 'home-visit').state).toBe('late');
	});

	it('[S-4a] excused days do not count and break the run', () => {
		const s = shilong()
			.absences(['2025-09-24', '2025-09-25'])
			.absences(['2025-09-26'], true)
			.absences(['2025-09-28', '2025-09-29'])
			.build();
		expect(obligationKeys(s, '2025-09-30')).toEqual([]);
		expect(evaluate(s, '2025-09-30').stage).toBe('watch');
	});

	it('[S-4b] 5 unexcused school days open a suspected-dropout case with a responsible person', () => {
		const s = shilong().absences(FIVE_DAYS).build();
		const o = obligation(s, '2025-09-29', 'open-suspected');
		expect(o).toMatchObject({ rule: 'S-4b', since: '2025-09-29', due: '2025-09-30' });
		expect(evaluate(s, '2025-09-29').stage).toBe('suspected');
		const opened = shilong()
			.absences(FIVE_DAYS)
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } })
			.build();
		expect(obligation(opened, '2025-09-30', 'open-suspected').state).toBe('met');
	});

	it('[S-4b] at least 3 persuasion attempts within 10 working days, counted across National Day', () => {
		const b = shilong()
			.absences(FIVE_DAYS)
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } });
		const s = b.build();
		// From Mon 09-29: 09-30, 10-09, 10-10, 10-11 (Sat, make-up), 10-13 … 10-17, 10-20.
		expect(obligation(s, '2025-10-01', 'persuade')).toMatchObject({
			due: '2025-10-20',
			state: 'pending'
		});
		expect(obligation(s, '2025-10-21', 'persuade').state).toBe('overdue');
		const done = b
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-09', { mode: 'home_visit', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-20', { mode: 'home_visit', outcome: 'promised' })
			.build();
		expect(obligation(done, '2025-10-21', 'persuade')).toMatchObject({
			state: 'met',
			doneOn: '2025-10-20'
		});
	});

	it('[S-4b] a return before the attempts are done ends the obligation as not needed, not done', () => {
		const s = shilong()
			.absences(FIVE_DAYS)
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } })
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'promised' })
			.add('returned', '2025-10-09', { placement: 'join_class' })
			.build();
		// Issue 12: one attempt of three is not 「已完成」: the return ended it.
		expect(obligation(s, '2025-10-30', 'persuade')).toMatchObject({
			state: 'not_needed',
			doneOn: null,
			ended: { on: '2025-10-09', type: 'returned' }
		});
		expect(obligationKeys(s, '2025-10-30')).not.toContain('dropout-file');
		expect(evaluate(s, '2025-10-09').stage).toBe('returned');
	});

	it('[S-4c] failed persuasion requires the dropout file and a written report to street and bureau', () => {
		const s = shilong()
			.absences(FIVE_DAYS)
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } })
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-09', { mode: 'home_visit', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-10', { mode: 'home_visit', outcome: 'refused' })
			.build();
		const file = obligation(s, '2025-10-10', 'dropout-file');
		// Failed on Fri 10-10; 1 working day later is Sat 10-11, a make-up working day.
		expect(file).toMatchObject({ rule: 'S-4c', since: '2025-10-10', due: '2025-10-11' });
		expect(obligation(s, '2025-10-13', 'written-report').state).toBe('overdue');
		const reportedToStreetOnly = shilong()
			.absences(FIVE_DAYS)
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } })
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'not_found' })
			.add('dropout_file_created', '2025-10-09', { reason: 'lost_contact' })
			.add('written_report', '2025-10-09', { to: ['street'] })
			.build();
		// An attempt that finds nobody fails at once (失踪失联); a report to the street alone is not enough.
		expect(obligation(reportedToStreetOnly, '2025-10-13', 'written-report')).toMatchObject({
			since: '2025-09-30',
			state: 'overdue'
		});
	});

	it('[S-4c] the persuasion window closing without a return also counts as failure', () => {
		const s = shilong()
			.absences(FIVE_DAYS)
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } })
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'promised' })
			.build();
		expect(obligationKeys(s, '2025-10-20')).not.toContain('dropout-file');
		expect(obligation(s, '2025-10-21', 'dropout-file')).toMatchObject({
			since: '2025-10-20',
			due: '2025-10-21'
		});
	});

	it('[S-8] the street office serves the deadline notice within 2 days of the report', () => {
		const s = shilongToJointTeam().build();
		const o = obligation(s, '2025-10-13', 'deadline-notice');
		expect(o).toMatchObject({ rule: 'S-8', responsible: 'street', since: '2025-10-11' });
		expect(o.due).toBe('2025-10-13');
		expect(o.state).toBe('met');
		expect(evaluate(s, '2025-10-13').stage).toBe('joint');
	});

	it('[S-8] [G-T2] a 2-day period ending on a rest day runs to the next working day', () => {
		const s = shilong('case-gt2', '2025-10-01')
			.absences(['2025-10-09', '2025-10-10', '2025-10-11', '2025-10-13', '2025-10-14'])
			.add('suspected_case_opened', '2025-10-14', { responsible: { name: '王老师' } })
			.add('persuasion_attempt', '2025-10-14', { mode: 'phone', outcome: 'not_found' })
			.add('dropout_file_created', '2025-10-16', { reason: 'lost_contact' })
			.add('written_report', '2025-10-16', { to: ['street', 'bureau'] })
			.build();
		// Thu 10-16 + 2 calendar days = Sat 10-18 → Mon 10-20.
		expect(obligation(s, '2025-10-17', 'deadline-notice').due).toBe('2025-10-20');
		expect(obligation(s, '2025-10-21', 'deadline-notice').state).toBe('overdue');
	});

	it('[S-9] the joint team makes at least 3 joint persuasion attempts', () => {
		const b = shilongToJointTeam();
		expect(obligation(b.build(), '2025-10-22', 'joint-persuade')).toMatchObject({
			rule: 'S-9',
			due: null,
			state: 'pending'
		});
		const s = b
			.add('joint_persuasion_attempt', '2025-10-21', { mode: 'home_visit', outcome: 'refused' })
			.add('joint_persuasion_attempt', '2025-10-24', { mode: 'home_visit', outcome: 'refused' })
			.by('police')
			.add('joint_persuasion_attempt', '2025-10-28', { mode: 'meeting', outcome: 'refused' })
			.build();
		expect(obligation(s, '2025-10-29', 'joint-persuade')).toMatchObject({
			state: 'met',
			doneOn: '2025-10-28'
		});
	});

	it('[S-9] lost contact: police must find the student', () => {
		const s = shilongToJointTeam('case-lost', 'lost_contact').build();
		expect(obligation(s, '2025-10-14', 'locate')).toMatchObject({
			rule: 'S-9',
			responsible: 'police',
			state: 'pending'
		});
	});

	it('[S-6] a return needs a placement and opens a follow-up period', () => {
		const s = shilongToJointTeam()
			.by('school')
			.add('returned', '2025-10-30', { placement: 'individual_tutoring' })
			.build();
		const o = obligation(s, '2025-10-30', 'follow-up');
		expect(o).toMatchObject({ rule: 'S-6', responsible: 'school', since: '2025-10-30' });
		expect(o.due).toBe('2025-11-13');
		expect(evaluate(s, '2025-10-30').stage).toBe('returned');
		expect(evaluate(s, '2025-10-30').next?.key).toBe('follow-up');
	});

	it('[S-7] a migrant who moves to another county: the bureau notifies the 户籍 place', () => {
		const s = shilongToJointTeam('case-moved', 'lost_contact')
			.by('police')
			.add('student_located', '2025-10-20', { whereabouts: '随父母在外县', movedOutOfCounty: true })
			.build();
		expect(obligation(s, '2025-10-21', 'notify-hukou')).toMatchObject({
			rule: 'S-7',
			responsible: 'bureau',
			state: 'pending'
		});
		expect(obligation(s, '2025-10-21', 'locate').state).toBe('met');
	});

	it('[B-8] a dropout is marked in the registry, and the mark cleared after return', () => {
		const b = shilongToJointTeam();
		expect(obligation(b.build(), '2025-10-14', 'registry-mark').state).toBe('pending');
		const s = b
			.by('school')
			.add('registry_mark', '2025-10-14', { mark: 'dropout' })
			.add('returned', '2025-10-30', { placement: 'join_class' })
			.build();
		expect(obligation(s, '2025-10-30', 'registry-mark').state).toBe('met');
		expect(obligation(s, '2025-10-30', 'registry-clear')).toMatchObject({
			rule: 'B-8',
			state: 'pending'
		});
	});

	it('shows the most urgent obligation as next: overdue first', () => {
		const s = shilong().absences(FIVE_DAYS).build();
		const e = evaluate(s, '2025-10-09');
		expect(e.next?.key).toBe('home-visit');
		expect(e.next?.state).toBe('overdue');
	});
});
