import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A static SPA with a fallback page: the relay serves it and the service worker caches it (DESIGN.md).
		adapter: adapter({ fallback: 'index.html' }),
		// src/lib/pwa/updates.svelte.ts registers the worker itself, so that a new version waits
		// for the user's "refresh" instead of switching under them.
		serviceWorker: { register: false },
		// A strict policy (issue 10): no inline script but SvelteKit's own boot script, allowed by
		// its hash (the pages are prerendered, so hashes, not nonces). The policy arrives as a
		// <meta> tag, which cannot carry frame-ancestors: the relay sends the same policy as a
		// header with frame-ancestors 'none' added (server/http/static-files.ts). Styles allow
		// 'unsafe-inline': Svelte sets style attributes and transitions insert <style> elements.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
