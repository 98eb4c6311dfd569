import { createContext } from 'svelte';
import type { Session, WorkspaceApi } from './contract';
import { Device } from './device.svelte';
import { SessionManager } from './session.svelte';
import type { Workspace } from './workspace.svelte';
import { WorkspaceHost } from './workspace-host.svelte';

// Issue 16: this barrel is the app shell's and the login page's; it exports no value of the
// workspace (Dexie, the case sessions), which is loaded once someone is logged in.
export type * from './contract';
export { SessionManager } from './session.svelte';
export type { Workspace } from './workspace.svelte';
export type { FamilySession } from './family-session.svelte';
export { WorkspaceHost } from './workspace-host.svelte';

const [getSessionContext, setSessionContext] = createContext<SessionManager>();
const [getHostContext, setHostContext] = createContext<WorkspaceHost>();

/** The logged-in session (inside components under the root layout). */
export function getSession(): Session & SessionManager {
	return getSessionContext();
}

/**
 * The device's workspace: local index, open cases, sync status. Only in pages for a logged-in
 * user, which the root layout shows once the workspace is loaded (issue 16).
 */
export function getWorkspace(): WorkspaceApi & Workspace {
	const w = getHostContext().current;
	if (!w) throw new Error('getWorkspace: the workspace is not loaded (nobody is logged in)');
	return w;
}

/** The app shell's view of the workspace, loaded or not: network state, counts (issue 16). */
export function getWorkspaceHost(): WorkspaceHost {
	return getHostContext();
}

/**
 * Creates the session and the workspace's host for this page and provides them to every
 * component. Called once by the root layout. The relay serves the app, so its origin is the
 * API's. Issue 16: the workspace is loaded at login, or now when the device remembers a user
 * (offline too); before that the device's start (issue 11's registry and wipe) runs without it.
 */
export function provideSync(): { session: SessionManager; host: WorkspaceHost } {
	const origin = window.location.origin;
	const ws = origin.replace(/^http/, 'ws') + '/sync';
	const device = new Device();
	const host: WorkspaceHost = new WorkspaceHost(async () => {
		const { Workspace } = await import('./workspace.svelte');
		return new Workspace(session, { api: origin, ws }, device);
	}, device);
	const session: SessionManager = new SessionManager(origin, {
		loggedIn: async (user, wipeDays) => (await host.load()).loggedIn(user.id, wipeDays),
		loggedOut: async (user, wipe) => (await host.load()).loggedOut(user.id, wipe)
	});
	if (session.user) void host.load().catch(() => undefined);
	else void device.start(() => session.user?.id ?? null).catch(() => undefined);
	setSessionContext(session);
	setHostContext(host);
	return { session, host };
}
export { apiGet, type ApiResult } from './http';
