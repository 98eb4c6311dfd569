/**
 * The browser's localStorage (the Web Storage API) for tests running the app's sync layer in
 * Node: a Map behind the same methods. Environment, not a mock of our code; a test installs it
 * as `globalThis.localStorage` or passes it where a `KeyStore` is taken.
 */
export class MapStorage implements Storage {
	readonly m = new Map<string, string>();
	get length(): number {
		return this.m.size;
	}
	getItem(k: string): string | null {
		return this.m.get(k) ?? null;
	}
	setItem(k: string, v: string): void {
		this.m.set(k, String(v));
	}
	removeItem(k: string): void {
		this.m.delete(k);
	}
	key(i: number): string | null {
		return [...this.m.keys()][i] ?? null;
	}
	clear(): void {
		this.m.clear();
	}
}

/** Installs a fresh MapStorage as the global localStorage; returns it. */
export function installLocalStorage(): MapStorage {
	const s = new MapStorage();
	Object.defineProperty(globalThis, 'localStorage', {
		value: s,
		configurable: true,
		writable: true
	});
	return s;
}
