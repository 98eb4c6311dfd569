import { expect, test } from './fixtures';

test('server: /api/health answers {"ok":true}', async ({ request }) => {
	const res = await request.get('/api/health');
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toContain('application/json');
	expect(await res.json()).toEqual({ ok: true });
});

test('server: unknown routes get the SPA fallback, missing assets a 404', async ({ request }) => {
	const page = await request.get('/cases/some-case');
	expect(page.status()).toBe(200);
	expect(page.headers()['content-type']).toContain('text/html');
	expect(await page.text()).toContain('<html lang="zh-CN">');

	const asset = await request.get('/_app/immutable/missing.js');
	expect(asset.status()).toBe(404);
});

test('server: the app opens on a client-side route', async ({ page }) => {
	await page.goto('/cases/some-case');
	await expect(page.getByRole('banner')).toContainText('一生一案');
});
