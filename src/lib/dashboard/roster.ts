/**
 * Roster counts for the B-7 indicators: `GET /api/roster/summary?term=YYYY-MM-DD` when online,
 * the last answer per term kept in localStorage for offline use, per user (issue 11: the counts
 * are of the schools the user may see, so the next user of the device never reads them).
 */
import { z } from 'zod';
import { RelayClient, type Parser } from '../protocol/client';
import { userKey } from '../sync/db-names';
import type { RosterCounts } from './aggregate';

const counts = z.record(z.string(), z.number().int().min(0));
const rosterSchema = z.object({
	term: z.string(),
	counts,
	previousTerm: z.string().nullable().optional(),
	previousCounts: counts.nullable().optional(),
	schools: z.record(z.string(), z.string()).optional()
});

/** Parses the relay's answer (or a cached copy); null when it is not one. */
export function parseRoster(value: unknown): RosterCounts | null {
	const r = rosterSchema.safeParse(value);
	if (!r.success) return null;
	return {
		term: r.data.term,
		counts: r.data.counts,
		previousTerm: r.data.previousTerm ?? null,
		previousCounts: r.data.previousCounts ?? null,
		...(r.data.schools ? { schools: r.data.schools } : {})
	};
}

/** `parseRoster` as the relay client's parser of `GET /api/roster/summary`. */
const rosterAnswer: Parser<RosterCounts> = {
	safeParse(value) {
		const data = parseRoster(value);
		return data ? { success: true, data } : { success: false };
	}
};

/** localStorage key of the user's cached roster counts of a term. */
export function rosterCacheKey(userId: string, term: string): string {
	return userKey(userId, `dashboard.roster.${term}`);
}

export type RosterLoad =
	| { ok: true; data: RosterCounts; source: 'live' | 'cache'; at: string }
	| { ok: false; reason: 'offline' | 'unavailable' };

interface Cached {
	at: string;
	data: unknown;
}

/** The part of `Storage` used (tests pass a plain object; storage may be missing). */
export type RosterStore = Pick<Storage, 'getItem' | 'setItem'>;

function readCache(store: RosterStore | null, userId: string, term: string): RosterLoad | null {
	try {
		const raw = store?.getItem(rosterCacheKey(userId, term));
		if (!raw) return null;
		const c = JSON.parse(raw) as Cached;
		const data = parseRoster(c.data);
		return data && typeof c.at === 'string' ? { ok: true, data, source: 'cache', at: c.at } : null;
	} catch {
		return null;
	}
}

/**
 * The roster counts of a term: from the relay when online (and cached), else the cached copy.
 * Never throws: a missing endpoint, a refusal or a network error falls back to the cache.
 */
export async function loadRoster(opts: {
	/** Whose cache: the logged-in user's. */
	userId: string;
	term: string;
	online: boolean;
	token: string | null;
	store: RosterStore | null;
	now: Date;
	fetch: typeof fetch;
}): Promise<RosterLoad> {
	const { userId, term, store } = opts;
	if (opts.online && opts.token) {
		// Issue 13: the relay client (a refusal, a network error or a malformed answer all fall
		// back to the cache below); `parseRoster` is the dashboard's reading of the answer.
		const relay = new RelayClient(
			{ apiBase: '', token: opts.token, markExpired: () => undefined },
			{ fetch: opts.fetch }
		);
		const r = await relay.get(`/api/roster/summary?term=${encodeURIComponent(term)}`, rosterAnswer);
		if (r.ok) {
			const data = r.value;
			const at = opts.now.toISOString();
			try {
				store?.setItem(rosterCacheKey(userId, term), JSON.stringify({ at, data } satisfies Cached));
			} catch {
				// Full or disabled storage: the live answer still shows.
			}
			return { ok: true, data, source: 'live', at };
		}
	}
	return (
		readCache(store, userId, term) ?? { ok: false, reason: opts.online ? 'unavailable' : 'offline' }
	);
}
