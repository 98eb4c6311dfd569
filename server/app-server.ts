import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

export interface AppServerOptions {
	/** 0 picks a free port (tests). */
	port: number;
	/** Interface to bind; loopback unless the environment says otherwise. */
	host?: string;
	/** The adapter-static output: `build/` with `index.html` as the SPA fallback. */
	buildDir: string;
}

export interface AppServer {
	/** Base URL the server answers on, e.g. `http://127.0.0.1:8080`. */
	url: string;
	close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.ico': 'image/x-icon',
	'.woff2': 'font/woff2',
	'.woff': 'font/woff',
	'.txt': 'text/plain; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.wasm': 'application/wasm'
};

function contentType(path: string): string {
	return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store'
	});
	res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
	res.writeHead(status, {
		'content-type': 'text/plain; charset=utf-8',
		'content-length': Buffer.byteLength(text)
	});
	res.end(text);
}

/** The file under `root` a URL path names, or null when it would escape `root` or is malformed. */
function fileFor(root: string, pathname: string): string | null {
	let decoded: string;
	try {
		decoded = decodeURIComponent(pathname);
	} catch {
		return null;
	}
	if (decoded.includes('\0')) return null;
	const full = resolve(root, '.' + decoded);
	return full === root || full.startsWith(root + sep) ? full : null;
}

async function isFile(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isFile();
	} catch {
		return false;
	}
}

async function sendFile(
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
	cacheControl: string
): Promise<void> {
	const info = await stat(path);
	res.writeHead(200, {
		'content-type': contentType(path),
		'content-length': info.size,
		'cache-control': cacheControl,
		'x-content-type-options': 'nosniff'
	});
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	await new Promise<void>((done, fail) => {
		const stream = createReadStream(path);
		stream.on('error', fail);
		res.on('close', () => {
			stream.destroy();
			done();
		});
		stream.pipe(res);
	});
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const { pathname } = new URL(req.url ?? '/', 'http://localhost');

	if (pathname === '/api/health') {
		if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false });
		return sendJson(res, 200, { ok: true });
	}
	if (pathname.startsWith('/api/')) return sendJson(res, 404, { ok: false, error: 'not found' });

	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.setHeader('allow', 'GET, HEAD');
		return sendText(res, 405, 'Method Not Allowed');
	}

	const file = fileFor(root, pathname);
	if (file === null) return sendText(res, 400, 'Bad Request');
	if (await isFile(file)) {
		// Hashed build output never changes under its name; everything else must be revalidated
		// so a new deployment is picked up.
		const immutable = pathname.startsWith('/_app/immutable/');
		return sendFile(req, res, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
	}
	// A missing asset (a name with an extension) is a 404; any other path is a client-side
	// route, answered with the SPA fallback page.
	if (extname(pathname) !== '') return sendText(res, 404, 'Not Found');
	return sendFile(req, res, join(root, 'index.html'), 'no-cache');
}

/** Serves the built SPA and `/api/health` over plain node:http; resolves once listening. */
export async function createAppServer(options: AppServerOptions): Promise<AppServer> {
	const root = resolve(options.buildDir);
	const host = options.host ?? '127.0.0.1';
	const server = createServer((req, res) => {
		handle(root, req, res).catch(() => {
			// No request details in logs: URLs may carry personal data (DESIGN.md).
			console.error('app-server: request failed');
			if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
			else res.destroy();
		});
	});

	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(options.port, host, () => {
			server.off('error', fail);
			done();
		});
	});

	const { port } = server.address() as AddressInfo;
	const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	const urlHost = shownHost.includes(':') ? `[${shownHost}]` : shownHost;

	return {
		url: `http://${urlHost}:${port}`,
		close: () =>
			new Promise<void>((done, fail) => {
				server.close((err) => (err ? fail(err) : done()));
				server.closeAllConnections();
			})
	};
}
