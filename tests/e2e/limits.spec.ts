import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken, loggedIn, newCase, openCase } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

async function relayPlan(request: APIRequestContext, id: string): Promise<string> {
	const token = await apiToken(request, 'school1');
	const res = await request.get(`/api/cases/${id}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	return ((await res.json()) as { plan: string }).plan;
}

test('issue 10: the plan counts to 20,000 字; over the limit nothing is saved, and nothing typed meanwhile is lost', async ({
	browser,
	request
}) => {
	const id = await newCase(request, '长方案学生');
	const school = await loggedIn(browser, 'school1', { width: 1280, height: 800 });
	const street = await loggedIn(browser, 'street1', { width: 1280, height: 800 });
	await openCase(school, id);
	await openCase(street, id);
	const plan = school.locator('#plan-text');
	const counter = school.locator('#plan-count');
	await expect(counter).toHaveText('0 / 20,000 字');

	// Exactly the limit, rare characters included (each counts 1): saved and synced.
	const rare = '𠮷😀שלוםé.';
	const full = '劝'.repeat(20_000 - [...rare].length) + rare;
	await plan.fill(full);
	await expect(counter).toHaveText('20,000 / 20,000 字');
	await expect.poll(() => relayPlan(request, id)).toBe(full);
	const base = '劝'.repeat(19_995);
	await plan.fill(base);
	await expect.poll(() => relayPlan(request, id)).toBe(base);

	// Over by one: a clear message, the textarea keeps the text, the relay keeps the old one.
	await plan.fill(`${base}多多多多多多`);
	await expect(counter).toContainText('20,001 / 20,000 字');
	await expect(counter).toContainText('超出上限 1 字');
	await expect(plan).toHaveAttribute('aria-invalid', 'true');
	// Meanwhile the street office writes at the start: school1's textarea is not overwritten.
	const other = street.locator('#plan-text');
	await expect(other).toHaveValue(base);
	await other.press('Control+Home');
	await other.pressSequentially('街道：');
	await expect.poll(() => relayPlan(request, id)).toBe(`街道：${base}`);
	await expect(plan).toHaveValue(`${base}多多多多多多`);

	// Shortened below the limit: school1's edit and the street's are merged and saved.
	const short = `${'劝'.repeat(100)}多`;
	await plan.fill(short);
	await expect(counter).not.toContainText('超出');
	await expect.poll(() => relayPlan(request, id)).toBe(`街道：${short}`);
	await expect(other).toHaveValue(`街道：${short}`);
	await expect(plan).toHaveValue(`街道：${short}`);
	await school.context().close();
	await street.context().close();
});
