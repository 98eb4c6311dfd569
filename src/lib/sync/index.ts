import { createContext } from 'svelte';
import type { Session, WorkspaceApi } from './contract';
import { SessionManager } from './session.svelte';
import { Workspace } from './workspace.svelte';

export type * from './contract';
export { SessionManager } from './session.svelte';
export { Workspace } from './workspace.svelte';
export type { FamilySession } from './family-session.svelte';

const [getSessionContext, setSessionContext] = createContext<SessionManager>();
const [getWorkspaceContext, setWorkspaceContext] = createContext<Workspace>();

/** The logged-in session (inside components under the root layout). */
export function getSession(): Session & SessionManager {
	return getSessionContext();
}

/** The device's workspace: local index, open cases, sync status. */
export function getWorkspace(): WorkspaceApi & Workspace {
	return getWorkspaceContext();
}

/**
 * Creates the session and workspace for this page and provides them to every component.
 * Called once by the root layout. The relay serves the app, so its origin is the API's.
 */
export function provideSync(): { session: SessionManager; workspace: Workspace } {
	const origin = window.location.origin;
	const ws = origin.replace(/^http/, 'ws') + '/sync';
	let workspace: Workspace | null = null;
	const session = new SessionManager(origin, {
		loggedIn: async (user, wipeDays) => workspace?.loggedIn(user.id, wipeDays),
		loggedOut: async (user, wipe) => workspace?.loggedOut(user.id, wipe)
	});
	workspace = new Workspace(session, { api: origin, ws });
	setSessionContext(session);
	setWorkspaceContext(workspace);
	return { session, workspace };
}
export { apiGet, type ApiResult } from './http';
