import {
	caseEventSchema,
	type CaseEvent,
	type CaseEventInput,
	type CaseSnapshot
} from '../../src/lib/domain';
import { CaseBuilder } from '../../src/lib/demo';
import { evaluate, type Obligation } from '../../src/lib/rules';

/** Parses an event built by a CaseBuilder (tests propose parsed events to the rules). */
export function parsed(input: CaseEventInput): CaseEvent {
	return caseEventSchema.parse(input);
}

/** A fresh Shilong case for student 李小明 (grade 8) created on `createdOn`. */
export function shilong(id = 'case-t', createdOn = '2025-09-01'): CaseBuilder {
	return new CaseBuilder({
		id,
		profile: 'shilong-2022',
		student: { name: '李小明', grade: 8 },
		createdOn
	});
}

/** The obligation with this key (throws a readable error when absent). */
export function obligation(snapshot: CaseSnapshot, today: string, key: string): Obligation {
	const all = evaluate(snapshot, today).obligations;
	const o = all.find((x) => x.key === key);
	if (!o) throw new Error(`no obligation ${key}; have ${all.map((x) => x.key).join(', ')}`);
	return o;
}

/** Keys of the obligations of a case on a day. */
export function obligationKeys(snapshot: CaseSnapshot, today: string): string[] {
	return evaluate(snapshot, today).obligations.map((o) => o.key);
}

/** mulberry32: a small seeded PRNG, the same numbers for the same seed on every run. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A deterministic shuffle (mulberry32) for order-independence tests. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
	const rnd = mulberry32(seed);
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[out[i], out[j]] = [out[j] as T, out[i] as T];
	}
	return out;
}
