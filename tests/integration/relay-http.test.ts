import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../src/lib/case-doc';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import {
	connect,
	createCase,
	login,
	startRelay,
	synced,
	until,
	type TestRelay
} from './relay-harness';

interface CaseRow {
	id: string;
	student: string;
	schoolId: string;
	stage: string;
	next: { rule: string; due: string | null } | null;
}

describe('relay: HTTP API', () => {
	let t: TestRelay;
	beforeAll(async () => {
		t = await startRelay();
	});
	afterAll(async () => {
		await t.dispose();
	});

	const post = (path: string, body: unknown, token?: string) =>
		fetch(`${t.url}${path}`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				...(token ? { authorization: `Bearer ${token}` } : {})
			},
			body: JSON.stringify(body)
		});
	const get = (path: string, token?: string) =>
		fetch(`${t.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

	it('GET /api/health answers {"ok":true}', async () => {
		const res = await get('/api/health');
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ ok: true });
	});

	it('login returns a token and the user; a wrong name or password gets one message for both', async () => {
		const res = await post('/api/login', { username: 'street1', password: 'demo-pass' });
		expect(res.status).toBe(200);
		const body = (await res.json()) as { token: string; user: Record<string, string> };
		expect(body.token.split('.')).toHaveLength(3);
		expect(body.user).toMatchObject({
			id: 'street1',
			username: 'street1',
			orgId: 'org-street1',
			orgKind: 'street'
		});
		const wrongPw = await post('/api/login', { username: 'street1', password: 'nope' });
		const noUser = await post('/api/login', { username: 'nobody', password: 'demo-pass' });
		expect(wrongPw.status).toBe(401);
		expect(noUser.status).toBe(401);
		expect(await wrongPw.json()).toEqual(await noUser.json());
	});

	it('the case list shows each user only the cases it may see, evaluated by the rules', async () => {
		const s1 = (await (await get('/api/cases', await login(t, 'school1'))).json()) as {
			cases: CaseRow[];
		};
		const s2 = (await (await get('/api/cases', await login(t, 'school2'))).json()) as {
			cases: CaseRow[];
		};
		const bureau = (await (await get('/api/cases', await login(t, 'bureau1'))).json()) as {
			cases: CaseRow[];
		};
		expect(s1.cases.length).toBeGreaterThan(0);
		expect(s2.cases.length).toBeGreaterThan(0);
		expect(s1.cases.every((c) => c.schoolId === 'org-school1')).toBe(true);
		expect(s2.cases.every((c) => c.schoolId === 'org-school2')).toBe(true);
		expect(bureau.cases.length).toBeGreaterThanOrEqual(s1.cases.length + s2.cases.length);
		const stages = new Set(bureau.cases.map((c) => c.stage));
		expect(stages.size).toBeGreaterThanOrEqual(5);
		expect((await get('/api/cases')).status).toBe(401);
	});

	it('[S-9] a partner department sees only the cases whose joint team it joined', async () => {
		const bureau = (await (await get('/api/cases', await login(t, 'bureau1'))).json()) as {
			cases: CaseRow[];
		};
		const police = (await (await get('/api/cases', await login(t, 'police1'))).json()) as {
			cases: CaseRow[];
		};
		expect(police.cases.length).toBeLessThan(bureau.cases.length);
		for (const c of police.cases) {
			const snap = (await (await get(`/api/cases/${c.id}`, await login(t, 'bureau1'))).json()) as {
				events: { type: string; departments?: string[] }[];
			};
			expect(
				snap.events.some((e) => e.type === 'joint_team_formed' && e.departments?.includes('police'))
			).toBe(true);
		}
	});

	it('schools and the bureau create cases; others get 403; invalid fields get path-level errors', async () => {
		const school = await login(t, 'school1');
		const id = await createCase(t, school, { name: '新建学生' });
		expect(id).toMatch(/^case-/);
		const bureauRes = await post(
			'/api/cases',
			{
				student: {
					name: '区局建档',
					gender: 'male',
					birthDate: '2011-01-02',
					registryNo: 'J1234567890',
					grade: 9
				},
				schoolId: 'org-school2'
			},
			await login(t, 'bureau1')
		);
		expect(bureauRes.status).toBe(201);
		const street = await post('/api/cases', { student: {} }, await login(t, 'street1'));
		expect(street.status).toBe(403);
		const bad = await post(
			'/api/cases',
			{
				student: { name: '错', gender: 'male', birthDate: '2011-02-30', registryNo: 'x', grade: 3 }
			},
			school
		);
		expect(bad.status).toBe(400);
		const body = (await bad.json()) as { errors: { path: string }[] };
		expect(body.errors.map((e) => e.path)).toEqual(
			expect.arrayContaining(['student.birthDate', 'student.registryNo'])
		);
	});

	it('lists the org directory for pickers (names of offices only) to logged-in users', async () => {
		expect((await fetch(`${t.url}/api/orgs`)).status).toBe(401);
		const res = await get('/api/orgs', await login(t, 'school1'));
		expect(res.status).toBe(200);
		const { orgs } = (await res.json()) as {
			orgs: { id: string; kind: string; name: string; streetId: string | null }[];
		};
		expect(orgs.find((o) => o.id === 'org-community1')).toEqual({
			id: 'org-community1',
			kind: 'community',
			name: '新华街道幸福社区居委会',
			streetId: 'org-street1'
		});
		expect(Object.keys(orgs[0] ?? {}).sort()).toEqual(['id', 'kind', 'name', 'streetId']);
	});

	it('a case is 404 when missing and 403 for another school; reads and histories are audited', async () => {
		const s1 = await login(t, 'school1');
		const id = await createCase(t, s1, { name: '审计学生' });
		expect((await get('/api/cases/case-nope', s1)).status).toBe(404);
		expect((await get(`/api/cases/${id}`, await login(t, 'school2'))).status).toBe(403);
		expect((await get(`/api/cases/${id}`, s1)).status).toBe(200);
		const c = connect(t, id, s1);
		await synced(c);
		const r = appendEvent(
			c.doc,
			{
				id: 'hist-1',
				type: 'absence',
				date: '2026-11-20',
				recordedAt: '2026-11-20T09:00:00.000Z',
				author: DEMO_AUTHORS.school,
				v: 1,
				excused: false
			},
			'2026-11-23'
		);
		expect(r.ok).toBe(true);
		await until(() => c.accepted.length > 0);
		const h = (await (await get(`/api/cases/${id}/history`, s1)).json()) as {
			entries: {
				user: { id: string; name: string };
				created: boolean;
				eventsAdded: { type: string }[];
			}[];
		};
		expect(h.entries).toHaveLength(2);
		expect(h.entries[0]?.created).toBe(true);
		expect(h.entries[1]?.eventsAdded.map((e) => e.type)).toEqual(['absence']);
		expect(h.entries[1]?.user.id).toBe('school1');
		const reveal = await fetch(`${t.url}/api/cases/${id}/reveal`, {
			method: 'POST',
			headers: { authorization: `Bearer ${s1}` }
		});
		expect(reveal.status).toBe(200);
		expect(await reveal.json()).toEqual({ idNumber: null, showSeconds: 30 });
		expect(
			(
				await fetch(`${t.url}/api/cases/${id}/reveal`, {
					method: 'POST',
					headers: { authorization: `Bearer ${await login(t, 'school2')}` }
				})
			).status
		).toBe(403);
		const audit = await t.storage.listAudit({ caseId: id });
		expect(audit.map((a) => a.action)).toEqual(
			expect.arrayContaining(['read', 'sync', 'history', 'reveal-id'])
		);
		c.destroy();
	});
});

describe('relay: login throttling', () => {
	it('more than 10 failed logins per username or address in a minute answer 429', async () => {
		const t = await startRelay();
		try {
			const attempt = (username: string, password: string) =>
				fetch(`${t.url}/api/login`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ username, password })
				}).then((r) => r.status);
			const codes: number[] = [];
			for (let i = 0; i < 12; i++) codes.push(await attempt('hr1', `bad-${i}`));
			expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
			expect(codes.slice(10)).toEqual([429, 429]);
			// Even the right password is refused while throttled, and so is this address.
			expect(await attempt('hr1', 'demo-pass')).toBe(429);
			expect(await attempt('civil1', 'demo-pass')).toBe(429);
		} finally {
			await t.dispose();
		}
	});
});
