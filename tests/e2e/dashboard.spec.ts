import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { userDbName } from '../../src/lib/sync/db';
import { controlled, loggedIn } from './app-helpers';

test.describe.configure({ timeout: 180_000 });

/** The rows of bureau1's local case index (Dexie's `cases` table), read straight from IndexedDB. */
async function localIndex(page: Page): Promise<{ stage: string; local: boolean }[]> {
	return page.evaluate(async (name) => {
		const db = await new Promise<IDBDatabase>((ok, ko) => {
			const r = indexedDB.open(name);
			r.onsuccess = () => ok(r.result);
			r.onerror = () => ko(r.error ?? new Error('indexedDB.open failed'));
		});
		try {
			return await new Promise<{ stage: string; local: boolean }[]>((ok, ko) => {
				const q = db.transaction('cases').objectStore('cases').getAll();
				q.onsuccess = () => ok(q.result as { stage: string; local: boolean }[]);
				q.onerror = () => ko(q.error ?? new Error('getAll failed'));
			});
		} finally {
			db.close();
		}
	}, userDbName('bureau1'));
}

/** The counts-by-stage table as shown: one number per stage row, and the total row. */
async function stageTable(page: Page): Promise<{ counts: number[]; total: number }> {
	const table = page.getByTestId('dashboard-stages').locator('table');
	const counts = (await table.locator('tbody td').allTextContents()).map(Number);
	const total = Number(await table.locator('tfoot td').textContent());
	return { counts, total };
}

/** axe on the page as it stands: no serious or critical violation (WCAG 2.1 AA tags). */
async function accessible(page: Page, what: string): Promise<void> {
	const r = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.length}×`)).toEqual([]);
}

test('[S-5][B-7] dashboard: counts by stage match the local case list, online and offline after a reload; accessible at 360 and 1280 px', async ({
	browser
}) => {
	const page = await loggedIn(browser, 'bureau1', { width: 1280, height: 800 });
	await expect(page.locator('a[href^="/cases/"]').first()).toBeVisible({ timeout: 20_000 });
	await controlled(page);
	// The case list downloads every case for offline use: wait until each row is on the device.
	await expect
		.poll(
			async () => {
				const rows = await localIndex(page);
				return rows.length > 0 && rows.every((r) => r.local);
			},
			{ timeout: 90_000 }
		)
		.toBe(true);

	await page.getByRole('link', { name: '总览', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: '总览' })).toBeVisible();
	// Every case on the device, summed over the stages (other tests add cases meanwhile: poll).
	await expect
		.poll(async () => {
			const { counts, total } = await stageTable(page);
			const local = (await localIndex(page)).length;
			return counts.reduce((a, b) => a + b, 0) === total && total === local && total > 0;
		})
		.toBe(true);
	await expect(page.getByTestId('dashboard-basis')).toContainText(/基于本机已下载的 \d+ 个案件/);
	// Every row carries its summary (from the relay's list or the downloaded case).
	await expect(page.getByText(/尚未汇总/)).toHaveCount(0);
	await expect(page.getByTestId('dashboard-schools').locator('tbody tr').first()).toBeVisible();
	await expect(page.getByTestId('dashboard-trend').locator('tbody tr')).toHaveCount(12);
	await expect(page.locator('svg[role="img"]').first()).toBeVisible();

	// Offline: the numbers come from this device and stay the same after a reload.
	await page.context().setOffline(true);
	const before = await stageTable(page);
	expect(before.total).toBe((await localIndex(page)).length);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: '总览' })).toBeVisible();
	await expect(page.getByText('当前离线：以下数字来自本机数据，联网后自动更新。')).toBeVisible();
	await expect(page.getByTestId('dashboard-basis')).toContainText(
		`基于本机已下载的 ${before.total} 个案件，最后同步于`
	);
	await expect.poll(() => stageTable(page)).toEqual(before);
	// The roster comes from the relay or this device's copy; without either the page says why.
	await expect(page.getByTestId('dashboard-schools')).toContainText(/名册人数/);

	// Filters are in the URL and survive the reload offline. On the e2e day, Tuesday 2025-10-21,
	// the current term is 2025-09-01: pick the one before it, spring 2025.
	await page.getByLabel('学期', { exact: true }).selectOption('2025-02-17');
	await expect(page).toHaveURL(/[?&]term=2025-02-17/);
	await page.reload();
	await expect(page.getByLabel('学期', { exact: true })).toHaveValue('2025-02-17');
	await page.getByRole('button', { name: '清除筛选' }).click();
	await expect(page).not.toHaveURL(/term=/);
	await expect.poll(() => stageTable(page)).toEqual(before);

	await accessible(page, 'dashboard 1280');
	await page.screenshot({ path: 'tests/artifacts/dashboard-1280x800.png', fullPage: true });

	await page.setViewportSize({ width: 360, height: 800 });
	await expect(page.getByTestId('dashboard-stages')).toBeVisible();
	await accessible(page, 'dashboard 360');
	// Phones first: nothing wider than the screen (charts scale with their viewBox).
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - window.innerWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'tests/artifacts/dashboard-360x800.png', fullPage: true });
	await page.context().close();
});
