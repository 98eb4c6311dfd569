import type { DistrictSettings } from '../domain';
import type { Bilingual } from '../rules/types';
import type { SessionManager } from './session.svelte';
import { RelayClient, lazy, type Method, type Parser, type RelayResult } from '../protocol/client';
import type { BureauSettingsAnswer, RetentionReportAnswer } from '../protocol/settings';

/** The screen's schemas, loaded with it (issue 13). */
const schemas = () => import('../protocol/settings');
const settingsAnswer = lazy(schemas, 'bureauSettingsAnswerSchema');
const retentionAnswer = lazy(schemas, 'retentionAnswerSchema');

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

	#send<T>(
		method: Method,
		path: string,
		body: unknown,
		answer: () => Promise<Parser<T>>
	): Promise<RelayResult<T>> {
		return new RelayClient(this.session).call(method, path, body, answer);
	}

	/** The relay's message of a refused request (offline: that it cannot be reached). */
	#messageOf(r: RelayResult<unknown>): Bilingual {
		if (r.ok) return BAD_ANSWER;
		if (r.status === 'offline' || r.status === 'logged-out') return OFFLINE;
		return r.status === 'malformed' ? BAD_ANSWER : r.message;
	}

	/** Reads the settings in force. */
	async load(): Promise<void> {
		this.status = 'loading';
		const r = await this.#send('GET', '/api/settings', undefined, settingsAnswer);
		if (!r.ok && (r.status === 'offline' || r.status === 'logged-out')) {
			this.status = r.status === 'offline' ? 'offline' : 'forbidden';
			return;
		}
		if (r.ok) {
			this.answer = r.value;
			this.status = 'ready';
			return;
		}
		this.message = this.#messageOf(r);
		this.status = r.status === 403 ? 'forbidden' : 'error';
	}

	/** Saves new settings; on a refusal, the errors by field. True when stored. */
	async save(settings: DistrictSettings): Promise<boolean> {
		this.saving = true;
		this.saved = false;
		this.fieldErrors = [];
		this.message = null;
		try {
			const r = await this.#send('PUT', '/api/settings', settings, settingsAnswer);
			if (r.ok) {
				this.answer = r.value;
				this.saved = true;
				return true;
			}
			const refused =
				r.status === 400 ? (await schemas()).settingsErrorsSchema.safeParse(r.body) : null;
			if (refused?.success)
				this.fieldErrors = refused.data.errors.map((e) => ({
					path: e.path,
					message: { zh: e.zh, en: e.en }
				}));
			this.message = this.#messageOf(r);
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
			const r = await this.#send('POST', '/api/retention/run', { dryRun }, retentionAnswer);
			if (r.ok) this.report = r.value.report;
			else this.runMessage = this.#messageOf(r);
		} finally {
			this.running = false;
		}
	}
}
