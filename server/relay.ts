import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE } from '../src/lib/protocol/ws';
import { canSeeCase } from '../src/lib/rules/access';
import { LoginThrottle } from './auth/throttle';
import type { TokenService } from './auth/tokens';
import { createCalendarService, type CalendarService } from './calendar';
import { createApi } from './http/api';
import { createHealth } from './http/health';
import { AnswerSchemaError } from './http/common';
import { PreviewStore, type PreviewLimits } from './roster/previews';
import { API_CSP, SECURITY_HEADERS, sendText, serveStatic } from './http/static-files';
import { storageFault } from './storage/faults';
import type { Storage } from './storage/types';
import { migrateIds } from './migrate-ids';
import { DocRegistry } from './sync/doc-registry';
import { SyncServer, toBytes } from './sync/sync-server';
import { FamilySync } from './sync/family-sync';
import { isFamilyId } from '../src/lib/domain/family';

export interface RelayOptions {
	/** 0 picks a free port (tests). */
	port: number;
	/** Interface to bind (default 127.0.0.1). */
	host?: string;
	storage: Storage;
	tokens: TokenService;
	/** The clock: "today" for the rules, receive times, token expiry. */
	now?: () => Date;
	/**
	 * The calendar and terms to evaluate with (G-T3). Default: a service the relay creates over
	 * `storage` and closes with itself; one given here stays the caller's to close.
	 */
	calendar?: CalendarService;
	/** How often the relay's own calendar service re-reads the stored entries (default 10 000 ms). */
	calendarPollMs?: number;
	/** The built app to serve (adapter-static output); null serves no app. */
	buildDir?: string | null;
	limits?: {
		/** Largest websocket message (default 1 MiB); larger closes that socket with 1009. */
		maxMessageBytes?: number;
		/** Largest JSON body over HTTP (default 1 MiB). */
		maxBodyBytes?: number;
		/** Failed logins per username or address per minute before 429 (default 10). */
		maxLoginFailures?: number;
		/** Roster previews: per user and overall (server/roster/previews.ts PREVIEW_LIMITS). */
		previews?: Partial<PreviewLimits>;
	};
	/**
	 * Where roster previews wait for their confirmation (main.ts: DATA_DIR/previews). Default:
	 * a new directory under the system's temp dir, removed when the relay closes.
	 */
	previewDir?: string;
	/**
	 * Origins besides the relay's own whose pages may open the sync socket (env ALLOWED_ORIGINS,
	 * e.g. `https://yishengyian.example.gov.cn`): exact `scheme://host[:port]` strings.
	 */
	allowedOrigins?: readonly string[];
	/** `GET /api/health` probes the database at most once per `minIntervalMs` (default 5000). */
	health?: { minIntervalMs?: number };
	/** Log sink (default console.log). Lines never carry personal data. */
	log?: (line: string) => void;
}

export interface Relay {
	url: string;
	port: number;
	/** Number of case documents in memory. */
	loadedDocs(): number;
	close(): Promise<void>;
}

const MIB = 1024 * 1024;

/**
 * The relay: one Node process serving the built app, `/api/*` and `/sync/<caseId>` on one port.
 * Authenticates, checks every update with the shared rules, persists before it applies, and
 * fans out (DESIGN.md). A factory with no module-level state, so tests start several.
 */
export async function createRelay(options: RelayOptions): Promise<Relay> {
	const now = options.now ?? (() => new Date());
	const log = options.log ?? ((line: string) => console.log(line));
	const { storage, tokens } = options;
	// Issue 11: before any case is served, no stored case holds a full ID number (idempotent).
	const migrated = await migrateIds(storage, { now: now() });
	if (migrated.changed.length || migrated.quarantine || migrated.failed.length)
		log(
			`身份证号迁移 / ID-number migration: ${migrated.changed.length} of ${migrated.cases} cases masked, ${migrated.numbers} numbers moved, ${migrated.quarantine} quarantined updates masked, ${migrated.failed.length} failed${migrated.failed.length ? ` (${migrated.failed.map((f) => f.caseId).join(', ')})` : ''}`
		);
	const maxMessageBytes = options.limits?.maxMessageBytes ?? MIB;
	const throttle = new LoginThrottle({
		maxFailures: options.limits?.maxLoginFailures ?? 10,
		windowMs: 60_000,
		now: () => now().getTime()
	});
	const calendarService =
		options.calendar ??
		(await createCalendarService({ storage, now, log, pollMs: options.calendarPollMs }));
	// Everything that evaluates asks for the calendar at the moment it evaluates (G-T3).
	const calendar = () => calendarService.current();
	const registry = new DocRegistry(storage, calendar, { now, log });
	const previewDir = options.previewDir ?? mkdtempSync(join(tmpdir(), 'ysya-previews-'));
	const previews = new PreviewStore(previewDir, now, options.limits?.previews);
	const api = createApi({
		previews,
		storage,
		liveSnapshot: (id) => registry.peek(id)?.snapshot,
		tokens,
		throttle,
		now,
		calendar,
		calendarService,
		maxBodyBytes: options.limits?.maxBodyBytes ?? MIB,
		setAside: (id) => registry.setAsideOf(id),
		holdCase: (id, work) => registry.exclusive(id, (entry) => sync.closeForRewrite(entry), work),
		log
	});
	const sync = new SyncServer({ registry, storage, now, calendar, log });
	const families = new FamilySync({ storage, now, log });
	const health = createHealth({ storage, log, minIntervalMs: options.health?.minIntervalMs });
	const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

	function closePreviews(): void {
		previews.close();
		if (!options.previewDir) rmSync(previewDir, { recursive: true, force: true });
	}

	const server: Server = createServer((req, res) => {
		// Defaults for every answer (the .xlsx downloads too); the app's files set their own CSP.
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
		res.setHeader('content-security-policy', API_CSP);
		const { pathname } = new URL(req.url ?? '/', 'http://localhost');
		const work =
			pathname === '/api/health'
				? health.handle(res)
				: pathname.startsWith('/api/')
					? api(req, res, pathname)
					: options.buildDir
						? serveStatic(options.buildDir, req, res)
						: Promise.resolve(sendText(res, 404, 'Not Found'));
		work.catch((err: unknown) => {
			// No URL, body or error text in the log: they may carry personal data. A storage
			// fault is named by its code (SQLITE_FULL, …), so the operator knows what to fix.
			const fault = storageFault(err);
			log(
				fault
					? `http: request failed (${fault.code}: ${fault.message.en})`
					: err instanceof AnswerSchemaError // issue 13: paths and zod's sentences only
						? `http: request failed (${err.message})`
						: 'http: request failed'
			);
			if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
			else res.destroy();
		});
	});

	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const m = /^\/sync\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname);
		if (!m?.[1]) {
			socket.destroy();
			return;
		}
		if (!originAllowed(req)) {
			// A page of another site may open a websocket to us with the user's token in its URL
			// only if it has the token; still, no other origin's page is served at all.
			socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		const caseId = m[1];
		wss.handleUpgrade(req, socket, head, (ws) => {
			void admit(ws, caseId, url.searchParams.get('token') ?? '');
		});
	});

	const allowedOrigins = new Set(options.allowedOrigins ?? []);
	/**
	 * A browser always sends Origin with a websocket handshake: it must be the relay's own (its
	 * host is the Host the request came to, also behind a proxy that passes Host on) or one of
	 * `allowedOrigins`. Without Origin the client is no browser (the relay's tests, scripts):
	 * no page of another site can make such a request, and the token still has to be valid.
	 */
	function originAllowed(req: IncomingMessage): boolean {
		const origin = req.headers.origin;
		if (origin === undefined) return true;
		if (allowedOrigins.has(origin)) return true;
		try {
			const { host, protocol } = new URL(origin);
			return (protocol === 'http:' || protocol === 'https:') && host === req.headers.host;
		} catch {
			return false;
		}
	}

	/** Checks token and access; messages that arrive meanwhile are kept and replayed. */
	async function admit(ws: WebSocket, caseId: string, token: string): Promise<void> {
		const buffered: Uint8Array[] = [];
		const keep = (data: Buffer | ArrayBuffer | Buffer[]) => buffered.push(toBytes(data));
		ws.on('message', keep);
		ws.on('error', () => ws.terminate());
		try {
			const claims = token ? await tokens.verify(token) : null;
			const user = claims ? await storage.getUser(claims.userId) : null;
			if (!claims || !user || user.disabled) return ws.close(CLOSE.unauthorized, 'unauthorized');
			// B-5: a family document has its own sync side (server/sync/family-sync.ts).
			if (isFamilyId(caseId)) {
				const who = { userId: claims.userId, orgId: claims.orgId, orgKind: claims.orgKind };
				return await families.attach(ws, who, caseId, buffered, () => ws.off('message', keep));
			}
			const record = await storage.getCase(caseId);
			if (!record) return ws.close(CLOSE.notFound, 'no such case');
			if (!canSeeCase(claims, record)) return ws.close(CLOSE.forbidden, 'forbidden');
			// Keep buffering while the case loads; attach() takes over the socket in one step.
			await sync.attach(
				ws,
				{
					userId: claims.userId,
					orgId: claims.orgId,
					orgKind: claims.orgKind,
					role: claims.role,
					expiresAt: claims.expiresAt
				},
				caseId,
				buffered,
				() => ws.off('message', keep)
			);
		} catch {
			log('sync: admission failed');
			ws.close(CLOSE.internal, 'internal error');
		}
	}

	try {
		await new Promise<void>((done, fail) => {
			server.once('error', fail);
			server.listen(options.port, options.host ?? '127.0.0.1', () => {
				server.off('error', fail);
				done();
			});
		});
	} catch (err) {
		if (!options.calendar) calendarService.close();
		closePreviews();
		await registry.closeAll();
		throw err;
	}
	const { port } = server.address() as AddressInfo;
	const host = options.host ?? '127.0.0.1';
	const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;

	return {
		url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`,
		port,
		loadedDocs: () => registry.size,
		async close() {
			if (!options.calendar) calendarService.close();
			closePreviews();
			for (const ws of wss.clients) ws.terminate();
			await new Promise<void>((done) => {
				server.close(() => done());
				server.closeAllConnections();
			});
			wss.close();
			await registry.closeAll();
		}
	};
}
