import { describe, expect, it } from 'vitest';
import { checkEvent, evaluate, caseState } from '../../src/lib/rules';
import { shilongClosedBy, shilongToJointTeam } from '../../src/lib/demo';
import { parsed } from './helpers';

/**
 * S-9 and DOMAIN.md "Who works on a case": the joint team that counts is the latest one the
 * street formed in the current episode. A department left out of a re-formed team is off it (no
 * more member-only actions, and the relay stops showing it the case); what it recorded stays.
 */
describe('[S-9] the current joint team', () => {
	/** Lost contact: police join to find the student (S-9), find it, then the team is re-formed. */
	const found = () =>
		shilongToJointTeam('case-team', 'lost_contact')
			.by('police')
			.add('student_located', '2025-10-15', {
				whereabouts: '在外省务工',
				movedOutOfCounty: false
			})
			.by('street');

	it('[S-9] the first formation is the team', () => {
		const e = evaluate(shilongToJointTeam('case-team', 'lost_contact').build(), '2025-10-14');
		expect(e.teamDepartments).toEqual(['police']);
	});

	it('[S-9] a re-formed team replaces the earlier one; the left-out department’s records stay', () => {
		const snap = found()
			.add('joint_team_formed', '2025-10-16', {
				reason: 'guardian_neglect',
				departments: ['justice']
			})
			.build();
		const e = evaluate(snap, '2025-10-16');
		expect(e.teamDepartments).toEqual(['justice']);
		expect(e.conflicts).toEqual([]);
		// The police's record is on the timeline, by police, and counted.
		const located = snap.events.find((x) => x.type === 'student_located');
		expect(located?.author.orgKind).toBe('police');
		expect(caseState(snap).byType.get('student_located')).toHaveLength(1);
		// Every kind that was ever on a team is still known (history), the team is not.
		expect([...caseState(snap).teamEver].sort()).toEqual(['justice', 'police']);
	});

	it('[S-9] a department left out of the re-formed team may no longer record member-only events', () => {
		const b = found().add('joint_team_formed', '2025-10-16', {
			reason: 'guardian_neglect',
			departments: ['justice']
		});
		const snap = b.build();
		const police = b
			.by('police')
			.event('joint_persuasion_attempt', '2025-10-17', { mode: 'phone', outcome: 'refused' });
		const r = checkEvent(snap, parsed(police), '2025-10-17');
		expect(r).toMatchObject({ ok: false, rule: 'S-9' });
		const justice = b
			.by('justice')
			.event('joint_persuasion_attempt', '2025-10-17', { mode: 'phone', outcome: 'refused' });
		expect(checkEvent(snap, parsed(justice), '2025-10-17')).toEqual({ ok: true });
	});

	it('[S-9][G-M1] two formations on one day: the later recorded one is the team', () => {
		const snap = shilongToJointTeam('case-team', 'work')
			.by('street')
			.add('joint_team_formed', '2025-10-13', {
				reason: 'guardian_neglect',
				departments: ['justice']
			})
			.build();
		expect(evaluate(snap, '2025-10-14').teamDepartments).toEqual(['justice']);
	});

	it('[S-10][S-9] a reopened case has no joint team until the street forms one again', () => {
		const closed = shilongClosedBy('enrolled_elsewhere');
		expect(evaluate(closed, '2025-10-24').teamDepartments.sort()).toEqual(['hr', 'police']);
		const reopened = {
			...closed,
			events: [
				...closed.events,
				parsed({
					id: 'case-elsewhere-reopen',
					type: 'reopened',
					date: '2025-11-03',
					recordedAt: '2025-11-03T09:00:00.000Z',
					author: {
						userId: 'street1',
						orgId: 'org-street1',
						orgKind: 'street',
						role: 'officer',
						name: '赵干事'
					},
					v: 1,
					reason: '学生未到新学校报到'
				})
			]
		};
		const e = evaluate(reopened, '2025-11-03');
		expect(e.conflicts).toEqual([]);
		expect(e.teamDepartments).toEqual([]);
	});
});
