/**
 * Issue 13: the one relay client (src/lib/protocol/client.ts) against the real relay (real
 * SQLite, tests/integration/relay-harness.ts) and against real loopback HTTP servers started
 * here (a closed port, a server answering wrong JSON or a proxy's HTML page). No fetch mocks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	RELAY_MESSAGES,
	RelayClient,
	lazy,
	type RelaySession
} from '../../src/lib/protocol/client';
import { caseListGuard, loginAnswerGuard } from '../../src/lib/protocol/guards';
import { loginAnswer } from '../../src/lib/protocol/auth';
import { caseListAnswer } from '../../src/lib/protocol/cases';
import { quarantineListSchema } from '../../src/lib/protocol/quarantine';
import { login, startRelay, type TestRelay } from './relay-harness';

/** A session as the app's SessionManager is one: base, token, and a count of expiries. */
function session(apiBase: string, token: string | null): RelaySession & { expired: number } {
	return {
		apiBase,
		token,
		expired: 0,
		markExpired() {
			this.expired++;
		}
	};
}

/** A loopback HTTP server answering every request with `status` and `body` as given. */
async function serve(status: number, type: string, body: string): Promise<Server> {
	const server = createServer((_req, res) => {
		res.writeHead(status, { 'content-type': type });
		res.end(body);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return server;
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

describe('the relay client (issue 13)', () => {
	let t: TestRelay;
	let school: string;
	beforeAll(async () => {
		t = await startRelay();
		school = await login(t, 'school1');
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('parses an answer with its schema, or with the first screen’s zod-free parser', async () => {
		const client = new RelayClient(session(t.url, school));
		const guarded = await client.get('/api/cases', caseListGuard);
		const parsed = await client.get('/api/cases', caseListAnswer);
		expect(guarded.ok && parsed.ok).toBe(true);
		if (!guarded.ok || !parsed.ok) return;
		expect(guarded.value.cases.length).toBeGreaterThan(0);
		expect(guarded.value.cases.map((c) => c.id)).toEqual(parsed.value.cases.map((c) => c.id));
	});

	it('a 401 marks the session expired and brings the relay’s message', async () => {
		const s = session(t.url, 'not-a-token');
		const r = await new RelayClient(s).get('/api/cases', caseListGuard);
		expect(r).toMatchObject({ ok: false, status: 401, message: { zh: '请先登录' } });
		expect(s.expired).toBe(1);
	});

	it('a wrong password is a refusal of the login, not an expired session', async () => {
		const s = session(t.url, null);
		const r = await new RelayClient(s).post(
			'/api/login',
			{ username: 'school1', password: 'wrong' },
			loginAnswerGuard,
			{ auth: false }
		);
		expect(r).toMatchObject({ ok: false, status: 401, message: { zh: '用户名或密码错误' } });
		expect(s.expired).toBe(0);
	});

	it('without a token nothing is sent: logged out', async () => {
		const r = await new RelayClient(session(t.url, null)).get('/api/cases', caseListGuard);
		expect(r).toMatchObject({ ok: false, status: 'logged-out', message: RELAY_MESSAGES.loggedOut });
	});

	it('a refusal of the relay gives its Chinese message (403 quarantine for a school)', async () => {
		const r = await new RelayClient(session(t.url, school)).get(
			'/api/quarantine',
			lazy(() => import('../../src/lib/protocol/quarantine'), 'quarantineListSchema')
		);
		expect(r).toMatchObject({
			ok: false,
			status: 403,
			message: { zh: '只有区教体局可以查看被拒绝的修改（隔离区）' }
		});
		if (!r.ok) expect(r.body).toMatchObject({ error: 'forbidden' });
	});

	it('a closed port answers offline', async () => {
		const server = await serve(200, 'application/json', '{}');
		const url = urlOf(server);
		await close(server); // the port is free now: nobody answers there
		const s = session(url, school);
		const r = await new RelayClient(s).get('/api/cases', caseListGuard);
		expect(r).toEqual({
			ok: false,
			status: 'offline',
			message: RELAY_MESSAGES.offline,
			body: null
		});
		expect(s.expired).toBe(0);
	});

	it('a malformed answer is refused with a Chinese message, never cast', async () => {
		// A real server answering 200 with JSON that is not a case list (a row without its stage).
		const wrong = JSON.stringify({
			today: '2026-11-23',
			calendarVersion: 'v1',
			cases: [{ id: 'case-1', student: '某' }]
		});
		const server = await serve(200, 'application/json', wrong);
		try {
			const client = new RelayClient(session(urlOf(server), school));
			for (const schema of [caseListGuard, caseListAnswer]) {
				const r = await client.get('/api/cases', schema);
				expect(r).toMatchObject({ ok: false, status: 'malformed' });
				if (!r.ok) expect(r.message.zh).toBe('服务器返回的数据格式不对');
			}
			const quarantine = await client.get('/api/quarantine', quarantineListSchema);
			expect(quarantine).toMatchObject({ ok: false, status: 'malformed' });
		} finally {
			await close(server);
		}
	});

	it('a proxy’s HTML error page names the status; a 200 that is not JSON is malformed', async () => {
		const page = await serve(502, 'text/html', '<html><body>Bad Gateway</body></html>');
		const notJson = await serve(200, 'text/html', '<html>hello</html>');
		try {
			const r = await new RelayClient(session(urlOf(page), school)).get(
				'/api/cases',
				caseListGuard
			);
			expect(r).toMatchObject({ ok: false, status: 502, message: { zh: '服务器错误（502）' } });
			const m = await new RelayClient(session(urlOf(notJson), school)).get(
				'/api/login',
				loginAnswer
			);
			expect(m).toMatchObject({ ok: false, status: 'malformed' });
		} finally {
			await Promise.all([close(page), close(notJson)]);
		}
	});
});
