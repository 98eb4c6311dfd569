import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { E2E_NOW } from './tests/e2e/clock';

/**
 * A free loopback port, found synchronously: `webServer` needs its URL when the config loads.
 * The port goes into the environment so worker processes, which load this file again, reuse
 * it instead of picking another.
 */
function freePort(): string {
	return execFileSync(
		process.execPath,
		[
			'-e',
			"const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
		],
		{ encoding: 'utf8' }
	).trim();
}

const port = (process.env.E2E_PORT ??= freePort());
// A fresh data directory per run: the relay seeds the demo district into it.
const dataDir = (process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'ysya-e2e-')));
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	// After webServer: the page clocks' timeline starts when the relay answers (tests/e2e/clock.ts).
	globalSetup: './tests/e2e/global-setup.ts',
	outputDir: 'tests/artifacts/output',
	forbidOnly: true,
	fullyParallel: true,
	retries: 0,
	reporter: [['list']],
	timeout: 30_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					// Debian's Chromium, never a Playwright download (see scripts/run-e2e.mjs).
					executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--no-first-run'
					]
				}
			}
		}
	],
	webServer: {
		// Tested against the production build and our own server, never `vite dev` (STYLE.md).
		command: 'npm run build && node scripts/start.mjs',
		url: `${baseURL}/api/health`,
		// The relay's clock starts at the e2e instant, as the pages' do (tests/e2e/fixtures.ts).
		env: { PORT: port, HOST: '127.0.0.1', DATA_DIR: dataDir, NOW: E2E_NOW },
		reuseExistingServer: false,
		timeout: 180_000,
		stdout: 'ignore',
		stderr: 'pipe'
	}
});
