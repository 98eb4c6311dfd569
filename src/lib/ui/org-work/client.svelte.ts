import type { OrgKind } from '../../domain';
import {
	isTermKind,
	type Bilingual,
	type OrgObligation,
	type OrgObligationKind,
	type OrgObligationState
} from '../../rules';
import { canRecordOrgWork } from '../../rules/access';
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

export interface OrgWorkAnswer {
	today: string;
	items: OrgObligation[];
	counts: Record<OrgObligationState, number>;
}

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
		const r = await apiGet<OrgWorkAnswer>(this.session, '/api/org-obligations');
		if (seq !== this.#seq) return;
		this.state = r.ok
			? { kind: 'ok', answer: r.value }
			: { kind: 'error', message: r.message ?? NETWORK };
	}

	async record(input: OrgRecordInput): Promise<SaveResult> {
		const token = this.session.token;
		if (!token) return { ok: false, message: NETWORK };
		let res: Response;
		try {
			res = await fetch(`${this.session.apiBase}/api/org-records`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify(input)
			});
		} catch {
			return { ok: false, message: NETWORK };
		}
		if (res.status === 401) this.session.markExpired();
		const body = (await res.json().catch(() => null)) as {
			item?: OrgObligation;
			message?: Bilingual;
		} | null;
		if (!res.ok || !body?.item)
			return {
				ok: false,
				message: body?.message ?? {
					zh: `服务器错误 ${res.status}`,
					en: `server error ${res.status}`
				}
			};
		await this.load();
		return { ok: true, item: body.item };
	}
}
