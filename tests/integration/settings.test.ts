/**
 * Issue 11: the bureau's personal-data settings (`/api/settings`) and the login answer that
 * tells a device when to wipe a user's local data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISTRICT_SETTINGS_KEY } from '../../server/district-settings';
import { login, startRelay, type TestRelay } from './relay-harness';

describe('issue 11: the district settings', () => {
	let t: TestRelay;
	beforeAll(async () => {
		t = await startRelay();
	});
	afterAll(async () => {
		await t.dispose();
	});

	const call = (token: string, method: 'GET' | 'PUT', body?: unknown) =>
		fetch(`${t.url}/api/settings`, {
			method,
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			...(body === undefined ? {} : { body: JSON.stringify(body) })
		});
	const loginAnswer = async (username: string) => {
		const res = await fetch(`${t.url}/api/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username, password: 'demo-pass' })
		});
		return (await res.json()) as { settings?: { localWipeDays?: number } };
	};

	it('answers the defaults: any user reads localWipeDays, only the bureau the rest', async () => {
		expect((await loginAnswer('school1')).settings).toEqual({ localWipeDays: 30 });
		const school: unknown = await (await call(await login(t, 'school1'), 'GET')).json();
		expect(school).toEqual({ v: 1, settings: { localWipeDays: 30 } });
		const bureau: unknown = await (await call(await login(t, 'bureau1'), 'GET')).json();
		expect(bureau).toEqual({
			v: 1,
			settings: { retentionYears: 3, localWipeDays: 30 },
			changed: null,
			invalid: false
		});
	});

	it('refuses a change by anyone but the bureau (403)', async () => {
		for (const u of ['school1', 'street1', 'district1']) {
			const res = await call(await login(t, u), 'PUT', { retentionYears: 1, localWipeDays: 7 });
			expect(res.status, u).toBe(403);
			const body = (await res.json()) as { message: { zh: string; en: string } };
			expect(body.message.zh).toContain('区教体局');
		}
		expect(await t.storage.getSetting(DISTRICT_SETTINGS_KEY)).toBeNull();
	});

	it('checks what the bureau enters, Chinese first, and stores nothing invalid', async () => {
		const bureau = await login(t, 'bureau1');
		for (const body of [
			{ retentionYears: -1, localWipeDays: 30 },
			{ retentionYears: 3, localWipeDays: 0 },
			{ retentionYears: 2.5, localWipeDays: 30 },
			{ retentionYears: 3, localWipeDays: '30' },
			{ retentionYears: 3 },
			{ retentionYears: 3, localWipeDays: 30, extra: true }
		]) {
			const res = await call(bureau, 'PUT', body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			const answer = (await res.json()) as { errors: { path: string; zh: string; en: string }[] };
			expect(answer.errors.length).toBeGreaterThan(0);
		}
		const res = await call(bureau, 'PUT', { retentionYears: 31, localWipeDays: 366 });
		const answer = (await res.json()) as { errors: { path: string; zh: string; en: string }[] };
		expect(answer.errors).toEqual([
			{
				path: 'retentionYears',
				zh: '保留年限须为 0–30 的整数',
				en: 'The years kept in full must be a whole number from 0 to 30'
			},
			{
				path: 'localWipeDays',
				zh: '本机数据保留天数须为 1–365 的整数',
				en: 'The days local data is kept must be a whole number from 1 to 365'
			}
		]);
		expect(await t.storage.getSetting(DISTRICT_SETTINGS_KEY)).toBeNull();
	});

	it('stores a valid change, audited, and the next login carries the new wipe period', async () => {
		const bureau = await login(t, 'bureau1');
		const res = await call(bureau, 'PUT', { retentionYears: 5, localWipeDays: 14 });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			v: 1,
			settings: { retentionYears: 5, localWipeDays: 14 },
			changed: { at: '2026-11-23T02:00:00.000Z', by: 'bureau1' },
			invalid: false
		});
		expect((await loginAnswer('police1')).settings).toEqual({ localWipeDays: 14 });
		const audit = (await t.storage.listAudit({ userId: 'bureau1' })).filter(
			(a) => a.action === 'settings-change'
		);
		expect(audit).toHaveLength(1);
		// The retention run judges with the new number: +5 years keeps demo-14 to 2032-08-31.
		const run = await fetch(`${t.url}/api/retention/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${bureau}` },
			body: JSON.stringify({ dryRun: true })
		});
		expect(
			((await run.json()) as { report: { retentionYears: number } }).report.retentionYears
		).toBe(5);
	});

	it('shows the defaults and refuses a retention run while the stored value is broken', async () => {
		await t.storage.setSetting(DISTRICT_SETTINGS_KEY, '{"retentionYears":-4}');
		const bureau = await login(t, 'bureau1');
		const got = (await (await call(bureau, 'GET')).json()) as { invalid: boolean };
		expect(got).toMatchObject({
			settings: { retentionYears: 3, localWipeDays: 30 },
			invalid: true
		});
		const run = await fetch(`${t.url}/api/retention/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${bureau}` },
			body: JSON.stringify({})
		});
		expect(run.status).toBe(409);
	});
});
