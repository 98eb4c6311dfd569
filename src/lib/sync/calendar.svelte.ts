import { RelayClient } from '../protocol/client';
import { calendarEnvelopeGuard } from '../protocol/guards';
import type { Calendar } from '../rules/calendar';

type Engine = typeof import('./engine');

/** localStorage key of the calendar data this device evaluates with (not personal data). */
export const CALENDAR_KEY = 'ysya.calendar.v1';

/** Where the cached data lives; null when localStorage is unavailable (privacy settings). */
function store(): Storage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}

/**
 * The calendar and school terms this device evaluates with (G-T3): the relay's data, cached for
 * offline use, so the case list and the case pages work offline with the version they have.
 * The relay says which version it evaluates with (the case list's `calendarVersion`); a device
 * with another version fetches the new one, and every open case is evaluated again. Until the
 * first answer, the built-in calendar. Parsing and building need the rules, so they wait for the
 * engine chunk: the login page and the first list never load them for this.
 */
export class CalendarStore {
	/** Version of the data in use (null: the built-in calendar, nothing fetched yet). */
	version = $state<string | null>(null);
	/** The Calendar built from that data, once the engine is loaded. */
	value = $state.raw<Calendar | null>(null);
	#raw: unknown = null;
	#fetching: Promise<void> | null = null;
	readonly #listeners = new Set<(c: Calendar) => void>();

	constructor(private readonly apiBase: string) {
		try {
			this.#raw = JSON.parse(store()?.getItem(CALENDAR_KEY) ?? 'null') as unknown;
			const v = (this.#raw as { version?: unknown } | null)?.version;
			this.version = typeof v === 'string' ? v : null;
		} catch {
			this.#raw = null; // a damaged cache: the built-in calendar until the relay answers
		}
	}

	/** The calendar to evaluate with, built (and checked) from the cached data on first use. */
	current(e: Engine): Calendar {
		if (this.value) return this.value;
		const data = this.#raw ? e.parseCalendarData(this.#raw) : null;
		// Data that does not hold is never used: the built-in calendar, and the next list refetches.
		const cal = data ? new e.Calendar(data) : e.builtinCalendar();
		if (!data) this.version = null;
		this.value = cal;
		return cal;
	}

	/** Loads the engine and returns the calendar (pages that need it outside a case). */
	async ready(): Promise<Calendar> {
		return this.current(await import('./engine'));
	}

	/** Called with every calendar that replaces the one in use. */
	onChange(cb: (c: Calendar) => void): () => void {
		this.#listeners.add(cb);
		return () => this.#listeners.delete(cb);
	}

	/** The relay evaluates with `version`: fetch it when this device has another one. */
	note(version: unknown, token: string | null): void {
		if (typeof version !== 'string' || version === this.version || !token) return;
		void this.refresh(token);
	}

	/** Fetches the relay's calendar data; keeps the cached one when offline or refused. */
	refresh(token: string): Promise<void> {
		this.#fetching ??= this.#fetch(token).finally(() => (this.#fetching = null));
		return this.#fetching;
	}

	async #fetch(token: string): Promise<void> {
		// Issue 13: the relay client; only the version is checked here (zod-free, first screen).
		const r = await new RelayClient({
			apiBase: this.apiBase,
			token,
			markExpired: () => undefined // the case list's own call says when the token expired
		}).get('/api/calendar', calendarEnvelopeGuard);
		if (!r.ok) return; // offline or refused: the cached version stays in use
		const { version, data: body } = r.value;
		if (version === this.version) return;
		// Checked with zod when it is built (current): the case list must not wait for the rules.
		const used = this.value !== null;
		this.#raw = body;
		this.version = version;
		this.value = null;
		try {
			store()?.setItem(CALENDAR_KEY, JSON.stringify(body));
		} catch {
			// A full or disabled localStorage: the new calendar is used for this page only.
		}
		if (!used) return;
		// Someone evaluates with the old calendar, so the engine is loaded: rebuild and tell them.
		const cal = this.current(await import('./engine'));
		for (const cb of this.#listeners) cb(cal);
	}
}
