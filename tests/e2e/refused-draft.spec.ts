import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken, entries, loggedIn, newCase, openCase, record } from './app-helpers';

test.describe.configure({ timeout: 150_000 });

/** The e2e day, Tuesday 2025-10-21: a school day (and a working day) of the autumn 2025 term. */
const DAY = '2025-10-21';

/** axe on the page as it stands (WCAG 2.1 AA), and nothing wider than a 360-px phone. */
async function fitsAndAccessible(page: Page, what: string): Promise<void> {
	const r = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.length}×`)).toEqual([]);
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${what} scroll width`).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
}

/**
 * DESIGN.md "When the relay refuses an update": a school records a home visit offline while the
 * street closes the case; back online the relay refuses the visit (the case is closed). The
 * school keeps what it typed: once the street has reopened the case (S-10 relapse),
 * 「修改后重新提交」 opens the home-visit form with the refused values, and saving records a new
 * event. The bureau sees the refusal on its quarantine screen, without the student's name.
 */
test('refused draft: 「修改后重新提交」 reopens the form prefilled; the bureau sees the refusal in quarantine', async ({
	browser,
	request
}) => {
	const name = '草稿退回学生';
	const id = await newCase(request, name);
	// The bureau confirms enrollment elsewhere and the registry transfer: closure is eligible (S-10).
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
	const school = await loggedIn(browser, 'school1');
	const street = await loggedIn(browser, 'street1');
	await openCase(school, id);
	await openCase(street, id);

	// Offline, the school records a home visit; meanwhile the street closes the case.
	await school.context().setOffline(true);
	await record(school, 'home_visit', async (d) => {
		await d.getByLabel('日期').fill(DAY);
		await d.getByLabel('方式').selectOption({ label: '家访' });
		await d.getByLabel('联系对象').fill('祖母');
		await d.getByLabel('核实情况').fill('家中无人，邻居说全家已外出');
	});
	await record(street, 'closed', async (d) => {
		await d.getByLabel('日期').fill(DAY);
		await d.getByLabel('销号路径').selectOption({ label: '异地就学' });
	});
	await school.context().setOffline(false);

	// The relay refuses the visit; the refusal offers to correct and submit it again.
	const refusal = school.locator('li[data-rule="closed"]');
	await expect(refusal).toBeVisible({ timeout: 20_000 });
	await expect(refusal).toContainText('家访/联系监护人');
	const retry = refusal.getByRole('button', { name: '修改后重新提交' });
	await expect(retry).toBeVisible();
	await expect(entries(school, 'home_visit')).toHaveCount(0);

	// The refusal and its draft survive a reload (kept in this device's Dexie, read back validated).
	await school.reload();
	await expect(school.locator('li[data-rule="closed"]')).toBeVisible({ timeout: 15_000 });
	await fitsAndAccessible(school, 'case page with a refusal, 360 px');

	// The street reopens the case (relapse); the school corrects the visit and sends it again.
	await record(street, 'reopened', async (d) => {
		await d.getByLabel('日期').fill(DAY);
		await d.getByLabel('重新开启的原因').fill('学生未到新学校报到');
	});
	await expect(entries(school, 'reopened')).toHaveCount(1, { timeout: 20_000 });
	await school
		.locator('li[data-rule="closed"]')
		.getByRole('button', { name: '修改后重新提交' })
		.click();
	const dialog = school.locator('dialog[open]');
	await expect(dialog.getByRole('heading')).toHaveText('修改后重新提交：家访/联系监护人');
	await expect(dialog.getByLabel('日期')).toHaveValue(DAY);
	await expect(dialog.getByLabel('方式')).toHaveValue('home_visit');
	await expect(dialog.getByLabel('联系对象')).toHaveValue('祖母');
	await expect(dialog.getByLabel('核实情况')).toHaveValue('家中无人，邻居说全家已外出');
	await dialog.getByLabel('核实情况').fill('已联系上祖母，学生随父母在外省');
	await dialog.getByRole('button', { name: '保存' }).click();
	await expect(dialog).toBeHidden();
	await expect(entries(school, 'home_visit')).toHaveCount(1);
	await expect(school.locator('li[data-rule="closed"]')).toHaveCount(0);
	await expect(school.getByText(/所有修改都已上传/).first()).toBeVisible({ timeout: 20_000 });

	// On the relay: one home visit, the corrected one, with a new id (not the refused event's).
	const token = await apiToken(request, 'bureau1');
	const auth = { authorization: `Bearer ${token}` };
	const q = (await (await request.get(`/api/quarantine?case=${id}`, { headers: auth })).json()) as {
		records: { rule: string; caseNo: string; events: { id: string; type: string }[] }[];
	};
	// Issue 12: the case's number, 示范区-2025-NNNN (NNNN depends on the cases other specs made).
	const caseNo = q.records[0]?.caseNo ?? '';
	expect(caseNo).toMatch(/^示范区-2025-\d{4}$/);
	expect(q.records.map((r) => [r.rule, r.events.map((e) => e.type)])).toEqual([
		['closed', ['home_visit']]
	]);
	const snap = (await (await request.get(`/api/cases/${id}`, { headers: auth })).json()) as {
		events: { id: string; type: string; findings?: string }[];
	};
	const visits = snap.events.filter((e) => e.type === 'home_visit');
	expect(visits.map((v) => v.findings)).toEqual(['已联系上祖母，学生随父母在外省']);
	expect(visits[0]?.id).not.toBe(q.records[0]?.events[0]?.id);

	// The bureau's quarantine screen (footer link) lists the refusal: who, rule, type — no name.
	await bureau.getByRole('link', { name: '被拒绝的修改' }).click();
	await expect(bureau.getByRole('heading', { level: 1 })).toHaveText('被拒绝的修改（隔离区）');
	const row = bureau.locator(`li[data-case="${id}"]`);
	await expect(row).toHaveCount(1, { timeout: 15_000 });
	await expect(row).toHaveAttribute('data-rule', 'closed');
	await expect(row).toContainText('家访/联系监护人');
	await expect(row).toContainText('案件已销号，请先重新开启');
	await expect(row).toContainText('示范区第一初级中学');
	await expect(row).toContainText('2025-10-21');
	await expect(bureau.locator('main')).not.toContainText(name);
	await expect(row.locator('[data-case-no]')).toHaveText(caseNo);
	// Narrowed to the case through the filter form (a shareable ?case= address), by its number.
	await bureau.getByLabel('按案件编号筛选').fill(caseNo);
	await bureau.getByRole('button', { name: '筛选' }).click();
	await expect(bureau).toHaveURL(new RegExp(`/quarantine\\?case=${encodeURIComponent(caseNo)}$`));
	await expect(
		bureau.getByRole('status').filter({ hasText: `案件 ${caseNo}：共 1 条` })
	).toBeVisible();
	await expect(bureau.locator('li[data-quarantine]')).toHaveCount(1);
	await bureau.setViewportSize({ width: 360, height: 800 });
	await fitsAndAccessible(bureau, 'quarantine screen, 360 px');

	// Other users are told the screen is the bureau's.
	await school.goto('/quarantine');
	await expect(school.getByText('只有区教体局可以查看被拒绝的修改。')).toBeVisible();
	for (const p of [bureau, school, street]) await p.context().close();
});
