import { describe, expect, it } from 'vitest';
import {
	LEGACY_APP_DB,
	LEGACY_CASE_DB_PREFIX,
	caseDbName,
	caseDbPrefix,
	dbOwner,
	userDbName,
	userKey,
	userKeyPrefix
} from '../../src/lib/sync/db';
import {
	DEFAULT_WIPE_DAYS,
	adoptUsers,
	emptyDeviceUsers,
	expiredUsers,
	forgetUser,
	loginWipeDays,
	noteUser,
	parseDeviceUsers
} from '../../src/lib/sync/device-users';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 9, 21, 1);

describe('[issue 11] local databases are named per user', () => {
	it('names the Dexie database and each case database after the user', () => {
		expect(userDbName('school1')).toBe('yishengyian-u-school1');
		expect(caseDbName('school1', 'demo-07')).toBe('yishengyian-u-school1-case-demo-07');
		expect(caseDbName('school1', 'x').startsWith(caseDbPrefix('school1'))).toBe(true);
		expect(userKey('school1', 'dashboard.roster.2025-09-01')).toBe(
			'yishengyian.u.school1.dashboard.roster.2025-09-01'
		);
	});

	it.each([
		['a', 'a-case-b'],
		['a', 'a.b'],
		['school1', 'school1-x'],
		['u', 'u%2Dcase']
	])('one user’s prefixes never match names of user %s vs %s', (a, b) => {
		for (const [x, y] of [
			[a, b],
			[b, a]
		] as const) {
			expect(userDbName(y).startsWith(caseDbPrefix(x))).toBe(false);
			expect(caseDbName(y, 'c').startsWith(caseDbPrefix(x))).toBe(false);
			expect(userKey(y, 'k').startsWith(userKeyPrefix(x))).toBe(false);
			expect(userDbName(x)).not.toBe(userDbName(y));
		}
	});

	it.each(['school1', 'a-case-b', 'a.b', '张老师', 'u%2D', 'x y'])(
		'reads the owner %s back from every name of theirs',
		(u) => {
			expect(dbOwner(userDbName(u))).toBe(u);
			expect(dbOwner(caseDbName(u, 'case-1-2'))).toBe(u);
		}
	);

	it('owns no names of other kinds, nor those of before the partition', () => {
		for (const n of [
			LEGACY_APP_DB,
			`${LEGACY_CASE_DB_PREFIX}demo-01`,
			'yishengyian-u-',
			'yishengyian-u-a-other',
			'other'
		])
			expect(dbOwner(n)).toBeNull();
	});
});

describe('[issue 11] the device registry decides whose local data is wiped', () => {
	it('reads an unreadable or edited record as empty, and keeps only valid entries', () => {
		expect(parseDeviceUsers(null)).toEqual(emptyDeviceUsers());
		expect(parseDeviceUsers('{oops')).toEqual(emptyDeviceUsers());
		expect(parseDeviceUsers('[1,2]')).toEqual(emptyDeviceUsers());
		expect(
			parseDeviceUsers(
				JSON.stringify({
					wipeDays: 'soon',
					users: { school1: NOW, school2: 'yesterday', '': NOW, x: null }
				})
			)
		).toEqual({ wipeDays: DEFAULT_WIPE_DAYS, users: { school1: NOW } });
		expect(parseDeviceUsers(JSON.stringify({ wipeDays: 7, users: [] }))).toEqual({
			wipeDays: 7,
			users: {}
		});
	});

	it('takes the bureau’s days from the login answer only when they are a whole number in range', () => {
		expect(loginWipeDays({ token: 't', settings: { localWipeDays: 14 } })).toBe(14);
		for (const body of [
			null,
			{},
			{ settings: null },
			{ settings: { localWipeDays: '14' } },
			{ settings: { localWipeDays: 0 } },
			{ settings: { localWipeDays: -3 } },
			{ settings: { localWipeDays: 2.5 } },
			{ settings: { localWipeDays: 100_000 } },
			{ settings: { localWipeDays: Number.NaN } }
		])
			expect(loginWipeDays(body)).toBeNull();
	});

	it('keeps the latest setting; a login without one keeps the previous value', () => {
		let r = noteUser(emptyDeviceUsers(), 'school1', NOW, 7);
		expect(r.wipeDays).toBe(7);
		r = noteUser(r, 'school2', NOW, null);
		expect(r).toEqual({ wipeDays: 7, users: { school1: NOW, school2: NOW } });
		expect(JSON.stringify(r)).not.toMatch(/中学|displayName|name/);
	});

	it('wipes a user last logged in more than the days before, never the one logged in now', () => {
		const r = {
			wipeDays: 30,
			users: {
				fresh: NOW - 29 * DAY,
				edge: NOW - 30 * DAY,
				old: NOW - 31 * DAY,
				me: NOW - 400 * DAY
			}
		};
		expect(expiredUsers(r, NOW, 'me')).toEqual(['old']);
		expect(expiredUsers(r, NOW, null).sort()).toEqual(['me', 'old']);
		expect(expiredUsers({ ...r, wipeDays: 7 }, NOW, 'me').sort()).toEqual(['edge', 'fresh', 'old']);
		expect(expiredUsers(forgetUser(r, 'old'), NOW, 'me')).toEqual([]);
	});

	it('enters users found with data but no entry, and brings times from the future back to now', () => {
		const r = adoptUsers(
			{ wipeDays: 30, users: { school1: NOW - DAY, ahead: NOW + 365 * DAY } },
			['school1', 'stray'],
			NOW
		);
		expect(r.users).toEqual({ school1: NOW - DAY, ahead: NOW, stray: NOW });
		expect(expiredUsers(r, NOW + 31 * DAY, null).sort()).toEqual(['ahead', 'school1', 'stray']);
	});
});
