/**
 * Issue 12 / issue 13: the one sync state, read from a real SessionManager (its stored session
 * and expiry) and the network, and the count shown beside it (src/lib/sync/sync-state.ts).
 *
 * Environment, not mocks of our code: localStorage is a Map-backed Storage
 * (tests/unit/map-storage.ts). `Date` is faked at 2026-11-23T02:00Z; the stored token's `exp`
 * is 2026-11-23T14:00Z (1795442400 s: Date.parse('2026-11-23T14:00:00Z') / 1000, checked by
 * hand: 20415 days after 1970-01-01 at 14:00), so it is valid until the relay refuses it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SESSION_KEY, SessionManager } from '../../src/lib/sync/session.svelte';
import { pendingOf, syncStateOf } from '../../src/lib/sync/sync-state';
import { installLocalStorage } from './map-storage';

const EXP = 1795442400;
const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '');
const TOKEN = `${b64({ alg: 'HS256' })}.${b64({ exp: EXP })}.sig`;
const USER = {
	id: 'school1',
	username: 'school1',
	displayName: '示范区第一中学',
	orgId: 'org-school',
	orgName: '示范区第一中学',
	orgKind: 'school',
	role: 'head_teacher'
};

let s: SessionManager | null = null;
beforeEach(() => {
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(new Date('2026-11-23T02:00:00.000Z'));
});
afterEach(() => {
	s?.dispose();
	vi.useRealTimers();
});

describe('[issue 12] syncStateOf with the session and the network', () => {
	it('signed out: only the network', () => {
		installLocalStorage();
		s = new SessionManager('http://relay.test');
		const st = syncStateOf(s, { online: false }, 'synced', 3);
		expect(st).toEqual({ kind: 'signed-out', online: false });
		expect(pendingOf(st)).toBe(0);
	});

	it('a stored session: synced, pending, then expired once the relay refused the token', () => {
		installLocalStorage().setItem(SESSION_KEY, JSON.stringify({ token: TOKEN, user: USER }));
		s = new SessionManager('http://relay.test');
		expect(s.loggedIn).toBe(true);
		expect(Date.parse('2026-11-23T14:00:00Z') / 1000).toBe(EXP);
		expect(syncStateOf(s, { online: true }, 'synced', 0)).toEqual({ kind: 'synced' });
		const waiting = syncStateOf(s, { online: true }, 'synced', 2);
		expect(waiting).toEqual({ kind: 'pending-upload', pending: 2 });
		expect(pendingOf(waiting)).toBe(2);
		s.markExpired();
		expect(syncStateOf(s, { online: true }, 'synced', 2)).toEqual({ kind: 'expired', pending: 2 });
		// Offline decides before expiry.
		expect(syncStateOf(s, { online: false }, 'synced', 1)).toEqual({ kind: 'offline', pending: 1 });
	});
});
