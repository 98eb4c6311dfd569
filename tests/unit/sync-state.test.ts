import { describe, expect, it } from 'vitest';
import { peersOf } from '../../src/lib/sync/presence';
import { syncState, type SyncInputs } from '../../src/lib/sync/sync-state';

const base: SyncInputs = {
	loggedIn: true,
	expired: false,
	online: true,
	connection: 'synced',
	pending: 0
};

describe('the sync state is one derived value (issue 12)', () => {
	it('offline with a socket that still looks synced: offline, with the change waiting', () => {
		// The issue: 「✓ 已与服务器同步 · 1 条修改尚未上传」 while offline.
		expect(syncState({ ...base, online: false, pending: 1 })).toEqual({
			kind: 'offline',
			pending: 1
		});
	});

	it('synced only when connected, synced and nothing waits', () => {
		expect(syncState(base)).toEqual({ kind: 'synced' });
		expect(syncState({ ...base, pending: 2 })).toEqual({ kind: 'pending-upload', pending: 2 });
		expect(syncState({ ...base, connection: 'syncing' })).toEqual({ kind: 'syncing', pending: 0 });
		expect(syncState({ ...base, connection: 'connecting', pending: 1 })).toEqual({
			kind: 'connecting',
			pending: 1
		});
		// The network is up but the socket is closed (relay unreachable): it is reconnecting.
		expect(syncState({ ...base, connection: 'offline' })).toEqual({
			kind: 'connecting',
			pending: 0
		});
	});

	it('an expired session uploads nothing: expired, with what waits', () => {
		expect(syncState({ ...base, expired: true, pending: 3 })).toEqual({
			kind: 'expired',
			pending: 3
		});
		// Offline says more than expired: nothing could upload either way.
		expect(syncState({ ...base, expired: true, online: false }).kind).toBe('offline');
	});

	it('before login: no sync claim, only the network', () => {
		expect(syncState({ ...base, loggedIn: false })).toEqual({ kind: 'signed-out', online: true });
		expect(syncState({ ...base, loggedIn: false, online: false, pending: 4 })).toEqual({
			kind: 'signed-out',
			online: false
		});
	});
});

describe('presence: one entry per user (issue 12)', () => {
	const user = (id: string | undefined, name: string, orgName: string) => ({
		user: { ...(id ? { id } : {}), name, orgName }
	});

	it('two tabs of one user are one name; the viewer and the viewer’s other tabs are not listed', () => {
		const states = new Map<number, unknown>([
			[1, user('school1', '王老师', '示范区第一初级中学')], // this tab
			[2, user('school1', '王老师', '示范区第一初级中学')], // the viewer's other tab
			[3, user('street1', '张科长', '新华街道办事处')],
			[4, user('street1', '张科长', '新华街道办事处')], // the same user on a phone
			[5, user('bureau1', '黄科长', '示范区教育体育局')],
			[6, {}] // no presence yet
		]);
		expect(peersOf(states, { clientId: 1, userId: 'school1' })).toEqual([
			{ clientId: 3, name: '张科长', orgName: '新华街道办事处' },
			{ clientId: 5, name: '黄科长', orgName: '示范区教育体育局' }
		]);
	});

	it('states without an id (an older relay) are told apart by name and org', () => {
		const states = new Map<number, unknown>([
			[7, user(undefined, '张科长', '新华街道办事处')],
			[8, user(undefined, '张科长', '新华街道办事处')],
			[9, user(undefined, '张科长', '光明街道办事处')]
		]);
		expect(peersOf(states, { clientId: 1, userId: 'school1' }).map((p) => p.clientId)).toEqual([
			7, 9
		]);
	});
});
