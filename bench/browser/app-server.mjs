// Shared by the browser figures (bundle.bench.mjs, lighthouse.bench.mjs): the production build
// served by our own relay on a free loopback port with a throw-away data directory (the relay
// seeds the demo district into it), and Debian's Chromium, never a downloaded browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUILD_DIR = join(ROOT, 'build');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];
/** A demo account the relay seeds (server/seed.ts). */
export const DEMO_USER = { username: 'school1', password: 'demo-pass' };
/** localStorage key of the session (src/lib/sync/session.svelte.ts `SESSION_KEY`). */
const SESSION_KEY = 'yishengyian.session';

/**
 * The newest modification time under `dir`, in ms (0 when it does not exist).
 * @param {string} dir
 */
function newest(dir) {
	if (!existsSync(dir)) return 0;
	let latest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
	}
	return latest;
}

/** Runs `vite build` when build/ is missing or older than src/, static/ or the configs. */
export function ensureBuild() {
	const index = join(BUILD_DIR, 'index.html');
	const built = existsSync(index) ? statSync(index).mtimeMs : 0;
	const sources = Math.max(
		newest(join(ROOT, 'src')),
		newest(join(ROOT, 'static')),
		...['svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((f) =>
			existsSync(join(ROOT, f)) ? statSync(join(ROOT, f)).mtimeMs : 0
		)
	);
	if (built >= sources) return;
	console.log(built ? 'build/ is older than the sources: rebuilding' : 'no build/: building');
	const r = spawnSync('npm', ['run', 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit']
	});
	if (r.status !== 0) throw new Error('npm run build failed');
}

/**
 * A free loopback port.
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

/**
 * Starts `node scripts/start.mjs` as a child process; resolves once /api/health answers.
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startApp() {
	const dataDir = mkdtempSync(join(tmpdir(), 'ysya-bench-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['scripts/start.mjs'], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const stop = async () => {
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
		rmSync(dataDir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}`);
		const up = await fetch(`${url}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (up) return { url, stop };
		if (Date.now() > deadline) {
			await stop();
			throw new Error('the relay did not answer /api/health within 60 s');
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

/**
 * Logs in as the demo school user through the login page (labelled 用户名 / 密码, button 登录)
 * and waits for the case list. Where there is no login form, it logs in over the API and
 * stores the session as the sync layer does.
 * @param {import('@playwright/test').Page} page
 * @param {string} url
 */
export async function logIn(page, url) {
	await page.goto(`${url}/login`);
	const username = page.getByLabel('用户名', { exact: true });
	if (await username.isVisible()) {
		await username.fill(DEMO_USER.username);
		await page.getByLabel('密码', { exact: true }).fill(DEMO_USER.password);
		await page.getByRole('button', { name: '登录', exact: true }).click();
	} else {
		const res = await page.request.post(`${url}/api/login`, { data: DEMO_USER });
		if (!res.ok()) throw new Error(`POST /api/login answered ${res.status()}`);
		// The answer is `{ token, user }`, the very shape the sync layer stores.
		const session = await res.text();
		await page.evaluate(([key, value]) => localStorage.setItem(key, value), [SESSION_KEY, session]);
		await page.goto(`${url}/`);
	}
	await waitForCaseList(page);
}

/**
 * The case list is on screen and the network has settled.
 * @param {import('@playwright/test').Page} page
 */
export async function waitForCaseList(page) {
	await page.waitForURL((u) => u.pathname === '/', { timeout: 30_000 });
	await page.getByRole('heading', { level: 1, name: '案件列表' }).waitFor({ timeout: 30_000 });
	await page.waitForLoadState('networkidle');
}
