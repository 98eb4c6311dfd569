import type { Bilingual } from '../rules/types';
import { apiGet } from './http';
import { quarantineListSchema, type QuarantineEntry } from '../protocol/quarantine';
import type { SessionManager } from './session.svelte';

export type QuarantineStatus = 'idle' | 'loading' | 'ready' | 'offline' | 'forbidden' | 'error';

/**
 * The bureau's review of the relay's quarantine (DESIGN.md "When the relay refuses an update"):
 * reads `GET /api/quarantine[?case=ID]` and parses it with the one wire schema. Online only —
 * the list is the relay's, and every read of it is audited there; nothing is kept on the device.
 */
export class QuarantineReview {
	status = $state<QuarantineStatus>('idle');
	records = $state.raw<QuarantineEntry[]>([]);
	/** The case the list is narrowed to, or null for the whole district. */
	caseId = $state<string | null>(null);
	message = $state<Bilingual | null>(null);
	#asked = 0;

	constructor(private readonly session: SessionManager) {}

	/** Loads the list (of one case when `caseId` is given); the latest call wins. */
	async load(caseId: string | null): Promise<void> {
		const ask = ++this.#asked;
		this.status = 'loading';
		this.message = null;
		const path = caseId ? `/api/quarantine?case=${encodeURIComponent(caseId)}` : '/api/quarantine';
		const r = await apiGet(this.session, path, quarantineListSchema);
		if (ask !== this.#asked) return;
		this.caseId = caseId;
		if (!r.ok) {
			this.records = [];
			this.message = r.message;
			this.status = r.status === 'offline' ? 'offline' : r.status === 403 ? 'forbidden' : 'error';
			if (r.status === 'logged-out') this.status = 'forbidden';
			return;
		}
		this.records = r.value.records;
		this.status = 'ready';
	}
}
