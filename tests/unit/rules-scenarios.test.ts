import { describe, expect, it } from 'vitest';
import { CLOSURE_PATHS, type CaseSnapshot, type ClosurePath } from '../../src/lib/domain';
import { checkEvent, evaluate, getProfile, type Stage } from '../../src/lib/rules';
import { bishanTermStart, shilongClosedBy } from '../../src/lib/demo';
import { obligation, parsed } from './helpers';

/** The stage after each event, replaying the timeline one event at a time. */
function stages(s: CaseSnapshot): Stage[] {
	const out: Stage[] = [];
	for (let i = 1; i <= s.events.length; i++) {
		const e = s.events[i - 1];
		const stage = evaluate({ ...s, events: s.events.slice(0, i) }, e?.date ?? '2026-12-31').stage;
		if (out[out.length - 1] !== stage) out.push(stage);
	}
	return out;
}

const EXPECTED_STAGES: Record<ClosurePath, Stage[]> = {
	returned: ['watch', 'absent', 'suspected', 'dropout', 'notice', 'joint', 'returned', 'closed'],
	enrolled_elsewhere: [
		'watch',
		'absent',
		'suspected',
		'dropout',
		'notice',
		'joint',
		'returned',
		'closed'
	],
	refuses_after_judicial: [
		'watch',
		'absent',
		'suspected',
		'dropout',
		'notice',
		'joint',
		'deferred',
		'closed'
	],
	unfit_to_study: [
		'watch',
		'absent',
		'suspected',
		'dropout',
		'notice',
		'joint',
		'deferred',
		'closed'
	],
	poor_family_refuses: [
		'watch',
		'absent',
		'suspected',
		'dropout',
		'notice',
		'joint',
		'deferred',
		'closed'
	],
	missing_or_deceased: ['watch', 'absent', 'suspected', 'dropout', 'notice', 'joint', 'closed']
};

describe('Shilong scenarios: first absence to closure, across National Day 2025', () => {
	it.each(CLOSURE_PATHS)('[S-10] closes along the %s path with every step accepted', (path) => {
		const s = shilongClosedBy(path);
		const e = evaluate(s, '2026-10-01');
		expect(e.conflicts).toEqual([]);
		expect(e.stage).toBe('closed');
		expect(e.closure.find((c) => c.path === path)?.eligible).toBe(true);
		expect(stages(s)).toEqual(EXPECTED_STAGES[path]);
		// Every deadline of the procedure was met on time in these walks, but the notice's own
		// (S-8): the student was not back by 10-20, which is why the joint team went on. What the
		// case moved past before its due day (the last 继续劝返 period at the over-age mark) is
		// no longer needed, never done.
		const dated = e.obligations.filter((o) => o.due !== null);
		expect(dated.length).toBeGreaterThanOrEqual(6);
		for (const o of dated) {
			if (o.key === 'notice-return') expect(['late', 'not_needed']).toContain(o.state);
			else if (o.state === 'not_needed')
				expect((o.ended?.on ?? '9999') <= (o.due ?? '')).toBe(true);
			else expect([o.key, o.state]).toEqual([o.key, 'met']);
		}
	});

	it.each(CLOSURE_PATHS)(
		'[S-10] the %s path is refused one step early, naming the missing evidence',
		(path) => {
			const s = shilongClosedBy(path);
			const closed = s.events[s.events.length - 1];
			const evidence = new Set(
				getProfile(s.profile).closure[path]?.evidence.map((e) => ('type' in e ? e.type : null))
			);
			const last = s.events.findLast((e) => evidence.has(e.type));
			if (!closed || !last) throw new Error('scenario too short');
			const early = { ...s, events: s.events.filter((e) => e !== closed && e !== last) };
			const r = checkEvent(early, closed, closed.date);
			expect(r.ok).toBe(false);
			if (!r.ok) {
				expect(r.rule).toBe('S-10');
				expect(r.reason.zh).toContain('缺少');
			}
			const status = evaluate(early, closed.date).closure.find((c) => c.path === path);
			expect(status?.eligible).toBe(false);
			expect(status?.missing.length).toBeGreaterThan(0);
		}
	);

	it('[S-10] refuses_after_judicial needs the over-age leaving mark: persuasion continues until then', () => {
		const s = shilongClosedBy('refuses_after_judicial');
		const beforeMark = { ...s, events: s.events.filter((e) => e.date < '2026-09-01') };
		const st = evaluate(beforeMark, '2026-06-01');
		expect(st.stage).toBe('deferred');
		expect(
			st.closure.find((c) => c.path === 'refuses_after_judicial')?.missing.map((m) => m.key)
		).toEqual(['over-age']);
	});

	it('[S-10] a closed case can be reopened (relapse) and the history stays', () => {
		const s = shilongClosedBy('returned');
		const reopen = parsed({
			id: 'reopen-1',
			type: 'reopened',
			date: '2025-12-01',
			recordedAt: '2025-12-01T08:00:00.000Z',
			author: s.events[0]?.author ?? s.createdBy,
			v: 1,
			reason: '再次连续缺勤'
		});
		expect(checkEvent(s, reopen, '2025-12-01')).toEqual({ ok: true });
		const after = { ...s, events: [...s.events, reopen] };
		const e = evaluate(after, '2025-12-01');
		expect(e.stage).toBe('watch');
		expect(e.closure.find((c) => c.path === 'returned')?.eligible).toBe(false);
		expect(after.events).toHaveLength(s.events.length + 1);
	});
});

describe('Bishan term start (bishan-2024)', () => {
	it('[B-1] the term check is due within 5 days of term start, the report within 10', () => {
		const s = bishanTermStart().build();
		// Term starts Mon 2026-03-02: +5 calendar days = Sat 03-07 → Mon 03-09 (G-T2).
		expect(obligation(s, '2026-03-06', 'term-check')).toMatchObject({
			rule: 'B-1',
			due: '2026-03-09',
			state: 'met',
			doneOn: '2026-03-04'
		});
		expect(obligation(s, '2026-03-06', 'term-report')).toMatchObject({
			rule: 'B-1',
			due: '2026-03-12',
			state: 'met'
		});
	});

	it('[B-1] a check after 5 days is late and a missing report becomes overdue', () => {
		const s = bishanTermStart().build();
		const late = {
			...s,
			events: s.events
				.filter((e) => e.type === 'term_check')
				.map((e) => ({ ...e, date: '2026-03-10' }))
		};
		expect(obligation(late, '2026-03-13', 'term-check').state).toBe('late');
		expect(obligation(late, '2026-03-13', 'term-report').state).toBe('overdue');
	});

	it('[B-2] a student not registered is traced until located or enrolled elsewhere', () => {
		const b = bishanTermStart();
		expect(obligation(b.build(), '2026-03-16', 'trace')).toMatchObject({
			rule: 'B-2',
			state: 'pending'
		});
		const s = b
			.by('bureau')
			.add('enrollment_elsewhere_confirmed', '2026-03-16', {
				school: '成都市某小学',
				confirmedBy: '成都市教育局'
			})
			.add('registry_mark', '2026-03-17', { mark: 'transferred' })
			.build();
		const e = evaluate(s, '2026-03-17');
		expect(obligation(s, '2026-03-17', 'trace').state).toBe('met');
		expect(e.closure.find((c) => c.path === 'enrolled_elsewhere')?.eligible).toBe(true);
	});

	it('[B-3] whereabouts unknown: a file, a report and a search with police and village committee', () => {
		const s = bishanTermStart()
			.absences(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'])
			.add('suspected_case_opened', '2026-03-13', { responsible: { name: '陈老师' } })
			.add('persuasion_attempt', '2026-03-16', { mode: 'home_visit', outcome: 'not_found' })
			.build();
		expect(obligation(s, '2026-03-16', 'dropout-file')).toMatchObject({
			rule: 'B-3',
			due: '2026-03-17'
		});
		expect(obligation(s, '2026-03-16', 'locate')).toMatchObject({
			rule: 'B-3',
			responsible: 'street',
			state: 'pending'
		});
	});

	it('[B-4] a non-local dropout: the bureau notifies the 户籍 district and transfers the registry file', () => {
		const b = bishanTermStart().add('dropout_file_created', '2026-03-06', { reason: 'other' });
		expect(obligation(b.build(), '2026-03-06', 'notify-hukou')).toMatchObject({
			rule: 'B-4',
			responsible: 'bureau',
			state: 'pending'
		});
		const s = b
			.by('bureau')
			.add('handover', '2026-03-09', {
				toDistrict: '四川省某县',
				notifiedOrg: '某县教育局',
				registryFileTransferred: true
			})
			.build();
		expect(obligation(s, '2026-03-09', 'notify-hukou').state).toBe('met');
	});

	it('[B-5] a guardian keeping the child out is ordered to correct within a set time', () => {
		const s = bishanTermStart()
			.add('dropout_file_created', '2026-03-06', { reason: 'guardian_neglect' })
			.build();
		expect(obligation(s, '2026-03-06', 'guardian-order')).toMatchObject({
			rule: 'B-5',
			responsible: 'street'
		});
		const ordered = parsed({
			id: 'order-1',
			type: 'guardian_ordered_to_correct',
			date: '2026-03-09',
			recordedAt: '2026-03-09T08:00:00.000Z',
			author: {
				userId: 'street1',
				orgId: 'org-street1',
				orgKind: 'street',
				role: 'officer',
				name: '张科长'
			},
			v: 1,
			correctBy: '2026-03-16'
		});
		expect(checkEvent(s, ordered, '2026-03-09')).toEqual({ ok: true });
		const done = { ...s, events: [...s.events, ordered] };
		expect(obligation(done, '2026-03-09', 'guardian-order').state).toBe('met');
		expect(evaluate(done, '2026-03-09').stage).toBe('notice');
	});
});
