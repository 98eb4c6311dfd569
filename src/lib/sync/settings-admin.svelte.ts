import type { DistrictSettings } from '../domain';
import type { Bilingual } from '../rules/types';
import type { SessionManager } from './session.svelte';
import {
	bureauSettingsAnswerSchema,
	retentionAnswerSchema,
	settingsErrorsSchema,
	type BureauSettingsAnswer,
	type RetentionReportAnswer
} from '../protocol/settings';

export type SettingsStatus = 'idle' | 'loading' | 'ready' | 'offline' | 'forbidden' | 'error';

/** A refused save: one message per field (`path`), and the relay's overall message. */
export interface FieldError {
	path: string;
	message: Bilingual;
}

const OFFLINE: Bilingual = {
	zh: '当前离线，无法连接服务器',
	en: 'offline: cannot reach the relay'
};
const BAD_ANSWER: Bilingual = {
	zh: '服务器的回答格式不对',
	en: 'the relay’s answer is not in the expected form'
};

/** An answer of the relay; `body` is null when there was none (offline, logged out, not JSON). */
type Sent = { status: number | 'offline' | 'logged-out'; body: unknown };

/**
 * The bureau's personal-data screen (issue 11): reads and saves the district settings and runs
 * the retention on the relay (`/api/settings`, `/api/retention/run`), each answer parsed with
 * its wire schema. Online only: the relay checks and stores, audits and rewrites.
 */
export class DistrictSettingsAdmin {
	status = $state<SettingsStatus>('idle');
	answer = $state.raw<BureauSettingsAnswer | null>(null);
	message = $state<Bilingual | null>(null);
	saving = $state(false);
	fieldErrors = $state.raw<FieldError[]>([]);
	saved = $state(false);
	running = $state(false);
	report = $state.raw<RetentionReportAnswer | null>(null);
	runMessage = $state<Bilingual | null>(null);

	constructor(private readonly session: SessionManager) {}

	async #send(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<Sent> {
		const token = this.session.token;
		if (!token) return { status: 'logged-out', body: null };
		try {
			const res = await fetch(`${this.session.apiBase}${path}`, {
				method,
				headers: {
					authorization: `Bearer ${token}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' })
				},
				...(body === undefined ? {} : { body: JSON.stringify(body) })
			});
			if (res.status === 401) this.session.markExpired();
			return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
		} catch {
			return { status: 'offline', body: null };
		}
	}

	/** The relay's message of a refused request, or a plain one naming the status. */
	#messageOf(r: Sent): Bilingual {
		if (r.status === 'offline' || r.status === 'logged-out') return OFFLINE;
		const m = (r.body as { message?: Partial<Bilingual> } | null)?.message;
		return typeof m?.zh === 'string' && typeof m.en === 'string'
			? { zh: m.zh, en: m.en }
			: { zh: `HTTP ${r.status}`, en: `HTTP ${r.status}` };
	}

	/** Reads the settings in force. */
	async load(): Promise<void> {
		this.status = 'loading';
		const r = await this.#send('GET', '/api/settings');
		if (r.status === 'offline' || r.status === 'logged-out') {
			this.status = r.status === 'offline' ? 'offline' : 'forbidden';
			return;
		}
		const parsed = bureauSettingsAnswerSchema.safeParse(r.body);
		if (r.status === 200 && parsed.success) {
			this.answer = parsed.data;
			this.status = 'ready';
			return;
		}
		this.message = r.status === 200 ? BAD_ANSWER : this.#messageOf(r);
		this.status = r.status === 403 ? 'forbidden' : 'error';
	}

	/** Saves new settings; on a refusal, the errors by field. True when stored. */
	async save(settings: DistrictSettings): Promise<boolean> {
		this.saving = true;
		this.saved = false;
		this.fieldErrors = [];
		this.message = null;
		try {
			const r = await this.#send('PUT', '/api/settings', settings);
			const ok = r.status === 200 ? bureauSettingsAnswerSchema.safeParse(r.body) : null;
			if (ok?.success) {
				this.answer = ok.data;
				this.saved = true;
				return true;
			}
			const refused = r.status === 400 ? settingsErrorsSchema.safeParse(r.body) : null;
			if (refused?.success)
				this.fieldErrors = refused.data.errors.map((e) => ({
					path: e.path,
					message: { zh: e.zh, en: e.en }
				}));
			this.message = ok ? BAD_ANSWER : this.#messageOf(r);
			return false;
		} finally {
			this.saving = false;
		}
	}

	/** Runs the retention (with `dryRun`, only lists what it would anonymise). */
	async run(dryRun: boolean): Promise<void> {
		this.running = true;
		this.runMessage = null;
		try {
			const r = await this.#send('POST', '/api/retention/run', { dryRun });
			const parsed = r.status === 200 ? retentionAnswerSchema.safeParse(r.body) : null;
			if (parsed?.success) this.report = parsed.data.report;
			else this.runMessage = parsed ? BAD_ANSWER : this.#messageOf(r);
		} finally {
			this.running = false;
		}
	}
}
