import { expect, test } from './fixtures';
import { loggedIn } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

/**
 * Issue 12 (S-2): a school's own term-start work on the dashboard. The relay runs at Tuesday
 * 2025-10-21 (tests/e2e/clock.ts) with the Shilong profile; the 2025 autumn term started Monday
 * 2025-09-01, so the registry review (开学后两周内) was due 09-01 + 14 days = Monday 2025-09-15,
 * counted by hand: overdue until recorded, then done late when recorded as of 2025-10-20.
 */
test('[S-2] a school sees its overdue registry review, records it, and it becomes done late; 360 px', async ({
	browser
}) => {
	const page = await loggedIn(browser, 'school2');
	await page.goto('/dashboard');
	const section = page.getByTestId('org-work');
	await expect(section.getByRole('heading', { name: /本单位待办/ })).toBeVisible();
	const item = section.locator('li[data-key="registry-review:org-school2:2025-09-01"]');
	await expect(item).toHaveAttribute('data-state', 'overdue', { timeout: 20_000 });
	await expect(item).toContainText('全面梳理学籍异动情况');
	await expect(item).toContainText('期限 2025-09-15');
	await expect(item).toContainText('已逾期');
	// Nothing sticks out of a 360 px phone screen.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	await item.getByRole('button', { name: '记录完成' }).click();
	const form = item.getByRole('form');
	// A future date is refused, with the reason in Chinese.
	await form.getByLabel('完成日期').fill('2025-10-22');
	await form.evaluate((f) => f.querySelector('input[type=date]')?.removeAttribute('max'));
	await form.getByRole('button', { name: '保存' }).click();
	await expect(form.getByRole('alert')).toContainText('晚于今天（2025-10-21）');
	await form.getByLabel('完成日期').fill('2025-10-20');
	await form.getByLabel(/发现或报告的人数/).fill('1');
	await form.getByRole('button', { name: '保存' }).click();
	await expect(item).toHaveAttribute('data-state', 'late');
	await expect(item).toContainText('逾期完成');
	await expect(item).toContainText('完成于 2025-10-20');
	await expect(item.getByRole('button', { name: '记录完成' })).toHaveCount(0);
	await page.context().close();
});
