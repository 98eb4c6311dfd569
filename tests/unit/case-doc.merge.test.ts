import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeText } from '$lib/case-doc';

/** Re-run a failure with PROPERTY_SEED=<seed> (printed in the test name and by fast-check). */
const seed = process.env.PROPERTY_SEED
	? Number(process.env.PROPERTY_SEED)
	: Math.floor(Math.random() * 0x7fffffff);

describe('case-doc: mergeText (a plan edit held back while others typed, issue 10)', () => {
	it.each([
		['only local changed', '先家访。', '先家访，再电话。', '先家访。', '先家访，再电话。'],
		['only remote changed', '先家访。', '先家访。', '社区：先家访。', '社区：先家访。'],
		['disjoint: local at the end, remote at the start', 'ABC', 'ABCD', 'xABC', 'xABCD'],
		['disjoint: local at the start, remote at the end', 'ABC', 'yABC', 'ABCz', 'yABCz'],
		['same insertion point: local first', 'AB', 'A1B', 'A2B', 'A12B'],
		[
			'overlap keeps both versions, remote first',
			'A-mid-B',
			'A-LOCAL-B',
			'A-REMOTE-B',
			'A-REMOTELOCAL-B'
		],
		['an emoji is never cut', 'a😀b', 'a😀😀b', 'a😀c', 'a😀😀c']
	])('[limits] %s', (_what, base, local, remote, merged) => {
		expect(mergeText(base, local, remote)).toBe(merged);
	});

	it(`[limits] never loses a side: every character either side added is in the result (seed ${seed})`, () => {
		const text = fc.string({ unit: fc.constantFrom('劝', '返', 'a', 'b', '𠮷'), maxLength: 12 });
		fc.assert(
			fc.property(text, text, text, (base, local, remote) => {
				const m = mergeText(base, local, remote);
				const count = (s: string) => {
					const n = new Map<string, number>();
					for (const c of s) n.set(c, (n.get(c) ?? 0) + 1);
					return n;
				};
				const [b, l, r, out] = [count(base), count(local), count(remote), count(m)];
				for (const [c, k] of [...l, ...r]) {
					const added = Math.max(0, (l.get(c) ?? 0) - (b.get(c) ?? 0));
					const addedR = Math.max(0, (r.get(c) ?? 0) - (b.get(c) ?? 0));
					expect(out.get(c) ?? 0, `${c} (${k})`).toBeGreaterThanOrEqual(Math.max(added, addedR));
				}
				if (local === base) expect(m).toBe(remote);
				if (remote === base) expect(m).toBe(local);
			}),
			{ seed, numRuns: 300 }
		);
	});
});
