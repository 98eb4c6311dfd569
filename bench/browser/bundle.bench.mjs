// npm run bench:bundle — the JavaScript and CSS a phone downloads to reach the first screen
// after login (issue 4 "Figures"; aim ≤ 150 KB gzipped). Opens the production build served by
// the relay in Debian's Chromium, logs in as school1 on /login, lands on the case list, and
// sums every script and stylesheet response, gzipped here at level 9 since the relay does not
// compress. The service worker is blocked so its precache downloads are not counted as the
// screen's; the precache (what the first visit stores for offline use) is printed separately.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import {
	BUILD_DIR,
	CHROMIUM_FLAGS,
	CHROMIUM_PATH,
	ensureBuild,
	logIn,
	startApp
} from './app-server.mjs';

const AIM_KB = 150;

/** @param {number} bytes */
const kb = (bytes) => (bytes / 1024).toFixed(1);
/** @param {Buffer} body */
const gz = (body) => gzipSync(body, { level: 9 }).length;

ensureBuild();
const app = await startApp();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
	const context = await browser.newContext({
		viewport: { width: 360, height: 800 },
		locale: 'zh-CN',
		serviceWorkers: 'block'
	});
	const page = await context.newPage();
	/** @type {Map<string, { phase: string, type: string, raw: number, gzip: number }>} */
	const files = new Map();
	let phase = 'login page';
	/** @type {Promise<void>[]} */
	const pending = [];
	page.on('response', (response) => {
		const type = response.request().resourceType();
		if (type !== 'script' && type !== 'stylesheet') return;
		const path = new URL(response.url()).pathname;
		if (files.has(path)) return;
		const tag = phase;
		pending.push(
			response.body().then(
				(body) => void files.set(path, { phase: tag, type, raw: body.length, gzip: gz(body) }),
				() => undefined
			)
		);
	});
	await page.goto(`${app.url}/login`);
	await page.waitForLoadState('networkidle');
	phase = 'after login';
	await logIn(page, app.url);
	await Promise.all(pending);

	const rows = [...files.entries()].sort((a, b) => b[1].gzip - a[1].gzip);
	console.log('First screen after login (login page → case list), school1, 360×800:\n');
	console.log('   raw KB   gzip KB  type        loaded by     file');
	for (const [path, f] of rows) {
		console.log(
			`${kb(f.raw).padStart(9)} ${kb(f.gzip).padStart(9)}  ${f.type.padEnd(10)}  ${f.phase.padEnd(12)}  ${path}`
		);
	}
	const sum = (/** @type {(f: { phase: string, type: string }) => boolean} */ pick) =>
		rows.reduce(
			(acc, [, f]) => (pick(f) ? { raw: acc.raw + f.raw, gzip: acc.gzip + f.gzip } : acc),
			{ raw: 0, gzip: 0 }
		);
	const total = sum(() => true);
	const js = sum((f) => f.type === 'script');
	const css = sum((f) => f.type === 'stylesheet');
	const login = sum((f) => f.phase === 'login page');
	console.log('');
	console.log(`files:            ${rows.length}`);
	console.log(`JavaScript:       ${kb(js.raw)} KB raw, ${kb(js.gzip)} KB gzipped`);
	console.log(`CSS:              ${kb(css.raw)} KB raw, ${kb(css.gzip)} KB gzipped`);
	console.log(`of which /login:  ${kb(login.raw)} KB raw, ${kb(login.gzip)} KB gzipped`);
	console.log(
		`TOTAL JS+CSS:     ${kb(total.raw)} KB raw, ${kb(total.gzip)} KB gzipped  (aim ≤ ${AIM_KB} KB gzipped: ${total.gzip / 1024 <= AIM_KB ? 'met' : 'NOT met'})`
	);

	// What the service worker stores on the first visit: every file of the build.
	let precacheRaw = 0;
	let precacheGzip = 0;
	let precacheFiles = 0;
	for (const entry of readdirSync(BUILD_DIR, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		const path = join(entry.parentPath, entry.name);
		const name = relative(BUILD_DIR, path);
		if (name === 'service-worker.js' || name === join('_app', 'version.json')) continue;
		const body = readFileSync(path);
		precacheFiles += 1;
		precacheRaw += body.length;
		precacheGzip += gz(body);
	}
	console.log(
		`offline precache: ${precacheFiles} files, ${kb(precacheRaw)} KB raw, ${kb(precacheGzip)} KB gzipped (downloaded once, in the background)`
	);
} finally {
	await browser.close();
	await app.stop();
}
