import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { loggedIn, newClockedContext, openCase } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

const SIZES = [
	{ width: 360, height: 800 },
	{ width: 1280, height: 800 }
];

/** axe on the page as it stands: no serious or critical violation. */
async function accessible(page: Page, what: string): Promise<void> {
	const r = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.length}×`)).toEqual([]);
}

test('5. screenshots of the case list and a case page at 360×800 and 1280×800; axe finds no serious or critical violation', async ({
	browser
}) => {
	const ctx = await newClockedContext(browser, { viewport: { width: 360, height: 800 } });
	const login = await ctx.newPage();
	await login.goto('/login');
	await expect(login.getByRole('button', { name: '登录', exact: true })).toBeVisible();
	await accessible(login, 'login');
	await login.screenshot({ path: 'tests/artifacts/login-360x800.png', fullPage: true });
	await ctx.close();

	for (const size of SIZES) {
		const page = await loggedIn(browser, 'street1', size);
		await expect(page.getByRole('heading', { level: 1, name: '案件列表' })).toBeVisible();
		await expect(page.locator('a[href^="/cases/"]').first()).toBeVisible();
		await accessible(page, `list ${size.width}`);
		await page.screenshot({
			path: `tests/artifacts/list-${size.width}x${size.height}.png`,
			fullPage: true
		});
		const href = await page.locator('a[href^="/cases/"]').first().getAttribute('href');
		await openCase(page, (href ?? '').replace('/cases/', ''));
		await accessible(page, `case ${size.width}`);
		await page.screenshot({
			path: `tests/artifacts/case-${size.width}x${size.height}.png`,
			fullPage: true
		});
		// Phones first: nothing wider than the screen.
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - window.innerWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.context().close();
	}
});
