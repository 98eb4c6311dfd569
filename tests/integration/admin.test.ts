import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEvent, fromSnapshot } from '../../src/lib/case-doc';
import { parseSnapshot } from '../../src/lib/domain';
import { CaseBuilder, DEMO_AUTHORS } from '../../src/lib/demo';
import {
	ADMIN_CLI_USER,
	AdminError,
	addOrg,
	addUser,
	backupDatabase,
	caseHistory,
	exportCase,
	formatHistory,
	restoreDatabase,
	setUserEnabled
} from '../../server/admin';
import {
	formatCalendarYears,
	formatTermYears,
	importCalendarYear,
	importTermYear,
	listCalendarYears,
	listTermYears
} from '../../server/admin-calendar';
import { verifyPassword } from '../../server/auth/passwords';
import { seedDemoDistrict } from '../../server/seed';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/types';
import {
	INVENTED_2027,
	INVENTED_TERMS_2026_2027,
	OVERLAPPING_2027,
	WEEKDAY_MAKEUP_2027
} from './calendar-fixtures';

const NOW = new Date('2026-11-23T02:00:00.000Z');
const fastHash = (pw: string) => Promise.resolve(`plain:${pw}`);

describe('admin functions', () => {
	let storage: Storage;
	beforeEach(() => {
		storage = openSqliteStorage({ path: ':memory:' });
	});
	afterEach(async () => {
		await storage.close();
	});

	describe('add-org', () => {
		it('adds a street, then a school and a community in it', async () => {
			await addOrg(storage, { id: 'org-s', kind: 'street', name: '东风街道办事处' });
			await addOrg(storage, { id: 'org-sch', kind: 'school', name: '东风中学', street: 'org-s' });
			await addOrg(storage, { id: 'org-c', kind: 'community', name: '东风社区', street: 'org-s' });
			expect(await storage.getOrg('org-sch')).toEqual({
				id: 'org-sch',
				kind: 'school',
				name: '东风中学',
				streetId: 'org-s'
			});
			expect((await storage.getOrg('org-s'))?.streetId).toBeNull();
		});

		it.each([
			[{ id: 'org-x', kind: 'school', name: '无街道中学' }, /--street/],
			[{ id: 'org-x', kind: 'school', name: '某中学', street: 'org-nowhere' }, /no street/],
			[
				{ id: 'org-x', kind: 'police', name: '公安', street: 'org-s' },
				/only schools and communities/
			],
			[{ id: 'bad id!', kind: 'street', name: '某街道' }, /--id/],
			[{ id: 'org-x', kind: 'ministry', name: '某部' }, /--kind/],
			[{ id: 'org-x', kind: 'street' }, /--name/]
		])('refuses %o', async (input, message) => {
			await addOrg(storage, { id: 'org-s', kind: 'street', name: '东风街道办事处' });
			await expect(addOrg(storage, input)).rejects.toThrow(message);
			expect(await storage.getOrg('org-x')).toBeNull();
		});

		it('refuses a duplicate id', async () => {
			await addOrg(storage, { id: 'org-s', kind: 'street', name: '东风街道办事处' });
			await expect(
				addOrg(storage, { id: 'org-s', kind: 'street', name: '另一个' })
			).rejects.toThrow(AdminError);
		});
	});

	describe('add-user, disable-user, enable-user', () => {
		beforeEach(async () => {
			await addOrg(storage, { id: 'org-s', kind: 'street', name: '东风街道办事处' });
			await addOrg(storage, { id: 'org-sch', kind: 'school', name: '东风中学', street: 'org-s' });
		});

		it('adds a user with an argon2id hash and never returns the hash', async () => {
			const shown = await addUser(
				storage,
				{
					username: 'teacher7',
					name: '钱老师',
					org: 'org-sch',
					role: 'head_teacher',
					password: 'secret-pw-1'
				},
				{ now: NOW }
			);
			expect(shown).not.toHaveProperty('passwordHash');
			expect(shown).toMatchObject({
				id: 'teacher7',
				username: 'teacher7',
				orgId: 'org-sch',
				disabled: false
			});
			const stored = await storage.getUserByUsername('teacher7');
			expect(stored?.createdAt).toBe(NOW.toISOString());
			expect(await verifyPassword(stored?.passwordHash ?? '', 'secret-pw-1')).toBe(true);
		});

		it.each([
			[
				{
					username: 'Bad Name',
					name: '某',
					org: 'org-sch',
					role: 'head_teacher',
					password: 'long-enough'
				},
				/--username/
			],
			[
				{
					username: 'u1',
					name: '某',
					org: 'org-none',
					role: 'head_teacher',
					password: 'long-enough'
				},
				/no org/
			],
			[
				{ username: 'u1', name: '某', org: 'org-sch', role: 'officer', password: 'long-enough' },
				/does not fit/
			],
			[
				{ username: 'u1', name: '某', org: 'org-s', role: 'head_teacher', password: 'long-enough' },
				/does not fit/
			],
			[
				{ username: 'u1', name: '某', org: 'org-sch', role: 'head_teacher', password: 'short' },
				/--password/
			],
			[
				{ username: 'u1', name: '某', org: 'org-sch', role: 'king', password: 'long-enough' },
				/--role/
			]
		])('refuses %o', async (input, message) => {
			await expect(addUser(storage, input, { now: NOW, hash: fastHash })).rejects.toThrow(message);
			expect(await storage.listUsers()).toEqual([]);
		});

		it('refuses a duplicate username', async () => {
			const input = {
				username: 'u1',
				name: '某',
				org: 'org-sch',
				role: 'head_teacher',
				password: 'long-enough'
			};
			await addUser(storage, input, { now: NOW, hash: fastHash });
			await expect(addUser(storage, input, { now: NOW, hash: fastHash })).rejects.toThrow(
				/already exists/
			);
		});

		it('disables and re-enables a user', async () => {
			const input = {
				username: 'u1',
				name: '某',
				org: 'org-s',
				role: 'officer',
				password: 'long-enough'
			};
			await addUser(storage, input, { now: NOW, hash: fastHash });
			await setUserEnabled(storage, 'u1', false);
			expect((await storage.getUser('u1'))?.disabled).toBe(true);
			await setUserEnabled(storage, 'u1', true);
			expect((await storage.getUser('u1'))?.disabled).toBe(false);
			await expect(setUserEnabled(storage, 'nobody', false)).rejects.toThrow(/no user/);
		});
	});

	describe('export-case and history', () => {
		beforeEach(async () => {
			await seedDemoDistrict(storage, { now: NOW, hash: fastHash });
		});

		it('exports a snapshot rebuilt from the update log, equal to the stored one, and audits it', async () => {
			for (const c of await storage.listCases()) {
				const exported = await exportCase(storage, c.id, { now: NOW });
				expect(exported).toEqual(JSON.parse(c.snapshotJson));
			}
			const audit = await storage.listAudit({ userId: ADMIN_CLI_USER });
			expect(audit.length).toBe((await storage.listCases()).length);
			expect(audit.every((a) => a.action === 'export' && a.at === NOW.toISOString())).toBe(true);
		});

		it('trusts the update log, not the cached snapshot JSON', async () => {
			const [c] = await storage.listCases();
			if (!c) throw new Error('no case');
			await storage.updateCaseCache(c.id, '{"stale":true}', c.team);
			expect(await exportCase(storage, c.id, { now: NOW })).toEqual(JSON.parse(c.snapshotJson));
		});

		it('refuses an unknown case', async () => {
			await expect(exportCase(storage, 'no-such-case', { now: NOW })).rejects.toThrow(/no case/);
			await expect(caseHistory(storage, 'no-such-case', { now: NOW })).rejects.toThrow(/no case/);
		});

		it('lists the creation update, then one line per recorded step', async () => {
			const entries = await caseHistory(storage, 'demo-03', { now: NOW });
			expect(entries[0]).toMatchObject({ created: true, user: { id: 'school1' }, eventsAdded: [] });
			expect(entries.slice(1).map((e) => e.eventsAdded.map((x) => x.type))).toEqual([
				['absence'],
				['absence'],
				['absence'],
				['home_visit'],
				['family_linked'] // B-5: demo-03 is in the demo family (server/seed-cases.ts)
			]);
			const lines = formatHistory(entries);
			expect(lines).toHaveLength(6);
			expect(lines[0]).toMatch(/^#\d+ {2}\S+ {2}school1 {2}创建案件 \/ case created$/);
			expect(lines[1]).toContain('新增事件 / events added: absence');
			// History shows event types and user ids, never the student's data.
			expect(lines.join('\n')).not.toContain('张一诺');
		});

		it('shows a plan edit and several events in one update', async () => {
			const snapshot = new CaseBuilder({
				id: 'case-h',
				profile: 'shilong-2022',
				student: { name: '测试学生' },
				createdOn: '2026-11-16'
			}).build();
			const doc = fromSnapshot(snapshot);
			const { format: _f, events: _e, ...init } = snapshot;
			await storage.createCase(
				{
					id: init.id,
					profile: init.profile,
					schoolId: init.orgs.schoolId,
					streetId: init.orgs.streetId,
					communityId: init.orgs.communityId ?? null,
					createdAt: init.createdAt,
					createdBy: 'school1',
					snapshotJson: JSON.stringify(snapshot),
					team: []
				},
				Y.encodeStateAsUpdate(doc),
				'school1',
				'2026-11-16T08:00:00.000Z'
			);
			const sv = Y.encodeStateVector(doc);
			const b = new CaseBuilder({
				id: 'case-h',
				profile: 'shilong-2022',
				student: { name: '测试学生' },
				createdOn: '2026-11-16'
			});
			expect(
				appendEvent(doc, b.event('absence', '2026-11-16', { excused: false }), '2026-11-16').ok
			).toBe(true);
			expect(
				appendEvent(doc, b.event('absence', '2026-11-17', { excused: false }), '2026-11-17').ok
			).toBe(true);
			doc.getText('plan').insert(0, '每周家访');
			await storage.appendUpdate(
				'case-h',
				Y.encodeStateAsUpdate(doc, sv),
				DEMO_AUTHORS.school.userId,
				'2026-11-17T09:00:00.000Z'
			);
			const lines = formatHistory(await caseHistory(storage, 'case-h', { now: NOW }));
			expect(lines[1]).toContain('events added: absence, absence');
			expect(lines[1]).toContain('修改劝返方案 / plan changed');
			const audit = await storage.listAudit({ caseId: 'case-h' });
			expect(audit.map((a) => a.action)).toEqual(['history']);
		});
	});
});

describe('[G-T3] calendar import, calendar list, terms import, terms list', () => {
	let storage: Storage;
	beforeEach(async () => {
		storage = openSqliteStorage({ path: ':memory:' });
		await addOrg(storage, { id: 'org-s', kind: 'street', name: '东风街道办事处' });
		await addOrg(storage, { id: 'org-sch', kind: 'school', name: '东风中学', street: 'org-s' });
	});
	afterEach(async () => {
		await storage.close();
	});

	it.each([
		['overlapping holidays', OVERLAPPING_2027, /holidays\[1\].*holidays\[0\]/],
		['a make-up day on a weekday', WEEKDAY_MAKEUP_2027, /workdays\[0\]（2027-02-22）/],
		['a holiday outside its year', { ...INVENTED_2027, year: 2028 }, /holidays\[0\].*2028/],
		['no notice named', { ...INVENTED_2027, source: '' }, /source/],
		['an unknown field', { ...INVENTED_2027, extra: 1 }, /extra/],
		['not an object', [INVENTED_2027], /invalid calendar data/]
	])(
		'[G-T3] calendar import refuses %s, naming the entry, and stores nothing',
		async (_, input, why) => {
			const err = await importCalendarYear(storage, input, { now: NOW }).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(AdminError);
			expect(String((err as Error).message)).toMatch(why);
			expect((err as Error).message).toMatch(
				/^日历数据无效，未保存：.* \/ invalid calendar data, nothing saved: /
			);
			expect(await storage.calendarLog()).toEqual([]);
		}
	);

	it('[G-T3] calendar import stores the year as admin-cli; calendar list shows it official', async () => {
		const r = await importCalendarYear(storage, INVENTED_2027, { now: NOW });
		expect(r).toEqual({ value: INVENTED_2027, version: 'b1-1' });
		expect(await storage.calendarLog()).toEqual([
			{
				seq: 1,
				kind: 'year',
				key: '2027',
				userId: ADMIN_CLI_USER,
				at: NOW.toISOString(),
				source: INVENTED_2027.source
			}
		]);
		const list = await listCalendarYears(storage, { now: NOW });
		// From the first shipped year (2024) to the current year 2026 + 9 = 2035.
		expect(list.years.map((y) => y.year)).toEqual([
			2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035
		]);
		expect(list.years.map((y) => y.status)).toEqual([
			...Array<string>(4).fill('official'),
			...Array<string>(8).fill('provisional')
		]);
		const lines = formatCalendarYears(list);
		expect(lines[0]).toBe('日历版本 / calendar version: b1-1');
		expect(lines[1]).toBe('2024  官方 / official  国办发明电〔2023〕7号  （随程序提供 / shipped）');
		expect(lines[4]).toBe(
			'2027  官方 / official  测试用虚构放假安排（非国务院通知）  （已录入 / entered）'
		);
		expect(lines[5]).toMatch(/^2028 {2}暂定 \/ provisional {2}按《全国年节及纪念日放假办法》推算/);
	});

	it.each([
		['a street as school', { ...INVENTED_TERMS_2026_2027, school: 'org-s' }, /school.*org-s/],
		[
			'an unknown school',
			{ ...INVENTED_TERMS_2026_2027, school: 'org-x' },
			/no school with id org-x/
		],
		[
			'overlapping terms',
			{
				schoolYear: '2026-2027',
				terms: [
					{ start: '2026-09-01', end: '2027-01-22' },
					{ start: '2027-01-18', end: '2027-07-09' }
				]
			},
			/terms\[1\].*terms\[0\]/
		],
		['a bad school year', { ...INVENTED_TERMS_2026_2027, schoolYear: '2026-2028' }, /2026-2028/]
	])('[G-T3] terms import refuses %s and stores nothing', async (_, input, why) => {
		await expect(importTermYear(storage, input, { now: NOW })).rejects.toThrow(why);
		expect(await storage.calendarLog()).toEqual([]);
	});

	it('[G-T3] terms import replaces the school year; terms list shows scope, terms and source', async () => {
		expect((await importTermYear(storage, INVENTED_TERMS_2026_2027, { now: NOW })).version).toBe(
			'b1-1'
		);
		const own = {
			schoolYear: '2026-2027',
			school: 'org-sch',
			terms: [{ start: '2026-09-01', end: '2027-01-15' }]
		};
		expect((await importTermYear(storage, own, { now: NOW })).version).toBe('b1-2');
		const lines = formatTermYears(await listTermYears(storage));
		expect(lines[0]).toBe('日历版本 / calendar version: b1-2');
		expect(lines).toContain(
			'2026-2027  全区 / district  秋季学期 2026-09-01–2027-01-22；春季学期 2027-03-01–2027-07-09  来源 / source: 测试用虚构校历'
		);
		expect(lines).toContain(
			'2026-2027  学校 / school 东风中学 (org-sch)  2026-09-01–2027-01-15  来源 / source: —'
		);
		// The shipped school years stay: 2023-2024 … 2025-2026 for the district.
		expect(lines.filter((l) => l.includes('全区 / district')).map((l) => l.slice(0, 9))).toEqual([
			'2023-2024',
			'2024-2025',
			'2025-2026',
			'2026-2027'
		]);
	});
});

describe('backup and restore', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'ysya-admin-'));
	});
	afterEach(() => {
		rmSync(dir, { recursive: true, force: true });
	});

	it('backs up to a new file, refuses to overwrite it, and restores it into a stopped database', async () => {
		const live = join(dir, 'live.sqlite');
		const backup = join(dir, 'backup.sqlite');
		const storage = openSqliteStorage({ path: live });
		await addOrg(storage, { id: 'org-s', kind: 'street', name: '东风街道办事处' });
		await backupDatabase(storage, backup);
		expect(existsSync(backup)).toBe(true);
		await expect(backupDatabase(storage, backup)).rejects.toThrow(/already exists/);
		await addOrg(storage, { id: 'org-t', kind: 'street', name: '西风街道办事处' });
		await storage.close();

		await restoreDatabase(backup, live);
		const restored = openSqliteStorage({ path: live });
		try {
			expect((await restored.listOrgs()).map((o) => o.id)).toEqual(['org-s']);
		} finally {
			await restored.close();
		}
		await expect(restoreDatabase(join(dir, 'missing.sqlite'), live)).rejects.toThrow(/not found/);
	});
});

describe('snapshot parse sanity', () => {
	it('exported JSON parses as a snapshot', async () => {
		const storage = openSqliteStorage({ path: ':memory:' });
		try {
			await seedDemoDistrict(storage, { now: NOW, hash: fastHash });
			const s = await exportCase(storage, 'demo-15', { now: NOW });
			expect(parseSnapshot(JSON.parse(JSON.stringify(s))).ok).toBe(true);
		} finally {
			await storage.close();
		}
	});
});
