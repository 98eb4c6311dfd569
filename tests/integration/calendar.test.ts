import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent, appendEventUnchecked } from '../../src/lib/case-doc';
import { type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { Calendar, parseCalendarData, type CalendarData } from '../../src/lib/rules';
import { openSqliteStorage } from '../../server/storage/sqlite';
import {
	INVENTED_2027,
	INVENTED_TERMS_2026_2027,
	OVERLAPPING_2027,
	WEEKDAY_MAKEUP_2027
} from './calendar-fixtures';
import {
	connect,
	createCase,
	login,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

/**
 * G-T3 against the real relay and SQLite: a year without an official schedule is provisional
 * (暂定), the bureau enters the official schedule and the terms as data, and every case is
 * evaluated and every update checked with the new version at once — nothing recorded is lost.
 * All calendar data entered here is INVENTED (see calendar-fixtures.ts). Clocks are fixed.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ListRow {
	id: string;
	next: {
		key: string;
		rule: string;
		since: string;
		due: string | null;
		state: string;
		provisional?: true;
	} | null;
	daysLeft: number | null;
	conflicts: number;
}
interface List {
	today: string;
	calendarVersion: string;
	cases: ListRow[];
}

let n = 0;
/** An event by school1's head teacher (the demo author matches the demo account). */
function event(type: string, date: string, payload: Record<string, unknown>): CaseEventInput {
	n++;
	const mm = String(n % 60).padStart(2, '0');
	return {
		id: `cal-${type.replace(/_/g, '-')}-${n}`,
		type,
		date,
		recordedAt: `${date}T01:${mm}:00.000Z`,
		author: DEMO_AUTHORS.school,
		v: 1,
		...payload
	} as CaseEventInput;
}
const absence = (date: string) => event('absence', date, { excused: false });

/** The Calendar a device builds from the relay's answer (it must parse, as devices parse it). */
function calendarOf(data: unknown): Calendar {
	const parsed = parseCalendarData(data);
	if (!parsed) throw new Error('GET /api/calendar did not parse as calendar data');
	return new Calendar(parsed);
}

/** Waits for an async condition, checking every 10 ms, up to `ms` (no fixed sleeps). */
async function eventually(
	cond: () => Promise<boolean>,
	ms = 5000,
	what = 'condition'
): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await cond())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

function api(t: TestRelay) {
	const call = (method: string, path: string, token?: string, body?: unknown) =>
		fetch(`${t.url}${path}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(token ? { authorization: `Bearer ${token}` } : {})
			},
			...(body === undefined
				? {}
				: { body: typeof body === 'string' ? body : JSON.stringify(body) })
		});
	return {
		get: (path: string, token?: string) => call('GET', path, token),
		put: (path: string, token: string, body: unknown) => call('PUT', path, token, body),
		async list(token: string): Promise<List> {
			return (await (await call('GET', '/api/cases', token)).json()) as List;
		},
		async row(token: string, id: string): Promise<ListRow> {
			const row = (await this.list(token)).cases.find((c) => c.id === id);
			if (!row) throw new Error(`case ${id} is not on the list`);
			return row;
		},
		async events(token: string, id: string): Promise<string[]> {
			const s = (await (await call('GET', `/api/cases/${id}`, token)).json()) as {
				events: { id: string }[];
			};
			return s.events.map((e) => e.id);
		},
		async calendar(token: string): Promise<CalendarData> {
			return (await (await call('GET', '/api/calendar', token)).json()) as CalendarData;
		}
	};
}

/**
 * Records events through a real y-websocket client, each checked on the device first (with
 * `calendar`, or the built-in one), then waits until the relay has accepted them all.
 */
async function record(
	t: TestRelay,
	token: string,
	caseId: string,
	events: CaseEventInput[],
	today: string,
	calendar?: Calendar
): Promise<void> {
	const http = api(t);
	const before = (await http.events(token, caseId)).length;
	const c = connect(t, caseId, token);
	try {
		await synced(c);
		for (const e of events) {
			const r = appendEvent(c.doc, e, today, calendar);
			if (!r.ok) throw new Error(`${e.id} refused on the device: ${r.rule} ${r.reason.en}`);
		}
		await eventually(
			async () => {
				if (c.refused.length) throw new Error(`relay refused: ${c.refused[0]?.rule}`);
				return (await http.events(token, caseId)).length === before + events.length;
			},
			5000,
			'the relay to accept the events'
		);
	} finally {
		c.destroy();
	}
}

describe('[G-T3] relay at 2026-12-25 09:00 Beijing time: provisional 2027, then the official one', () => {
	const NOW = new Date('2026-12-25T09:00:00+08:00');
	const TODAY = '2026-12-25';
	const lines: string[] = [];
	let t: TestRelay;
	let http: ReturnType<typeof api>;
	let school: string;
	let bureau: string;
	let caseId: string;

	beforeAll(async () => {
		t = await startRelay({ now: NOW, log: (l) => lines.push(l) });
		http = api(t);
		school = await login(t, 'school1');
		bureau = await login(t, 'bureau1');
		caseId = await createCase(t, school, { name: '日历测试学生甲' });
		// Mon 12-21 … Fri 12-25: 5 unexcused school days (the shipped autumn term runs to
		// 2027-01-22). The home visit after the 3rd (S-4a) and the case opened on the 5th (S-4b).
		await record(
			t,
			school,
			caseId,
			[
				absence('2026-12-21'),
				absence('2026-12-22'),
				absence('2026-12-23'),
				event('home_visit', '2026-12-23', { mode: 'home_visit', contacted: '监护人' }),
				absence('2026-12-24'),
				absence('2026-12-25'),
				event('suspected_case_opened', '2026-12-25', { responsible: { name: '王老师' } })
			],
			TODAY
		);
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('[G-T3] a persuasion deadline counted through provisional 2027 is 2027-01-11, 暂定', async () => {
		// 10 working days after Fri 12-25 (G-T1): 12-28, 29, 30, 31 (4), [Fri 01-01 元旦, the
		// provisional year's only rest day that week], Mon 01-04 … Fri 01-08 (9), Mon 01-11 (10).
		const list = await http.list(school);
		expect(list.calendarVersion).toBe('b1-0');
		const row = list.cases.find((c) => c.id === caseId);
		expect(row?.next).toMatchObject({
			key: 'persuade',
			rule: 'S-4b',
			since: '2026-12-25',
			due: '2027-01-11',
			state: 'pending',
			provisional: true
		});
		expect(row?.daysLeft).toBe(10);
		expect(row?.conflicts).toBe(0);

		const data = await http.calendar(school);
		expect(data.version).toBe('b1-0');
		expect(data.years.map((y) => y.year)).toEqual([2024, 2025, 2026]);
		// Exactly the strict schema the devices parse: nothing more, nothing less.
		expect(parseCalendarData(data)).toEqual(data);
		expect(lines).toContain('calendar: version b1-0 (official 2024–2026; terms to 2027-01-22)');
	});

	it('[G-T3] only the bureau enters a schedule; an invalid one is refused naming its entry', async () => {
		const asSchool = await http.put('/api/calendar/years', school, INVENTED_2027);
		expect(asSchool.status).toBe(403);
		expect(await asSchool.json()).toEqual({
			error: 'forbidden',
			message: {
				zh: '只有区教体局可以录入放假安排和校历',
				en: 'only the education bureau enters holiday schedules and school terms'
			}
		});
		expect((await http.put('/api/calendar/terms', school, INVENTED_TERMS_2026_2027)).status).toBe(
			403
		);
		expect((await http.get('/api/calendar/log', school)).status).toBe(403);
		expect((await http.get('/api/calendar')).status).toBe(401);

		const overlapping = await http.put('/api/calendar/years', bureau, OVERLAPPING_2027);
		expect(overlapping.status).toBe(400);
		const o = (await overlapping.json()) as {
			error: string;
			message: { zh: string; en: string };
			errors: { zh: string; en: string }[];
		};
		expect(o.error).toBe('invalid');
		expect(o.message.zh).toMatch(/日历数据有误/);
		expect(o.errors).toEqual([
			{
				zh: 'holidays[1]（虚构假期 2027-01-03–2027-01-05） 与 holidays[0]（元旦 2027-01-01–2027-01-04） 重叠',
				en: 'holidays[1] overlaps holidays[0]'
			}
		]);
		const weekday = await http.put('/api/calendar/years', bureau, WEEKDAY_MAKEUP_2027);
		expect(weekday.status).toBe(400);
		const w = (await weekday.json()) as { errors: { en: string }[] };
		expect(w.errors.map((e) => e.en)).toEqual([
			'workdays[0] 2027-02-22 is not a Saturday or Sunday'
		]);
		const notJson = await http.put('/api/calendar/years', bureau, '{"year": 2027,');
		expect(notJson.status).toBe(400);
		expect(((await notJson.json()) as { error: string }).error).toBe('bad-json');
		expect(
			((await (await http.get('/api/calendar/log', bureau)).json()) as { log: [] }).log
		).toEqual([]);
		expect((await http.calendar(school)).version).toBe('b1-0');
	});

	it('[G-T3] once the bureau enters the official 2027 schedule the deadline is 2027-01-12, no longer 暂定', async () => {
		const res = await http.put('/api/calendar/years', bureau, INVENTED_2027);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ version: 'b1-1' });

		const data = await http.calendar(school); // any logged-in user reads it
		expect(data.version).toBe('b1-1');
		expect(data.years.map((y) => y.year)).toEqual([2024, 2025, 2026, 2027]);
		expect(data.years[3]).toEqual(INVENTED_2027);
		expect(parseCalendarData(data)).toEqual(data);

		// 10 working days after Fri 12-25 now: 12-28, 29, 30, 31 (4), [元旦 Fri 01-01 – Mon 01-04],
		// Tue 01-05 … Fri 01-08 (8), Mon 01-11 (9), Tue 01-12 (10).
		const list = await http.list(school);
		expect(list.calendarVersion).toBe('b1-1');
		const row = list.cases.find((c) => c.id === caseId);
		expect(row?.next).toMatchObject({ key: 'persuade', due: '2027-01-12', state: 'pending' });
		expect(row?.next).not.toHaveProperty('provisional');
		expect(row?.daysLeft).toBe(10);

		const log = (await (await http.get('/api/calendar/log', bureau)).json()) as { log: unknown[] };
		expect(log.log).toEqual([
			{
				seq: 1,
				kind: 'year',
				key: '2027',
				userId: 'bureau1',
				at: NOW.toISOString(),
				source: INVENTED_2027.source
			}
		]);
		expect(lines).toContain('calendar: version b1-1 (official 2024–2027; terms to 2027-01-22)');
	});
});

describe('[G-T3] relay at 2027-01-05 09:00 Beijing time: a day that becomes a holiday', () => {
	const NOW = new Date('2027-01-05T09:00:00+08:00');
	const TODAY = '2027-01-05';
	let t: TestRelay;
	let http: ReturnType<typeof api>;
	let school: string;
	let bureau: string;
	let recorded: string;
	let early: CaseEventInput;
	const clients: Client[] = [];

	beforeAll(async () => {
		t = await startRelay({ now: NOW });
		http = api(t);
		school = await login(t, 'school1');
		bureau = await login(t, 'bureau1');
		recorded = await createCase(t, school, { name: '日历测试学生乙' });
		// Mon 2027-01-04 is a working day in provisional 2027 (元旦 Fri 01-01 is its only rest
		// day; no weekend statutory day, so no 补假) and inside the autumn term: a school day.
		early = absence('2027-01-04');
		await record(t, school, recorded, [early], TODAY);
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('[G-T3] an absence recorded on a provisional working day becomes a conflict when it turns out a holiday; nothing is deleted', async () => {
		expect((await http.row(school, recorded)).conflicts).toBe(0);
		const updates = (await t.storage.loadUpdates(recorded)).length;
		expect(updates).toBe(2); // the creation and the absence

		const res = await http.put('/api/calendar/years', bureau, INVENTED_2027);
		expect(await res.json()).toEqual({ version: 'b1-1' });

		// Official 2027: 元旦 runs Fri 01-01 – Mon 01-04, so 01-04 is no school day (G-T4).
		expect((await http.row(school, recorded)).conflicts).toBe(1);
		expect(await http.events(school, recorded)).toEqual([early.id]);
		const history = (await (await http.get(`/api/cases/${recorded}/history`, school)).json()) as {
			entries: { eventsAdded: { id: string }[] }[];
		};
		expect(history.entries.flatMap((h) => h.eventsAdded.map((e) => e.id))).toEqual([early.id]);
		expect(await t.storage.loadUpdates(recorded)).toHaveLength(updates);
	});

	it('[G-T3] an update a device built with the old calendar is refused under the new one and kept in quarantine', async () => {
		expect((await http.calendar(school)).version).toBe('b1-1'); // entered by the test above
		const caseId = await createCase(t, school, { name: '日历测试学生丙' });
		const c = connect(t, caseId, school);
		clients.push(c);
		await synced(c);
		// The device still evaluates with the built-in calendar, where 01-04 is a school day.
		const late = absence('2027-01-04');
		expect(appendEvent(c.doc, late, TODAY).ok).toBe(true);
		await until(() => c.refused.length > 0, 5000, 'the refusal');
		expect(c.refused[0]).toMatchObject({ rule: 'G-T4', eventId: late.id });
		expect(c.refused[0]?.reason.en).toBe('2027-01-04 is not a school day (元旦 holiday)');
		const kept = await t.storage.listQuarantine(caseId);
		expect(kept.map((q) => q.rule)).toEqual(['G-T4']);
		expect(await http.events(school, caseId)).toEqual([]);

		// A device with the relay's new version refuses it before sending anything.
		const current = calendarOf(await http.calendar(school));
		const local = connect(t, caseId, school);
		clients.push(local);
		await synced(local);
		const r = appendEvent(local.doc, absence('2027-01-04'), TODAY, current);
		expect(r).toMatchObject({ ok: false, rule: 'G-T4' });
	});
});

describe('[G-T3] relay at 2027-03-02 09:00 Beijing time: the spring term entered as data', () => {
	const NOW = new Date('2027-03-02T09:00:00+08:00');
	const TODAY = '2027-03-02';
	let t: TestRelay;
	let http: ReturnType<typeof api>;
	let school: string;
	let bureau: string;

	beforeAll(async () => {
		t = await startRelay({ now: NOW });
		http = api(t);
		school = await login(t, 'school1');
		bureau = await login(t, 'bureau1');
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('[G-T3] an absence on 2027-03-01 is refused (no term) until the bureau enters the spring term, and accepted after', async () => {
		const caseId = await createCase(t, school, { name: '日历测试学生丁' });
		// The shipped terms end on 2027-01-22: Mon 03-01 is in no term (G-T4). Sent unchecked,
		// as a device with an older build might, to show the relay refuses it on its own.
		const before = connect(t, caseId, school);
		try {
			await synced(before);
			expect(appendEventUnchecked(before.doc, absence('2027-03-01')).ok).toBe(true);
			await until(() => before.refused.length > 0, 5000, 'the refusal');
			expect(before.refused[0]?.rule).toBe('G-T4');
			expect(before.refused[0]?.reason.en).toMatch(/^2027-03-01 is outside every term entered/);
		} finally {
			before.destroy();
		}
		const summary = async () =>
			(await (await http.get('/api/roster/summary', bureau)).json()) as {
				currentTerm: string;
				terms: string[];
			};
		const ledgerTerm = async () =>
			(
				(await (await http.get('/api/reports/ledger?format=json', bureau)).json()) as {
					term: { start: string };
				}
			).term.start;
		expect((await summary()).currentTerm).toBe('2026-09-01');
		expect(await ledgerTerm()).toBe('2026-09-01');

		const notSchool = await http.put('/api/calendar/terms', bureau, {
			...INVENTED_TERMS_2026_2027,
			school: 'org-street1'
		});
		expect(notSchool.status).toBe(400);
		expect(((await notSchool.json()) as { errors: { en: string }[] }).errors).toEqual([
			{ zh: 'school：没有学校 org-street1', en: 'school: no school with id org-street1' }
		]);
		const res = await http.put('/api/calendar/terms', bureau, INVENTED_TERMS_2026_2027);
		expect(await res.json()).toEqual({ version: 'b1-1' });
		const data = await http.calendar(school);
		expect(data.termYears.find((y) => y.schoolYear === '2026-2027' && !y.school)).toEqual(
			INVENTED_TERMS_2026_2027
		);
		// The roster and the ledger use the relay's terms now: 03-01 started before 03-02.
		expect(await summary()).toMatchObject({ currentTerm: '2027-03-01' });
		expect((await summary()).terms).toContain('2027-03-01');
		expect(await ledgerTerm()).toBe('2027-03-01');

		// A device with the new version records it; the relay accepts it.
		const current = calendarOf(data);
		const accepted = absence('2027-03-01');
		await record(t, school, caseId, [accepted], TODAY, current);
		expect(await http.events(school, caseId)).toEqual([accepted.id]);
		expect((await http.row(school, caseId)).conflicts).toBe(0);
	});
});

describe('[G-T3] relay with a 50 ms calendar poll: entries written by the admin tool', () => {
	const NOW = new Date('2026-12-25T09:00:00+08:00');
	let t: TestRelay;
	let http: ReturnType<typeof api>;
	let school: string;

	beforeAll(async () => {
		t = await startRelay({ now: NOW, calendarPollMs: 50 });
		http = api(t);
		school = await login(t, 'school1');
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('[G-T3] an entry written through another connection to the database reaches the running relay', async () => {
		// What `npm run admin -- calendar import` does: its own connection to the same file.
		const other = openSqliteStorage({ path: join(t.dataDir, 'yishengyian.sqlite') });
		try {
			expect(
				await other.putCalendarYear(INVENTED_2027, { userId: 'admin-cli', at: NOW.toISOString() })
			).toBe(1);
		} finally {
			await other.close();
		}
		await eventually(
			async () => (await http.calendar(school)).version === 'b1-1',
			5000,
			'the relay to poll the new version'
		);
		expect((await http.calendar(school)).years.map((y) => y.year)).toContain(2027);
		expect((await http.list(school)).calendarVersion).toBe('b1-1');
	});

	it('[G-T3] `npm run admin -- terms import` while the relay runs: the relay serves the new terms', async () => {
		const file = join(t.dataDir, 'terms-2026-2027.json');
		writeFileSync(file, JSON.stringify(INVENTED_TERMS_2026_2027));
		const proc = spawn(
			process.execPath,
			['--import', 'tsx', 'server/admin-cli.ts', 'terms', 'import', '--file', file],
			{ cwd: ROOT, env: { ...process.env, DATA_DIR: t.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] }
		);
		let out = '';
		proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
		proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
		let timer: NodeJS.Timeout | undefined;
		const code = await Promise.race([
			new Promise<number | null>((resolve) => proc.on('exit', resolve)),
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => {
					proc.kill('SIGKILL');
					reject(new Error(`admin terms import gave no answer in 20 s: ${out}`));
				}, 20_000);
			})
		]).finally(() => clearTimeout(timer));
		expect(code, out).toBe(0);
		expect(out).toContain('日历版本 / calendar version: b1-2');
		await eventually(
			async () => (await http.calendar(school)).version === 'b1-2',
			5000,
			'the relay to poll the new terms'
		);
		const data = await http.calendar(school);
		expect(data.termYears.find((y) => y.schoolYear === '2026-2027' && !y.school)).toEqual(
			INVENTED_TERMS_2026_2027
		);
	});
});
