import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken, controlled, entries, loggedIn, newCase, openCase, record } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

/** The e2e day, Tuesday 2025-10-21: a school day (and a working day) of the autumn 2025 term. */
const DAY = '2025-10-21';

async function relayEvents(request: Parameters<typeof apiToken>[0], id: string) {
	const token = await apiToken(request, 'bureau1');
	const res = await request.get(`/api/cases/${id}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	return (await res.json()) as { events: { id: string; type: string }[]; plan: string };
}

test('2. offline: record an event and edit the plan, reload offline, come back online, converge', async ({
	browser,
	request
}) => {
	const id = await newCase(request, '离线学生');
	const a = await loggedIn(browser, 'school1');
	const b = await loggedIn(browser, 'school1', { width: 1280, height: 800 });
	await openCase(a, id);
	await controlled(a);
	await openCase(a, id);
	await openCase(b, id);

	await a.context().setOffline(true);
	await record(a, 'absence', async (d) => {
		await d.getByLabel('日期').fill(DAY);
	});
	await a.locator('#plan-text').fill('离线时写的劝返方案：每周家访两次');
	await expect(a.locator('strong', { hasText: '2 条修改尚未上传' })).toBeVisible();

	// The app and the case are still there after a reload without network.
	await a.reload();
	await expect(entries(a, 'absence')).toHaveCount(1);
	await expect(a.locator('#plan-text')).toHaveValue('离线时写的劝返方案：每周家访两次');
	await expect(entries(b, 'absence')).toHaveCount(0);

	await a.context().setOffline(false);
	await expect(entries(b, 'absence')).toHaveCount(1, { timeout: 20_000 });
	await expect(b.locator('#plan-text')).toHaveValue('离线时写的劝返方案：每周家访两次');
	await expect(a.getByText(/所有修改都已上传/).first()).toBeVisible({ timeout: 20_000 });
	const relay = await relayEvents(request, id);
	expect(relay.events.map((e) => e.type)).toEqual(['absence']);
	expect(relay.plan).toBe('离线时写的劝返方案：每周家访两次');
	await a.context().close();
	await b.context().close();
});

test('refusal: two offline users close the same case; the second sees why, and its other work survives', async ({
	browser,
	request
}) => {
	const id = await newCase(request, '转学学生');
	// The bureau confirms enrollment elsewhere and the registry transfer: closure becomes eligible (S-10).
	const bureau = await loggedIn(browser, 'bureau1', { width: 1280, height: 800 });
	await openCase(bureau, id);
	await record(bureau, 'enrollment_elsewhere_confirmed', async (d) => {
		await d.getByLabel('日期').fill(DAY);
		await d.getByLabel('就读学校').fill('外省某中学');
		await d.getByLabel('确认单位').fill('外省某区教育局');
	});
	await record(bureau, 'registry_mark', async (d) => {
		await d.getByLabel('日期').fill(DAY);
		await d.getByLabel('标注').selectOption({ label: '转出' });
	});
	const street = await loggedIn(browser, 'street1');
	await openCase(street, id);
	await expect(street.locator('button[data-action="closed"]')).toBeVisible();

	await bureau.context().setOffline(true);
	await street.context().setOffline(true);
	const close = async (p: Page) =>
		record(p, 'closed', async (d) => {
			await d.getByLabel('日期').fill(DAY);
			await d.getByLabel('销号路径').selectOption({ label: '异地就学' });
		});
	await close(street);
	await close(bureau);
	await bureau.locator('#plan-text').fill('区教体局：继续跟踪学籍转接');

	await street.context().setOffline(false);
	await expect(street.getByText(/所有修改都已上传/).first()).toBeVisible({ timeout: 20_000 });
	await bureau.context().setOffline(false);

	// The bureau's closure is refused with the relay's reason and shown on the case…
	await expect(bureau.getByText('服务器拒绝了以下修改')).toBeVisible({ timeout: 20_000 });
	// Issue 12: the kind of problem as a sentence, never the internal key 「规则 closed」.
	const refusal = bureau.locator('li[data-rule="closed"]');
	await expect(refusal.getByText('案件已销号，只能重新开启。')).toBeVisible();
	await expect(refusal).not.toContainText('closed');
	// …while its plan edit is replayed on the relay's state and reaches everyone.
	await expect(street.locator('#plan-text')).toHaveValue('区教体局：继续跟踪学籍转接', {
		timeout: 20_000
	});
	const relay = await relayEvents(request, id);
	expect(relay.events.filter((e) => e.type === 'closed')).toHaveLength(1);
	expect(relay.plan).toBe('区教体局：继续跟踪学籍转接');
	await expect(entries(bureau, 'closed')).toHaveCount(1);
	await bureau.context().close();
	await street.context().close();
});
