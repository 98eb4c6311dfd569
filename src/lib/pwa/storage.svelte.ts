/**
 * "Storage that stays" (issue 4): asks the browser to keep this origin's data
 * (`navigator.storage.persist()`) and reports the answer and the space left. A browser that
 * evicts IndexedDB under storage pressure would take unsynced edits with it, so a refusal is
 * shown to the user, never swallowed. The sync layer's `WorkspaceApi.storage` and
 * `requestPersistence()` may delegate here.
 */
import type { StorageStatus } from '$lib/sync/contract';

/** localStorage key remembering that this device has asked once (the answer itself is re-read). */
export const PERSIST_ASKED_KEY = 'yishengyian.persist-asked';

/** Below this much free space the status warns: a case with its history takes a few MB. */
export const LOW_SPACE_BYTES = 100 * 1024 ** 2;

export interface StorageDeps {
	/** `navigator.storage`; undefined where unsupported (old browsers, insecure contexts). */
	storage: Pick<StorageManager, 'persist' | 'persisted' | 'estimate'> | undefined;
	/** Where the "asked once" flag lives; null when localStorage is unavailable. */
	store: Pick<Storage, 'getItem' | 'setItem'> | null;
}

/** The browser's own objects, for the app; tests pass their own. */
export function browserStorageDeps(): StorageDeps {
	let store: Storage | null = null;
	try {
		store = window.localStorage;
	} catch {
		// Privacy settings can make localStorage throw: the flag then lasts for this page only.
	}
	return { storage: typeof navigator !== 'undefined' ? navigator.storage : undefined, store };
}

export class StoragePersistence implements StorageStatus {
	/** Granted (true), refused after asking (false), not asked yet or unsupported (null). */
	persisted = $state<boolean | null>(null);
	/** Bytes this origin uses, as the browser estimates them. */
	usage = $state<number | null>(null);
	/** Bytes this origin may use in all. */
	quota = $state<number | null>(null);
	/** A request or refresh is under way. */
	busy = $state(false);
	/** The browser can be asked to keep data at all. */
	readonly supported: boolean;
	/** Bytes still available to this origin, when known. */
	readonly free = $derived(
		this.usage !== null && this.quota !== null ? Math.max(0, this.quota - this.usage) : null
	);
	/** Little space left: unsynced work is at risk of not fitting. */
	readonly low = $derived(this.free !== null && this.free < LOW_SPACE_BYTES);

	readonly #deps: StorageDeps;
	#askedThisPage = false;

	constructor(deps: StorageDeps) {
		this.#deps = deps;
		this.supported = typeof deps.storage?.persist === 'function';
	}

	/** Re-reads the grant and the space estimate. */
	async refresh(): Promise<void> {
		const storage = this.#deps.storage;
		if (!storage) return;
		this.busy = true;
		try {
			if (typeof storage.persisted === 'function') {
				const granted = await storage.persisted().catch(() => null);
				// A `false` before we ever asked is "not asked yet", not a refusal.
				this.persisted =
					granted === true ? true : granted === false && this.#asked() ? false : null;
			}
			if (typeof storage.estimate === 'function') {
				const estimate = await storage.estimate().catch(() => null);
				this.usage = estimate?.usage ?? null;
				this.quota = estimate?.quota ?? null;
			}
		} finally {
			this.busy = false;
		}
	}

	/**
	 * Asks the browser to keep this origin's data; resolves to its answer (null: unsupported).
	 * Chromium answers from its own signals (installed to the home screen, bookmarked, often
	 * used) without a dialog; Firefox may ask the user.
	 */
	async request(): Promise<boolean | null> {
		const storage = this.#deps.storage;
		if (!storage || !this.supported) return null;
		this.busy = true;
		let granted: boolean | null;
		try {
			granted = await storage.persist().catch(() => null);
			this.#remember();
		} finally {
			this.busy = false;
		}
		await this.refresh();
		if (granted !== null) this.persisted = granted;
		return granted;
	}

	/** Asks once per device (e.g. after the first successful login); otherwise only refreshes. */
	async requestOnce(): Promise<boolean | null> {
		if (this.#asked()) {
			await this.refresh();
			return this.persisted;
		}
		return this.request();
	}

	#asked(): boolean {
		if (this.#askedThisPage) return true;
		try {
			return this.#deps.store?.getItem(PERSIST_ASKED_KEY) === '1';
		} catch {
			return false;
		}
	}

	#remember(): void {
		this.#askedThisPage = true;
		try {
			this.#deps.store?.setItem(PERSIST_ASKED_KEY, '1');
		} catch {
			// Unwritable storage: remembered for this page only.
		}
	}
}
