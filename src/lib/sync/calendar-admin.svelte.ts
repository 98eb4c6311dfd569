import type { Bilingual } from '../rules/types';
import type { SessionManager } from './session.svelte';
import type { CalendarStore } from './calendar.svelte';

/** One entry of the relay's calendar log (who entered which year or school year, when). */
export interface CalendarLogEntry {
	seq: number;
	kind: 'year' | 'terms';
	key: string;
	userId: string;
	at: string;
	source: string | null;
}

export type SaveResult =
	{ ok: true; version: string } | { ok: false; errors: Bilingual[]; message: Bilingual | null };

const OFFLINE: Bilingual = { zh: '当前离线，无法保存', en: 'offline: cannot save' };

/**
 * The bureau's calendar screen (G-T3): enters an official schedule or a school year's terms on
 * the relay, which validates them again, stores them with a new version and re-evaluates every
 * case; this device then fetches the new version at once.
 */
export class CalendarAdmin {
	saving = $state(false);
	log = $state<CalendarLogEntry[]>([]);

	constructor(
		private readonly session: SessionManager,
		private readonly calendar: CalendarStore
	) {}

	/** Reads the entry log (bureau only); keeps what it has when offline. */
	async loadLog(): Promise<void> {
		const token = this.session.token;
		if (!token) return;
		try {
			const res = await fetch(`${this.session.apiBase}/api/calendar/log`, {
				headers: { authorization: `Bearer ${token}` }
			});
			if (res.status === 401) this.session.markExpired();
			if (res.status !== 200) return;
			const body = (await res.json()) as unknown;
			const list = Array.isArray(body) ? body : (body as { log?: unknown } | null)?.log;
			if (Array.isArray(list)) this.log = list.filter(isLogEntry).reverse();
		} catch {
			// offline: the log is a convenience, the calendar itself is cached
		}
	}

	/**
	 * Sends what the shared rules accepted (`checked`), or returns their errors without sending:
	 * the problems to show, or the new version once stored.
	 */
	async send(
		kind: 'years' | 'terms',
		checked: { ok: true; value: unknown } | { ok: false; errors: Bilingual[] }
	): Promise<{ errors: Bilingual[]; version: string | null }> {
		if (!checked.ok) return { errors: checked.errors, version: null };
		const r = await this.save(kind, checked.value);
		if (r.ok) return { errors: [], version: r.version };
		return { errors: r.errors.length ? r.errors : r.message ? [r.message] : [], version: null };
	}

	/** Saves one year's official schedule (`kind` 'years') or one school year's terms ('terms'). */
	async save(kind: 'years' | 'terms', body: unknown): Promise<SaveResult> {
		const token = this.session.token;
		if (!token) return { ok: false, errors: [], message: OFFLINE };
		this.saving = true;
		try {
			const res = await fetch(`${this.session.apiBase}/api/calendar/${kind}`, {
				method: 'PUT',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
				body: JSON.stringify(body)
			});
			if (res.status === 401) this.session.markExpired();
			const answer = (await res.json().catch(() => ({}))) as {
				version?: unknown;
				errors?: unknown;
				message?: Bilingual;
			};
			if (res.status === 200 && typeof answer.version === 'string') {
				await this.calendar.refresh(token);
				void this.loadLog();
				return { ok: true, version: answer.version };
			}
			const errors = Array.isArray(answer.errors) ? answer.errors.filter(isBilingual) : [];
			const message = answer.message && isBilingual(answer.message) ? answer.message : null;
			return {
				ok: false,
				errors,
				message: message ?? { zh: `HTTP ${res.status}`, en: `HTTP ${res.status}` }
			};
		} catch {
			return { ok: false, errors: [], message: OFFLINE };
		} finally {
			this.saving = false;
		}
	}
}

function isBilingual(x: unknown): x is Bilingual {
	const b = x as Partial<Bilingual> | null;
	return typeof b?.zh === 'string' && typeof b.en === 'string';
}

function isLogEntry(x: unknown): x is CalendarLogEntry {
	const e = x as Partial<CalendarLogEntry> | null;
	return (
		typeof e?.seq === 'number' &&
		(e.kind === 'year' || e.kind === 'terms') &&
		typeof e.key === 'string' &&
		typeof e.at === 'string'
	);
}
