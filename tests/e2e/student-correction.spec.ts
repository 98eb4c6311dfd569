import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken, entries, loggedIn, newCase, openCase } from './app-helpers';

test.describe.configure({ timeout: 90_000 });

/** Nothing wider than the phone's screen. */
async function fits(page: Page, what: string): Promise<void> {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${what} scroll width`).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
}

/**
 * Issue 11 (G-M3, G-M4): the school corrects the student's 出生日期 and 性别 on the case page of a
 * 360-px phone. A birth date after today shows the Chinese reason next to the field and records
 * nothing; the corrected values show in the student panel, and the timeline shows the
 * correction with who made it and old → new. The dates are the e2e day's (2025-10-21).
 */
test('[G-M4] a school user corrects 出生日期 and 性别; an invalid date shows the reason and records nothing', async ({
	browser,
	request
}) => {
	const name = '更正资料学生';
	// Created male, born 2012-06-01, grade 8 (app-helpers.ts newCase).
	const id = await newCase(request, name);
	const page = await loggedIn(browser, 'school1');
	await openCase(page, id);
	const panel = page.locator('#student');
	await expect(panel).toContainText('2012-06-01');

	await panel.getByRole('button', { name: '更正学生资料' }).click();
	const dialog = page.locator('dialog[open]');
	await expect(dialog.getByRole('heading', { name: '更正学生资料' })).toBeVisible();
	await expect(dialog).toContainText('原资料不会被覆盖而不留痕迹');
	await fits(page, 'correction form, 360 px');

	// A birth date after today: the reason sits on the field; nothing is recorded.
	await dialog.getByLabel('出生日期').fill('2030-01-01');
	await dialog.getByRole('button', { name: '保存' }).click();
	await expect(dialog.locator('#ef-birthDate-error')).toHaveText(
		'!出生日期 2030-01-01 晚于今天（2025-10-21）'
	);
	await expect(dialog.getByLabel('出生日期')).toHaveAttribute('aria-invalid', 'true');
	await expect(dialog).toBeVisible();
	await expect(entries(page, 'profile_updated')).toHaveCount(0);

	// A plausible birth date and the other gender are recorded.
	await dialog.getByLabel('出生日期').fill('2012-07-15');
	await dialog.getByLabel('性别').selectOption({ label: '女' });
	await dialog.getByRole('button', { name: '保存' }).click();
	await expect(dialog).toBeHidden();

	await expect(panel).toContainText('2012-07-15');
	await expect(panel.locator('dd').nth(1)).toHaveText('女');
	const fix = entries(page, 'profile_updated');
	await expect(fix).toHaveCount(1);
	const line = (label: string) =>
		fix.locator('.fields > div').filter({ has: page.getByText(label, { exact: true }) });
	await expect(line('出生日期').locator('dd')).toHaveText('2012-06-01 → 2012-07-15');
	await expect(line('性别').locator('dd')).toHaveText('男 → 女');
	await expect(fix).toContainText('王老师（学校）');
	await expect(fix).toContainText('记录于');
	await fits(page, 'case page after the correction, 360 px');

	// The relay stored it as a profile update by school1: the record as created stays.
	const token = await apiToken(request, 'school1');
	await expect
		.poll(
			async () => {
				const res = await request.get(`/api/cases/${id}`, {
					headers: { authorization: `Bearer ${token}` }
				});
				const c = (await res.json()) as {
					student: { birthDate: string };
					events: { type: string; author: { userId: string } }[];
				};
				return [c.student.birthDate, c.events.map((e) => `${e.type}:${e.author.userId}`).join(',')];
			},
			{ timeout: 15_000 }
		)
		.toEqual(['2012-06-01', 'profile_updated:school1']);
});
