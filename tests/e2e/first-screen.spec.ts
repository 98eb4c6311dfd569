import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { controlled, newClockedContext } from './app-helpers';
import { expect, test } from './fixtures';

/**
 * Issue 16: the login page loads nothing of the local database (Dexie, y-indexeddb) nor zod;
 * the app shell loads the local data layer once a user is logged in, or at start when the
 * device remembers one, offline too.
 */

/** The client build's manifest, written by the build the e2e server runs (playwright.config.ts). */
const MANIFEST = '.svelte-kit/output/client/.vite/manifest.json';

interface ManifestChunk {
	file: string;
	name?: string;
	src?: string;
}

/** The served path of the one chunk of the build that `pick` finds. */
function chunkPath(pick: (c: ManifestChunk) => boolean, what: string): string {
	const all = Object.values(
		JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, ManifestChunk>
	);
	const hits = all.filter(pick);
	expect(
		hits.map((c) => c.file),
		what
	).toHaveLength(1);
	return `/${hits[0]?.file ?? ''}`;
}

/** The chunks of the local data layer and zod, read when a test runs (after the build). */
function chunks(): { dexie: string; zod: string; workspace: string; engine: string } {
	return {
		// Named by `manualChunks` in vite.config.ts.
		dexie: chunkPath((c) => c.name === 'dexie', 'the Dexie chunk'),
		zod: chunkPath((c) => c.name === 'zod', 'the zod chunk'),
		// The dynamic entries of the local data layer: the workspace, and Yjs with y-indexeddb.
		// A dynamic entry that Rollup emits without a facade module (it shares modules with
		// another dynamic entry) has no `src` in the manifest, only its name.
		workspace: chunkPath(
			(c) =>
				c.src === 'src/lib/sync/workspace.svelte.ts' || (!c.src && c.name === 'workspace.svelte'),
			'the workspace'
		),
		engine: chunkPath((c) => c.src === 'src/lib/sync/engine.ts', 'Yjs and y-indexeddb')
	};
}

/**
 * Dexie's name for its own store of database names, a string in its code whatever the minifier
 * does: finds Dexie in any chunk, should a change bundle it elsewhere than its own.
 */
const DEXIE_MARK = '__dbnames';

/** Records every script the page loads (from the network or the service worker), with its body. */
function scripts(page: Page): {
	paths: () => string[];
	withDexie: () => Promise<string[]>;
} {
	const seen: { path: string; body: Promise<string> }[] = [];
	page.on('response', (r) => {
		if (r.request().resourceType() !== 'script') return;
		seen.push({ path: new URL(r.url()).pathname, body: r.text().catch(() => '') });
	});
	return {
		paths: () => seen.map((s) => s.path),
		withDexie: async () => {
			const bodies = await Promise.all(seen.map((s) => s.body));
			return seen.filter((_, i) => bodies[i]?.includes(DEXIE_MARK)).map((s) => s.path);
		}
	};
}

async function submitLogin(page: Page, username: string): Promise<void> {
	await page.getByLabel('用户名', { exact: true }).fill(username);
	await page.getByLabel('密码', { exact: true }).fill('demo-pass');
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: '案件列表' })).toBeVisible();
	await expect(page.locator('li[data-case]').first()).toBeVisible();
}

test('[issue 16] the login page loads no local database nor zod; the case list loads Dexie after login', async ({
	browser
}) => {
	const { dexie, zod, workspace, engine } = chunks();
	// Only what the page asks for: no service worker precaching the whole build meanwhile.
	const context = await newClockedContext(browser, {
		viewport: { width: 360, height: 800 },
		serviceWorkers: 'block'
	});
	const page = await context.newPage();
	const loaded = scripts(page);
	await page.goto('/login');
	await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
	await page.waitForLoadState('networkidle');

	const before = loaded.paths();
	expect(before.length).toBeGreaterThan(0);
	for (const chunk of [dexie, zod, workspace, engine]) expect(before).not.toContain(chunk);
	expect(await loaded.withDexie()).toEqual([]);

	await submitLogin(page, 'school1');
	expect(loaded.paths()).toContain(workspace);
	expect(loaded.paths()).toContain(dexie);
	expect(await loaded.withDexie()).toEqual([dexie]);
	await context.close();
});

test('[issue 16] a remembered user starts with the local data layer, offline too', async ({
	browser
}) => {
	const { dexie, workspace } = chunks();
	const context = await newClockedContext(browser, { viewport: { width: 360, height: 800 } });
	const page = await context.newPage();
	await page.goto('/login');
	await submitLogin(page, 'school2');
	await controlled(page);

	// Offline and reloaded: the shell loads the workspace from the service worker's cache at
	// start, and the list comes from this device.
	await context.setOffline(true);
	const loaded = scripts(page);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: '案件列表' })).toBeVisible();
	await expect(page.locator('li[data-case]').first()).toBeVisible();
	expect(loaded.paths()).toContain(workspace);
	expect(loaded.paths()).toContain(dexie);
	await context.close();
});

test('[issue 16] the expired-session banner and the logout dialog load on demand and work as before', async ({
	page
}) => {
	await page.goto('/login');
	await submitLogin(page, 'school1');
	await expect(page.getByRole('heading', { name: '登录已过期' })).toHaveCount(0);

	// The relay refuses the token (401): the session is expired, the banner asks for the password.
	await page.route('**/api/cases', (route) => route.fulfill({ status: 401, json: {} }));
	await page.getByRole('button', { name: '刷新', exact: true }).click();
	await expect(page.getByRole('heading', { name: '登录已过期' })).toBeVisible();
	await page.unroute('**/api/cases');
	await page.locator('#relogin-password').fill('demo-pass');
	await page.getByRole('button', { name: '重新登录', exact: true }).click();
	await expect(page.getByRole('heading', { name: '登录已过期' })).toHaveCount(0);
	await expect(page.locator('li[data-case]').first()).toBeVisible();

	// The logout dialog opens, cancels, opens again with its strings.
	await page.getByRole('button', { name: '退出', exact: true }).click();
	const dialog = page.locator('dialog[open]');
	await expect(dialog.getByRole('heading', { name: '退出登录' })).toBeVisible();
	await dialog.getByRole('button', { name: '取消' }).click();
	await expect(dialog).toHaveCount(0);
	await page.getByRole('button', { name: '退出', exact: true }).click();
	await expect(dialog.getByTestId('logout-keep-help')).toContainText('天未在本机登录');
	await dialog.getByRole('button', { name: '退出，保留本机数据', exact: true }).click();
	await page.waitForURL((u) => u.pathname === '/login');
});
