import { untrack } from 'svelte';
import type { CaseSnapshot } from '../../domain';
import { getSession, getWorkspace, type CaseSessionApi } from '../../sync';

/** What a document page needs: the live case, the org names this device knows, and today. */
export interface PrintableCase {
	readonly session: CaseSessionApi | null;
	readonly snapshot: CaseSnapshot | null;
	readonly orgNames: Record<string, string>;
	readonly today: string;
	/** Issue 12: the case number from the local index, for documents created without one. */
	readonly caseNo: string | undefined;
}

/**
 * Opens a case for a document page the way the case page does (local first, then live: a
 * document can be printed offline from the copy on this device) and closes it when the page
 * goes. Opening the case is the audited read; printing reads nothing more. Org names come from
 * the local case index (the school) and the user's own org (a street office printing its notice).
 * Call during component initialisation.
 */
export function printableCase(caseId: () => string): PrintableCase {
	const session = getSession();
	const workspace = getWorkspace();
	let cs = $state.raw<CaseSessionApi | null>(null);

	$effect(() => {
		const id = caseId();
		void session.token;
		const s = untrack(() => workspace.openCase(id));
		cs = s;
		return () => s.close();
	});

	// The index row names the school (and, from newer relays, the street office); a row written
	// before the list was fetched carries the ids instead, which are no names.
	const row = $derived(workspace.cases.find((r) => r.id === caseId()));
	const orgNames = $derived.by(() => {
		const names: Record<string, string> = {};
		const snap = cs?.snapshot;
		if (row && row.school && row.school !== row.schoolId) names[row.schoolId] = row.school;
		const street: unknown = (row as Record<string, unknown> | undefined)?.['street'];
		if (snap && typeof street === 'string' && street && street !== snap.orgs.streetId)
			names[snap.orgs.streetId] = street;
		const user = session.user;
		if (user) names[user.orgId] = user.orgName;
		return names;
	});

	// Opened directly (a bookmark, a reload): fetch the case list once so the school is named.
	let asked = false;
	$effect(() => {
		const snap = cs?.snapshot;
		if (!snap || asked || orgNames[snap.orgs.schoolId] || !workspace.online) return;
		asked = true;
		void untrack(() => workspace.refresh());
	});

	return {
		get session() {
			return cs;
		},
		get snapshot() {
			return cs?.snapshot ?? null;
		},
		get orgNames() {
			return orgNames;
		},
		get today() {
			return workspace.today();
		},
		get caseNo() {
			return row?.caseNo;
		}
	};
}
