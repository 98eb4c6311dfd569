import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Bilingual } from '../../src/lib/rules/types';
import { storageFault } from '../storage/faults';
import type { Storage } from '../storage/types';
import { healthAnswer } from '../../src/lib/protocol/health';
import { answer } from './common';

export type HealthResult =
	{ ok: true } | { ok: false; error: 'storage'; cause: string; message: Bilingual };

export interface HealthOptions {
	storage: Pick<Storage, 'getSetting' | 'setSetting'>;
	/** One line when the answer changes (never personal data). */
	log: (line: string) => void;
	/** Fewest milliseconds between two probes; answers in between reuse the last (default 5000). */
	minIntervalMs?: number;
	/** A probe slower than this counts as failed (default 5000 ms). */
	timeoutMs?: number;
	/**
	 * Milliseconds of a monotonic clock for the rate limit (default performance.now). Not the
	 * relay's `now`: that one is the domain clock and stands still in tests.
	 */
	elapsedMs?: () => number;
}

const PROBE_KEY = 'health-probe';
const PROBE_BYTES = 64 * 1024;
const UNREACHABLE: Bilingual = {
	zh: '存储不可用（存储线程没有应答）',
	en: 'the storage is unavailable (its thread did not answer)'
};
const MISMATCH: Bilingual = {
	zh: '数据库读出的内容与写入的不同',
	en: 'the database read back something other than what was written'
};

/**
 * `GET /api/health`: 200 `{"ok":true}` only when the database takes a write and gives it back
 * (one 64 KiB settings row, written and read); 503 with the cause otherwise (disk full, read-only,
 * corrupt, I/O). Probes are rate-limited and shared, so a busy load balancer costs one write
 * per interval.
 */
export function createHealth(options: HealthOptions) {
	const { storage, log } = options;
	const minInterval = options.minIntervalMs ?? 5000;
	const timeoutMs = options.timeoutMs ?? 5000;
	const elapsed = options.elapsedMs ?? (() => performance.now());
	let last: { at: number; result: HealthResult } | null = null;
	let inflight: Promise<HealthResult> | null = null;

	async function probe(): Promise<HealthResult> {
		// 64 KiB, not a few bytes: a nearly full disk still takes a one-page write in the space the
		// log already holds while an audit row (three pages) fails; the probe needs more than that.
		const value = randomBytes(PROBE_BYTES / 2).toString('hex');
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timeout = new Promise<never>((_, fail) => {
			timer = setTimeout(() => fail(new Error('timeout')), timeoutMs);
		});
		try {
			await Promise.race([storage.setSetting(PROBE_KEY, value), timeout]);
			const read = await Promise.race([storage.getSetting(PROBE_KEY), timeout]);
			if (read !== value)
				return { ok: false, error: 'storage', cause: 'mismatch', message: MISMATCH };
			return { ok: true };
		} catch (err) {
			const fault = storageFault(err);
			return fault
				? { ok: false, error: 'storage', cause: fault.code, message: fault.message }
				: { ok: false, error: 'storage', cause: 'unavailable', message: UNREACHABLE };
		} finally {
			clearTimeout(timer);
		}
	}

	/** Logs a change of answer (a start that is healthy is not news). */
	function note(result: HealthResult): void {
		const key = (r: HealthResult) => (r.ok ? 'ok' : r.cause);
		if (key(result) === (last ? key(last.result) : 'ok')) return;
		log(
			result.ok
				? 'health: the database is writable again'
				: `health: the database cannot be written or read (${result.cause}: ${result.message.en})`
		);
	}

	/** The current answer: probes when the last one is older than the interval. */
	function check(): Promise<HealthResult> {
		if (inflight) return inflight;
		if (last && elapsed() - last.at < minInterval) return Promise.resolve(last.result);
		inflight = probe().then((result) => {
			note(result);
			last = { at: elapsed(), result };
			inflight = null;
			return result;
		});
		return inflight;
	}

	return {
		check,
		/** Answers a health request. */
		async handle(res: ServerResponse): Promise<void> {
			const r = await check();
			answer(res, r.ok ? 200 : 503, healthAnswer, r);
		}
	};
}
