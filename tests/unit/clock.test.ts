import { describe, expect, it } from 'vitest';
import { clockFromSetting, offsetClock, parseInstant } from '../../server/clock';

describe('relay clock (NOW)', () => {
	it('parses ISO instants with an offset or Z, and nothing else', () => {
		expect(parseInstant('2025-10-21T09:00:00+08:00')?.toISOString()).toBe(
			'2025-10-21T01:00:00.000Z'
		);
		expect(parseInstant('2025-10-21T01:00:00.000Z')?.toISOString()).toBe(
			'2025-10-21T01:00:00.000Z'
		);
		for (const bad of ['2025-10-21', '2025-10-21T09:00:00', '2025-02-30T09:00:00Z', 'tomorrow', ''])
			expect(parseInstant(bad), bad).toBeNull();
	});

	it('starts at the given instant and runs on with real time', () => {
		let real = 1_000_000;
		const now = offsetClock(new Date('2025-10-21T01:00:00.000Z'), () => real);
		expect(now().toISOString()).toBe('2025-10-21T01:00:00.000Z');
		real += 61_000;
		expect(now().toISOString()).toBe('2025-10-21T01:01:01.000Z');
	});

	it('is real time when NOW is unset; refuses NOW in production and when invalid', () => {
		const real = clockFromSetting(undefined, true);
		expect(real.ok && real.fixedAt).toBe(null);
		const fixed = clockFromSetting('2025-10-21T09:00:00+08:00', false);
		expect(fixed.ok && fixed.fixedAt?.toISOString()).toBe('2025-10-21T01:00:00.000Z');
		const prod = clockFromSetting('2025-10-21T09:00:00+08:00', true);
		expect(prod.ok ? '' : prod.error).toMatch(/生产环境.*production/);
		const bad = clockFromSetting('2025-10-21', false);
		expect(bad.ok ? '' : bad.error).toMatch(/ISO 8601.*"2025-10-21"/);
	});
});
