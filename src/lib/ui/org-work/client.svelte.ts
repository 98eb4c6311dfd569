import type { OrgKind } from '../../domain';
import {
	isTermKind,
	type Bilingual,
	type OrgObligation,
	type OrgObligationKind
} from '../../rules';
import { canRecordOrgWork } from '../../rules/access';
import { RelayClient, lazy } from '../../protocol/client';
import type { OrgObligationsAnswer } from '../../protocol/org-work';
import { apiGet } from '../../sync/http';
import type { SessionManager } from '../../sync/session.svelte';

/**
 * A school records its own term checks (B-1, S-2); the bureau its quarterly round (S-5): the
 * same rule the relay applies (`canRecordOrgWork`), offered only while not yet done.
 */
export function mayRecord(
	user: { orgId: string; orgKind: OrgKind },
	o: Pick<OrgObligation, 'orgId' | 'kind' | 'state'>
): boolean {
	if (o.orgId !== user.orgId || o.state === 'met' || o.state === 'late') return false;
	return canRecordOrgWork(user.orgKind, isTermKind(o.kind));
}

export type OrgWorkAnswer = OrgObligationsAnswer;

/** The schemas of these answers, loaded with the dashboard's list (issue 13). */
const schemas = () => import('../../protocol/org-work');
const listAnswer = lazy(schemas, 'orgObligationsAnswer');
const recordAnswer = lazy(schemas, 'orgRecordAnswer');

export type OrgWorkState =
	| { kind: 'idle' }
	| { kind: 'loading' }
	| { kind: 'ok'; answer: OrgWorkAnswer }
	| { kind: 'error'; message: Bilingual };

export interface OrgRecordInput {
	kind: OrgObligationKind;
	period: string;
	doneOn: string;
	count: number | null;
	note: string;
}

export type SaveResult = { ok: true; item: OrgObligation } | { ok: false; message: Bilingual };

const NETWORK: Bilingual = { zh: '无法连接服务器', en: 'cannot reach the server' };

/** Reads the org-level obligations from the relay and records a check (online only). */
export class OrgWorkClient {
	state = $state<OrgWorkState>({ kind: 'idle' });
	#seq = 0;

	constructor(private readonly session: SessionManager) {}

	async load(): Promise<void> {
		const seq = ++this.#seq;
		if (this.state.kind !== 'ok') this.state = { kind: 'loading' };
		const r = await apiGet(this.session, '/api/org-obligations', listAnswer);
		if (seq !== this.#seq) return;
		this.state = r.ok
			? { kind: 'ok', answer: r.value }
			: { kind: 'error', message: r.status === 'offline' ? NETWORK : r.message };
	}

	async record(input: OrgRecordInput): Promise<SaveResult> {
		const r = await new RelayClient(this.session).post('/api/org-records', input, recordAnswer);
		if (!r.ok) return { ok: false, message: r.status === 'offline' ? NETWORK : r.message };
		await this.load();
		return { ok: true, item: r.value.item };
	}
}
