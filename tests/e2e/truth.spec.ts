import { expect, test } from './fixtures';
import { apiToken, loggedIn, newCase, newClockedContext, openCase, record } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

/** The e2e day, Tuesday 2025-10-21: a school day of the autumn 2025 term (tests/e2e/clock.ts). */
const DAY = '2025-10-21';

test('issue 12: the login page makes no sync claim before anyone logs in', async ({ browser }) => {
	const context = await newClockedContext(browser);
	const page = await context.newPage();
	await page.goto('/login');
	const badge = page.locator('header.top [data-sync]');
	await expect(badge).toHaveAttribute('data-sync', 'signed-out');
	await expect(badge).toHaveText('网络：在线');
	await expect(page.getByText(/已同步/)).toHaveCount(0);
	await context.close();
});

test('issue 12: offline with 1 change waiting, the case says offline, never 已与服务器同步', async ({
	browser,
	request
}) => {
	const id = await newCase(request, '离线一条学生');
	const page = await loggedIn(browser, 'school1');
	await openCase(page, id);
	await page.context().setOffline(true);
	await record(page, 'absence', async (d) => {
		await d.getByLabel('日期').fill(DAY);
	});
	const line = page.locator('.case-sync [data-sync]');
	await expect(line).toHaveAttribute('data-sync', 'offline');
	await expect(line).toContainText('离线：修改保存在本机，联网后上传');
	await expect(line.locator('strong')).toHaveText('1 条修改尚未上传');
	await expect(page.getByText('已与服务器同步')).toHaveCount(0);
	await expect(page.locator('header.top [data-sync]')).toHaveAttribute('data-sync', 'offline');

	await page.context().setOffline(false);
	await expect(line).toHaveAttribute('data-sync', 'synced', { timeout: 20_000 });
	await expect(line).toHaveText('✓ 已与服务器同步，所有修改都已上传');
	await page.context().close();
});

test('issue 12 (S-10): a closed case offers only reopening, no pending work, no 可以销号', async ({
	browser,
	request
}) => {
	const token = await apiToken(request, 'bureau1');
	const res = await request.get('/api/cases', { headers: { authorization: `Bearer ${token}` } });
	const body = (await res.json()) as { cases: { id: string; stage: string; next: unknown }[] };
	const closed = body.cases.filter((c) => c.stage === 'closed');
	expect(closed.length).toBeGreaterThan(0);
	// The relay's list: no closed case has a next obligation (out of 只看待本单位办理).
	for (const c of closed) expect(c.next).toBeNull();
	const page = await loggedIn(browser, 'bureau1', { width: 360, height: 800 });
	await openCase(page, closed[0]?.id ?? '');
	await expect(page.locator('[data-closed]')).toContainText('已销号');
	await expect(page.getByText('可以销号')).toHaveCount(0);
	await expect(page.locator('button[data-action]')).toHaveCount(1);
	await expect(page.locator('button[data-action="reopened"]')).toBeVisible();
	await expect(page.locator('li.deadline[data-state="pending"]')).toHaveCount(0);
	await expect(page.locator('li.deadline[data-state="overdue"]')).toHaveCount(0);
	await page.context().close();
});
