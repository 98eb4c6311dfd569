import { describe, expect, it } from 'vitest';
import { type CaseEvent, type CaseSnapshot } from '../../src/lib/domain';
import { CaseBuilder, DEMO_AUTHORS } from '../../src/lib/demo';
import { effectiveEvent, foldCase, getProfile, restorePlan } from '../../src/lib/rules';

const TODAY = '2025-09-20';
const REASON = '恢复到 9 月 10 日的状态';

/** A school case with two absences and a home visit, then later work by school and street. */
function history(): { past: CaseSnapshot; current: CaseSnapshot; ids: string[] } {
	const b = new CaseBuilder({
		id: 'case-restore',
		profile: 'shilong-2022',
		student: { name: '王小明' },
		createdOn: '2025-09-01'
	})
		.absences(['2025-09-08', '2025-09-09'])
		.add('home_visit', '2025-09-10', { mode: 'home_visit', findings: '家中无人' });
	const past = b.build();
	b.absences(['2025-09-11', '2025-09-12', '2025-09-15'])
		.add('persuasion_attempt', '2025-09-16', { mode: 'phone', outcome: 'promised' })
		.by('community')
		.add('home_visit', '2025-09-16', { mode: 'home_visit', contacted: '父亲' });
	const current = b.build();
	return { past, current, ids: current.events.map((e) => e.id) };
}

/** Appends amend events as the case would record them. */
function withAmends(
	s: CaseSnapshot,
	amends: ReturnType<typeof restorePlan>['amends'],
	by = DEMO_AUTHORS.school
): CaseSnapshot {
	const events = amends.map((a, i): CaseEvent => ({
		id: `ev-restore-${i}`,
		type: 'amend',
		date: a.date,
		recordedAt: `2025-09-20T0${i}:00:00.000Z`,
		author: by,
		v: 1,
		target: a.target,
		retract: a.retract,
		patch: a.patch,
		reason: a.reason
	}));
	return { ...s, events: [...s.events, ...events] };
}

describe('restore to an earlier point (amendments, never a rewrite; G-M3)', () => {
	it('G-M3: the bureau withdraws every event added since the earlier point', () => {
		const { past, current } = history();
		const plan = restorePlan(current, past, DEMO_AUTHORS.bureau, TODAY, REASON);
		expect(plan.blocked).toEqual([]);
		expect(plan.amends.map((a) => [a.targetType, a.retract, a.what])).toEqual([
			['absence', true, 'withdraw-added'],
			['absence', true, 'withdraw-added'],
			['absence', true, 'withdraw-added'],
			['persuasion_attempt', true, 'withdraw-added'],
			['home_visit', true, 'withdraw-added']
		]);
		expect(plan.amends.every((a) => a.reason === REASON && a.date === TODAY)).toBe(true);
		// Applied, the case counts what it counted then; the events are still on the timeline.
		const restored = withAmends(current, plan.amends, DEMO_AUTHORS.bureau);
		const state = foldCase(restored, getProfile('shilong-2022'));
		const counted = restored.events.filter((e) => e.type !== 'amend' && effectiveEvent(state, e));
		expect(counted.map((e) => e.id)).toEqual(past.events.map((e) => e.id));
		expect(restored.events.length).toBe(current.events.length + 5);
		expect(state.conflicts).toEqual([]);
	});

	it('G-M3: a school may only withdraw its own records; the community record is listed as blocked', () => {
		const { past, current } = history();
		const plan = restorePlan(current, past, DEMO_AUTHORS.school, TODAY, REASON);
		expect(plan.amends).toHaveLength(4);
		expect(plan.blocked.map((b) => [b.targetType, b.reason.en])).toEqual([
			['home_visit', 'recorded by another org: only that org or the bureau may amend it']
		]);
	});

	it('G-M3: a correction made since is corrected back with a patch of the earlier values', () => {
		const { past, current, ids } = history();
		const visit = ids[2] ?? '';
		const corrected = withAmends(current, [
			{
				type: 'amend',
				date: '2025-09-17',
				target: visit,
				retract: false,
				patch: { findings: '见到父亲' },
				reason: '记错了',
				what: 'revert-correction',
				targetType: 'home_visit',
				targetDate: '2025-09-10'
			}
		]);
		const plan = restorePlan(corrected, past, DEMO_AUTHORS.school, TODAY, REASON);
		const back = plan.amends.find((a) => a.target === visit);
		expect(back).toMatchObject({
			retract: false,
			patch: { findings: '家中无人' },
			what: 'revert-correction'
		});
		const state = foldCase(withAmends(corrected, plan.amends), getProfile('shilong-2022'));
		const ev = corrected.events.find((e) => e.id === visit);
		expect(ev && effectiveEvent(state, ev)).toMatchObject({ findings: '家中无人' });
	});

	it('G-M3: a withdrawal made since cannot be undone and is listed; restoring to now is empty', () => {
		const { current, ids } = history();
		const withdrawn = withAmends(current, [
			{
				type: 'amend',
				date: '2025-09-17',
				target: ids[2] ?? '',
				retract: true,
				patch: {},
				reason: '重复',
				what: 'withdraw-added',
				targetType: 'home_visit',
				targetDate: '2025-09-10'
			}
		]);
		const plan = restorePlan(withdrawn, current, DEMO_AUTHORS.school, TODAY, REASON);
		expect(plan.amends).toEqual([]);
		expect(plan.blocked.map((b) => b.targetType)).toEqual(['home_visit']);
		expect(restorePlan(current, current, DEMO_AUTHORS.school, TODAY, REASON)).toEqual({
			amends: [],
			blocked: [],
			planDiffers: false
		});
	});

	it('reports a plan text that differs from the earlier version', () => {
		const { past, current } = history();
		const plan = restorePlan(
			{ ...current, plan: '新计划' },
			past,
			DEMO_AUTHORS.school,
			TODAY,
			REASON
		);
		expect(plan.planDiffers).toBe(true);
	});
});
