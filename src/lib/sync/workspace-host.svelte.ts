import type { Device } from './device.svelte';
import type { Workspace } from './workspace.svelte';

/**
 * Issue 16: the app shell's hold on the workspace. The workspace (the local database: Dexie, the
 * case sessions) is loaded only once a user is logged in — at login, or at start when the device
 * remembers one, offline too (the service worker keeps every build file) — so the login page
 * loads nothing of it. Until then the shell reads the network state and empty counts here.
 */
export class WorkspaceHost {
	/** The loaded workspace; null until someone is logged in on this page. */
	current = $state.raw<Workspace | null>(null);
	/** The browser's network state, for the login page (the workspace keeps its own). */
	#online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	#loading: Promise<Workspace> | null = null;

	constructor(
		private readonly make: () => Promise<Workspace>,
		/** The users of this device (issue 11), shared with the workspace once loaded. */
		readonly device: Device
	) {
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => (this.#online = true));
			window.addEventListener('offline', () => (this.#online = false));
		}
	}

	get online(): boolean {
		return this.current?.online ?? this.#online;
	}

	get syncing(): boolean {
		return this.current?.syncing ?? false;
	}

	get pendingTotal(): number {
		return this.current?.pendingTotal ?? 0;
	}

	/** Refreshes the case list, when the workspace is loaded (it refreshes itself when it is). */
	async refresh(): Promise<void> {
		await this.current?.refresh();
	}

	/** The workspace, loaded on the first call; a failed load is tried again on the next. */
	load(): Promise<Workspace> {
		this.#loading ??= this.make().then(
			(w) => (this.current = w),
			(err: unknown) => {
				this.#loading = null;
				throw err;
			}
		);
		return this.#loading;
	}
}
