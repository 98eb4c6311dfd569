/**
 * The instant the browser tests run at, whatever the machine's date: the relay starts its clock
 * here (`NOW`, playwright.config.ts) and the pages follow it (`./fixtures`); both then run on
 * with real time. Tuesday 2025-10-21, 09:00 China time, a school day of the
 * 2025-09-01..2026-01-23 term. The dates the specs expect are counted by hand from this day,
 * never by the rules.
 */
export const E2E_NOW = '2025-10-21T09:00:00+08:00';

/** Where global-setup.ts leaves the real time (ms) at which the relay answered. */
const ORIGIN_VAR = 'E2E_CLOCK_ORIGIN';

/** Called once the relay is up (global setup runs after `webServer`): the timeline's origin. */
export function markClockOrigin(): void {
	process.env[ORIGIN_VAR] ??= String(Date.now());
}

/**
 * Now on the e2e timeline: `E2E_NOW` plus the real time since the relay answered, the same in
 * every worker. A page clock started at `E2E_NOW` itself would put each new browser context
 * behind the ones opened before it (and the relay), and two users' edits out of order.
 */
export function e2eNow(): Date {
	const origin = Number(process.env[ORIGIN_VAR]);
	if (!Number.isFinite(origin)) {
		throw new Error(`${ORIGIN_VAR} is not set: run the browser tests through playwright.config.ts`);
	}
	return new Date(Date.parse(E2E_NOW) + (Date.now() - origin));
}
