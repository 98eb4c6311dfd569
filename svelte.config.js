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
		serviceWorker: { register: false }
	}
};

export default config;
