import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TermYear } from '../../src/lib/rules';
import type {
	NewCaseRecord,
	OrgRecord,
	RosterStudent,
	Storage,
	UserRecord
} from '../../server/storage/types';
import { CASE_NO_TAKEN } from '../../server/storage/types';
import {
	INVENTED_2027,
	INVENTED_2027_REVISED,
	INVENTED_2028,
	INVENTED_TERMS_2026_2027
} from './calendar-fixtures';

/** What an adapter's test file hands the contract for each test. */
export interface StorageFixture {
	storage: Storage;
	/** Closed `storage` must already be closed when called; opens the same data again. */
	reopen?: () => Promise<Storage>;
	cleanup: () => Promise<void>;
}

const T0 = '2025-09-01T08:00:00.000Z';
const T1 = '2026-12-25T01:00:00.000Z';

/** Test data factories: every field filled, overridable per test. */
export const make = {
	org: (o: Partial<OrgRecord> = {}): OrgRecord => ({
		id: 'org-school-1',
		kind: 'school',
		name: '石龙第一中学',
		streetId: 'org-street-1',
		...o
	}),
	user: (u: Partial<UserRecord> = {}): UserRecord => ({
		id: 'u-1',
		username: 'zhang.laoshi',
		displayName: '张老师',
		orgId: 'org-school-1',
		role: 'head_teacher',
		passwordHash: '$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA',
		disabled: false,
		createdAt: T0,
		...u
	}),
	case: (c: Partial<NewCaseRecord> = {}): NewCaseRecord => ({
		id: 'case-1',
		profile: 'shilong-2022',
		schoolId: 'org-school-1',
		streetId: 'org-street-1',
		communityId: null,
		createdAt: T0,
		createdBy: 'u-1',
		snapshotJson: '{"format":1}',
		team: [],
		...c
	}),
	bytes: (n: number, salt = 0): Uint8Array =>
		Uint8Array.from({ length: n }, (_, i) => (i * 31 + salt) & 255)
};

/** Bytes as hex, so large comparisons are fast and a mismatch still shows where. */
export function hex(bytes: Uint8Array | undefined): string {
	return bytes === undefined ? '(missing)' : Buffer.from(bytes).toString('hex');
}

/** Every random byte value, in a seeded (hence reproducible) order; the seed is in the test name. */
function seededBytes(seed: number, n: number): Uint8Array {
	let x = seed >>> 0 || 1;
	return Uint8Array.from({ length: n }, () => {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		return (x >>> 0) & 255;
	});
}

/** The storage contract: every adapter (SQLite now, PostgreSQL later) must pass all of it. */
export function storageContract(name: string, open: () => Promise<StorageFixture>): void {
	describe(`storage contract: ${name}`, () => {
		let fx: StorageFixture;
		let storage: Storage;

		beforeEach(async () => {
			fx = await open();
			storage = fx.storage;
		});
		afterEach(async () => {
			await storage.close();
			await fx.cleanup();
		});

		async function seedSchoolAndCase(): Promise<number> {
			await storage.addOrg(make.org());
			await storage.addUser(make.user());
			return storage.createCase(make.case(), make.bytes(8), 'u-1', T0);
		}

		describe('orgs and users', () => {
			it('round-trips orgs and users', async () => {
				await storage.addOrg(make.org({ id: 'org-street-1', kind: 'street', streetId: null }));
				await storage.addOrg(make.org());
				await storage.addUser(make.user());
				await storage.addUser(make.user({ id: 'u-2', username: 'li.sz', role: 'school_leader' }));

				expect(await storage.getOrg('org-school-1')).toEqual(make.org());
				expect(await storage.getOrg('org-street-1')).toMatchObject({ streetId: null });
				expect(await storage.getOrg('nope')).toBeNull();
				expect((await storage.listOrgs()).map((o) => o.id).sort()).toEqual([
					'org-school-1',
					'org-street-1'
				]);
				expect(await storage.getUser('u-1')).toEqual(make.user());
				expect(await storage.getUserByUsername('li.sz')).toMatchObject({ id: 'u-2' });
				expect(await storage.getUserByUsername('nobody')).toBeNull();
				expect(await storage.getUser('nope')).toBeNull();
				expect((await storage.listUsers()).map((u) => u.id).sort()).toEqual(['u-1', 'u-2']);
			});

			it('refuses a second user with the same username', async () => {
				await storage.addOrg(make.org());
				await storage.addUser(make.user());
				await expect(storage.addUser(make.user({ id: 'u-2' }))).rejects.toThrow();
				expect(await storage.listUsers()).toHaveLength(1);
			});

			it('disables and re-enables a user, and changes a password', async () => {
				await storage.addOrg(make.org());
				await storage.addUser(make.user());
				await storage.setUserDisabled('u-1', true);
				expect(await storage.getUser('u-1')).toMatchObject({ disabled: true });
				await storage.setUserDisabled('u-1', false);
				expect(await storage.getUser('u-1')).toMatchObject({ disabled: false });
				await storage.setUserPassword('u-1', '$argon2id$new');
				expect(await storage.getUserByUsername('zhang.laoshi')).toMatchObject({
					passwordHash: '$argon2id$new'
				});
			});

			it('refuses to change an unknown user', async () => {
				await expect(storage.setUserDisabled('ghost', true)).rejects.toThrow();
				await expect(storage.setUserPassword('ghost', 'x')).rejects.toThrow();
			});
		});

		describe('cases and the update log', () => {
			it('creates a case and its first update together', async () => {
				const seq = await seedSchoolAndCase();
				// T0 is 2025-09-01 16:00 China time; no district org here, so the fallback name 本区.
				expect(await storage.getCase('case-1')).toEqual({
					...make.case(),
					rewrites: 0,
					caseNo: '本区-2025-0001'
				});
				const updates = await storage.loadUpdates('case-1');
				expect(updates).toEqual([
					{ seq, caseId: 'case-1', update: make.bytes(8), userId: 'u-1', receivedAt: T0 }
				]);
			});

			it('refuses a duplicate case id and leaves no extra update behind', async () => {
				await seedSchoolAndCase();
				await expect(
					storage.createCase(make.case({ profile: 'bishan-2024' }), make.bytes(3), 'u-1', T0)
				).rejects.toThrow();
				expect(await storage.loadUpdates('case-1')).toHaveLength(1);
				expect(await storage.getCase('case-1')).toMatchObject({ profile: 'shilong-2022' });
			});

			it('[issue 12] numbers cases per district and China-time year, in creation order', async () => {
				await storage.addOrg(
					make.org({ id: 'org-district', kind: 'district', name: '示范区人民政府', streetId: null })
				);
				await seedSchoolAndCase();
				// T0 = 2025-09-01 16:00 in China: the district's first case of 2025.
				expect((await storage.getCase('case-1'))?.caseNo).toBe('示范区-2025-0001');
				expect(await storage.nextCaseNumber(T0)).toBe('示范区-2025-0002');
				await storage.createCase(make.case({ id: 'case-2' }), make.bytes(2), 'u-1', T0);
				expect((await storage.getCase('case-2'))?.caseNo).toBe('示范区-2025-0002');
				// 2025-12-31T16:30Z is 2026-01-01 00:30 in China: a new year starts again at 0001.
				const newYear = '2025-12-31T16:30:00.000Z';
				expect(await storage.nextCaseNumber(newYear)).toBe('示范区-2026-0001');
				await storage.createCase(
					make.case({ id: 'case-3', createdAt: newYear, caseNo: '示范区-2026-0001' }),
					make.bytes(2),
					'u-1',
					newYear
				);
				expect((await storage.getCase('case-3'))?.caseNo).toBe('示范区-2026-0001');
				expect(await storage.nextCaseNumber(T0)).toBe('示范区-2025-0003');
			});

			it('[issue 12] refuses a case number that is no longer the next one, storing nothing', async () => {
				await seedSchoolAndCase();
				await expect(
					storage.createCase(
						make.case({ id: 'case-2', caseNo: '本区-2025-0001' }),
						make.bytes(2),
						'u-1',
						T0
					)
				).rejects.toMatchObject({ name: CASE_NO_TAKEN });
				expect(await storage.getCase('case-2')).toBeNull();
				expect(await storage.loadUpdates('case-2')).toEqual([]);
			});

			it('appendUpdate returns increasing seqs across cases', async () => {
				let last = await seedSchoolAndCase();
				await storage.createCase(make.case({ id: 'case-2' }), make.bytes(2), 'u-1', T0);
				for (let i = 0; i < 20; i++) {
					const seq = await storage.appendUpdate(
						i % 2 ? 'case-1' : 'case-2',
						make.bytes(4, i),
						'u-1',
						T0
					);
					expect(seq).toBeGreaterThan(last);
					last = seq;
				}
			});

			it('appendUpdates stores a batch in order, all or none (group commit)', async () => {
				const first = await seedSchoolAndCase();
				await storage.createCase(make.case({ id: 'case-2' }), make.bytes(2), 'u-1', T0);
				const batch = [0, 1, 2].map((i) => ({
					caseId: i === 1 ? 'case-2' : 'case-1',
					update: make.bytes(5, i),
					userId: 'u-1',
					receivedAt: T0
				}));
				const seqs = await storage.appendUpdates(batch);
				expect(seqs).toHaveLength(3);
				expect(seqs[0]).toBeGreaterThan(first);
				expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
				const c1 = await storage.loadUpdates('case-1');
				expect(c1.map((u) => hex(u.update))).toEqual([
					c1[0] ? hex(c1[0].update) : '',
					hex(make.bytes(5, 0)),
					hex(make.bytes(5, 2))
				]);
				// A batch naming an unknown case fails as a whole.
				await expect(
					storage.appendUpdates([
						{ caseId: 'case-1', update: make.bytes(1), userId: 'u-1', receivedAt: T0 },
						{ caseId: 'case-nope', update: make.bytes(1), userId: 'u-1', receivedAt: T0 }
					])
				).rejects.toThrow();
				expect(await storage.loadUpdates('case-1')).toHaveLength(3);
			});

			it('loads updates in seq order, optionally after a seq', async () => {
				const first = await seedSchoolAndCase();
				await storage.createCase(make.case({ id: 'case-2' }), make.bytes(2), 'u-1', T0);
				const seqs = [first];
				for (let i = 1; i <= 5; i++) {
					seqs.push(await storage.appendUpdate('case-1', make.bytes(i, i), 'u-1', T0));
					await storage.appendUpdate('case-2', make.bytes(i), 'u-1', T0);
				}
				const all = await storage.loadUpdates('case-1');
				expect(all.map((u) => u.seq)).toEqual(seqs);
				expect(all.every((u) => u.caseId === 'case-1')).toBe(true);
				const after = await storage.loadUpdates('case-1', seqs[2]);
				expect(after.map((u) => u.seq)).toEqual(seqs.slice(3));
				expect(after.map((u) => u.update)).toEqual([3, 4, 5].map((i) => make.bytes(i, i)));
				expect(await storage.loadUpdates('case-1', seqs[5])).toEqual([]);
				expect(await storage.loadUpdates('no-such-case')).toEqual([]);
			});

			it('round-trips bytes exactly (seed 20250901), including an empty update', async () => {
				await seedSchoolAndCase();
				const random = seededBytes(20250901, 65_536);
				// A view into the middle of a larger buffer: only the view's bytes may be stored.
				const view = new Uint8Array(random.buffer, 1000, 5000);
				const inputs = [
					random,
					new Uint8Array(0),
					view,
					Uint8Array.of(0, 0, 0),
					Uint8Array.of(255)
				];
				for (const bytes of inputs) await storage.appendUpdate('case-1', bytes, 'u-1', T0);
				const stored = (await storage.loadUpdates('case-1')).slice(1).map((u) => u.update);
				expect(stored).toHaveLength(inputs.length);
				stored.forEach((bytes, i) => {
					expect(bytes).toBeInstanceOf(Uint8Array);
					expect(bytes.constructor).toBe(Uint8Array);
					expect(hex(bytes)).toBe(hex(inputs[i]));
				});
			});

			it('refreshes the cached snapshot and team of a case', async () => {
				await seedSchoolAndCase();
				await storage.updateCaseCache('case-1', '{"format":1,"stage":"persuasion"}', [
					'justice',
					'police'
				]);
				expect(await storage.getCase('case-1')).toMatchObject({
					snapshotJson: '{"format":1,"stage":"persuasion"}',
					team: ['justice', 'police']
				});
				expect((await storage.listCases()).map((c) => c.id)).toEqual(['case-1']);
				await expect(storage.updateCaseCache('ghost', '{}', [])).rejects.toThrow();
			});

			it('keeps every update when snapshots are saved; the latest snapshot wins', async () => {
				await seedSchoolAndCase();
				const seqs: number[] = [];
				for (let i = 0; i < 4; i++) {
					seqs.push(await storage.appendUpdate('case-1', make.bytes(5, i), 'u-1', T0));
				}
				expect(await storage.latestSnapshot('case-1')).toBeNull();
				const snap = (uptoSeq: number, salt: number) => ({
					caseId: 'case-1',
					uptoSeq,
					state: make.bytes(16, salt),
					createdAt: T0
				});
				await storage.saveSnapshot(snap(seqs[1] ?? 0, 1));
				await storage.saveSnapshot(snap(seqs[3] ?? 0, 3));
				expect(await storage.latestSnapshot('case-1')).toEqual(snap(seqs[3] ?? 0, 3));
				// History stays recoverable: compaction deletes nothing.
				expect(await storage.loadUpdates('case-1')).toHaveLength(5);
				expect(await storage.latestSnapshot('case-2')).toBeNull();
			});
		});

		describe('families (B-5)', () => {
			it('[B-5] appends a family’s updates in order with its members as of the last one', async () => {
				expect(await storage.getFamilyMembers('family-1')).toBeNull();
				const a = make.bytes(5);
				const b = make.bytes(7);
				const s1 = await storage.appendFamilyUpdate('family-1', a, 'u-1', T0, ['case-1']);
				const s2 = await storage.appendFamilyUpdate('family-1', b, 'u-2', T0, ['case-1', 'case-2']);
				await storage.appendFamilyUpdate('family-2', a, 'u-1', T0, ['case-3']);
				expect(s2).toBeGreaterThan(s1);
				const log = await storage.loadFamilyUpdates('family-1');
				expect(log.map((u) => [u.seq, hex(u.update), u.userId])).toEqual([
					[s1, hex(a), 'u-1'],
					[s2, hex(b), 'u-2']
				]);
				expect(await storage.getFamilyMembers('family-1')).toEqual(['case-1', 'case-2']);
				expect(await storage.listFamilies()).toEqual([
					{ id: 'family-1', members: ['case-1', 'case-2'] },
					{ id: 'family-2', members: ['case-3'] }
				]);
			});
		});

		describe('roster (S-1, B-1, B-2)', () => {
			const student = (n: number, schoolId = 'org-school-1'): RosterStudent => ({
				registryNo: `G${String(n).padStart(12, '0')}`,
				name: `学生${n}`,
				gender: n % 2 ? 'male' : 'female',
				birthDate: '2012-03-04',
				idNumber: n % 3 ? null : '11010519491231002X',
				schoolId,
				grade: 7,
				className: '1班',
				hukouPlace: '石龙街道',
				residence: '石龙街道',
				guardianName: '家长',
				guardianPhone: '13800000000'
			});
			const meta = (rows: number, term = '2025-09-01') => ({
				term,
				userId: 'u-1',
				fileName: 'roster.csv',
				rows,
				at: T0
			});

			it('imports a term roster, lists it by school and counts it', async () => {
				const rows = [student(1), student(2), student(3, 'org-school-2')];
				const id = await storage.importRoster(meta(3), rows);
				expect(await storage.listRoster('2025-09-01')).toEqual(
					rows.map((r) => ({ ...r, term: '2025-09-01', importId: id }))
				);
				expect(
					(await storage.listRoster('2025-09-01', ['org-school-2'])).map((r) => r.registryNo)
				).toEqual([student(3).registryNo]);
				expect(await storage.rosterCounts('2025-09-01')).toEqual({
					'org-school-1': 2,
					'org-school-2': 1
				});
				expect(await storage.listRoster('2026-03-02')).toEqual([]);
				expect(await storage.listRosterImports()).toEqual([{ id, ...meta(3) }]);
			});

			it('replaces a student re-imported for the same term; keeps terms apart', async () => {
				await storage.importRoster(meta(1), [student(1)]);
				await storage.importRoster(meta(1), [{ ...student(1), className: '2班' }]);
				await storage.importRoster(meta(1, '2026-03-02'), [student(1)]);
				const autumn = await storage.listRoster('2025-09-01');
				expect(autumn.map((r) => r.className)).toEqual(['2班']);
				expect(await storage.rosterTerms()).toEqual(['2026-03-02', '2025-09-01']);
			});

			it('stores nothing when one row fails (all or nothing)', async () => {
				const bad = { ...student(2), name: null } as unknown as RosterStudent;
				await expect(storage.importRoster(meta(2), [student(1), bad])).rejects.toThrow();
				expect(await storage.listRoster('2025-09-01')).toEqual([]);
				expect(await storage.listRosterImports()).toEqual([]);
			});
		});

		describe('[G-T3] calendar entries', () => {
			const by = (userId: string, at = T0) => ({ userId, at });
			const schoolTerms: TermYear = {
				schoolYear: '2026-2027',
				school: 'org-school-1',
				terms: [{ start: '2026-09-01', end: '2027-01-15' }]
			};

			it('[G-T3] starts empty at seq 0', async () => {
				expect(await storage.calendarState()).toEqual({
					seq: 0,
					years: [],
					termYears: [],
					invalid: 0
				});
				expect(await storage.calendarLog()).toEqual([]);
			});

			it('[G-T3] the latest entry of a year is in force; every entry stays in the log', async () => {
				const a = await storage.putCalendarYear(INVENTED_2027, by('bureau1'));
				const b = await storage.putCalendarYear(INVENTED_2028, by('bureau1'));
				const c = await storage.putCalendarYear(INVENTED_2027_REVISED, by('admin-cli', T1));
				expect(a).toBeGreaterThan(0);
				expect(b).toBeGreaterThan(a);
				expect(c).toBeGreaterThan(b);
				expect(await storage.calendarState()).toEqual({
					seq: c,
					years: [INVENTED_2027_REVISED, INVENTED_2028],
					termYears: [],
					invalid: 0
				});
				expect(await storage.calendarLog()).toEqual([
					{
						seq: a,
						kind: 'year',
						key: '2027',
						userId: 'bureau1',
						at: T0,
						source: INVENTED_2027.source
					},
					{
						seq: b,
						kind: 'year',
						key: '2028',
						userId: 'bureau1',
						at: T0,
						source: INVENTED_2028.source
					},
					{
						seq: c,
						kind: 'year',
						key: '2027',
						userId: 'admin-cli',
						at: T1,
						source: INVENTED_2027_REVISED.source
					}
				]);
			});

			it('[G-T3] terms are kept per school year, for the district and each school apart', async () => {
				const first: TermYear = { ...INVENTED_TERMS_2026_2027, source: '第一版' };
				await storage.putTermYear(first, by('bureau1'));
				const s = await storage.putTermYear(schoolTerms, by('bureau1'));
				const d = await storage.putTermYear(INVENTED_TERMS_2026_2027, by('bureau1'));
				const state = await storage.calendarState();
				expect(state.seq).toBe(d);
				// The district's latest entry replaced its first; the school's own stays beside it.
				expect(state.termYears).toEqual([INVENTED_TERMS_2026_2027, schoolTerms]);
				const log = await storage.calendarLog();
				expect(log.map((e) => [e.kind, e.key, e.source])).toEqual([
					['terms', '2026-2027', '第一版'],
					['terms', '2026-2027/org-school-1', null],
					['terms', '2026-2027', INVENTED_TERMS_2026_2027.source]
				]);
				expect(log[1]?.seq).toBe(s);
			});

			it('[G-T3] years and terms share one seq', async () => {
				const a = await storage.putTermYear(INVENTED_TERMS_2026_2027, by('bureau1'));
				const b = await storage.putCalendarYear(INVENTED_2027, by('bureau1'));
				expect(b).toBeGreaterThan(a);
				expect((await storage.calendarState()).seq).toBe(b);
			});

			it('[G-T3] refuses data that does not validate and stores nothing', async () => {
				const overlapping = {
					...INVENTED_2027,
					holidays: [
						{ name: '元旦', from: '2027-01-01', to: '2027-01-04' },
						{ name: '重叠', from: '2027-01-02', to: '2027-01-05' }
					]
				};
				await expect(storage.putCalendarYear(overlapping, by('bureau1'))).rejects.toThrow(
					/holidays\[1\]/
				);
				const backwards = {
					schoolYear: '2026-2027',
					terms: [{ start: '2027-01-22', end: '2026-09-01' }]
				};
				await expect(storage.putTermYear(backwards, by('bureau1'))).rejects.toThrow();
				expect(await storage.calendarLog()).toEqual([]);
				expect((await storage.calendarState()).seq).toBe(0);
			});

			it('[G-T3] keeps the entries after a reopen, and seqs keep increasing', async (ctx) => {
				const reopen = fx.reopen;
				if (!reopen) return ctx.skip('this adapter has nothing to reopen (in memory)');
				const a = await storage.putCalendarYear(INVENTED_2027, by('bureau1'));
				await storage.close();
				storage = await reopen();
				expect((await storage.calendarState()).years).toEqual([INVENTED_2027]);
				expect(await storage.putTermYear(INVENTED_TERMS_2026_2027, by('bureau1'))).toBeGreaterThan(
					a
				);
			});
		});

		describe('[client-id] client id bindings', () => {
			const bind = (ids: number[], userId: string, caseId = 'case-1') =>
				storage.bindClientIds(caseId, ids, userId, T1);
			const owners = async (caseId = 'case-1') =>
				(await storage.listClientIds(caseId)).map((b) => [b.clientId, b.userId]);

			it('[client-id] binds unbound ids to the writer and lists them by client id', async () => {
				await seedSchoolAndCase();
				expect(await storage.listClientIds('case-1')).toEqual([]);
				expect(await bind([4_000_000_000, 7], 'u-1')).toEqual([
					{ caseId: 'case-1', clientId: 4_000_000_000, userId: 'u-1', boundAt: T1 },
					{ caseId: 'case-1', clientId: 7, userId: 'u-1', boundAt: T1 }
				]);
				expect(await owners()).toEqual([
					[7, 'u-1'],
					[4_000_000_000, 'u-1']
				]);
			});

			it('[client-id] the first writer keeps an id: a later bind returns the owner, changes nothing', async () => {
				await seedSchoolAndCase();
				await bind([7], 'u-1');
				const again = await storage.bindClientIds('case-1', [7, 8], 'u-2', T0);
				expect(again.map((b) => [b.clientId, b.userId, b.boundAt])).toEqual([
					[7, 'u-1', T1],
					[8, 'u-2', T0]
				]);
				expect(await bind([7], 'u-1')).toEqual([
					{ caseId: 'case-1', clientId: 7, userId: 'u-1', boundAt: T1 }
				]);
				expect(await owners()).toEqual([
					[7, 'u-1'],
					[8, 'u-2']
				]);
			});

			it('[client-id] keeps the cases apart, and refuses an unknown case or a bad id whole', async () => {
				await seedSchoolAndCase();
				await storage.createCase(make.case({ id: 'case-2' }), make.bytes(4), 'u-1', T0);
				await bind([7], 'u-1');
				await bind([7], 'u-2', 'case-2');
				expect(await owners()).toEqual([[7, 'u-1']]);
				expect(await owners('case-2')).toEqual([[7, 'u-2']]);
				await expect(bind([9], 'u-1', 'case-nowhere')).rejects.toThrow();
				await expect(bind([10, -1], 'u-1')).rejects.toThrow(/client id/);
				await expect(bind([11, 1.5], 'u-1')).rejects.toThrow(/client id/);
				expect(await owners()).toEqual([[7, 'u-1']]);
			});

			it('[client-id] keeps the bindings after a reopen', async (ctx) => {
				const reopen = fx.reopen;
				if (!reopen) return ctx.skip('this adapter has nothing to reopen (in memory)');
				await seedSchoolAndCase();
				await bind([7], 'u-1');
				await storage.close();
				storage = await reopen();
				expect(await owners()).toEqual([[7, 'u-1']]);
			});
		});

		describe('[issue 11] full ID numbers and in-place rewrites', () => {
			const rec = (caseId: string, subject: string, value: string) => ({
				caseId,
				subject,
				value,
				hash: `h-${value}`,
				updatedAt: T0,
				updatedBy: 'u-1'
			});
			const refused = (caseId: string, salt: number) => ({
				caseId,
				update: make.bytes(9, salt),
				userId: 'u-1',
				receivedAt: T0,
				rule: 'load',
				reason: '无法载入 / does not load'
			});
			const audit = { userId: 'system', caseId: 'case-1', action: 'retention-anonymise', at: T1 };

			beforeEach(async () => {
				await seedSchoolAndCase();
				await storage.createCase(make.case({ id: 'case-2' }), make.bytes(8, 5), 'u-1', T0);
				await storage.putPersonIds([
					rec('case-1', 'student', '410402201203040021'),
					rec('case-1', 'student-registry', 'G410402201203040021'),
					rec('case-2', 'student', '410402201203040047')
				]);
			});

			it('keeps one value per subject of a case; finds them by subject and hash', async () => {
				await storage.putPersonIds([rec('case-1', 'student', '41040220120304003X')]);
				expect((await storage.getPersonIds('case-1')).map((r) => r.value).sort()).toEqual([
					'41040220120304003X',
					'G410402201203040021'
				]);
				expect((await storage.listPersonIds('student')).map((r) => r.caseId)).toEqual([
					'case-1',
					'case-2'
				]);
				expect(await storage.findPersonIds('h-410402201203040047')).toEqual([
					rec('case-2', 'student', '410402201203040047')
				]);
			});

			it('rewrites log rows, the cache, the case’s quarantine and its ID rows in one go', async () => {
				const q1 = await storage.quarantine(refused('case-1', 1));
				const q2 = await storage.quarantine(refused('case-2', 2));
				await storage.saveSnapshot({
					caseId: 'case-1',
					uptoSeq: 1,
					state: make.bytes(6),
					createdAt: T0
				});
				const log = await storage.caseLogBytes('case-1');
				const [u] = log.updates;
				const [x] = log.snapshots;
				if (!u || !x) throw new Error('no stored rows');
				await storage.rewriteCaseLog(
					'case-1',
					{
						updates: [{ seq: u.seq, update: make.bytes(8, 9) }],
						snapshots: [{ id: x.id, state: make.bytes(6, 9) }]
					},
					'{"format":1,"anonymised":true}',
					audit,
					{ quarantine: [{ id: q1, update: make.bytes(9, 9) }], deletePersonIds: true }
				);
				const after = await storage.caseLogBytes('case-1');
				expect(hex(after.updates[0]?.update)).toBe(hex(make.bytes(8, 9)));
				expect(after.updates[0]?.seq).toBe(u.seq);
				expect(hex(after.snapshots[0]?.state)).toBe(hex(make.bytes(6, 9)));
				expect(await storage.getCase('case-1')).toMatchObject({
					snapshotJson: '{"format":1,"anonymised":true}',
					rewrites: 1
				});
				const quarantined = await storage.listQuarantine();
				expect(hex(quarantined.find((q) => q.id === q1)?.update)).toBe(hex(make.bytes(9, 9)));
				expect(hex(quarantined.find((q) => q.id === q2)?.update)).toBe(hex(make.bytes(9, 2)));
				expect(await storage.getPersonIds('case-1')).toEqual([]);
				expect(await storage.getPersonIds('case-2')).toHaveLength(1);
				expect(
					(await storage.listAudit({ caseId: 'case-1' })).map(({ id: _i, ...a }) => a)
				).toEqual([audit]);
			});

			it('changes nothing when one row is not the case’s (all or nothing)', async () => {
				const other = await storage.quarantine(refused('case-2', 2));
				const log = await storage.caseLogBytes('case-1');
				await expect(
					storage.rewriteCaseLog(
						'case-1',
						{
							updates: log.updates.map((u) => ({ seq: u.seq, update: make.bytes(8, 9) })),
							snapshots: []
						},
						'{}',
						audit,
						{ quarantine: [{ id: other, update: make.bytes(9, 9) }], deletePersonIds: true }
					)
				).rejects.toThrow();
				expect(hex((await storage.caseLogBytes('case-1')).updates[0]?.update)).toBe(
					hex(make.bytes(8))
				);
				expect(await storage.getPersonIds('case-1')).toHaveLength(2);
				expect((await storage.getCase('case-1'))?.rewrites).toBe(0);
				expect(await storage.listAudit()).toEqual([]);
			});
		});

		describe('quarantine, audit and settings', () => {
			it('keeps refused updates and filters them by case', async () => {
				const q = (caseId: string, salt: number) => ({
					caseId,
					update: make.bytes(7, salt),
					userId: 'u-1',
					receivedAt: T0,
					rule: 'S-4b',
					reason: '只能追加事件 / events are append-only'
				});
				const a = await storage.quarantine(q('case-1', 1));
				const b = await storage.quarantine(q('case-unknown', 2));
				const c = await storage.quarantine(q('case-1', 3));
				expect(new Set([a, b, c]).size).toBe(3);
				expect(await storage.listQuarantine()).toEqual([
					{ id: a, ...q('case-1', 1) },
					{ id: b, ...q('case-unknown', 2) },
					{ id: c, ...q('case-1', 3) }
				]);
				expect((await storage.listQuarantine('case-1')).map((r) => r.id)).toEqual([a, c]);
				expect(await storage.listQuarantine('case-2')).toEqual([]);
			});

			it('records reads and filters them by case and user', async () => {
				const row = (userId: string, caseId: string, action = 'read') => ({
					userId,
					caseId,
					action,
					at: T0
				});
				await storage.audit(row('u-1', 'case-1'));
				await storage.auditMany([row('u-1', 'case-2', 'list'), row('u-2', 'case-1', 'list')]);
				await storage.auditMany([]);
				const all = await storage.listAudit();
				expect(all.map(({ id: _id, ...r }) => r)).toEqual([
					row('u-1', 'case-1'),
					row('u-1', 'case-2', 'list'),
					row('u-2', 'case-1', 'list')
				]);
				expect(new Set(all.map((r) => r.id)).size).toBe(3);
				expect((await storage.listAudit({ caseId: 'case-1' })).map((r) => r.userId)).toEqual([
					'u-1',
					'u-2'
				]);
				expect((await storage.listAudit({ userId: 'u-1' })).map((r) => r.caseId)).toEqual([
					'case-1',
					'case-2'
				]);
				expect(await storage.listAudit({ caseId: 'case-2', userId: 'u-1' })).toHaveLength(1);
				expect(await storage.listAudit({ caseId: 'case-2', userId: 'u-2' })).toEqual([]);
			});

			it('stores and overwrites settings', async () => {
				expect(await storage.getSetting('jwt_secret')).toBeNull();
				await storage.setSetting('jwt_secret', 'a');
				await storage.setSetting('jwt_secret', 'b');
				await storage.setSetting('other', '');
				expect(await storage.getSetting('jwt_secret')).toBe('b');
				expect(await storage.getSetting('other')).toBe('');
			});
		});

		describe('lifecycle', () => {
			it('close is idempotent', async () => {
				await storage.close();
				await storage.close();
			});

			it('keeps everything written before close after a reopen', async (ctx) => {
				const reopen = fx.reopen;
				if (!reopen) return ctx.skip('this adapter has nothing to reopen (in memory)');
				const seq = await seedSchoolAndCase();
				const later = await storage.appendUpdate('case-1', make.bytes(300, 9), 'u-1', T0);
				await storage.quarantine({
					caseId: 'case-1',
					update: make.bytes(2),
					userId: 'u-1',
					receivedAt: T0,
					rule: 'R',
					reason: 'r'
				});
				await storage.audit({ userId: 'u-1', caseId: 'case-1', action: 'read', at: T0 });
				await storage.setSetting('k', 'v');
				await storage.close();

				storage = await reopen();
				expect(await storage.getUser('u-1')).toEqual(make.user());
				// T0 is 2025-09-01 16:00 China time; no district org here, so the fallback name 本区.
				expect(await storage.getCase('case-1')).toEqual({
					...make.case(),
					rewrites: 0,
					caseNo: '本区-2025-0001'
				});
				expect(
					(await storage.loadUpdates('case-1')).map((u) => [u.seq, Array.from(u.update)])
				).toEqual([
					[seq, Array.from(make.bytes(8))],
					[later, Array.from(make.bytes(300, 9))]
				]);
				expect(await storage.listQuarantine()).toHaveLength(1);
				expect(await storage.listAudit()).toHaveLength(1);
				expect(await storage.getSetting('k')).toBe('v');
				// Seqs keep increasing after a restart.
				expect(await storage.appendUpdate('case-1', make.bytes(1), 'u-1', T0)).toBeGreaterThan(
					later
				);
			});
		});
	});
}
