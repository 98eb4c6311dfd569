import type { Page } from '@playwright/test';
import { logIn } from './app-helpers';
import { expect, test } from './fixtures';

const ARTIFACTS = 'tests/artifacts';

/** Chooses the last sample case (the first is loaded already, so this exercises the switch). */
async function pickLastSample(page: Page): Promise<void> {
	const select = page.getByLabel('示例案件');
	const values = await select
		.locator('option')
		.evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
	expect(values.length).toBeGreaterThan(0);
	await select.selectOption(values[values.length - 1] ?? '');
}

test('evaluator: sample case, stage, obligations, English, path-level errors', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 800 });
	// Issue 12: developer material, for the bureau's system administrator only.
	await logIn(page, 'admin1');
	await page.getByRole('contentinfo').getByRole('link', { name: '规则演示' }).click();
	await page.waitForURL((u) => u.pathname === '/rules');

	await expect(page).toHaveTitle(/一生一案/);
	await expect(page.getByRole('banner')).toContainText('一生一案');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('案件评估');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

	await pickLastSample(page);

	const result = page.getByRole('region', { name: '评估结果' });
	await expect(result.locator('[data-stage]')).toBeVisible();
	await expect(result.getByText('当前阶段')).toBeVisible();
	const firstRule = result.locator('table.obligations tbody tr').first().locator('code.rule');
	await expect(firstRule).toHaveText(/^[SBG]-[A-Z]?\d+[a-z]?$/);

	await page.screenshot({ path: `${ARTIFACTS}/evaluator-1280x800.png`, fullPage: true });
	await page.setViewportSize({ width: 360, height: 800 });
	await expect(firstRule).toBeVisible();
	await page.screenshot({ path: `${ARTIFACTS}/evaluator-360x800.png`, fullPage: true });

	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case evaluator');
	await expect(page.getByRole('button', { name: '中文' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(
		page.getByRole('region', { name: 'Evaluation' }).getByText('Current stage')
	).toBeVisible();
	await page.screenshot({ path: `${ARTIFACTS}/evaluator-360x800-en.png`, fullPage: true });

	// The choice of language survives a reload (localStorage).
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case evaluator');

	const snapshot = page.getByLabel('Case snapshot (JSON)');
	await snapshot.fill('{"format": 1, "id": "not a valid id!"}');
	const alert = page.getByRole('alert');
	await expect(alert).toBeVisible();
	await expect(alert.locator('code.path', { hasText: /^id$/ })).toBeVisible();
	await expect(alert.locator('code.path', { hasText: /^profile$/ })).toBeVisible();

	await snapshot.fill('{ "format": 1,');
	await expect(alert.locator('code.path')).toHaveText(['(root)']);
	await expect(alert).toContainText('JSON syntax error');
});
