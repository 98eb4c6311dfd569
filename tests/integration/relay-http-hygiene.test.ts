import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCase, login, startRelay, type TestRelay } from './relay-harness';

/** The policy SvelteKit writes into the built page (svelte.config.js kit.csp), as it writes it. */
const META_POLICY =
	"default-src 'self'; script-src 'self' 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'";

/** A stand-in for `build/`: the fallback page with its <meta> policy, an asset, the worker. */
function fakeBuild(): string {
	const dir = mkdtempSync(join(tmpdir(), 'ysya-build-'));
	writeFileSync(
		join(dir, 'index.html'),
		`<!doctype html><html><head><meta http-equiv="content-security-policy" content="${META_POLICY}"><script>boot()</script></head><body></body></html>`
	);
	mkdirSync(join(dir, '_app', 'immutable'), { recursive: true });
	writeFileSync(join(dir, '_app', 'immutable', 'start.js'), 'export {};');
	writeFileSync(join(dir, 'service-worker.js'), 'self.addEventListener("fetch", () => {});');
	writeFileSync(join(dir, 'manifest.webmanifest'), '{"name":"一生一案"}');
	return dir;
}

const PAGE_POLICY = `${META_POLICY}; frame-ancestors 'none'`;
const ASSET_POLICY = "default-src 'self'; object-src 'none'; frame-ancestors 'none'";
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

function expectHygiene(res: Response, policy: string): void {
	expect(res.headers.get('content-security-policy')).toBe(policy);
	expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	expect(res.headers.get('referrer-policy')).toBe('no-referrer');
	expect(res.headers.get('permissions-policy')).toBe(
		'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
	);
}

describe('HTTP hygiene of the relay (issue 10)', () => {
	let t: TestRelay;
	let build: string;
	beforeAll(async () => {
		build = fakeBuild();
		t = await startRelay({
			relay: { buildDir: build, allowedOrigins: ['https://yishengyian.example.gov.cn'] }
		});
	});
	afterAll(async () => {
		await t.dispose();
		rmSync(build, { recursive: true, force: true });
	});

	it('serves the app page with its own policy plus frame-ancestors, nosniff, no referrer', async () => {
		for (const path of ['/', '/cases/case-1']) {
			const res = await fetch(`${t.url}${path}`);
			expect(res.status).toBe(200);
			expectHygiene(res, PAGE_POLICY);
		}
	});

	it('serves assets, the service worker and the manifest same-origin only, never framed', async () => {
		for (const path of [
			'/_app/immutable/start.js',
			'/service-worker.js',
			'/manifest.webmanifest'
		]) {
			const res = await fetch(`${t.url}${path}`);
			expect(res.status).toBe(200);
			expectHygiene(res, ASSET_POLICY);
		}
	});

	it('answers the API, its errors and its downloads with nothing to load or frame', async () => {
		const token = await login(t, 'bureau1');
		const answers = [
			await fetch(`${t.url}/api/health`),
			await fetch(`${t.url}/api/cases`),
			await fetch(`${t.url}/missing.js`),
			await fetch(`${t.url}/api/reports/quarterly?year=2026&quarter=4&format=xlsx`, {
				headers: { authorization: `Bearer ${token}` }
			})
		];
		expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 200]);
		for (const res of answers) expectHygiene(res, API_POLICY);
	});

	it('takes a login only as application/json (415 otherwise)', async () => {
		const body = JSON.stringify({ username: 'school1', password: 'demo-pass' });
		const post = (type: string | null) =>
			fetch(`${t.url}/api/login`, {
				method: 'POST',
				headers: type ? { 'content-type': type } : {},
				body
			});
		for (const type of ['text/plain', 'application/x-www-form-urlencoded', null]) {
			const res = await post(type);
			expect(res.status, String(type)).toBe(415);
			expect(((await res.json()) as { message: { zh: string } }).message.zh).toBe(
				'请求内容必须是 JSON（Content-Type: application/json）'
			);
		}
		expect((await post('application/json; charset=utf-8')).status).toBe(200);
	});

	it('opens the sync socket for its own origin, a configured one or none; refuses others with 403', async () => {
		const token = await login(t, 'school1');
		const caseId = await createCase(t, token);
		const open = (origin?: string) =>
			new Promise<number>((resolve) => {
				const ws = new WebSocket(`${t.wsUrl}/${caseId}?token=${token}`, origin ? { origin } : {});
				ws.on('open', () => {
					ws.close();
					resolve(101);
				});
				ws.on('unexpected-response', (_req, res) => {
					resolve(res.statusCode ?? 0);
					ws.terminate();
				});
				ws.on('error', () => resolve(-1));
			});
		expect(await open()).toBe(101);
		expect(await open(t.url)).toBe(101);
		expect(await open('https://yishengyian.example.gov.cn')).toBe(101);
		expect(await open('http://evil.example')).toBe(403);
		expect(await open(t.url.replace('127.0.0.1', 'localhost'))).toBe(403);
		expect(await open('null')).toBe(403);
	});

	it('keeps the database, its log and the JWT secret readable by their owner only (0600)', () => {
		for (const name of ['yishengyian.sqlite', 'yishengyian.sqlite-wal', 'jwt-secret']) {
			expect(statSync(join(t.dataDir, name)).mode & 0o777, name).toBe(0o600);
		}
	});
});
