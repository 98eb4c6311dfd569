import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiToken, loggedIn, newCase, openCase, pdfText } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

/** A seeded case of street 1 whose street office has served the notice (read only here). */
const NOTICE_CASE = 'demo-07';

/**
 * S-8: demo-07's notice is served 19 school days before the seed's anchor (server/seed-cases.ts,
 * `.team(19)`), the school day before the e2e day: Monday 2025-10-20. Back from it: 10-17, 10-16,
 * 10-15, 10-14, 10-13, Saturday 10-11 (make-up day), 10-10, 10-09 (10-01..08 holidays), 09-30,
 * 09-29, Sunday 09-28 (make-up day), 09-26, 09-25, 09-24, 09-23, 09-22, 09-19, 09-18, 09-17:
 * served on Wednesday 2025-09-17.
 */
const NOTICE_SERVED = '2025-09-17';
/**
 * G-T1: return within 5 working days, the day of service not counted: from Wednesday 2025-09-17,
 * 09-18, 09-19, 09-22, 09-23, 09-24 (the weekend 09-20/21 is off): Wednesday 2025-09-24.
 */
const NOTICE_DUE = '2025-09-24';
/**
 * G-T1: a draft counts from today, the e2e day Tuesday 2025-10-21: 10-22, 10-23, 10-24, 10-27,
 * 10-28 (the weekend 10-25/26 is off): Tuesday 2025-10-28.
 */
const DRAFT_DUE = '2025-10-28';

interface Snapshot {
	student: { name: string; idMasked?: string };
	events: { id: string; type: string; date: string; recordedAt: string; [k: string]: unknown }[];
}

async function snapshotOf(request: APIRequestContext, id: string): Promise<Snapshot> {
	const token = await apiToken(request, 'street1');
	const res = await request.get(`/api/cases/${id}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(res.status()).toBe(200);
	return (await res.json()) as Snapshot;
}

/** A date as the documents write it: 2025年10月14日. */
const zhDate = (iso: string) => {
	const [y, m, d] = iso.split('-');
	return `${y}年${Number(m)}月${Number(d)}日`;
};

async function accessible(page: Page, what: string): Promise<void> {
	const r = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.html).join(' | ')}`)
	).toEqual([]);
}

test('[S-8][G-T1] street1 prints the 《限期返校通知书》 of a case with a served notice: A4 PDF with the computed return-by date and a masked ID number', async ({
	browser,
	request
}) => {
	const snap = await snapshotOf(request, NOTICE_CASE);
	const notices = snap.events
		.filter((e) => e.type === 'deadline_notice_issued')
		.sort(
			(a, b) =>
				a.date.localeCompare(b.date) ||
				a.recordedAt.localeCompare(b.recordedAt) ||
				a.id.localeCompare(b.id)
		);
	const notice = notices.at(-1);
	expect(notice).toBeDefined();
	expect(notice?.['servedOn']).toBe(NOTICE_SERVED);
	expect(notice?.['returnBy']).toBe(NOTICE_DUE); // the relay checked G-T1 when it was served
	// Issue 11: the document holds the ID number masked to its region; so does the print.
	const idMasked = snap.student.idMasked ?? '';
	expect(idMasked).toMatch(/^\d{6}\*{12}$/);

	const page = await loggedIn(browser, 'street1', { width: 1280, height: 800 });
	await openCase(page, NOTICE_CASE);
	await page.getByRole('link', { name: '打印限期返校通知书' }).click();
	await page.waitForURL(`**/cases/${NOTICE_CASE}/print/notice`);
	await expect(page.getByRole('heading', { level: 1, name: '限期返校通知书' })).toBeVisible();
	await expect(page.getByRole('button', { name: '打印' })).toBeVisible();
	await expect(page.getByRole('link', { name: '← 返回案件' })).toBeVisible();
	await expect(page.locator('[data-draft]').first()).toHaveAttribute('data-draft', 'false');
	await expect(page.getByText('示范区新华街道办事处').first()).toBeVisible();
	await expect(page.getByText('示范区第一初级中学').first()).toBeVisible();
	await accessible(page, 'notice');

	const text = await pdfText(page, 'deadline-notice.pdf');
	expect(text).toContain('限期返校通知书');
	expect(text).toContain(snap.student.name);
	expect(text).toContain(zhDate(NOTICE_DUE));
	expect(text).toContain(`${zhDate(NOTICE_DUE)}前`);
	expect(text).toContain(String(notice?.['number']).replace(/\s+/g, ''));
	expect(text).toContain('送达回证');
	expect(text).toContain('第五十八条');
	expect(text).toContain(idMasked);
	expect(text).not.toMatch(/\d{17}[\dX]/);
	expect(text).not.toContain('草稿');
	// The app's header and footer are not printed.
	expect(text).not.toContain('规则演示');
	expect(text).not.toContain('学籍名册');
	expect(text).not.toContain('跳到主要内容');
	await page.context().close();
});

test('[S-4c] the 一生一表 dropout file prints every persuasion attempt, the notice and a masked ID number', async ({
	browser,
	request
}) => {
	const snap = await snapshotOf(request, NOTICE_CASE);
	const attempts = snap.events.filter(
		(e) => e.type === 'persuasion_attempt' || e.type === 'joint_persuasion_attempt'
	);
	expect(attempts.length).toBeGreaterThanOrEqual(3);
	const notice = snap.events.find((e) => e.type === 'deadline_notice_issued');
	expect(notice?.['returnBy']).toBe(NOTICE_DUE);
	const idMasked = snap.student.idMasked ?? '';
	expect(idMasked).toMatch(/^\d{6}\*{12}$/);

	const page = await loggedIn(browser, 'street1', { width: 360, height: 800 });
	await openCase(page, NOTICE_CASE);
	await page.getByRole('link', { name: '打印一生一表' }).click();
	await page.waitForURL(`**/cases/${NOTICE_CASE}/print/file`);
	await expect(page.getByRole('heading', { level: 1, name: '控辍保学“一生一表”' })).toBeVisible();
	await expect(page.getByText('示范区第一初级中学').first()).toBeVisible();
	const rows = page.locator('table[data-table="attempts"] tbody tr');
	await expect(rows).toHaveCount(attempts.length);
	// 360 px: the sheet fits the screen (wide tables scroll inside their own region).
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	await accessible(page, 'dropout file');

	const text = await pdfText(page, 'dropout-file.pdf');
	expect(text).toContain('一生一表');
	expect(text).toContain(snap.student.name);
	expect(text).toContain(zhDate(NOTICE_DUE));
	for (const a of attempts) expect(text).toContain(zhDate(a.date));
	expect(text).toContain(idMasked);
	expect(text).not.toMatch(/\d{17}[\dX]/);
	await page.context().close();
});

test('[S-8][G-T1] before any notice is served the page is a draft (草稿) whose return-by counts from today', async ({
	browser,
	request
}) => {
	const id = await newCase(request, '草稿通知学生');
	const page = await loggedIn(browser, 'school1', { width: 360, height: 800 });
	await openCase(page, id);
	await page.getByRole('link', { name: '打印限期返校通知书' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /限期返校通知书.*草稿/ })).toBeVisible();
	await expect(page.getByRole('note')).toContainText('草稿：本案尚未签发《限期返校通知书》');
	await expect(page.locator('[data-field="requirement"]')).toContainText(`${zhDate(DRAFT_DUE)}前`);
	await expect(page.locator('[data-field="number"]')).toHaveText('（草稿，未编号）');
	await accessible(page, 'draft notice');
	const text = await pdfText(page, 'deadline-notice-draft.pdf');
	expect(text).toContain('草稿');
	expect(text).toContain('草稿通知学生');
	expect(text).toContain(zhDate(DRAFT_DUE));
	await page.context().close();
});
