/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The offline shell (DESIGN.md, issue 4 "Installable PWA"): after one online visit the app
 * starts and reloads with no network. Every built asset, every static file and the SPA fallback
 * page are precached in one cache per build `version`; the previous build's cache is deleted
 * when this worker activates. Case data never passes through here: it lives in IndexedDB
 * (src/lib/sync), and `/api/*` and `/sync/*` always go to the network.
 *
 * A new version installs and then waits: it takes over only when the user taps the update
 * prompt (src/lib/ui/UpdatePrompt.svelte), which posts `SKIP_WAITING`. Switching under an open
 * page would leave it running old code against a cache that no longer holds its chunks.
 */
import { base, build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE_PREFIX = 'ysya-shell-';
const CACHE = `${CACHE_PREFIX}${version}`;
/**
 * adapter-static writes the SPA fallback to `index.html`; with `fallback` set it is not in
 * `prerendered`, so it is named here. Every navigation is answered with it when offline.
 */
const SHELL = `${base}/index.html`;
/** Hashed build output: its name changes with its content, so any copy of it is current. */
const IMMUTABLE = `${base}/_app/immutable/`;
const PRECACHE = [...new Set([...build, ...files, ...prerendered, SHELL])];
const PRECACHED = new Set(PRECACHE);
/**
 * How long a navigation waits for the network before the cached shell answers. On a village
 * connection that is up but barely moving, the shell from the cache beats a blank screen; the
 * app then syncs data in the background when the network allows.
 */
const NAVIGATION_TIMEOUT_MS = 3000;

/** Paths that always go to the network: failures must reach the app so it knows it is offline. */
function networkOnly(pathname: string): boolean {
	return (
		pathname.startsWith(`${base}/api/`) ||
		pathname.startsWith(`${base}/sync/`) ||
		pathname === `${base}/service-worker.js` ||
		pathname === `${base}/_app/version.json`
	);
}

sw.addEventListener('install', (event) => {
	// No skipWaiting() here: a new version waits for the user (see the header comment).
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			// Unhashed files bypass the HTTP cache, so the shell matches this build's assets.
			// addAll is all-or-nothing: a flaky network fails the install, which is retried later,
			// rather than leaving a shell whose chunks are missing.
			await cache.addAll(
				PRECACHE.map((url) =>
					url.startsWith(IMMUTABLE) ? url : new Request(url, { cache: 'reload' })
				)
			);
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key.startsWith(CACHE_PREFIX) && key !== CACHE) await caches.delete(key);
			}
			// Lets the network request of a navigation start while this worker boots (slow phones).
			await sw.registration.navigationPreload?.enable();
			// The first install controls the open page at once, so its later chunk loads are cached
			// ones; after an update the page reloads anyway (controllerchange).
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	const data: unknown = event.data;
	if (
		typeof data === 'object' &&
		data !== null &&
		(data as { type?: unknown }).type === 'SKIP_WAITING'
	) {
		void sw.skipWaiting();
	}
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	// Not calling respondWith leaves the request to the browser, exactly as without a worker.
	if (networkOnly(url.pathname)) return;

	if (request.mode === 'navigate') {
		event.respondWith(navigate(event));
		return;
	}
	if (PRECACHED.has(url.pathname) || url.pathname.startsWith(IMMUTABLE)) {
		event.respondWith(cacheFirst(request, url.pathname));
	}
	// Anything else (a file not in this build) goes to the network as usual.
});

/** Network first, with a deadline; the cached shell when offline, slow or the server fails. */
async function navigate(event: FetchEvent): Promise<Response> {
	const controller = new AbortController();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const deadline = new Promise<null>((resolve) => {
		timer = setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS);
	});
	const preload = event.preloadResponse as Promise<Response | undefined> | undefined;
	// Settled or not, the preload must be waited on, or the browser cancels it with a warning.
	if (preload) event.waitUntil(preload.catch(() => undefined));
	const network = (async (): Promise<Response | null> => {
		try {
			const preloaded = await preload;
			return preloaded ?? (await fetch(event.request, { signal: controller.signal }));
		} catch {
			return null;
		}
	})();
	const response = await Promise.race([network, deadline]);
	clearTimeout(timer);
	// A 5xx (relay restarting, app not built) is no better than no answer.
	if (response && response.status < 500) return response;
	controller.abort();
	const shell = await caches.match(SHELL, { cacheName: CACHE });
	if (shell) return shell;
	// No shell yet (the first visit is still installing): wait for the network after all.
	return (await network) ?? Response.error();
}

/** This build's copy when it has one (always, after install); else the network. */
async function cacheFirst(request: Request, pathname: string): Promise<Response> {
	const cached = await caches.match(pathname, { cacheName: CACHE });
	return cached ?? fetch(request);
}
