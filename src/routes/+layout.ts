import type { LayoutLoad } from './$types';

// A static SPA: the relay serves the fallback page and the client renders everything (DESIGN.md).
export const ssr = false;
export const prerender = false;

/** Issue 16: the first screen — the login page and the case list — needs only its own strings. */
const FIRST_SCREEN: ReadonlySet<string | null> = new Set(['/', '/login']);

/**
 * Every other page's strings (`$lib/i18n/messages`) load before it renders, from the service
 * worker's cache when offline; once loaded they stay for the rest of the visit.
 */
export const load: LayoutLoad = async ({ route }) => {
	if (!FIRST_SCREEN.has(route.id)) await import('$lib/i18n/messages');
};
