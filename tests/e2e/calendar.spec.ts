import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { entries, logIn, openCase, record } from './app-helpers';
import { expect, test } from './fixtures';
import { startRelayProcess, type RelayProcess } from './relay-process';

/**
 * G-T3 in the browser, on a relay of its own whose clock starts on Friday 2026-12-25 09:00 China
 * time (the suite's relay runs on 2025-10-21): 2027 has no official schedule in the program, so
 * a persuasion deadline that runs into it is provisional until the bureau enters one.
 */
const CAL_NOW = '2026-12-25T09:00:00+08:00';
/** The last five school days up to Friday 2026-12-25: Monday 12-21 to Friday 12-25. */
const FIVE_SCHOOL_DAYS = ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24', '2026-12-25'];
const PROVISIONAL = '暂定：按法定节假日推算，国务院放假安排发布后自动更新';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let relay: RelayProcess | null = null;

test.beforeAll(async () => {
	const root = mkdtempSync(join(tmpdir(), 'ysya-cal-'));
	relay = await startRelayProcess({ DATA_DIR: root, NOW: CAL_NOW }, () =>
		rmSync(root, { recursive: true, force: true })
	);
});

test.afterAll(async () => {
	await relay?.stop();
});

/** A user's page on this relay, its clock on the relay's timeline (CAL_NOW + time since start). */
async function user(browser: Browser, username: string, width = 360): Promise<Page> {
	if (!relay) throw new Error('no relay');
	const context: BrowserContext = await browser.newContext({
		baseURL: relay.url,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		viewport: { width, height: 800 }
	});
	await context.clock.install({
		time: new Date(Date.parse(CAL_NOW) + (Date.now() - relay.startedAt))
	});
	return logIn(await context.newPage(), username);
}

async function createCase(page: Page, name: string): Promise<string> {
	const res = await page.request.post('/api/login', {
		data: { username: 'school1', password: 'demo-pass' }
	});
	const { token } = (await res.json()) as { token: string };
	const created = await page.request.post('/api/cases', {
		headers: { authorization: `Bearer ${token}` },
		data: {
			profile: 'shilong-2022',
			student: {
				name,
				gender: 'female',
				birthDate: '2012-03-01',
				registryNo: 'L2026122501',
				grade: 8
			},
			guardians: [{ name: `${name}家长`, relation: '母亲', phone: '13800000003' }]
		}
	});
	expect(created.status()).toBe(201);
	return ((await created.json()) as { id: string }).id;
}

/** The persuasion obligation (S-4b: ≥3 attempts within 10 working days) on the case page. */
const persuasion = (page: Page) =>
	page.locator('li.deadline[data-rule="S-4b"]', { hasText: '劝返' }).first();

test('[G-T3] a case opened on 2026-12-25 has a provisional deadline in January 2027; the official schedule moves it', async ({
	browser
}) => {
	const school = await user(browser, 'school1');
	const id = await createCase(school, '日历学生');
	await openCase(school, id);
	for (const day of FIVE_SCHOOL_DAYS) {
		await record(school, 'absence', async (d) => {
			await d.getByLabel('日期').fill(day);
		});
	}
	await record(school, 'suspected_case_opened', async (d) => {
		await d.getByLabel('责任人（专人）').fill('李老师');
	});
	await expect(entries(school, 'suspected_case_opened')).toHaveCount(1);

	// 10 working days from Friday 2026-12-25: 12-28, 12-29, 12-30, 12-31, (01-01 元旦, provisional),
	// 01-04, 01-05, 01-06, 01-07, 01-08, 01-11.
	await expect(persuasion(school)).toContainText('2027-01-11');
	await expect(persuasion(school).locator('[data-provisional]')).toHaveText(PROVISIONAL);

	// The bureau is warned: 2027 has no official schedule and the last term ends on 2027-01-22.
	const bureau = await user(browser, 'bureau1', 1280);
	await bureau.goto('/dashboard');
	await expect(bureau.locator('[data-warning="year:2027"]')).toBeVisible();
	await expect(bureau.locator('[data-warning="terms:2027-01-22"]')).toBeVisible();

	// It enters a schedule for 2027 on its screen. Test values only, not the real notice: 元旦 from
	// 01-01 to Monday 01-04.
	await bureau.goto('/calendar');
	await expect(bureau.locator('tr[data-year="2027"]')).toHaveAttribute(
		'data-status',
		'provisional'
	);
	const form = bureau.locator('form[data-form="year"]');
	await expect(form.getByLabel('年份')).toHaveValue('2027');
	await form.getByLabel('通知文号或标题').fill('测试用放假安排（非真实通知）');
	await form.getByLabel('节日').fill('元旦');
	await form.getByLabel('开始日期').fill('2027-01-01');
	await form.getByLabel('结束日期').fill('2027-01-04');
	// A make-up day on a weekday is refused before it is sent, naming the entry.
	await form.getByLabel('调休上班日（每行一个日期）').fill('2027-01-06');
	await form.getByRole('button', { name: '保存并重新计算所有案件' }).click();
	await expect(form.getByRole('alert')).toContainText('workdays[0]（2027-01-06） 不是周六或周日');
	await form.getByLabel('调休上班日（每行一个日期）').fill('');
	await form.getByRole('button', { name: '保存并重新计算所有案件' }).click();
	await expect(form.getByRole('status')).toContainText('已保存');
	await expect(bureau.locator('tr[data-year="2027"]')).toHaveAttribute('data-status', 'official');

	// The school's device learns the new version with its next case list and evaluates again:
	// 12-28 … 12-31, (01-01 … 01-04 off), 01-05 … 01-08, 01-11, 01-12 — no longer provisional.
	// A list answered just before the relay took the new version carries the old one: the next
	// list brings it, so the page is opened again until it does (bounded).
	await expect
		.poll(
			async () => {
				await school.goto('/');
				await expect(school.locator(`li[data-case="${id}"]`)).toBeVisible();
				await openCase(school, id);
				await expect(persuasion(school)).toBeVisible();
				return (await persuasion(school).textContent()) ?? '';
			},
			{ timeout: 45_000, intervals: [500, 1000, 2000, 4000] }
		)
		.toContain('2027-01-12');
	await expect(persuasion(school).locator('[data-provisional]')).toHaveCount(0);

	// The spring term of 2027 entered too: the bureau's dashboard no longer warns about terms.
	await bureau.goto('/calendar');
	const terms = bureau.locator('form[data-form="terms"]');
	await expect(terms.getByLabel('学年（如 2026-2027）')).toHaveValue('2026-2027');
	await terms.locator('#t-start-1').fill('2027-03-01');
	await terms.locator('#t-end-1').fill('2027-07-09');
	await terms.getByRole('button', { name: '保存并重新计算所有案件' }).click();
	await expect(terms.getByRole('status')).toContainText('已保存');
	await expect(bureau.locator('tr[data-school-year="2026-2027"]')).toContainText(
		'2027-03-01–2027-07-09'
	);
	await bureau.goto('/dashboard');
	await expect(bureau.locator('[data-warning="year:2027"]')).toHaveCount(0);
	await expect(bureau.locator('[data-warning^="terms:"]')).toHaveCount(0);
	await school.context().close();
	await bureau.context().close();
});
