import { isRealDate, isoDateTime } from '../src/lib/domain/primitives';

/**
 * The instant of `NOW` (ISO 8601 with an offset or Z, e.g. `2025-10-21T09:00:00+08:00`), or
 * null when it is not one: a date alone, no offset, or a day that does not exist.
 */
export function parseInstant(raw: string): Date | null {
	if (!isoDateTime.safeParse(raw).success || !isRealDate(raw.slice(0, 10))) return null;
	const ms = Date.parse(raw);
	return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * A clock that starts at `start` and then runs with real time, so a relay can be put on a
 * given day (browser tests) while login throttling windows and token lifetimes still pass.
 */
export function offsetClock(start: Date, realNow: () => number = Date.now): () => Date {
	const offset = start.getTime() - realNow();
	return () => new Date(realNow() + offset);
}

/**
 * The relay's clock from the `NOW` setting: real time when it is unset, else an offset clock
 * starting at that instant. Refused in production (a fixed clock is for tests) and when `NOW`
 * is not an instant; the error is one bilingual line.
 */
export function clockFromSetting(
	raw: string | undefined,
	production: boolean
): { ok: true; now: () => Date; fixedAt: Date | null } | { ok: false; error: string } {
	if (raw === undefined) return { ok: true, now: () => new Date(), fixedAt: null };
	if (production) {
		return {
			ok: false,
			error:
				'生产环境不能设置 NOW（固定时钟仅用于测试）/ NOW must not be set in production (the fixed clock is for tests only)'
		};
	}
	const start = parseInstant(raw);
	if (!start) {
		return {
			ok: false,
			error: `NOW 必须是带时区的 ISO 8601 时刻，如 2025-10-21T09:00:00+08:00 / NOW must be an ISO 8601 instant with an offset, e.g. 2025-10-21T09:00:00+08:00, got "${raw}"`
		};
	}
	return { ok: true, now: offsetClock(start), fixedAt: start };
}
