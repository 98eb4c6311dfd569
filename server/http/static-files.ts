import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

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

/**
 * On every answer: no MIME sniffing, no referrer (case URLs name cases), and none of the
 * powerful features, which the app never uses.
 */
export const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
} as const;

/** The policy of answers that are not the app's pages (JSON, text): nothing loads, nothing frames. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/**
 * The policy of the app's other files. The service worker runs under the policy of its own
 * script's answer, and it fetches the app's files: same origin only, never framed.
 */
export const ASSET_CSP = "default-src 'self'; object-src 'none'; frame-ancestors 'none'";

const META_CSP = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"/i;
const pageCsp = new Map<string, { mtimeMs: number; csp: string }>();

/**
 * The policy of an HTML page: the one SvelteKit wrote into its <meta> tag (with the hash of its
 * boot script, svelte.config.js), plus frame-ancestors, which a <meta> tag cannot carry. A page
 * built without one still gets the directives a <meta> tag cannot give.
 */
async function cspOfPage(path: string, mtimeMs: number): Promise<string> {
	const cached = pageCsp.get(path);
	if (cached?.mtimeMs === mtimeMs) return cached.csp;
	const meta = META_CSP.exec(await readFile(path, 'utf8'))?.[1]?.replaceAll('&#39;', "'");
	const csp = `${meta ? `${meta}; ` : "object-src 'none'; base-uri 'self'; "}frame-ancestors 'none'`;
	pageCsp.set(path, { mtimeMs, csp });
	return csp;
}

/** Sends a JSON body; never cached (answers may hold personal data). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		...SECURITY_HEADERS,
		'content-security-policy': API_CSP,
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store'
	});
	res.end(text);
}

/** Sends a plain-text body. */
export function sendText(res: ServerResponse, status: number, text: string): void {
	res.writeHead(status, {
		...SECURITY_HEADERS,
		'content-security-policy': API_CSP,
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
	const type = contentType(path);
	res.writeHead(200, {
		...SECURITY_HEADERS,
		'content-security-policy': type.startsWith('text/html')
			? await cspOfPage(path, info.mtimeMs)
			: ASSET_CSP,
		'content-type': type,
		'content-length': info.size,
		'cache-control': cacheControl
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

/**
 * Serves the built SPA from `root`: hashed assets as immutable, other files revalidated, and
 * any other path that looks like a client-side route gets the fallback page.
 */
export async function serveStatic(
	root: string,
	req: IncomingMessage,
	res: ServerResponse
): Promise<void> {
	const { pathname } = new URL(req.url ?? '/', 'http://localhost');
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
	if (!(await isFile(join(root, 'index.html')))) {
		return sendText(res, 503, '应用尚未构建，请先运行 npm run build / the app is not built yet');
	}
	return sendFile(req, res, join(root, 'index.html'), 'no-cache');
}
