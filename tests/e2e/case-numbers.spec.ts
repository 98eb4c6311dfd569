/**
 * Issue 12: cases carry a human number (示范区-2025-0001), shown on the list, the case page and
 * the printed notice instead of the internal id; the rules demo is for administrators only; a
 * refusal is a sentence, never an internal key.
 *
 * Expected numbers, by hand: the relay seeds the demo district at E2E_NOW (2025-10-21) with 20
 * cases, all created in 2025 (2025-03-26 … 2025-10-17, see tests/fixtures/v10-district.sqlite,
 * seeded at the same instant), numbered in the order they were created. demo-01 (2025-10-17,
 * one school day before the anchor Mon 2025-10-20) is the latest: 0020. demo-07 is one of four
 * created on 2025-09-02 after seven earlier cases (demo-15, -11, -14, -18, -10, -12, -17) and
 * the first of the four by id: 0008.
 */
import { expect, test } from './fixtures';
import { loggedIn, openCase, pdfText } from './app-helpers';

test('[issue 12] the case list and the case page show 示范区-2025-0020, not the id', async ({
	browser
}) => {
	const page = await loggedIn(browser, 'school1');
	const row = page.locator('li[data-case="demo-01"]');
	await expect(row.locator('[data-case-no]')).toHaveText('示范区-2025-0020', { timeout: 15_000 });
	await openCase(page, 'demo-01');
	await expect(page.locator('header.case-head [data-case-no]')).toHaveText('示范区-2025-0020');
	await expect(page.locator('header.case-head')).not.toContainText('demo-01');
	await page.getByRole('link', { name: '编辑历史' }).click();
	await expect(page.locator('[data-case-no]')).toHaveText('示范区-2025-0020');
});

test('[issue 12][S-8] the printed notice carries 案件编号 示范区-2025-0008', async ({
	browser
}) => {
	const page = await loggedIn(browser, 'street1', { width: 1280, height: 800 });
	await openCase(page, 'demo-07');
	await page.getByRole('link', { name: '打印限期返校通知书' }).click();
	await page.waitForURL('**/cases/demo-07/print/notice');
	await expect(page.locator('[data-field="case-no"]')).toHaveText('案件编号：示范区-2025-0008');
	const text = await pdfText(page, 'deadline-notice-case-no.pdf');
	expect(text).toContain('案件编号：示范区-2025-0008');
	expect(text).not.toContain('demo-07');
});

test('[issue 12] the rules demo is linked for the administrator only', async ({ browser }) => {
	const school = await loggedIn(browser, 'school1');
	const footer = school.getByRole('contentinfo');
	await expect(footer.getByRole('link', { name: '案件' })).toBeVisible();
	await expect(footer.getByRole('link', { name: '规则演示' })).toHaveCount(0);
	// Opened by its address, it says whom it is for and shows none of the material.
	await school.goto('/rules');
	await expect(school.locator('[data-admin-only]')).toContainText('仅供区教体局系统管理员使用');
	await expect(school.locator('textarea')).toHaveCount(0);

	const bureau = await loggedIn(browser, 'bureau1');
	await expect(bureau.getByRole('contentinfo').getByRole('link', { name: '规则演示' })).toHaveCount(
		0
	);
	const admin = await loggedIn(browser, 'admin1');
	await expect(
		admin.getByRole('contentinfo').getByRole('link', { name: '规则演示' })
	).toBeVisible();
});

test('[issue 12] a refusal reads as a sentence, without the key future-date', async ({
	browser
}) => {
	const page = await loggedIn(browser, 'school1', { width: 360, height: 800 });
	await openCase(page, 'demo-01');
	await page.locator('button[data-action="home_visit"]').click();
	const dialog = page.locator('dialog[open]');
	await expect(dialog).toBeVisible();
	// Today is Tue 2025-10-21 (E2E_NOW): the next day is after today.
	await dialog.getByLabel('日期').fill('2025-10-22');
	await dialog.getByLabel('方式').selectOption({ label: '家访' });
	await dialog.getByLabel('联系对象').fill('祖母');
	await dialog.getByRole('button', { name: '保存' }).click();
	const alert = dialog.getByRole('alert');
	await expect(alert).toContainText('未能记录：日期 2025-10-22 晚于今天（2025-10-21）');
	await expect(alert).toContainText('日期不能晚于今天。');
	await expect(alert).not.toContainText('future-date');
	await expect(alert).not.toContainText('规则');
});
