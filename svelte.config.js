import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A static SPA with a fallback page: the relay serves it and the service worker caches it (DESIGN.md).
		adapter: adapter({ fallback: 'index.html' })
	}
};

export default config;
