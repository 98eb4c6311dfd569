import { describe, expect, it } from 'vitest';
import { type CaseEvent, type CaseSnapshot } from '../../src/lib/domain';
import { DEMO_AUTHORS, shilongClosedBy, shilongToJointTeam } from '../../src/lib/demo';
import { compareEvents, evaluate, foldCase, getProfile } from '../../src/lib/rules';
import { obligation, obligationKeys, parsed, shilong, shuffled } from './helpers';

/** An event as another device would record it: same payload, its own id and time. */
function copyOf(ev: CaseEvent, id: string, recordedAt: string, author = ev.author): CaseEvent {
	return { ...ev, id, recordedAt, author };
}

describe('merging concurrent work (G-M)', () => {
	it.each([1, 2, 3, 42, 2025])(
		'[G-M1] evaluation does not depend on the timeline order (seed %i)',
		(seed) => {
			const s = shilongClosedBy('refuses_after_judicial');
			const mixed: CaseSnapshot = { ...s, events: shuffled(s.events, seed) };
			expect(evaluate(mixed, '2026-10-01')).toEqual(evaluate(s, '2026-10-01'));
		}
	);

	it('[G-M1] events are ordered by date, then recorded-at, then id', () => {
		const a = DEMO_AUTHORS.school;
		const mk = (id: string, date: string, at: string) =>
			parsed({ id, type: 'follow_up', date, recordedAt: at, author: a, v: 1, status: 'stable' });
		const list = [
			mk('b', '2025-10-02', '2025-10-02T08:00:00Z'),
			mk('a', '2025-10-02', '2025-10-02T08:00:00Z'),
			mk('c', '2025-10-01', '2025-10-05T08:00:00Z'),
			mk('d', '2025-10-02', '2025-10-01T08:00:00Z')
		];
		expect([...list].sort(compareEvents).map((e) => e.id)).toEqual(['c', 'd', 'a', 'b']);
	});

	it('[G-M2] the same absence day recorded on two devices counts once; both stay', () => {
		const b = shilong().absences(['2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28']);
		const s = b.build();
		const dup = copyOf(s.events[3] as CaseEvent, 'other-device-1', '2025-09-28T11:00:00.000Z');
		const merged = { ...s, events: [...s.events, dup] };
		expect(obligationKeys(merged, '2025-09-29')).toEqual(['home-visit']);
		expect(evaluate(merged, '2025-09-29').conflicts).toEqual([]);
		expect(merged.events).toHaveLength(5);
	});

	it('[G-M2] a persuasion attempt recorded twice counts once towards the three', () => {
		const s = shilong()
			.absences(['2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29'])
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } })
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'refused' })
			.add('persuasion_attempt', '2025-10-09', { mode: 'home_visit', outcome: 'refused' })
			.build();
		const twin = copyOf(
			s.events[s.events.length - 1] as CaseEvent,
			'twin',
			'2025-10-09T20:00:00.000Z',
			DEMO_AUTHORS.community
		);
		const merged = { ...s, events: [...s.events, twin] };
		expect(obligation(merged, '2025-10-10', 'persuade').state).toBe('pending');
	});

	it('[G-M2] the same notice number recorded twice is one notice', () => {
		const s = shilongToJointTeam().build();
		const notice = s.events.find((e) => e.type === 'deadline_notice_issued') as CaseEvent;
		const merged = {
			...s,
			events: [...s.events, copyOf(notice, 'notice-twin', '2025-10-13T12:00:00.000Z')]
		};
		const e = evaluate(merged, '2025-10-14');
		expect(e.conflicts).toEqual([]);
		expect(obligation(merged, '2025-10-14', 'deadline-notice').state).toBe('met');
	});

	it('[G-M3] two offline closures: the later one is a conflict, kept and shown, until an amend resolves it', () => {
		const s = shilongClosedBy('missing_or_deceased');
		const first = s.events[s.events.length - 1] as Extract<CaseEvent, { type: 'closed' }>;
		const second = {
			...first,
			id: 'close-by-bureau',
			recordedAt: '2025-12-02T15:00:00.000Z',
			author: DEMO_AUTHORS.bureau
		};
		const merged = { ...s, events: [...s.events, second] };
		const e = evaluate(merged, '2025-12-03');
		expect(e.stage).toBe('closed');
		expect(e.conflicts).toHaveLength(1);
		expect(e.conflicts[0]).toMatchObject({ eventId: 'close-by-bureau', rule: 'closed' });
		const resolve = parsed({
			id: 'resolve-1',
			type: 'amend',
			date: '2025-12-03',
			recordedAt: '2025-12-03T08:00:00.000Z',
			author: DEMO_AUTHORS.bureau,
			v: 1,
			target: 'close-by-bureau',
			retract: true,
			reason: '重复销号'
		});
		const resolved = { ...merged, events: [...merged.events, resolve] };
		expect(evaluate(resolved, '2025-12-03').conflicts).toEqual([]);
		expect(resolved.events).toHaveLength(merged.events.length + 1);
	});

	it('[G-M3] a closure made ineligible by a concurrent amendment becomes a conflict', () => {
		const s = shilongClosedBy('returned');
		const returned = s.events.find((e) => e.type === 'returned') as CaseEvent;
		const retract = parsed({
			id: 'retract-return',
			type: 'amend',
			date: '2025-11-07',
			recordedAt: '2025-11-07T07:00:00.000Z',
			author: DEMO_AUTHORS.school,
			v: 1,
			target: returned.id,
			retract: true,
			reason: '误登记：学生未返校'
		});
		const e = evaluate({ ...s, events: [...s.events, retract] }, '2025-11-08');
		expect(e.stage).not.toBe('closed');
		expect(e.conflicts.map((c) => c.rule)).toContain('S-10');
	});

	it('[G-M3] an action recorded offline after the case was closed is a conflict', () => {
		const s = shilongClosedBy('missing_or_deceased');
		const late = parsed({
			id: 'late-attempt',
			type: 'persuasion_attempt',
			date: '2025-12-05',
			recordedAt: '2025-12-05T08:00:00.000Z',
			author: DEMO_AUTHORS.school,
			v: 1,
			mode: 'phone',
			outcome: 'no_contact'
		});
		const e = evaluate({ ...s, events: [...s.events, late] }, '2025-12-06');
		expect(e.conflicts).toEqual([
			expect.objectContaining({ eventId: 'late-attempt', rule: 'closed' })
		]);
	});

	it('[G-M3] an amendment by another org is itself a conflict; nothing is dropped', () => {
		const s = shilongToJointTeam().build();
		const byStreet = parsed({
			id: 'bad-amend',
			type: 'amend',
			date: '2025-10-14',
			recordedAt: '2025-10-14T08:00:00.000Z',
			author: DEMO_AUTHORS.street,
			v: 1,
			target: (s.events[0] as CaseEvent).id,
			retract: true,
			reason: '删除'
		});
		const merged = { ...s, events: [...s.events, byStreet] };
		const e = evaluate(merged, '2025-10-14');
		expect(e.conflicts).toEqual([expect.objectContaining({ eventId: 'bad-amend', rule: 'amend' })]);
		expect(obligation(merged, '2025-10-14', 'home-visit').since).toBe('2025-09-26');
	});

	it('[G-M3] an amendment corrects a field: the corrected record counts', () => {
		const s = shilong().absences(['2025-09-24', '2025-09-25', '2025-09-26']).build();
		const fix = parsed({
			id: 'fix-1',
			type: 'amend',
			date: '2025-09-27',
			recordedAt: '2025-09-27T08:00:00.000Z',
			author: DEMO_AUTHORS.school,
			v: 1,
			target: (s.events[1] as CaseEvent).id,
			patch: { excused: true, id: 'ignored' },
			reason: '家长补交请假条'
		});
		expect(obligationKeys({ ...s, events: [...s.events, fix] }, '2025-09-27')).toEqual([]);
	});

	it('[G-M4] profile fields: the last writer wins per field, whatever the array order', () => {
		const b = shilong()
			.by('community')
			.add('profile_updated', '2025-09-10', {
				changes: [{ target: 'student', field: 'residence', value: '石龙区人民路1号' }]
			})
			.by('school')
			.add('profile_updated', '2025-09-12', {
				changes: [
					{ target: 'student', field: 'residence', value: '石龙区建设路8号' },
					{ target: 'guardian', guardianId: 'g1', field: 'phone', value: '13900000000' }
				]
			})
			.by('community')
			.add('profile_updated', '2025-09-11', {
				changes: [{ target: 'student', field: 'className', value: '八(3)班' }]
			});
		const s = b.build();
		for (const seed of [1, 7, 99]) {
			const st = foldCase({ ...s, events: shuffled(s.events, seed) }, getProfile(s.profile));
			expect(st.student.residence).toBe('石龙区建设路8号');
			expect(st.student.className).toBe('八(3)班');
			expect(st.guardians[0]?.phone).toBe('13900000000');
		}
		expect(s.student.residence).toBe(''); // the snapshot keeps the record as created
	});
});
