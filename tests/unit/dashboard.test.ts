import { describe, expect, it } from 'vitest';
import {
	activeInTerm,
	countByStage,
	currentTerm,
	deadlinesByOrg,
	filterFromQuery,
	filterOptions,
	filterRows,
	filterToQuery,
	lastMonths,
	lastSynced,
	loadRoster,
	mergeTerms,
	monthlyTrend,
	parseRoster,
	readSummary,
	rosterCacheKey,
	schoolIndicators,
	summarize,
	unsummarised,
	withoutResponsible,
	type CaseSummary,
	type DashboardRow,
	type RosterCounts
} from '../../src/lib/dashboard';
import { builtinCalendar, evaluate, getProfile } from '../../src/lib/rules';
import { shilongClosedBy, shilongToJointTeam } from '../../src/lib/demo';
import { shilong } from './helpers';

/** A summary with every field set to "nothing happened yet"; tests override what they need. */
function summary(over: Partial<CaseSummary> = {}): CaseSummary {
	return {
		v: 1,
		asOf: '2026-11-20',
		profile: 'shilong-2022',
		openedOn: '2026-09-10',
		streetId: 'org-street1',
		schoolId: 'org-school1',
		grade: 8,
		focusGroups: [],
		reasons: [],
		responsible: 'not-required',
		firstAbsence: null,
		suspectedOn: null,
		returnedOn: null,
		closedOn: null,
		closedPath: null,
		open: [],
		...over
	};
}

let seq = 0;
function row(over: Partial<DashboardRow> = {}): DashboardRow {
	seq++;
	return {
		id: `case-${seq}`,
		student: `学生${seq}`,
		schoolId: 'org-school1',
		school: '第一初级中学',
		street: '新华街道办事处',
		stage: 'watch',
		summary: summary(),
		updatedAt: '2026-11-20T02:00:00.000Z',
		...over
	};
}

const WEEK = ['2025-09-01', '2025-09-02', '2025-09-03', '2025-09-04', '2025-09-05'];

describe('summary of a case (computed by the shared rules)', () => {
	it('[S-4b] 5 unexcused school days without a responsible person: "missing"; named once the suspected case opens', () => {
		const b = shilong('case-r').absences(WEEK);
		const before = summarize(b.build(), '2025-09-08');
		expect(before.responsible).toBe('missing');
		expect(before.firstAbsence).toBe('2025-09-01');
		expect(before.suspectedOn).toBeNull();
		expect(before.open.map((o) => o.rule)).toContain('S-4b');

		const after = summarize(
			b.add('suspected_case_opened', '2025-09-08', { responsible: { name: '王老师' } }).build(),
			'2025-09-08'
		);
		expect(after.responsible).toBe('named');
		expect(after.suspectedOn).toBe('2025-09-08');
	});

	it('[S-4b] fewer than 5 absences need no responsible person yet', () => {
		const s = summarize(shilong('case-r2').absences(WEEK.slice(0, 2)).build(), '2025-09-03');
		expect(s.responsible).toBe('not-required');
		expect(s.open).toEqual([]);
	});

	it('[S-9] reasons from the dropout file and the joint team; orgs and grade from the snapshot', () => {
		const snap = shilongToJointTeam('case-j', 'work').build();
		const s = summarize(snap, '2025-10-14');
		expect(s.reasons).toEqual(['work']);
		expect(s).toMatchObject({
			streetId: snap.orgs.streetId,
			schoolId: snap.orgs.schoolId,
			grade: 9,
			focusGroups: ['left_behind'],
			openedOn: '2025-09-24',
			firstAbsence: '2025-09-24',
			suspectedOn: '2025-09-29'
		});
	});

	it('[S-10] closure day and path; return day', () => {
		const s = summarize(shilongClosedBy('returned'), '2025-11-10');
		expect(s).toMatchObject({
			returnedOn: '2025-10-30',
			closedOn: '2025-11-07',
			closedPath: 'returned'
		});
		const m = summarize(shilongClosedBy('missing_or_deceased'), '2025-12-05');
		expect(m).toMatchObject({ closedOn: '2025-12-02', closedPath: 'missing_or_deceased' });
	});

	it('[S-5] open obligations are exactly the pending and overdue ones of the rules, with responsible org and due date', () => {
		const snap = shilongToJointTeam('case-o').build();
		const today = '2025-10-30';
		const e = evaluate(snap, today, { actions: false });
		const want = e.obligations
			.filter((o) => o.state === 'pending' || o.state === 'overdue')
			.map((o) => ({
				key: o.key,
				rule: o.rule,
				responsible: o.responsible,
				due: o.due,
				state: o.state
			}));
		expect(want.length).toBeGreaterThan(0);
		expect(summarize(snap, today).open).toEqual(want);
	});

	it('a stored summary is read back; rows from before summaries (or garbage) are "not yet summarised"', () => {
		const s = summarize(shilongToJointTeam('case-rb').build(), '2025-10-14');
		expect(readSummary(JSON.parse(JSON.stringify(s)))).toEqual(s);
		expect(readSummary(undefined)).toBeNull();
		expect(readSummary({ v: 0 })).toBeNull();
		expect(readSummary({ ...s, grade: 'eight' })).toBeNull();
		expect(unsummarised([row(), row({ summary: null })])).toBe(1);
	});
});

describe('dashboard aggregates', () => {
	it('[S-5] counts by stage list every stage in procedure order and sum to the number of rows', () => {
		const rows = [
			row({ stage: 'suspected' }),
			row({ stage: 'suspected' }),
			row({ stage: 'closed' }),
			row({ stage: 'joint', summary: null })
		];
		const c = countByStage(rows);
		expect(c.map((x) => x.stage)).toEqual([
			'watch',
			'absent',
			'suspected',
			'dropout',
			'notice',
			'joint',
			'returned',
			'deferred',
			'closed'
		]);
		expect(c.reduce((n, x) => n + x.count, 0)).toBe(rows.length);
		expect(c.find((x) => x.stage === 'suspected')?.count).toBe(2);
	});

	it('[S-8] deadlines by responsible org: overdue and due within 7 days are judged for today, not for the summary’s day', () => {
		const open = (responsible: 'school' | 'street', due: string) => ({
			key: `k-${due}`,
			rule: 'S-8' as const,
			responsible,
			due,
			state: 'pending' as const
		});
		const rows = [
			row({
				summary: summary({
					open: [
						open('street', '2026-11-19'), // pending when summarised, overdue today
						open('street', '2026-11-23'), // today: due soon
						open('school', '2026-11-30'), // today + 7: due soon
						open('school', '2026-12-01') // today + 8: not yet
					]
				})
			}),
			row({ summary: summary({ open: [{ ...open('school', '2026-11-01'), state: 'overdue' }] }) }),
			row({ summary: summary({ open: [{ ...open('street', '2026-11-01'), due: null }] }) })
		];
		expect(deadlinesByOrg(rows, '2026-11-23')).toEqual([
			{ org: 'school', overdue: 1, dueSoon: 1 },
			{ org: 'street', overdue: 1, dueSoon: 1 }
		]);
	});

	it('[S-4b] cases without a responsible person: open cases only, longest waiting first', () => {
		const a = row({
			stage: 'absent',
			summary: summary({ responsible: 'missing', firstAbsence: '2026-11-10' })
		});
		const b = row({
			stage: 'suspected',
			summary: summary({ responsible: 'missing', firstAbsence: '2026-11-02' })
		});
		const closed = row({ stage: 'closed', summary: summary({ responsible: 'missing' }) });
		const named = row({ stage: 'suspected', summary: summary({ responsible: 'named' }) });
		expect(withoutResponsible([a, b, closed, named, row({ summary: null })])).toEqual([b, a]);
	});

	it('[B-7] in-term retention per school = (roster − dropouts not returned) ÷ roster, flagged below the 99 % target', () => {
		const target = getProfile('shilong-2022').targets.retentionRate;
		expect(target).toBe(0.99);
		const out = (schoolId: string, stage: DashboardRow['stage'], poor = false) =>
			row({
				schoolId,
				school: schoolId === 'org-school1' ? '第一初级中学' : '光明中学',
				stage,
				summary: summary({ schoolId, focusGroups: poor ? ['registered_poor'] : [] })
			});
		const rows = [
			out('org-school1', 'dropout'),
			out('org-school1', 'notice', true),
			out('org-school1', 'joint'),
			out('org-school1', 'suspected'),
			out('org-school1', 'returned'),
			out('org-school2', 'joint')
		];
		const roster: RosterCounts = {
			term: '2026-09-01',
			counts: { 'org-school1': 200, 'org-school2': 400, 'org-school3': 120 },
			previousTerm: '2026-03-02',
			previousCounts: { 'org-school1': 198 },
			schools: { 'org-school3': '第三中学' }
		};
		const by = new Map(schoolIndicators(rows, roster, target).map((s) => [s.schoolId, s]));
		expect(by.get('org-school1')).toMatchObject({
			enrolled: 200,
			previousEnrolled: 198,
			stillOut: 3,
			suspected: 1,
			poorStillOut: 1,
			retention: 197 / 200,
			meetsTarget: false
		});
		expect(by.get('org-school2')).toMatchObject({
			stillOut: 1,
			retention: 399 / 400,
			meetsTarget: true,
			previousEnrolled: null
		});
		// A school on the roster without any case: 100 %.
		expect(by.get('org-school3')).toMatchObject({
			name: '第三中学',
			stillOut: 0,
			retention: 1,
			meetsTarget: true
		});
		// Exactly on target counts as met.
		expect(
			schoolIndicators(
				[out('org-school2', 'joint')],
				{ ...roster, counts: { 'org-school2': 100 } },
				target
			)[0]?.meetsTarget
		).toBe(true);
		// Without a roster nothing is guessed.
		const none = schoolIndicators(rows, null, target);
		expect(none.map((s) => [s.enrolled, s.retention, s.meetsTarget])).toEqual([
			[null, null, null],
			[null, null, null]
		]);
		// The school filter keeps one school, even one known from the roster only.
		expect(schoolIndicators(rows, roster, target, 'org-school3').map((s) => s.schoolId)).toEqual([
			'org-school3'
		]);
	});

	it('[S-10] trends by month over the last 12 months: suspected, returned, closed', () => {
		expect(lastMonths('2026-11-23')).toEqual([
			'2025-12',
			'2026-01',
			'2026-02',
			'2026-03',
			'2026-04',
			'2026-05',
			'2026-06',
			'2026-07',
			'2026-08',
			'2026-09',
			'2026-10',
			'2026-11'
		]);
		const rows = [
			row({ summary: summary({ suspectedOn: '2026-11-02', returnedOn: '2026-11-20' }) }),
			row({
				summary: summary({
					suspectedOn: '2025-12-01',
					closedOn: '2026-01-05',
					closedPath: 'returned'
				})
			}),
			row({ summary: summary({ suspectedOn: '2025-11-30' }) }), // 13 months ago: outside
			row({ summary: null })
		];
		const t = monthlyTrend(rows, '2026-11-23');
		expect(t).toHaveLength(12);
		expect(t[0]).toEqual({ month: '2025-12', suspected: 1, returned: 0, closed: 0 });
		expect(t[1]).toEqual({ month: '2026-01', suspected: 0, returned: 0, closed: 1 });
		expect(t[11]).toEqual({ month: '2026-11', suspected: 1, returned: 1, closed: 0 });
		expect(t.reduce((n, m) => n + m.suspected, 0)).toBe(2);
	});

	it('filters by street, school and term; a term keeps cases worked on during it', () => {
		const terms = mergeTerms([builtinCalendar().termsFor(null)]);
		expect(terms[0]?.start).toBe('2026-09-01');
		expect(new Set(terms.map((t) => t.start)).size).toBe(terms.length);
		const autumn = { name: '秋季学期', start: '2026-09-01', end: '2027-01-22' };
		expect(currentTerm(terms, '2026-11-23')).toEqual(autumn);
		expect(currentTerm(terms, '2026-08-15')?.start).toBe('2026-03-02');

		const old = row({ summary: summary({ openedOn: '2025-10-01', closedOn: '2026-01-10' }) });
		const open = row({ summary: summary({ openedOn: '2025-10-01' }) });
		const fresh = row({
			schoolId: 'org-school2',
			school: '光明中学',
			street: '光明街道办事处',
			summary: summary({ openedOn: '2026-10-01', streetId: 'org-street2', schoolId: 'org-school2' })
		});
		const bare = row({ summary: null });
		expect(activeInTerm(old.summary as CaseSummary, autumn)).toBe(false);
		expect(activeInTerm(open.summary as CaseSummary, autumn)).toBe(true);
		const all = [old, open, fresh, bare];
		const f = (q: string) => filterRows(all, filterFromQuery(new URLSearchParams(q), terms), terms);
		expect(f('')).toEqual(all);
		expect(f('term=2026-09-01')).toEqual([open, fresh]);
		expect(f('street=org-street2')).toEqual([fresh]);
		expect(f('school=org-school1')).toEqual([old, open, bare]);
		expect(f('term=1999-01-01')).toEqual(all); // unknown term: ignored
		expect(filterToQuery({ street: 'org-street2', school: '', term: '2026-09-01' })).toBe(
			'?street=org-street2&term=2026-09-01'
		);
		expect(filterToQuery({ street: '', school: '', term: '' })).toBe('');
		expect(filterOptions(all)).toEqual({
			streets: [
				{ id: 'org-street2', name: '光明街道办事处' },
				{ id: 'org-street1', name: '新华街道办事处' }
			],
			// zh-CN collation: by pinyin (第 dì before 光 guāng)
			schools: [
				{ id: 'org-school1', name: '第一初级中学' },
				{ id: 'org-school2', name: '光明中学' }
			]
		});
		expect(lastSynced([row({ updatedAt: '2026-11-21T00:00:00.000Z' }), old])).toBe(
			'2026-11-21T00:00:00.000Z'
		);
		expect(lastSynced([])).toBeNull();
	});
});

describe('[B-7] roster counts for the indicators: live, cached for offline use, or unavailable', () => {
	const answer = {
		term: '2026-09-01',
		counts: { 'org-school1': 812 },
		previousTerm: '2026-03-02',
		previousCounts: { 'org-school1': 805 }
	};
	function memoryStore() {
		const m = new Map<string, string>();
		return {
			getItem: (k: string) => m.get(k) ?? null,
			setItem: (k: string, v: string) => void m.set(k, v),
			m
		};
	}
	const respond = (status: number, body: unknown) =>
		(() => Promise.resolve(new Response(JSON.stringify(body), { status }))) as typeof fetch;
	const now = new Date('2026-11-23T04:00:00.000Z');

	it('a live answer is shown and cached; offline the cached copy is used; without either the page says so', async () => {
		const store = memoryStore();
		const live = await loadRoster({
			userId: 'school1',
			term: '2026-09-01',
			online: true,
			token: 't',
			store,
			now,
			fetch: respond(200, answer)
		});
		expect(live).toEqual({ ok: true, data: answer, source: 'live', at: now.toISOString() });
		expect(store.m.has(rosterCacheKey('school1', '2026-09-01'))).toBe(true);

		const cached = {
			term: '2026-09-01',
			online: false,
			token: 't',
			store,
			now,
			fetch: respond(500, {})
		};
		const offline = await loadRoster({ ...cached, userId: 'school1' });
		expect(offline).toMatchObject({ ok: true, source: 'cache', data: answer });
		// Issue 11: another user of the device never reads this user's cached counts.
		expect(await loadRoster({ ...cached, userId: 'school2' })).toEqual({
			ok: false,
			reason: 'offline'
		});

		const other = {
			userId: 'school1',
			term: '2026-03-02',
			token: 't',
			store,
			now,
			fetch: respond(404, {})
		};
		expect(await loadRoster({ ...other, online: false })).toEqual({ ok: false, reason: 'offline' });
		expect(await loadRoster({ ...other, online: true })).toEqual({
			ok: false,
			reason: 'unavailable'
		});
	});

	it('a malformed answer is not one', () => {
		expect(parseRoster(answer)).toEqual(answer);
		expect(parseRoster({ term: '2026-09-01', counts: { a: -1 } })).toBeNull();
		expect(parseRoster({ term: '2026-09-01', counts: {} })).toEqual({
			term: '2026-09-01',
			counts: {},
			previousTerm: null,
			previousCounts: null
		});
	});
});
