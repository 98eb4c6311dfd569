// npm run bench:lighthouse — Lighthouse (the npm package, mobile emulation: its default config,
// simulated slow 4G and a 4× slower CPU) on the production build served by our relay, driving
// Debian's Chromium through chrome-launcher; and the PWA installability as Chromium itself
// judges it (CDP `Page.getInstallabilityErrors`), since Lighthouse 12 dropped its PWA category
// and the `installable-manifest` audit with it. Aim (issue 4): performance ≥ 90, installable.
//
// Two pages: /login on a cold start (Lighthouse clears the origin's storage first), and the
// case list after login (the session kept, the service worker and its caches cleared, so the
// code loads from the network as on a first visit).
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, ensureBuild, logIn, startApp } from './app-server.mjs';

const AIM_PERFORMANCE = 90;
const METRICS = [
	['first-contentful-paint', 'FCP'],
	['largest-contentful-paint', 'LCP'],
	['total-blocking-time', 'TBT'],
	['cumulative-layout-shift', 'CLS'],
	['speed-index', 'Speed Index'],
	['interactive', 'TTI']
];

/**
 * Runs Lighthouse's performance category on `url` and prints the score and the lab metrics.
 * @param {string} label
 * @param {string} url
 * @param {number} port
 * @param {boolean} keepStorage
 * @returns {Promise<number | null>}
 */
async function audit(label, url, port, keepStorage) {
	const result = await lighthouse(url, {
		port,
		output: 'json',
		logLevel: 'error',
		onlyCategories: ['performance'],
		disableStorageReset: keepStorage
	});
	if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
	const { lhr } = result;
	if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
	const score = lhr.categories.performance?.score ?? null;
	const points = score === null ? null : Math.round(score * 100);
	console.log(`\n${label}: ${url}  (final URL ${lhr.finalDisplayedUrl})`);
	console.log(
		`  performance: ${points ?? 'n/a'}  (aim ≥ ${AIM_PERFORMANCE}: ${points !== null && points >= AIM_PERFORMANCE ? 'met' : 'NOT met'})`
	);
	for (const [id, name] of METRICS) {
		const a = lhr.audits[id];
		if (a) console.log(`  ${name.padEnd(12)} ${a.displayValue ?? ''}`);
	}
	for (const warning of lhr.runWarnings) console.log(`  warning: ${warning}`);
	return points;
}

ensureBuild();
const app = await startApp();
const chrome = await launch({
	chromePath: CHROMIUM_PATH,
	chromeFlags: [...CHROMIUM_FLAGS, '--headless=new'],
	logLevel: 'silent'
});
try {
	const version = await fetch(`http://127.0.0.1:${chrome.port}/json/version`).then(
		(r) => /** @type {Promise<{ Browser: string }>} */ (r.json())
	);
	console.log(`Lighthouse on ${version.Browser}, mobile emulation (Lighthouse defaults)`);

	await audit('Login page, cold', `${app.url}/login`, chrome.port, false);

	// Log in within the same browser, check installability there, then drop the worker, its caches
	// and the HTTP cache (keeping the session in localStorage) so the case list loads its code cold.
	const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
	const context = browser.contexts()[0] ?? (await browser.newContext());
	const page = await context.newPage();
	await logIn(page, app.url);
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	const cdp = await context.newCDPSession(page);
	const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
	const manifest = await cdp.send('Page.getAppManifest');
	await cdp.send('Storage.clearDataForOrigin', {
		origin: app.url,
		storageTypes: 'service_workers,cache_storage'
	});
	await cdp.send('Network.clearBrowserCache');
	await page.close();
	await browser.close(); // disconnects; chrome-launcher's browser stays up

	await audit('Case list after login (school1), code cold', `${app.url}/`, chrome.port, true);

	console.log('\nInstallability (Chromium, CDP Page.getInstallabilityErrors on the case list):');
	console.log(`  manifest: ${manifest.url}  parse errors: ${manifest.errors.length}`);
	for (const e of manifest.errors)
		console.log(`    ${e.critical ? 'critical' : 'warning'}: ${e.message}`);
	if (installabilityErrors.length === 0) {
		console.log('  installable: yes (no installability errors)');
	} else {
		console.log('  installable: NO');
		for (const e of installabilityErrors) {
			const args = e.errorArguments.map((a) => `${a.name}=${a.value}`).join(', ');
			console.log(`    ${e.errorId}${args ? ` (${args})` : ''}`);
		}
	}
} finally {
	chrome.kill();
	await app.stop();
}
