import type { CalendarLogEntry } from '../protocol/calendar';
import { RelayClient, lazy } from '../protocol/client';
import type { Bilingual } from '../rules/types';
import type { SessionManager } from './session.svelte';
import type { CalendarStore } from './calendar.svelte';

/** One entry of the relay's calendar log (who entered which year or school year, when). */
export type { CalendarLogEntry };

/** The schemas of the calendar screen's answers, loaded with it (issue 13). */
const schemas = () => import('../protocol/calendar');
const logAnswer = lazy(schemas, 'calendarLogAnswer');
const saveAnswer = lazy(schemas, 'calendarSaveAnswer');

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
		const r = await new RelayClient(this.session).get('/api/calendar/log', logAnswer);
		// Offline or refused: the log is a convenience, the calendar itself is cached.
		if (r.ok) this.log = [...r.value.log].reverse();
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
			const r = await new RelayClient(this.session).put(`/api/calendar/${kind}`, body, saveAnswer);
			if (r.ok) {
				await this.calendar.refresh(token);
				void this.loadLog();
				return { ok: true, version: r.value.version };
			}
			if (r.status === 'offline') return { ok: false, errors: [], message: OFFLINE };
			const listed = (r.body as { errors?: unknown } | null)?.errors;
			const errors = Array.isArray(listed) ? listed.filter(isBilingual) : [];
			return { ok: false, errors, message: r.message };
		} finally {
			this.saving = false;
		}
	}
}

function isBilingual(x: unknown): x is Bilingual {
	const b = x as Partial<Bilingual> | null;
	return typeof b?.zh === 'string' && typeof b.en === 'string';
}
