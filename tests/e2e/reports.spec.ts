import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { loggedIn } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

async function accessible(page: Page, what: string): Promise<void> {
	const r = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.length}× ${v.nodes[0]?.html}`)
	).toEqual([]);
}

for (const size of [
	{ width: 360, height: 800 },
	{ width: 1280, height: 800 }
]) {
	test(`S-5: bureau1 sees the quarterly report at ${size.width} px and downloads the xlsx files; offline says so`, async ({
		browser
	}) => {
		const page = await loggedIn(browser, 'bureau1', size);
		await page.goto('/reports');
		await expect(page.getByRole('heading', { level: 1, name: '报表' })).toBeVisible();
		// The statistics table (issue 12 adds the org-work table below it).
		const table = page.getByRole('table', { name: /季度控辍保学排查整改工作统计表/ });
		await expect(table).toBeVisible();
		await expect(table.locator('caption')).toContainText('示范区人民政府');
		await expect(table.getByRole('rowheader', { name: '合计' })).toBeVisible();
		// Issue 12 (S-5): the bureau's own round of the quarter is counted too.
		await expect(page.getByTestId('report-org-work')).toContainText('示范区教育体育局');
		await accessible(page, `reports ${size.width}`);
		await page.screenshot({
			path: `tests/artifacts/reports-${size.width}x800.png`,
			fullPage: true
		});
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - window.innerWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		const [dl] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: '下载季度统计表（Excel）' }).click()
		]);
		expect(dl.suggestedFilename()).toContain('季度');
		await dl.saveAs(`tests/artifacts/quarterly-report-${size.width}.xlsx`);
		const [dl2] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: '下载学期台账（Excel）' }).click()
		]);
		expect(dl2.suggestedFilename()).toContain('台账');
		await expect(page.getByText(/已下载/)).toBeVisible();
		// quarter change
		await page.getByLabel('季度', { exact: true }).selectOption('3');
		await expect(table.locator('caption')).toContainText('第3季度');
		await page.context().setOffline(true);
		await expect(page.getByText('当前离线：报表')).toBeVisible();
		await expect(page.getByRole('button', { name: '下载季度统计表（Excel）' })).toBeDisabled();
		await page.context().close();
	});
}

test('S-5: school1 is told it may not see reports; street1 sees only its own street', async ({
	browser
}) => {
	const page = await loggedIn(browser, 'school1');
	await page.goto('/reports');
	await expect(page.getByText('只有区教体局、区政府和街道办事处可以查看报表。')).toBeVisible();
	await expect(page.getByRole('table')).toHaveCount(0);
	await accessible(page, 'forbidden');
	await page.context().close();
	const p2 = await loggedIn(browser, 'street1');
	await p2.goto('/reports');
	await expect(p2.getByRole('rowheader', { name: '合计' })).toBeVisible();
	await expect(p2.getByRole('rowheader', { name: /光明中学/ })).toHaveCount(0);
	await expect(p2.getByRole('rowheader', { name: '示范区第一初级中学' })).toBeVisible();
	await p2.context().close();
});
