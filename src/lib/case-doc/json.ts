/**
 * Plain-JSON helpers. Yjs stores plain values by reference on the replica that inserted them and
 * hands the very same objects back from `toJSON()`/`get()`: mutating one would change this
 * replica's view without producing an update, so replicas silently disagree. Hence every value
 * goes in and comes out as a fresh copy.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The string with every lone UTF-16 surrogate replaced by U+FFFD. Yjs encodes strings as UTF-8,
 * which turns a lone surrogate into U+FFFD on the wire while the writing replica keeps the
 * original in memory: the replicas would disagree until the writer reloads.
 */
export function wellFormed(s: string): string {
	return s.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A deep copy of a JSON-like value; `undefined` object fields are dropped (as JSON would) and
 * strings made well-formed (see `wellFormed`), so what is stored is exactly what peers decode.
 */
export function cloneJson<T>(value: T): T {
	return cloneAny(value) as T;
}

function cloneAny(value: unknown): unknown {
	if (typeof value === 'string') return wellFormed(value);
	if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : cloneAny(v)));
	if (value instanceof Uint8Array) return value.slice();
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) {
			if (v !== undefined) out[wellFormed(k)] = cloneAny(v);
		}
		return out;
	}
	return value;
}

/** Structural equality of JSON-like values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
		// NaN is not JSON, but a hostile update may carry it: treat it as equal to itself.
		return Number.isNaN(a) && Number.isNaN(b);
	}
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		return a.every((v, i) => jsonEqual(v, b[i]));
	}
	if (a instanceof Uint8Array || b instanceof Uint8Array) {
		if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) {
			return false;
		}
		return a.every((v, i) => v === b[i]);
	}
	const ea = Object.entries(a).filter(([, v]) => v !== undefined);
	const bo = b as Record<string, unknown>;
	const nb = Object.values(bo).filter((v) => v !== undefined).length;
	if (ea.length !== nb) return false;
	return ea.every(([k, v]) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(v, bo[k]));
}
