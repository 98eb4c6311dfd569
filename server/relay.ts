import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE } from '../src/lib/sync/protocol';
import { canSeeCase } from './auth/access';
import { LoginThrottle } from './auth/throttle';
import type { TokenService } from './auth/tokens';
import { createCalendarService, type CalendarService } from './calendar';
import { createApi } from './http/api';
import { sendJson, sendText, serveStatic } from './http/static-files';
import type { Storage } from './storage/types';
import { DocRegistry } from './sync/doc-registry';
import { SyncServer, toBytes } from './sync/sync-server';

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
	};
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
	const api = createApi({
		storage,
		liveSnapshot: (id) => registry.peek(id)?.snapshot,
		tokens,
		throttle,
		now,
		calendar,
		calendarService,
		maxBodyBytes: options.limits?.maxBodyBytes ?? MIB,
		setAside: (id) => registry.setAsideOf(id)
	});
	const sync = new SyncServer({ registry, storage, now, calendar, log });
	const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

	const server: Server = createServer((req, res) => {
		const { pathname } = new URL(req.url ?? '/', 'http://localhost');
		const work =
			pathname === '/api/health'
				? Promise.resolve(sendJson(res, 200, { ok: true }))
				: pathname.startsWith('/api/')
					? api(req, res, pathname)
					: options.buildDir
						? serveStatic(options.buildDir, req, res)
						: Promise.resolve(sendText(res, 404, 'Not Found'));
		work.catch(() => {
			// No URL or body in the log: they may carry personal data.
			log('http: request failed');
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
		const caseId = m[1];
		wss.handleUpgrade(req, socket, head, (ws) => {
			void admit(ws, caseId, url.searchParams.get('token') ?? '');
		});
	});

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
			const record = await storage.getCase(caseId);
			if (!record) return ws.close(CLOSE.notFound, 'no such case');
			if (!canSeeCase(claims, record)) return ws.close(CLOSE.forbidden, 'forbidden');
			// Keep buffering while the case loads; attach() takes over the socket in one step.
			await sync.attach(
				ws,
				{ userId: claims.userId, orgId: claims.orgId, orgKind: claims.orgKind, role: claims.role },
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
