import { test as base, expect, type BrowserContext } from '@playwright/test';
import { e2eNow } from './clock';

/**
 * Puts a context's pages on the e2e clock: they start at the e2e timeline's now (`E2E_NOW` when
 * the relay came up, plus the time since) and time flows from there (timers run as usual). Call
 * before the context's first page. Service workers keep the real clock; the app's worker never
 * asks for a date.
 */
export async function installClock(context: BrowserContext): Promise<void> {
	await context.clock.install({ time: e2eNow() });
}

/** Playwright's `test` whose `context` (and so `page`) runs on the e2e clock. */
export const test = base.extend({
	context: async ({ context }, use) => {
		await installClock(context);
		await use(context);
	}
});

export { expect };
