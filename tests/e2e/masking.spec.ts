import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { idNumber } from './id-numbers';
import { apiToken, loggedIn, newCase, openCase } from './app-helpers';
import { REVEAL_SECONDS } from '../../src/lib/ui/reveal.svelte';
import { TEMPLATE_HEADER as HEADER } from '../../src/lib/ui/roster/template';

test.describe.configure({ timeout: 120_000 });

/**
 * Issue 11: a 学籍号 of the form G + 身份证号 and an ID number are shown masked to their region
 * (G410499************, 410499************) on every screen; only the audited reveal shows a
 * full ID number, for REVEAL_SECONDS.
 */

/** Eighteen characters of an ID number, anywhere in a text. */
const FULL_ID = /\d{17}[\dXx]/;
const MASKED_REGISTRY = /^G\d{6}\*{12}$/;
const MASKED_ID = /^\d{6}\*{12}$/;

/** No full ID number in the page's text. */
async function noFullNumber(page: Page, what: string): Promise<void> {
	const text = await page.evaluate(() => document.body.innerText);
	expect(text.match(FULL_ID)?.[0] ?? null, `${what}: a full ID number on screen`).toBeNull();
}

/** A demo case with an ID number on file (bureau1 sees every case). */
async function caseWithId(request: APIRequestContext): Promise<string> {
	const token = await apiToken(request, 'bureau1');
	const headers = { authorization: `Bearer ${token}` };
	const list = (await (await request.get('/api/cases', { headers })).json()) as {
		cases: { id: string }[];
	};
	for (const { id } of list.cases) {
		const snap = (await (await request.get(`/api/cases/${id}`, { headers })).json()) as {
			student: { idMasked?: string };
		};
		if (snap.student.idMasked) return id;
	}
	throw new Error('no demo case with an ID number');
}

async function openRoster(page: Page): Promise<void> {
	await page.getByRole('link', { name: '学籍名册', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: '学籍名册' })).toBeVisible();
	await expect(page.getByLabel('学期', { exact: true })).toBeVisible({ timeout: 15_000 });
}

/** The ID number element of the case page's student panel, and its reveal button. */
function idParts(page: Page): { id: Locator; show: Locator; countdown: Locator } {
	return {
		id: page.locator('[data-id-number]'),
		show: page.getByRole('button', { name: '显示', exact: true }),
		countdown: page.locator('[data-reveal-countdown]')
	};
}

test('[issue 11] the case list, a case, its history and its printed file show no full ID number', async ({
	browser,
	request
}) => {
	const id = await caseWithId(request);
	const page = await loggedIn(browser, 'bureau1');
	await expect(page.locator('li[data-case]').first()).toBeVisible({ timeout: 15_000 });
	await noFullNumber(page, 'case list');
	// Search matches the masked 学籍号 the device keeps.
	await page.getByLabel('搜索', { exact: true }).fill('G410499');
	await expect(page.locator('li[data-case]').first()).toBeVisible();
	// The local index (Dexie) holds the masked form only, whatever the database is named.
	const stored = await page.evaluate(async () => {
		const out: string[] = [];
		for (const info of await indexedDB.databases()) {
			if (!info.name) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const r = indexedDB.open(info.name ?? '');
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(new Error(String(r.error)));
			});
			if (db.objectStoreNames.contains('cases')) {
				const rows = await new Promise<unknown[]>((resolve, reject) => {
					const r = db.transaction('cases').objectStore('cases').getAll();
					r.onsuccess = () => resolve(r.result as unknown[]);
					r.onerror = () => reject(new Error(String(r.error)));
				});
				for (const row of rows) out.push((row as { registryNo: string }).registryNo);
			}
			db.close();
		}
		return out;
	});
	expect(stored.length).toBeGreaterThan(0);
	for (const r of stored) expect(r).not.toMatch(FULL_ID);
	expect(stored.some((r) => MASKED_REGISTRY.test(r))).toBe(true);

	await openCase(page, id);
	await expect(page.locator('[data-registry-no]')).toHaveText(MASKED_REGISTRY);
	await expect(idParts(page).id).toHaveText(MASKED_ID);
	await noFullNumber(page, 'case page');

	await page.getByRole('link', { name: '编辑历史与恢复' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '编辑历史' })).toBeVisible();
	await page.getByRole('button', { name: '查看此时的案件' }).first().click();
	await expect(page.locator('section.as-of')).toBeVisible();
	await noFullNumber(page, 'history, as of the latest update');

	await openCase(page, id);
	await page.getByRole('link', { name: '打印一生一表' }).click();
	await page.waitForURL(`**/cases/${id}/print/file`);
	await expect(page.getByRole('heading', { level: 1, name: '控辍保学“一生一表”' })).toBeVisible();
	await noFullNumber(page, 'printed dropout file');
	await page.context().close();
});

test('[issue 11] the roster preview and the trace list show 学籍号 and ID numbers masked', async ({
	browser
}) => {
	// 光明中学 imports its own students; previewed only (nothing is imported), into the first
	// term, which no seed data uses.
	const term = '2024-02-26';
	const rows = [
		['2010-04-05', '男', 801],
		['2009-11-30', '女', 802]
	].map(([birth, gender, seq], k) => {
		const id = idNumber(String(birth), Number(seq));
		return [`G${id}`, `脱敏测试${k}`, String(gender), String(birth), id, '示范区光明中学', '8', ''];
	});
	// A third row quotes a full number in a cell the check reports back (the grade).
	const quoted = idNumber('2010-01-02', 990);
	rows.push([`G${quoted}`, '脱敏测试2', '男', '2010-01-02', quoted, '示范区光明中学', quoted, '']);
	const csv = `\uFEFF${[HEADER.slice(0, 8), ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;

	const page = await loggedIn(browser, 'school2');
	await openRoster(page);

	// The trace list of the current term (the roster page's default).
	const trace = page
		.locator('section')
		.filter({ has: page.getByRole('heading', { level: 2, name: /开学核查/ }) });
	await expect(trace.locator('[data-registry-no]').first()).toBeVisible({ timeout: 15_000 });
	for (const cell of await trace.locator('[data-registry-no]').allInnerTexts())
		expect(cell).toMatch(MASKED_REGISTRY);
	await noFullNumber(page, 'trace list');

	await page.getByLabel('学期', { exact: true }).selectOption(term);
	await page
		.getByLabel('选择文件（CSV 或 XLSX）')
		.setInputFiles({ name: '脱敏.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
	await page.getByRole('button', { name: '上传并检查' }).click();
	await expect(page.getByRole('heading', { name: '检查结果：脱敏.csv' })).toBeVisible();
	await expect(page.getByText('共 3 行，其中 2 行无误。')).toBeVisible();
	const sample = page.getByRole('region', { name: /^前 2 行/ });
	await expect(sample.locator('tbody tr')).toHaveCount(2);
	await expect(sample.locator('[data-registry-no]')).toHaveText([
		'G410402************',
		'G410402************'
	]);
	await expect(sample).toContainText('410402************');
	// The error about the grade cell quotes it masked.
	await expect(page.getByRole('region', { name: '问题' })).toContainText('410402************');
	await noFullNumber(page, 'roster preview');
	await page.context().close();
});

test('[issue 11] the reveal shows the full ID number for 30 seconds, counting down, then hides it', async ({
	browser,
	request
}) => {
	expect(REVEAL_SECONDS).toBe(30);
	const id = await caseWithId(request);
	const page = await loggedIn(browser, 'bureau1');
	await openCase(page, id);
	const { id: number, show, countdown } = idParts(page);
	await expect(number).toHaveText(MASKED_ID);
	await show.click();
	// needs lead's relay change: until the relay's id table answers the reveal, it has no full
	// number to give (the case documents hold masked ones only).
	await expect(number).toHaveText(/^\d{17}[\dX]$/);
	await expect(countdown).toHaveText('30 秒后隐藏');
	await page.clock.fastForward(10_000);
	await expect(countdown).toHaveText('20 秒后隐藏');
	await expect(number).toHaveText(/^\d{17}[\dX]$/);
	await page.clock.fastForward(20_000);
	await expect(number).toHaveText(MASKED_ID);
	await expect(countdown).toHaveCount(0);
	await expect(show).toBeVisible();
	await noFullNumber(page, 'case page after the reveal expired');
	await page.context().close();
});

test('[issue 11] a revealed number is hidden at once when the page is hidden or left', async ({
	browser,
	request
}) => {
	const id = await caseWithId(request);
	const page = await loggedIn(browser, 'bureau1');
	// The relay's answer is given here, in its wire form (`revealAnswer`, issue 13): this test
	// is of the page's behaviour only (the one above asks the relay itself).
	const full = idNumber('2012-05-14', 1);
	await page.route('**/api/cases/*/reveal', (route) =>
		route.fulfill({
			status: 200,
			contentType: 'application/json',
			json: { idNumber: full, showSeconds: 30 }
		})
	);
	await openCase(page, id);
	const { id: number, show, countdown } = idParts(page);

	await show.click();
	await expect(number).toHaveText(full);
	await expect(countdown).toHaveText('30 秒后隐藏');
	// Another tab, the phone locked, the app in the background.
	await page.evaluate(() => {
		Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
		document.dispatchEvent(new Event('visibilitychange'));
	});
	await expect(number).toHaveText(MASKED_ID);
	await expect(countdown).toHaveCount(0);
	await page.evaluate(() => {
		Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
		document.dispatchEvent(new Event('visibilitychange'));
	});

	// The hide button hides it too; shown again, then the page is left and come back to.
	await show.click();
	await expect(number).toHaveText(full);
	await page.getByRole('button', { name: '隐藏', exact: true }).click();
	await expect(number).toHaveText(MASKED_ID);
	await show.click();
	await expect(number).toHaveText(full);
	await page.getByRole('link', { name: '编辑历史与恢复' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '编辑历史' })).toBeVisible();
	await page.goBack();
	await expect(number).toHaveText(MASKED_ID);
	await expect(countdown).toHaveCount(0);
	await noFullNumber(page, 'case page after leaving it');
	await page.context().close();
});

test('[issue 11] a school corrects the ID number: checked, kept on the relay, masked on the case and its timeline', async ({
	browser,
	request
}) => {
	// newCase: born 2012-06-01, male. 410402 20120601 003 9: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5
	// 8 4 2 give 28+9+0+20+0+8+4+0+6+6+0+54+0+5+0+0+6 = 146; 146 mod 11 = 3 → 9. Sequence 003: odd, male.
	const ID = '410402201206010039';
	const id = await newCase(request, '更正身份证学生');
	const page = await loggedIn(browser, 'school1');
	await openCase(page, id);
	await page.locator('[data-correct-id]').click();
	await page.getByLabel('身份证号', { exact: true }).fill('410402201206010031');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByRole('alert')).toContainText('校验');
	await page.getByLabel('身份证号', { exact: true }).fill(ID);
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.locator('[data-id-number]')).toHaveText('410402************');
	await expect(page.locator('[data-correct-id]')).toHaveText('更正身份证号');
	await noFullNumber(page, 'case page after the correction');
	await page.locator('[data-id-number] + button').click();
	await expect(page.locator('[data-id-number]')).toHaveText(ID);
	await page.context().close();
});
