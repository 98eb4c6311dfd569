import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSnapshot, type CaseSnapshot } from '../../src/lib/domain';
import { evaluate, type Stage } from '../../src/lib/rules';
import { canSeeCase } from '../../src/lib/rules/access';
import { verifyPassword } from '../../server/auth/passwords';
import {
	DEMO_ORGS,
	DEMO_PASSWORD,
	DEMO_USERS,
	buildDemoCases,
	buildDemoDistrictCases,
	demoAnchor,
	seedDemoDistrict
} from '../../server/seed';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { CaseRecord, Storage } from '../../server/storage/types';
import { chinaDate, isValidIdNumber } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';

const NOW = new Date('2026-11-23T02:00:00.000Z');
const TODAY = chinaDate(NOW);
const STAGES: Stage[] = [
	'watch',
	'absent',
	'suspected',
	'dropout',
	'notice',
	'joint',
	'returned',
	'deferred',
	'closed'
];

function snapshotOf(c: CaseRecord): CaseSnapshot {
	const r = parseSnapshot(JSON.parse(c.snapshotJson));
	if (!r.ok) throw new Error(`${c.id}: ${r.errors.map((e) => e.path).join(', ')}`);
	return r.value;
}

describe('seedDemoDistrict', () => {
	let storage: Storage;
	// A plain-text "hash" keeps most tests fast; one test seeds with real argon2id.
	const hash = (pw: string) => Promise.resolve(`plain:${pw}`);

	beforeEach(() => {
		storage = openSqliteStorage({ path: ':memory:' });
	});
	afterEach(async () => {
		await storage.close();
	});

	it('seeds an empty storage with the orgs, the users and about 20 cases', async () => {
		const r = await seedDemoDistrict(storage, { now: NOW, hash });
		expect(r.orgs).toBe(16);
		// 14 accounts of issue 11 and the bureau's system administrator (issue 12).
		expect(r.users).toBe(15);
		expect(r.cases).toBeGreaterThanOrEqual(18);
		expect(r.cases).toBeLessThanOrEqual(25);
		expect((await storage.listOrgs()).map((o) => o.id).sort()).toEqual(
			DEMO_ORGS.map((o) => o.id).sort()
		);
		expect((await storage.listUsers()).map((u) => u.username).sort()).toEqual(
			[
				'school1',
				'school2',
				'community1',
				'street1',
				'street2',
				'bureau1',
				'admin1',
				'district1',
				'police1',
				'justice1',
				'hr1',
				'disability1',
				'civil1',
				'religion1',
				'rural1'
			].sort()
		);
		expect(await storage.listCases()).toHaveLength(r.cases);
	});

	it('places schools and communities in their streets', async () => {
		await seedDemoDistrict(storage, { now: NOW, hash });
		const street = async (id: string) => (await storage.getOrg(id))?.streetId;
		expect(await street('org-school1')).toBe('org-street1');
		expect(await street('org-school2')).toBe('org-street2');
		expect(await street('org-school3')).toBe('org-street1');
		expect(await street('org-community1')).toBe('org-street1');
		expect(await street('org-community2')).toBe('org-street2');
	});

	it('gives every demo account the demo password, hashed once with argon2id', async () => {
		await seedDemoDistrict(storage, { now: NOW });
		const users = await storage.listUsers();
		const hashes = new Set(users.map((u) => u.passwordHash));
		expect(hashes.size).toBe(1);
		const [only] = [...hashes];
		expect(await verifyPassword(only ?? '', DEMO_PASSWORD)).toBe(true);
		expect(users.every((u) => !u.disabled)).toBe(true);
	});

	it('[S-10] every stage appears and no stored case has a conflict', async () => {
		await seedDemoDistrict(storage, { now: NOW, hash });
		const seen = new Set<Stage>();
		const paths = new Set<string>();
		for (const c of await storage.listCases()) {
			const s = snapshotOf(c);
			const e = evaluate(s, TODAY);
			expect(e.conflicts, c.id).toEqual([]);
			expect([...c.team].sort(), c.id).toEqual([...e.teamDepartments].sort());
			seen.add(e.stage);
			for (const ev of s.events) if (ev.type === 'closed') paths.add(ev.path);
		}
		expect([...seen].sort()).toEqual([...STAGES].sort());
		expect(paths.size).toBeGreaterThanOrEqual(4);
	});

	it('holds cases of both profiles, and school 2 cases in street 2', async () => {
		await seedDemoDistrict(storage, { now: NOW, hash });
		const cases = await storage.listCases();
		expect(cases.filter((c) => c.profile === 'bishan-2024').length).toBeGreaterThanOrEqual(1);
		const s2 = cases.filter((c) => c.schoolId === 'org-school2');
		expect(s2.length).toBeGreaterThanOrEqual(3);
		expect(
			s2.every((c) => c.streetId === 'org-street2' && c.communityId === 'org-community2')
		).toBe(true);
		for (const c of s2) expect(snapshotOf(c).createdBy.userId).toBe('school2');
	});

	it('school1 and school2 each see some cases and none of the other school', async () => {
		await seedDemoDistrict(storage, { now: NOW, hash });
		const cases = await storage.listCases();
		const visible = (orgId: string) =>
			cases.filter((c) => canSeeCase({ orgId, orgKind: 'school' }, c)).map((c) => c.id);
		const one = visible('org-school1');
		const two = visible('org-school2');
		expect(one.length).toBeGreaterThan(0);
		expect(two.length).toBeGreaterThan(0);
		expect(one.filter((id) => two.includes(id))).toEqual([]);
	});

	it('[S-9] partner departments see only the cases whose joint team they joined', async () => {
		await seedDemoDistrict(storage, { now: NOW, hash });
		const cases = await storage.listCases();
		const police = cases.filter((c) => canSeeCase({ orgId: 'org-police', orgKind: 'police' }, c));
		expect(police.length).toBeGreaterThan(0);
		expect(police.length).toBeLessThan(cases.length);
	});

	it('seeding twice adds nothing', async () => {
		await seedDemoDistrict(storage, { now: NOW, hash });
		const before = (await storage.listCases()).length;
		expect(await seedDemoDistrict(storage, { now: NOW, hash })).toEqual({
			orgs: 0,
			users: 0,
			cases: 0
		});
		expect(await storage.listCases()).toHaveLength(before);
		expect(await storage.listUsers()).toHaveLength(DEMO_USERS.length);
	});

	it('every seeded event and update is authored by an existing user of the right org', async () => {
		await seedDemoDistrict(storage, { now: NOW, hash });
		const users = new Map((await storage.listUsers()).map((u) => [u.id, u]));
		const orgs = new Map((await storage.listOrgs()).map((o) => [o.id, o]));
		for (const c of await storage.listCases()) {
			const s = snapshotOf(c);
			for (const a of [s.createdBy, ...s.events.map((e) => e.author)]) {
				const u = users.get(a.userId);
				expect(u, `${c.id}: ${a.userId}`).toBeDefined();
				expect(a.orgId).toBe(u?.orgId);
				expect(a.role).toBe(u?.role);
				expect(a.name).toBe(u?.displayName);
				expect(a.orgKind).toBe(orgs.get(a.orgId)?.kind);
			}
			for (const u of await storage.loadUpdates(c.id)) expect(users.has(u.userId)).toBe(true);
		}
	});

	it('matches DEMO_AUTHORS, so CaseBuilder events pass the relay author check', () => {
		for (const a of Object.values(DEMO_AUTHORS)) {
			const u = DEMO_USERS.find((x) => x.username === a.userId);
			expect(u).toEqual({
				username: a.userId,
				displayName: a.name,
				orgId: a.orgId,
				orgKind: a.orgKind,
				role: a.role
			});
		}
	});

	it('stores one update per recorded step, none received after now', async () => {
		await seedDemoDistrict(storage, { now: NOW, hash });
		for (const c of await storage.listCases()) {
			const updates = await storage.loadUpdates(c.id);
			expect(updates).toHaveLength(snapshotOf(c).events.length + 1);
			for (const u of updates) expect(u.receivedAt <= NOW.toISOString()).toBe(true);
		}
	});
});

describe('demo case data', () => {
	it('dates count back from the last school day before today', () => {
		expect(demoAnchor(NOW)).toBe('2026-11-20');
		for (const s of buildDemoCases(NOW))
			for (const e of s.events) expect(e.date <= '2026-11-20').toBe(true);
	});

	it('[G-T4] counts back from the last term entered when now is past it', () => {
		const later = new Date('2027-05-10T02:00:00.000Z');
		// The shipped terms end with the autumn term on Fri 2027-01-22 (no spring term 2027 yet);
		// 2027 is provisional (G-T3) and 01-22 is no holiday in it, so that is the last school day.
		expect(demoAnchor(later)).toBe('2027-01-22');
		for (const s of buildDemoCases(later)) {
			expect(evaluate(s, chinaDate(later)).conflicts, s.id).toEqual([]);
		}
	});

	it('gives some students valid ID numbers and registry numbers G + ID number, masked', () => {
		const cases = buildDemoDistrictCases(NOW);
		const withId = cases.filter((c) => c.idNumber !== undefined);
		expect(withId.length).toBeGreaterThanOrEqual(3);
		for (const c of withId) {
			expect(isValidIdNumber(c.idNumber ?? '')).toBe(true);
			expect(c.registryNo).toBe(`G${c.idNumber}`);
			// Issue 11: the document holds the region only.
			expect(c.snapshot.student.idMasked).toBe(
				`${(c.idNumber ?? '').slice(0, 6)}${'*'.repeat(12)}`
			);
		}
		for (const c of cases) {
			expect(isValidIdNumber(c.registryNo.slice(1))).toBe(true);
			expect(c.snapshot.student.registryNo).toMatch(/^G\d{6}\*{12}$/);
			expect(JSON.stringify(c.snapshot)).not.toMatch(/\d{17}[\dXx]/);
		}
		expect(new Set(cases.map((c) => c.registryNo)).size).toBe(cases.length);
	});
});
