import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Page } from '@playwright/test';
import { e2eNow } from './clock';
import { expect, test } from './fixtures';
import { startRelayProcess } from './relay-process';

/**
 * Issue 4, "Installable PWA": the manifest and its icons, the offline start after one online
 * visit (reload of `/` and of a deep link), and a new version that waits for the user's tap.
 */

interface ManifestIcon {
	src: string;
	sizes: string;
	type: string;
	purpose?: string;
}
interface Manifest {
	name: string;
	short_name: string;
	lang: string;
	display: string;
	start_url: string;
	scope: string;
	theme_color: string;
	background_color: string;
	icons: ManifestIcon[];
}

/** Width and height from a PNG's IHDR chunk, or null when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature)) return null;
	if (bytes.subarray(12, 16).toString('ascii') !== 'IHDR') return null;
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** "#1d4ed8" → "rgb(29, 78, 216)", as getComputedStyle reports colours. */
function rgb(hex: string): string {
	const n = Number.parseInt(hex.slice(1), 16);
	return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** Opens the app online and waits until its service worker controls the page. */
async function visitOnline(page: Page, origin = ''): Promise<void> {
	await page.goto(`${origin}/`);
	await expect(page.getByRole('banner')).toContainText('一生一案');
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	// The first install claims the open page; a reload is what a returning user does anyway.
	await page.reload();
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null))
		.toBe('activated');
}

test('pwa: the manifest names the app in Chinese and its icons are PNGs of their stated size', async ({
	page,
	request
}) => {
	await page.goto('/');
	const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(manifestHref).toBe('/manifest.webmanifest');

	const res = await request.get('/manifest.webmanifest');
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toContain('application/manifest+json');
	const manifest = (await res.json()) as Manifest;
	expect(manifest).toMatchObject({
		name: '一生一案 · 控辍保学',
		short_name: '一生一案',
		lang: 'zh-CN',
		display: 'standalone',
		start_url: '/',
		scope: '/'
	});

	// The colours are the header's, and the page's theme-color says the same.
	const header = await page
		.getByRole('banner')
		.evaluate((el) => getComputedStyle(el).backgroundColor);
	expect(rgb(manifest.theme_color)).toBe(header);
	expect(rgb(manifest.background_color)).toBe(header);
	await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute(
		'content',
		manifest.theme_color
	);

	const kinds = manifest.icons.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`).sort();
	expect(kinds).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
	for (const icon of manifest.icons) {
		const file = await request.get(icon.src);
		expect(file.status(), icon.src).toBe(200);
		expect(file.headers()['content-type'], icon.src).toBe('image/png');
		expect(icon.type).toBe('image/png');
		const [w, h] = icon.sizes.split('x').map(Number);
		expect(pngSize(await file.body()), icon.src).toEqual({ width: w, height: h });
	}

	const touchHref = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
	expect(touchHref).toBeTruthy();
	const touch = await request.get(touchHref ?? '');
	expect(pngSize(await touch.body())).toEqual({ width: 180, height: 180 });
});

test('pwa: after one online visit the app reloads offline, on / and on a deep link', async ({
	page,
	context
}) => {
	await visitOnline(page);
	// One cache, holding exactly the build: every chunk, stylesheet, static file and the shell.
	const cached = await page.evaluate(async () => {
		const names = (await caches.keys()).filter((n) => n.startsWith('ysya-shell-'));
		const cache = await caches.open(names[0] ?? 'none');
		return {
			names,
			paths: (await cache.keys()).map((r) => new URL(r.url).pathname).sort()
		};
	});
	expect(cached.names).toHaveLength(1);
	const built = readdirSync('build', { recursive: true, withFileTypes: true })
		.filter((e) => e.isFile())
		.map((e) => '/' + relative('build', join(e.parentPath, e.name)).split(sep).join('/'))
		.filter((p) => p !== '/service-worker.js' && p !== '/_app/version.json')
		.sort();
	expect(cached.paths).toEqual(built);

	await context.setOffline(true);
	try {
		// The API is never answered from a cache: the app must learn that it is offline.
		const api = await page.evaluate(() =>
			fetch('/api/health').then(
				(r) => r.status,
				() => 'failed'
			)
		);
		expect(api).toBe('failed');
		// The worker is offline too, so what follows really comes from its cache.
		const worker = context.serviceWorkers().find((w) => w.url().endsWith('/service-worker.js'));
		expect(worker).toBeDefined();
		const fromWorker = await worker?.evaluate(() =>
			fetch('/api/health').then(
				(r) => r.status,
				() => 'failed'
			)
		);
		expect(fromWorker).toBe('failed');

		await page.reload();
		await expect(page.getByRole('banner')).toContainText('一生一案');

		const deep = await page.goto('/cases/some-case');
		expect(deep?.fromServiceWorker()).toBe(true);
		await expect(page.getByRole('banner')).toContainText('一生一案');
	} finally {
		await context.setOffline(false);
	}
});

test('pwa: after login the app asks once to keep offline data and shows the answer and the space left', async ({
	page
}) => {
	await page.goto('/login');
	await page.getByLabel('用户名', { exact: true }).fill('school1');
	await page.getByLabel('密码', { exact: true }).fill('demo-pass');
	await page.getByRole('button', { name: '登录', exact: true }).click();
	const status = page.getByRole('status', { name: '本机存储' });
	// Asked once on this device: the answer is shown, granted or refused (the browser decides).
	await expect(status).toContainText(/离线数据已受保护|浏览器未允许持久存储/);
	await expect(status).toContainText(/剩余空间约 [\d.]+ (KB|MB|GB)/);
	expect(await page.evaluate(() => localStorage.getItem('yishengyian.persist-asked'))).toBe('1');
	const granted = await page.evaluate(() => navigator.storage.persisted());
	await expect(status).toContainText(granted ? '离线数据已受保护' : '建议把本应用添加到主屏幕');
});

test('pwa: a new version waits for the user; 刷新 on the prompt switches to it', async ({
	page
}) => {
	// A relay of its own over a copy of the build, so the test can deploy a "next version" (a
	// worker with another build version) under the same origin. Playwright cannot route the
	// browser's own fetch of a worker script, and the shared build must not change under the
	// other tests.
	const relay = await startRelayOnCopy();
	try {
		await visitOnline(page, relay.url);
		const { version } = JSON.parse(
			readFileSync(join(relay.buildDir, '_app', 'version.json'), 'utf8')
		) as { version: string };
		const workerFile = join(relay.buildDir, 'service-worker.js');
		const current = readFileSync(workerFile, 'utf8');
		expect(current).toContain(JSON.stringify(version));
		const next = `${version}-next`;
		writeFileSync(workerFile, current.replaceAll(JSON.stringify(version), JSON.stringify(next)));

		await page.evaluate(async () => {
			await (await navigator.serviceWorker.getRegistration())?.update();
		});
		const prompt = page.getByRole('status').filter({ hasText: '发现新版本' });
		await expect(prompt).toBeVisible();
		// Installed and waiting: the old version still runs this page and its cache is there.
		expect(
			await page.evaluate(
				async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null
			)
		).toBe('installed');
		expect(await page.evaluate(() => caches.keys())).toContain(`ysya-shell-${version}`);

		const reloaded = page.waitForEvent('load');
		await prompt.getByRole('button', { name: '刷新' }).click();
		await reloaded;
		await expect(page.getByRole('banner')).toContainText('一生一案');
		await expect(prompt).toBeHidden();
		const after = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			return {
				waiting: registration?.waiting?.state ?? null,
				controller: navigator.serviceWorker.controller?.state ?? null,
				caches: (await caches.keys()).filter((n) => n.startsWith('ysya-shell-'))
			};
		});
		// The new worker controls the page and the old build's cache is gone.
		expect(after).toEqual({
			waiting: null,
			controller: 'activated',
			caches: [`ysya-shell-${next}`]
		});
	} finally {
		await relay.stop();
	}
});

/**
 * Starts `scripts/start.mjs` over a temporary copy of `build/`, on the e2e clock; resolves once
 * it answers.
 */
async function startRelayOnCopy(): Promise<{
	url: string;
	buildDir: string;
	stop: () => Promise<void>;
}> {
	const root = mkdtempSync(join(tmpdir(), 'ysya-pwa-'));
	const buildDir = join(root, 'build');
	cpSync('build', buildDir, { recursive: true });
	const relay = await startRelayProcess(
		{
			DATA_DIR: join(root, 'data'),
			BUILD_DIR: buildDir,
			SEED: 'none',
			// On the e2e timeline, as the pages and the suite's relay are (tests/e2e/clock.ts).
			NOW: e2eNow().toISOString()
		},
		() => rmSync(root, { recursive: true, force: true })
	);
	return { url: relay.url, buildDir, stop: relay.stop };
}
