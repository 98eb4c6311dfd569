import type {
	APIRequestContext,
	Browser,
	BrowserContext,
	BrowserContextOptions,
	Page
} from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { expect, installClock } from './fixtures';

/**
 * A browser context of its own (zh-CN, China time) on the e2e clock, for tests that need several
 * users at once: `browser.newContext` alone would give its pages the machine's date.
 */
export async function newClockedContext(
	browser: Browser,
	options: BrowserContextOptions = {}
): Promise<BrowserContext> {
	const context = await browser.newContext({
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		...options
	});
	await installClock(context);
	return context;
}

/** A token for API set-up steps. */
export async function apiToken(request: APIRequestContext, username: string): Promise<string> {
	const res = await request.post('/api/login', { data: { username, password: 'demo-pass' } });
	expect(res.status()).toBe(200);
	return ((await res.json()) as { token: string }).token;
}

/** Creates a case for school1 through the API; returns its id. */
export async function newCase(request: APIRequestContext, name: string): Promise<string> {
	const token = await apiToken(request, 'school1');
	const res = await request.post('/api/cases', {
		headers: { authorization: `Bearer ${token}` },
		data: {
			profile: 'shilong-2022',
			student: {
				name,
				gender: 'male',
				birthDate: '2012-06-01',
				registryNo: 'G410402201206010033',
				grade: 8
			},
			guardians: [{ name: `${name}家长`, relation: '父亲', phone: '13800000002' }]
		}
	});
	expect(res.status()).toBe(201);
	return ((await res.json()) as { id: string }).id;
}

/** Logs in through the login page, in its own browser context on the e2e clock. */
export async function loggedIn(
	browser: Browser,
	username: string,
	viewport = { width: 360, height: 800 }
): Promise<Page> {
	const context = await newClockedContext(browser, { viewport });
	return logIn(await context.newPage(), username);
}

/** Logs `username` in through the login page of the page's base URL; lands on the case list. */
export async function logIn(page: Page, username: string): Promise<Page> {
	await page.goto('/login');
	await page.getByLabel('用户名', { exact: true }).fill(username);
	await page.getByLabel('密码', { exact: true }).fill('demo-pass');
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await page.waitForURL((u) => u.pathname === '/');
	return page;
}

/** Waits until the service worker controls the page (for offline reloads), reloading once if needed. */
export async function controlled(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.register('/service-worker.js');
		await navigator.serviceWorker.ready;
	});
	if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null)))
		await page.reload();
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
		.toBe(true);
}

/** Opens a case page and waits until its timeline is there. */
export async function openCase(page: Page, id: string): Promise<void> {
	await page.goto(`/cases/${id}`);
	await expect(page.getByText(/已与服务器同步|无权查看此案件|没有这个案件/).first()).toBeVisible({
		timeout: 15_000
	});
}

/** Timeline entries of one event type. */
export function entries(page: Page, type: string) {
	return page.locator(`li[data-type="${type}"]`);
}

/** Records an event through the action bar: opens its form, fills it, saves, waits for it. */
export async function record(
	page: Page,
	type: string,
	fill: (dialog: ReturnType<Page['locator']>) => Promise<void>
): Promise<void> {
	const before = await entries(page, type).count();
	await page.locator(`button[data-action="${type}"]`).click();
	const dialog = page.locator('dialog[open]');
	await expect(dialog).toBeVisible();
	await fill(dialog);
	await dialog.getByRole('button', { name: '保存' }).click();
	await expect(dialog).toBeHidden();
	await expect(entries(page, type)).toHaveCount(before + 1);
}

/** Renders the page to an A4 PDF and returns its text (pdftotext -layout), whitespace removed. */
export async function pdfText(page: Page, file: string): Promise<string> {
	mkdirSync('tests/artifacts', { recursive: true });
	const path = `tests/artifacts/${file}`;
	await page.pdf({ path, format: 'A4', printBackground: true });
	const text = execFileSync('/usr/bin/pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
	// Justified CJK lines come out with spaces between characters; compare without them.
	return text.replace(/\s+/g, '');
}
