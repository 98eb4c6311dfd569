import { expect, test } from './fixtures';
import { loggedIn } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

/**
 * Issue 12: early warning (B-6, S-3) on the e2e day, Tuesday 2025-10-21 (tests/e2e/clock.ts).
 * The autumn term began 2025-09-01; its 4 focus weeks ended 2025-09-28, so no 「开学重点核查时段」
 * chip today. Demo case demo-01 王梓涵 (grade 7, 农村留守儿童; server/seed-cases.ts) shows the
 * group and the focus stage; the seeded roster marks filler students i ≡ 4 (mod 40) of
 * 第一初级中学 (grades 7–9) 留守, who have no case: the school's watch list.
 */
test('[B-6] the case list and the case show flag chips; the watch list shows a student with 立案', async ({
	browser
}) => {
	const page = await loggedIn(browser, 'school1');
	const row = page.locator('li[data-case]', { hasText: '王梓涵' });
	await expect(row).toBeVisible({ timeout: 15_000 });
	const chips = row.locator('[data-risk-flags]');
	await expect(chips.locator('[data-flag="group:left_behind"]')).toHaveText('农村留守儿童');
	await expect(chips.locator('[data-flag="stage"]')).toHaveText('初中重点学段');
	await expect(chips.locator('[data-flag="period"]')).toHaveCount(0);

	await row.getByRole('link', { name: '王梓涵' }).click();
	const risk = page.locator('[data-case-risk]');
	await expect(risk).toBeVisible({ timeout: 15_000 });
	await expect(risk).toContainText('农村留守儿童');
	await expect(risk).toContainText('B-6');

	await page.getByRole('link', { name: '学籍名册', exact: true }).click();
	const watch = page.locator('[data-watch-list]');
	await expect(watch.getByRole('heading', { name: '预警关注名单（B-6）' })).toBeVisible({
		timeout: 15_000
	});
	const first = watch.locator('[data-watch-row]').first();
	await expect(first).toBeVisible();
	await expect(first.locator('[data-flag="group:left_behind"]')).toHaveText('农村留守儿童');
	await expect(first.locator('[data-registry-no]')).toHaveText(/^G\d{6}\*{12}$/);
	await expect(first.getByRole('button', { name: /^为.+立案$/ })).toHaveText('立案');
	// 360 px wide: nothing sticks out sideways.
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
});
