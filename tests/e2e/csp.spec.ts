import { expect, test } from './fixtures';
import { newCase, openCase } from './app-helpers';

/** Every CSP violation of the page, as `directive blocked-uri`. */
async function watchViolations(page: import('@playwright/test').Page): Promise<string[]> {
	const seen: string[] = [];
	await page.exposeFunction('__cspViolation', (v: string) => seen.push(v));
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			const report = (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation;
			report(`${e.effectiveDirective} ${e.blockedURI}`);
		});
	});
	return seen;
}

test('server: the app logs in and opens a case under its strict CSP; inline script stays blocked', async ({
	page,
	request
}) => {
	const id = await newCase(request, '安全策略学生');
	const violations = await watchViolations(page);

	const res = await page.goto('/login');
	const headers = res?.headers() ?? {};
	const csp = headers['content-security-policy'] ?? '';
	expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
	expect(csp).not.toContain('unsafe-eval');
	expect(csp).toContain("frame-ancestors 'none'");
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('no-referrer');

	await page.getByLabel('用户名', { exact: true }).fill('school1');
	await page.getByLabel('密码', { exact: true }).fill('demo-pass');
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await page.waitForURL((u) => u.pathname === '/');
	// The case page loads Yjs, opens the sync websocket and IndexedDB.
	await openCase(page, id);
	await expect(page.getByText('已与服务器同步').first()).toBeVisible();
	// zod probes once whether it may compile its parsers (`new Function("")`, caught; it then
	// parses without): that blocked eval is the policy working. Nothing else may be blocked.
	expect(violations.filter((v) => v !== 'script-src eval')).toEqual([]);

	// The policy is enforced: a script element injected into the page does not run.
	const ran = await page.evaluate(() => {
		const s = document.createElement('script');
		s.textContent = 'window.__injected = true';
		document.head.append(s);
		return (window as unknown as { __injected?: boolean }).__injected === true;
	});
	expect(ran).toBe(false);
	await expect.poll(() => violations).toContain('script-src-elem inline');
});
