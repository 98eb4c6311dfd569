import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSnapshot } from '../../src/lib/domain';
import { login, startRelay, type TestRelay } from './relay-harness';

/**
 * Issue 12: the watch list (预警关注名单, B-6 early warning, S-3). The relay's day is Monday
 * 2026-11-23, in the autumn term 2026-09-01 (the seeded roster's current term); its focus weeks
 * (4 weeks from 09-01, until 09-28) are over, so a grade 7–9 student's flags are its focus
 * groups and the focus stage. The seed marks filler students i ≡ 4 (mod 40) 留守 (even: 第一初级中学 from grade 7) and
 * i ≡ 25 (mod 40) 家庭经济困难 (odd: 光明中学) (server/seed-roster.ts); demo cases' students carry their
 * case's groups, and have a case, so they are not listed.
 */
const TERM = '2026-09-01';

interface WatchStudent {
	key: string;
	registryNo: string;
	name: string;
	idNumber: string | null;
	schoolId: string;
	grade: number;
	flags: { rule: string; key: string; label: { zh: string } }[];
}

describe('[B-6] issue 12: the watch list of flagged roster students without a case', () => {
	let t: TestRelay;
	const tokens: Record<string, string> = {};
	beforeAll(async () => {
		t = await startRelay();
		for (const u of ['bureau1', 'school1', 'school2', 'police1']) tokens[u] = await login(t, u);
	});
	afterAll(async () => {
		await t.dispose();
	});

	const auth = (u: string) => ({ authorization: `Bearer ${tokens[u] ?? ''}` });
	const watch = async (u: string) => {
		const res = await fetch(`${t.url}/api/roster/watch?term=${TERM}`, { headers: auth(u) });
		return { status: res.status, body: (await res.json()) as { students: WatchStudent[] } };
	};
	const open = (u: string, key: string) =>
		fetch(`${t.url}/api/roster/watch/case`, {
			method: 'POST',
			headers: { ...auth(u), 'content-type': 'application/json' },
			body: JSON.stringify({ term: TERM, key })
		});

	it('lists flagged students of the user’s schools only, masked, with their flags', async () => {
		const all = await watch('bureau1');
		expect(all.status).toBe(200);
		const schools = new Set(all.body.students.map((s) => s.schoolId));
		expect([...schools].sort()).toEqual(['org-school1', 'org-school2', 'org-school3']);
		expect(JSON.stringify(all.body)).not.toMatch(/\d{17}[\dXx]/);
		for (const s of all.body.students) {
			expect(s.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
			expect(s.flags.some((f) => f.key.startsWith('group:'))).toBe(true);
			// Not in the focus weeks on 2026-11-23.
			expect(s.flags.some((f) => f.key === 'period')).toBe(false);
			if (s.grade >= 7) expect(s.flags.map((f) => f.key)).toContain('stage');
		}
		const mine = await watch('school1');
		expect(mine.body.students.length).toBeGreaterThan(0);
		expect(mine.body.students.every((s) => s.schoolId === 'org-school1')).toBe(true);
		// Another school's user does not see school1's students.
		const theirs = await watch('school2');
		expect(theirs.body.students.every((s) => s.schoolId === 'org-school2')).toBe(true);
		const names1 = new Set(mine.body.students.map((s) => s.key));
		expect(theirs.body.students.some((s) => names1.has(s.key))).toBe(false);
		expect((await watch('police1')).status).toBe(403);
		const audit = await t.storage.listAudit({ caseId: `roster:${TERM}` });
		expect(audit.some((a) => a.action === 'roster-watch' && a.userId === 'school1')).toBe(true);
	});

	it('a flagged student with a case is not listed', async () => {
		const roster = await t.storage.listRoster(TERM);
		const cases = (await t.storage.listCases()).map(
			(c) => JSON.parse(c.snapshotJson) as CaseSnapshot
		);
		// Demo cases whose student is on this term's roster with a focus group.
		const withCase = roster.filter(
			(r) =>
				(r.focusGroups?.length ?? 0) > 0 &&
				cases.some((c) => c.student.name === r.name && c.student.birthDate === r.birthDate)
		);
		expect(withCase.length).toBeGreaterThan(0);
		const listed = (await watch('bureau1')).body.students;
		for (const r of withCase) {
			expect(listed.some((s) => s.name === r.name && s.schoolId === r.schoolId)).toBe(false);
		}
	});

	it('立案 from the list opens a case with the focus groups, and the student leaves the list', async () => {
		const before = (await watch('school1')).body.students;
		const s = before[0];
		if (!s) throw new Error('no student on school1’s watch list');
		expect((await open('school2', s.key)).status).toBe(404);
		const res = await open('school1', s.key);
		expect(res.status).toBe(201);
		const { id } = (await res.json()) as { id: string };
		const c = (await (
			await fetch(`${t.url}/api/cases/${id}`, { headers: auth('school1') })
		).json()) as CaseSnapshot;
		expect(c.student.name).toBe(s.name);
		expect(c.student.focusGroups.length).toBeGreaterThan(0);
		expect(c.plan).toContain('B-6');
		const after = (await watch('school1')).body.students;
		expect(after.map((x) => x.key)).toEqual(before.slice(1).map((x) => x.key));
		expect((await open('school1', s.key)).status).toBe(404);
	});
});
