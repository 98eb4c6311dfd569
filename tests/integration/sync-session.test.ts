/**
 * Issue 13: the client sync layer's session and its relay screens (src/lib/sync:
 * session.svelte.ts, http.ts, calendar.svelte.ts, calendar-admin.svelte.ts,
 * settings-admin.svelte.ts, quarantine.svelte.ts) against the REAL relay (relay-harness.ts:
 * createRelay on a free port, SQLite in a temp dir, the seeded demo district), over Node's fetch.
 *
 * Environment, not mocks of our code: the browser's localStorage is a Map-backed Storage
 * (tests/unit/map-storage.ts) installed as `globalThis.localStorage`; Node has `atob` and
 * `fetch`. Only `Date` is faked (vi.useFakeTimers toFake Date) and set to the relay's fixed
 * clock, so a token's expiry is read against the relay's time, never today's.
 *
 * Dates: the relay's clock is 2026-11-23T02:00Z (the harness default; 10:00 in China). Tokens
 * live 12 h (TOKEN_TTL_SECONDS), so one signed then expires at 2026-11-23T14:00Z; the device
 * clock set to 14:00:01Z reads it as expired, at 13:59:59Z as valid.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SESSION_KEY, SessionManager, tokenExpiry } from '../../src/lib/sync/session.svelte';
import { apiGet } from '../../src/lib/sync/http';
import { CALENDAR_KEY, CalendarStore } from '../../src/lib/sync/calendar.svelte';
import { CalendarAdmin } from '../../src/lib/sync/calendar-admin.svelte';
import { DistrictSettingsAdmin } from '../../src/lib/sync/settings-admin.svelte';
import { QuarantineReview } from '../../src/lib/sync/quarantine.svelte';
import { caseListGuard } from '../../src/lib/protocol/guards';
import * as engine from '../../src/lib/sync/engine';
import type { SessionUser } from '../../src/lib/sync/contract';
import { installLocalStorage, type MapStorage } from '../unit/map-storage';
import { INVENTED_2027 } from './calendar-fixtures';
import { startRelay, until, type TestRelay } from './relay-harness';

const NOW = new Date('2026-11-23T02:00:00.000Z');

let t: TestRelay;
let store: MapStorage;
const sessions: SessionManager[] = [];

beforeAll(async () => {
	t = await startRelay({ now: NOW });
});
afterAll(async () => {
	await t.dispose();
});
beforeEach(() => {
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(NOW);
	store = installLocalStorage();
});
afterEach(() => {
	for (const s of sessions.splice(0)) s.dispose();
	vi.useRealTimers();
});

/** A page where nobody is logged in (the stored session removed first). */
function loggedOut(): SessionManager {
	store.removeItem(SESSION_KEY);
	return session();
}

function session(hooks?: ConstructorParameters<typeof SessionManager>[1]): SessionManager {
	const s = new SessionManager(t.url, hooks);
	sessions.push(s);
	return s;
}

async function loggedIn(username: string): Promise<SessionManager> {
	const s = session();
	expect(await s.login(username, 'demo-pass')).toEqual({ ok: true });
	return s;
}

describe('[issue 13] SessionManager against the relay', () => {
	it('logs in, keeps the session in localStorage and tells the hooks', async () => {
		const seen: [string, number | null][] = [];
		const s = session({ loggedIn: (u, days) => Promise.resolve(void seen.push([u.id, days])) });
		expect(s.loggedIn).toBe(false);
		expect(await s.login('school1', 'demo-pass')).toEqual({ ok: true });
		expect(s.loggedIn).toBe(true);
		expect(s.user?.orgKind).toBe('school');
		// The relay's login answer carries the bureau's localWipeDays (issue 11; default 30).
		expect(seen).toEqual([['school1', 30]]);
		const stored = JSON.parse(store.getItem(SESSION_KEY) ?? 'null') as {
			token: string;
			user: SessionUser;
		};
		expect(stored.token).toBe(s.token);
		expect(stored.user.id).toBe('school1');
		// 12 h after the relay's now: 2026-11-23T14:00Z.
		expect(tokenExpiry(stored.token)).toBe(Date.parse('2026-11-23T14:00:00.000Z'));
		// Another page reads the same session back, offline.
		const again = session();
		expect(again.user?.id).toBe('school1');
		expect(again.token).toBe(s.token);
	});

	it('refuses a wrong password with the relay’s status and stays logged out', async () => {
		const s = session();
		const r = await s.login('school1', 'not-the-password');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.status).toBe(401);
		expect(s.loggedIn).toBe(false);
		expect(store.getItem(SESSION_KEY)).toBeNull();
	});

	it('reads expiry from the token, and a 401 marks the session expired', async () => {
		const s = await loggedIn('school1');
		// 13:59:59Z: one second before the token's exp.
		vi.setSystemTime(new Date('2026-11-23T13:59:59.000Z'));
		expect(new SessionManager(t.url).expired).toBe(false);
		// 14:00:01Z: one second after (a fresh manager reads the clock at construction).
		vi.setSystemTime(new Date('2026-11-23T14:00:01.000Z'));
		const later = session();
		expect(later.expired).toBe(true);
		expect(later.loggedIn).toBe(true); // the user and their local work stay
		vi.setSystemTime(NOW);
		// A token the relay does not accept: the call answers 401 and the session is expired.
		const bad = session();
		bad.token = `${s.token ?? ''}x`;
		expect(bad.expired).toBe(false);
		const r = await apiGet(bad, '/api/cases', caseListGuard);
		expect(r.ok).toBe(false);
		expect(bad.expired).toBe(true);
		// Logging in again clears it.
		expect(await bad.relogin('demo-pass')).toEqual({ ok: true });
		expect(bad.expired).toBe(false);
		expect((await apiGet(bad, '/api/cases', caseListGuard)).ok).toBe(true);
	});

	it('relogin without a user asks to log in; logout clears and tells the hook', async () => {
		const out: [string, boolean][] = [];
		const s = session({ loggedOut: (u, wipe) => Promise.resolve(void out.push([u.id, wipe])) });
		const r = await s.relogin('demo-pass');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.status).toBe(401);
		expect(await s.login('street1', 'demo-pass')).toEqual({ ok: true });
		await s.logout(true);
		expect(s.loggedIn).toBe(false);
		expect(store.getItem(SESSION_KEY)).toBeNull();
		expect(out).toEqual([['street1', true]]);
		await s.logout(false); // nobody logged in: no hook
		expect(out).toHaveLength(1);
	});

	it('a damaged stored session starts logged out', () => {
		store.setItem(SESSION_KEY, '{not json');
		expect(session().loggedIn).toBe(false);
		store.setItem(SESSION_KEY, JSON.stringify({ token: 'x', user: { id: 1 } }));
		expect(session().loggedIn).toBe(false);
		expect(tokenExpiry('no-dots')).toBeNull();
	});

	it('no relay answering: login says offline (status 0)', async () => {
		const s = new SessionManager('http://127.0.0.1:9');
		sessions.push(s);
		const r = await s.login('school1', 'demo-pass');
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.status).toBe(0);
			expect(r.message.zh).toContain('无法连接服务器');
		}
	});
});

describe('[issue 13] QuarantineReview (bureau only) against the relay', () => {
	it('the bureau reads the district’s list, a school is forbidden', async () => {
		const bureau = new QuarantineReview(await loggedIn('bureau1'));
		await bureau.load(null);
		expect(bureau.status).toBe('ready');
		expect(bureau.caseId).toBeNull();
		// The seeded district has no refused updates.
		expect(bureau.records).toEqual([]);
		await bureau.load('demo-01');
		expect(bureau.status).toBe('ready');
		expect(bureau.caseId).toBe('demo-01');

		const school = new QuarantineReview(await loggedIn('school1'));
		await school.load(null);
		expect(school.status).toBe('forbidden');
		expect(school.message).not.toBeNull();
	});

	it('offline, and logged out', async () => {
		const off = new SessionManager('http://127.0.0.1:9');
		sessions.push(off);
		off.token = 'x';
		const q = new QuarantineReview(off);
		await q.load(null);
		expect(q.status).toBe('offline');
		const none = new QuarantineReview(loggedOut());
		await none.load(null);
		expect(none.status).toBe('forbidden');
	});
});

describe('[issue 13] G-T3: CalendarStore and CalendarAdmin against the relay', () => {
	it('starts with the built-in calendar, fetches the relay’s version and caches it', async () => {
		const s = await loggedIn('school1');
		const cal = new CalendarStore(t.url);
		expect(cal.version).toBeNull();
		const builtin = cal.current(engine);
		expect(builtin).toBeInstanceOf(engine.Calendar);
		const changed: unknown[] = [];
		cal.onChange((c) => changed.push(c));
		const list = await apiGet(s, '/api/cases', caseListGuard);
		if (!list.ok) throw new Error('list');
		cal.note(list.value.calendarVersion, s.token);
		await until(() => cal.version !== null, 5000, 'calendar fetched');
		expect(cal.version).toBe(list.value.calendarVersion);
		// It was in use, so it is rebuilt and every listener hears of it.
		await until(() => changed.length === 1, 5000, 'listeners told');
		expect(cal.value).toBe(changed[0]);
		expect(store.getItem(CALENDAR_KEY)).not.toBeNull();
		// Another page starts with the cached version, offline.
		const cached = new CalendarStore(t.url);
		expect(cached.version).toBe(cal.version);
		expect((await cached.ready()).constructor).toBe(engine.Calendar);
		// The same version again fetches nothing; no token fetches nothing.
		cached.note(cal.version, s.token);
		cached.note('other', null);
		expect(cached.version).toBe(cal.version);
	});

	it('a damaged cache falls back to the built-in calendar', () => {
		store.setItem(CALENDAR_KEY, '{"version":"v9","years":"nonsense"}');
		const cal = new CalendarStore(t.url);
		expect(cal.version).toBe('v9');
		cal.current(engine);
		expect(cal.version).toBeNull();
		store.setItem(CALENDAR_KEY, '{broken');
		expect(new CalendarStore(t.url).version).toBeNull();
	});

	it('the bureau saves a year: stored with a new version, logged, fetched at once', async () => {
		const s = await loggedIn('bureau1');
		const cal = new CalendarStore(t.url);
		await cal.refresh(s.token ?? '');
		const before = cal.version;
		expect(before).not.toBeNull();
		const admin = new CalendarAdmin(s, cal);
		const r = await admin.send('years', { ok: true, value: INVENTED_2027 });
		expect(r.errors).toEqual([]);
		expect(r.version).not.toBeNull();
		expect(r.version).not.toBe(before);
		// This device took the new version.
		expect(cal.version).toBe(r.version);
		expect(admin.saving).toBe(false);
		// The relay's calendar now holds the invented 2027 year.
		const res = await fetch(`${t.url}/api/calendar`, {
			headers: { authorization: `Bearer ${s.token ?? ''}` }
		});
		expect(JSON.stringify(await res.json())).toContain('测试用虚构放假安排');
		await admin.loadLog();
		expect(admin.log[0]).toMatchObject({ kind: 'year' });
	});

	it('refusals: errors checked locally are not sent, a school is refused, offline', async () => {
		const school = await loggedIn('school1');
		const cal = new CalendarStore(t.url);
		const admin = new CalendarAdmin(school, cal);
		const local = { zh: '日期不对', en: 'bad date' };
		expect(await admin.send('years', { ok: false, errors: [local] })).toEqual({
			errors: [local],
			version: null
		});
		const refused = await admin.send('years', { ok: true, value: INVENTED_2027 });
		expect(refused.version).toBeNull();
		expect(refused.errors.length).toBeGreaterThan(0);
		await admin.loadLog();
		expect(admin.log).toEqual([]);
		// Logged out: no token, nothing sent.
		const none = await new CalendarAdmin(loggedOut(), cal).save('years', INVENTED_2027);
		expect(none).toMatchObject({ ok: false, message: { en: 'offline: cannot save' } });
		const off = new SessionManager('http://127.0.0.1:9');
		sessions.push(off);
		off.token = 'x';
		const o = await new CalendarAdmin(off, cal).save('terms', {});
		expect(o).toMatchObject({ ok: false, message: { en: 'offline: cannot save' } });
		// The relay validates again: an invalid body is refused with its errors.
		const bureau = new CalendarAdmin(await loggedIn('bureau1'), cal);
		const bad = await bureau.save('years', { year: 'x' });
		expect(bad.ok).toBe(false);
	});
});

describe('[issue 11] DistrictSettingsAdmin against the relay', () => {
	it('the bureau reads, saves (the relay stores it) and dry-runs the retention', async () => {
		const s = await loggedIn('bureau1');
		const admin = new DistrictSettingsAdmin(s);
		await admin.load();
		expect(admin.status).toBe('ready');
		expect(admin.answer?.settings.localWipeDays).toBe(30);
		const ok = await admin.save({ ...admin.answer!.settings, localWipeDays: 14 });
		expect(ok).toBe(true);
		expect(admin.saved).toBe(true);
		expect(admin.answer?.settings.localWipeDays).toBe(14);
		// A login now carries the new days (issue 11: the device wipes by them).
		const days: (number | null)[] = [];
		const next = session({ loggedIn: (_u, d) => Promise.resolve(void days.push(d)) });
		await next.login('school1', 'demo-pass');
		expect(days).toEqual([14]);
		// Out of bounds: refused by field, nothing stored.
		const refused = await admin.save({ ...admin.answer!.settings, localWipeDays: 366 });
		expect(refused).toBe(false);
		expect(admin.fieldErrors.map((e) => e.path)).toContain('localWipeDays');
		expect(admin.message).not.toBeNull();
		await admin.load();
		expect(admin.answer?.settings.localWipeDays).toBe(14);
		await admin.run(true);
		expect(admin.runMessage).toBeNull();
		expect(admin.report).not.toBeNull();
		expect(admin.running).toBe(false);
		await admin.save({ ...admin.answer!.settings, localWipeDays: 30 });
	});

	it('a school cannot use the screen; offline and logged out are told apart', async () => {
		const school = new DistrictSettingsAdmin(await loggedIn('school1'));
		await school.load();
		// A school's GET is answered with the device settings only (localWipeDays), which the
		// bureau screen's schema does not read: the screen shows that the answer is not its own.
		expect(school.status).toBe('error');
		expect(school.answer).toBeNull();
		expect(school.message?.en).toBe('the relay’s answer is not in the expected form');
		// Saving is the bureau's only: refused (403), nothing stored.
		expect(await school.save({ retentionYears: 5, localWipeDays: 7 })).toBe(false);
		expect(school.saved).toBe(false);
		expect(school.message?.en).not.toBe('offline: cannot reach the relay');
		await school.run(true);
		expect(school.runMessage).not.toBeNull();
		expect(school.report).toBeNull();
		const off = new SessionManager('http://127.0.0.1:9');
		sessions.push(off);
		off.token = 'x';
		const o = new DistrictSettingsAdmin(off);
		await o.load();
		expect(o.status).toBe('offline');
		expect(await o.save({ retentionYears: 5, localWipeDays: 30 })).toBe(false);
		expect(o.message?.en).toBe('offline: cannot reach the relay');
		const none = new DistrictSettingsAdmin(loggedOut());
		await none.load();
		expect(none.status).toBe('forbidden');
	});
});
