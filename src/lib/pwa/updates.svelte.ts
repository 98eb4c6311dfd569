/**
 * The service worker as rune state: registers it, notices a new version waiting, and switches
 * to it only when the user asks (issue 4: "a new version shows a prompt instead of switching
 * under the user"). The worker itself is src/service-worker/index.ts.
 */

/** The message the worker answers with `skipWaiting()`. */
export const SKIP_WAITING = { type: 'SKIP_WAITING' } as const;

/** Where SvelteKit writes the worker (root of the built app). */
export const SERVICE_WORKER_URL = '/service-worker.js';

/** How often an open page asks for a new version, at most (on focus and on coming online). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

export interface UpdatesDeps {
	/** `navigator.serviceWorker`; undefined where unsupported (or not a secure context). */
	container: ServiceWorkerContainer | undefined;
	/** Reloads the page (the switch to the new version). */
	reload: () => void;
	now: () => number;
}

/**
 * The browser's own objects, for the app; tests pass their own. With `enabled` false (`vite
 * dev`, which has no built shell to precache) nothing is registered.
 */
export function browserUpdatesDeps(enabled = true): UpdatesDeps {
	return {
		container: enabled && typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined,
		reload: () => location.reload(),
		now: () => Date.now()
	};
}

export class AppUpdates {
	/** False where the browser has no service workers: no offline start there. */
	supported: boolean;
	/** An active worker holds this build's shell: the app starts offline from now on. */
	offlineReady = $state(false);
	/** A new version is installed and waiting for the user's go (or took over from another tab). */
	updateReady = $state(false);
	/** The user tapped "refresh"; the page reloads once the new version controls it. */
	applying = $state(false);
	/** Registration failed (shown nowhere by default; useful when diagnosing a phone). */
	error = $state<string | null>(null);

	readonly #deps: UpdatesDeps;
	#registration: ServiceWorkerRegistration | null = null;
	#lastCheck = 0;
	/** This tab asked the waiting worker to take over. */
	#requested = false;
	#reloading = false;
	#stopped = false;
	readonly #cleanup: (() => void)[] = [];

	constructor(deps: UpdatesDeps) {
		this.#deps = deps;
		this.supported = deps.container !== undefined;
	}

	/**
	 * Registers the worker and starts watching for new versions. Calling `register` with the URL
	 * and options SvelteKit's own auto-registration uses returns the same registration, so this
	 * is safe whether or not `kit.serviceWorker.register` is on.
	 */
	async start(): Promise<void> {
		const container = this.#deps.container;
		if (!container || this.#registration) return;
		// A controller at start means the page came from a worker: a later controllerchange is an
		// update (ours or another tab's), not the first install claiming this page.
		let hadController = container.controller !== null;
		this.#listen(container, 'controllerchange', () => {
			if (this.#requested && !this.#reloading) {
				this.#reloading = true;
				this.#deps.reload();
				return;
			}
			// Another tab applied the update: this page runs the old build; offer the reload.
			if (hadController) this.updateReady = true;
			hadController = true;
		});
		let registration: ServiceWorkerRegistration;
		try {
			registration = await container.register(SERVICE_WORKER_URL);
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
			return;
		}
		if (this.#stopped) return;
		this.#registration = registration;
		this.#lastCheck = this.#deps.now();
		this.#track(registration);
		if (typeof window !== 'undefined') {
			this.#listen(window, 'online', () => this.check(true));
			this.#listen(document, 'visibilitychange', () => {
				if (document.visibilityState === 'visible') this.check(false);
			});
		}
	}

	#track(registration: ServiceWorkerRegistration): void {
		this.offlineReady = registration.active !== null;
		// A version that installed during an earlier visit and is still waiting.
		if (registration.waiting && registration.active) this.updateReady = true;
		// The first install may already be under way when `register` resolves.
		if (registration.installing) this.#watch(registration.installing, !registration.active);
		this.#listen(registration, 'updatefound', () => {
			if (registration.installing) this.#watch(registration.installing, !registration.active);
		});
	}

	#watch(worker: ServiceWorker, first: boolean): void {
		const onState = () => {
			if (worker.state === 'installed' && !first) this.updateReady = true;
			if (worker.state === 'activated') this.offlineReady = true;
		};
		worker.addEventListener('statechange', onState);
		this.#cleanup.push(() => worker.removeEventListener('statechange', onState));
	}

	/** Asks the server for a new worker now (`force`), or if the last check is old enough. */
	check(force: boolean): void {
		const registration = this.#registration;
		if (!registration) return;
		const now = this.#deps.now();
		if (!force && now - this.#lastCheck < CHECK_EVERY_MS) return;
		this.#lastCheck = now;
		// Offline or a server error: nothing to do, the next check tries again.
		registration.update().catch(() => undefined);
	}

	/** Switches to the waiting version: the page reloads when it takes control. */
	apply(): void {
		const waiting = this.#registration?.waiting;
		this.applying = true;
		if (!waiting) {
			// Another tab already switched: this page only needs to load the new build.
			this.#reloading = true;
			this.#deps.reload();
			return;
		}
		this.#requested = true;
		waiting.postMessage(SKIP_WAITING);
	}

	/** Hides the prompt until the next version (or the next start). */
	dismiss(): void {
		this.updateReady = false;
	}

	/** Stops listening (component teardown); the worker stays registered. */
	stop(): void {
		this.#stopped = true;
		for (const off of this.#cleanup.splice(0)) off();
	}

	#listen(target: EventTarget, type: string, handler: () => void): void {
		target.addEventListener(type, handler);
		this.#cleanup.push(() => target.removeEventListener(type, handler));
	}
}
