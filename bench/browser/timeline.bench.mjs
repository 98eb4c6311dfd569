// npm run bench:timeline — time from opening a case with 200 events to its timeline on screen,
// offline, in Debian's Chromium (issue 4 "Figures"; aim ≤ 300 ms). The relay (demo seed) gets
// a case from school1 over HTTP, filled with 200 home visits by a Node y-websocket client that
// appends through the rules (`appendEvent`). Chromium logs in as school1, opens the case once
// online so it is stored on the device, goes back to the list, and goes offline. Then, N times,
// it clicks the case's row (client-side navigation) and measures inside the page, with
// performance.now(), until 200 `li[data-type]` items are in the DOM and visible, plus the next
// paint (double rAF). Once more as a full reload of /cases/<id> served by the service worker,
// from navigation start (performance.timeOrigin) to the same condition.
import { execFileSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import {
	CHROMIUM_FLAGS,
	CHROMIUM_PATH,
	DEMO_USER,
	ROOT,
	ensureBuild,
	logIn,
	startApp
} from './app-server.mjs';

const EVENTS = 200;
const RUNS = 7;
const AIM_MS = 300;

// Run with tsx (the rules import JSON): appends the events through a real sync client and waits
// until the relay's `accepted` state vector covers every one of them.
const FILL = `
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { appendEvent } from './src/lib/case-doc';
import { chinaDate } from './src/lib/domain/china-date';
import { DEMO_AUTHORS } from './src/lib/demo';
import { MESSAGE_ACCEPTED, readAccepted } from './src/lib/protocol/ws';
const { WS_URL, CASE_ID, TOKEN, COUNT } = process.env;
const doc = new Y.Doc();
const provider = new WebsocketProvider(WS_URL, CASE_ID, doc, {
	WebSocketPolyfill: WebSocket, params: { token: TOKEN }, disableBc: true
});
let relayClock = 0;
provider.messageHandlers[MESSAGE_ACCEPTED] = (_e, d) => {
	const sv = readAccepted(d);
	if (sv) relayClock = Y.decodeStateVector(sv).get(doc.clientID) ?? 0;
};
const until = async (cond, what) => {
	const deadline = Date.now() + 60000;
	while (!cond()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
		await new Promise((r) => setTimeout(r, 10));
	}
};
await until(() => provider.synced, 'the first sync');
const today = chinaDate(new Date());
for (let i = 0; i < Number(COUNT); i++) {
	const r = appendEvent(doc, {
		type: 'home_visit', date: today, mode: 'phone', contacted: '家长', findings: '',
		id: 'bench-' + String(i).padStart(4, '0'), recordedAt: new Date().toISOString(),
		author: DEMO_AUTHORS.school, v: 1
	}, today);
	if (!r.ok) throw new Error('event ' + i + ' refused: ' + JSON.stringify(r));
}
const mine = Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0;
await until(() => relayClock >= mine, 'the relay to accept every event');
provider.destroy();
doc.destroy();
`;

/**
 * Creates the case and fills it; returns its id.
 * @param {string} url
 */
async function seedCase(url) {
	const post = async (/** @type {string} */ path, /** @type {unknown} */ body, token = '') => {
		const res = await fetch(`${url}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify(body)
		});
		if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
		/** @type {unknown} */
		const data = await res.json();
		return /** @type {Record<string, string>} */ (data);
	};
	const { token } = await post('/api/login', DEMO_USER);
	const { id } = await post(
		'/api/cases',
		{
			profile: 'shilong-2022',
			student: {
				name: '基准学生',
				gender: 'male',
				birthDate: '2012-06-01',
				registryNo: 'G410402201206010033',
				grade: 8
			},
			guardians: [{ name: '基准家长', relation: '父亲', phone: '13800000002' }]
		},
		token
	);
	execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', FILL], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: {
			...process.env,
			WS_URL: `${url.replace('http', 'ws')}/sync`,
			CASE_ID: id,
			TOKEN: token,
			COUNT: String(EVENTS)
		}
	});
	const res = await fetch(`${url}/api/cases/${id}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	/** @type {unknown} */
	const data = await res.json();
	const snapshot = /** @type {{ events: unknown[] }} */ (data);
	if (snapshot.events.length !== EVENTS)
		throw new Error(`the relay holds ${snapshot.events.length} events, not ${EVENTS}`);
	return id;
}

/**
 * Init script: defines `window.__onScreen(count)`, resolving with performance.now() at the paint
 * after `count` timeline items are in the DOM and the first one is visible; and, on a case page
 * loaded while `reload` is set, starts it at once as `window.__bench`.
 * @param {{ count: number, reload: boolean }} arg
 */
function installMeasure({ count, reload }) {
	const w = /** @type {BenchWindow} */ (window);
	w.__onScreen = () =>
		new Promise((resolve) => {
			const ready = () => {
				const items = document.querySelectorAll('li[data-type]');
				const first = items[0];
				return (
					items.length >= count &&
					first instanceof HTMLElement &&
					first.checkVisibility() &&
					first.getBoundingClientRect().height > 0
				);
			};
			const done = () => {
				observer.disconnect();
				requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
			};
			const observer = new MutationObserver(() => {
				if (ready()) done();
			});
			observer.observe(document, { childList: true, subtree: true, attributes: true });
			if (ready()) done();
		});
	if (reload && location.pathname.startsWith('/cases/')) w.__bench = w.__onScreen();
}
/** @typedef {Window & { __onScreen?: () => Promise<number>, __bench?: Promise<number> }} BenchWindow */
/** In the page: the measurement started last. */
const measured = () =>
	/** @type {BenchWindow} */ (window).__bench ?? Promise.reject(new Error('nothing measured'));

/** @param {number[]} xs */
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** @param {number} ms */
const fmt = (ms) => `${ms.toFixed(1)} ms`;

ensureBuild();
const app = await startApp();
const browser = await chromium
	.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS })
	.catch(async (/** @type {unknown} */ err) => {
		await app.stop();
		throw err;
	});
try {
	const id = await seedCase(app.url);
	const context = await browser.newContext({
		viewport: { width: 360, height: 800 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai'
	});
	await context.addInitScript(installMeasure, { count: EVENTS, reload: false });
	const page = await context.newPage();
	await logIn(page, app.url);
	const row = page.locator(`li[data-case="${id}"] a`);
	const items = page.locator('li[data-type]');

	// Online once: the case is stored on the device; then the service worker must control the page.
	await row.click();
	await page.getByText('已与服务器同步').first().waitFor({ timeout: 30_000 });
	await page.waitForFunction(
		(n) => document.querySelectorAll('li[data-type]').length === n,
		EVENTS
	);
	await page.goto(`${app.url}/`);
	await page.evaluate(async () => {
		await navigator.serviceWorker.register('/service-worker.js');
		await navigator.serviceWorker.ready;
	});
	if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null)))
		await page.reload();
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	await row.waitFor();
	await context.setOffline(true);
	if (await page.evaluate(() => navigator.onLine)) throw new Error('the page is still online');

	/** @type {number[]} */
	const runs = [];
	for (let i = 0; i < RUNS; i++) {
		await page.evaluate((href) => {
			const w = /** @type {BenchWindow} */ (window);
			const link = document.querySelector(`a[href="${href}"]`);
			if (!link) throw new Error('no row link');
			w.__bench = new Promise((resolve) => {
				const click = () => {
					const t0 = performance.now();
					void w.__onScreen?.().then((t1) => resolve(t1 - t0));
				};
				link.addEventListener('click', click, { capture: true, once: true });
			});
		}, `/cases/${id}`);
		await row.click();
		runs.push(await page.evaluate(measured));
		if ((await items.count()) !== EVENTS) throw new Error(`run ${i + 1}: not ${EVENTS} items`);
		await page.goBack();
		await page.waitForURL((u) => u.pathname === '/');
		await row.waitFor();
	}

	// A full reload of the case page offline: the service worker serves the app, IndexedDB the case.
	await page.addInitScript(installMeasure, { count: EVENTS, reload: true });
	await page.goto(`${app.url}/cases/${id}`);
	const reload = await page.evaluate(measured);
	const viaWorker = await page.evaluate(() => navigator.serviceWorker.controller !== null);

	const sorted = [...runs].sort((a, b) => a - b);
	const med = median(runs);
	console.log(`Case with ${EVENTS} events, school1, Chromium 360×800, offline:\n`);
	console.log(`list → case (client-side navigation), N=${RUNS}`);
	console.log(`  runs:   ${runs.map((r) => r.toFixed(1)).join(', ')} ms`);
	console.log(`  median: ${fmt(med)}`);
	console.log(`  min:    ${fmt(sorted[0])}`);
	console.log(`  max:    ${fmt(sorted[sorted.length - 1])}`);
	console.log(
		`full reload of /cases/<id> (navigation start → timeline painted, service worker ${viaWorker ? 'in control' : 'NOT in control'}): ${fmt(reload)}`
	);
	console.log(`events on the timeline: ${await items.count()}`);
	console.log(
		`aim ≤ ${AIM_MS} ms: navigation median ${med <= AIM_MS ? 'met' : 'NOT met'}, reload ${reload <= AIM_MS ? 'met' : 'NOT met'}`
	);
} finally {
	await browser.close();
	await app.stop();
}
