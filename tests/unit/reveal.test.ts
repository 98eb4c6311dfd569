import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REVEAL_SECONDS, TimedReveal } from '../../src/lib/ui/reveal.svelte';

const FULL = '410402201205140011';

describe('a revealed ID number is shown for a short time only (issue 11)', () => {
	beforeEach(() => {
		vi.useFakeTimers({ now: new Date('2025-10-21T01:00:00Z') });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('is shown for REVEAL_SECONDS (30 s), counting down, then hidden', async () => {
		expect(REVEAL_SECONDS).toBe(30);
		const r = new TimedReveal();
		expect(await r.run(() => Promise.resolve(FULL))).toBe('shown');
		expect(r.value).toBe(FULL);
		expect(r.secondsLeft).toBe(30);
		vi.advanceTimersByTime(10_000);
		expect(r.secondsLeft).toBe(20);
		vi.advanceTimersByTime(19_000);
		expect(r.value).toBe(FULL);
		expect(r.secondsLeft).toBe(1);
		vi.advanceTimersByTime(1_000);
		expect(r.value).toBeNull();
		expect(r.secondsLeft).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('counts from the clock: a late tick after a long pause hides at once', async () => {
		let now = Date.now();
		const r = new TimedReveal(30, () => now);
		await r.run(() => Promise.resolve(FULL));
		now += 60_000; // timers throttled in a background tab
		vi.advanceTimersByTime(250);
		expect(r.value).toBeNull();
	});

	it('hide takes the number away at once, and a late answer is dropped', async () => {
		const r = new TimedReveal();
		await r.run(() => Promise.resolve(FULL));
		r.hide();
		expect(r.value).toBeNull();
		expect(vi.getTimerCount()).toBe(0);

		let answer: (v: string | null) => void = () => undefined;
		const pending = r.run(() => new Promise((resolve) => (answer = resolve)));
		r.hide(); // the page was hidden while the relay answered
		answer(FULL);
		expect(await pending).toBe('stale');
		expect(r.value).toBeNull();
	});

	it('a refused or offline reveal shows nothing', async () => {
		const r = new TimedReveal();
		expect(await r.run(() => Promise.resolve(null))).toBe('failed');
		expect(r.value).toBeNull();
	});

	it('a second reveal starts the 30 s again, with one timer', async () => {
		const r = new TimedReveal();
		await r.run(() => Promise.resolve(FULL));
		vi.advanceTimersByTime(20_000);
		await r.run(() => Promise.resolve(FULL));
		expect(r.secondsLeft).toBe(30);
		expect(vi.getTimerCount()).toBe(1);
		vi.advanceTimersByTime(29_000);
		expect(r.value).toBe(FULL);
	});
});
