/** Per-phase timing of one evaluation (fold, obligations, closure, actions), for tuning. */
import type { CaseSnapshot } from '../src/lib/domain';
import { closureStatus, evaluate, foldCase, getProfile } from '../src/lib/rules';
import { obligations } from '../src/lib/rules/obligations';
import { generate } from './cases';

const cases = generate(600);
const profile = getProfile('shilong-2022');
const N = 60_000;
function time(name: string, fn: (c: CaseSnapshot) => unknown): void {
	for (let i = 0; i < 5000; i++) fn(cases[i % cases.length] as CaseSnapshot);
	const t0 = performance.now();
	for (let i = 0; i < N; i++) fn(cases[i % cases.length] as CaseSnapshot);
	console.log(`${name.padEnd(22)} ${(((performance.now() - t0) * 1000) / N).toFixed(2)} µs`);
}
time('fold', (c) => foldCase(c, profile));
time('fold+obligations', (c) => obligations(foldCase(c, profile), '2026-10-01'));
time('fold+closure', (c) => closureStatus(foldCase(c, profile)));
time('evaluate (no actions)', (c) => evaluate(c, '2026-10-01', { actions: false }));
time('evaluate', (c) => evaluate(c, '2026-10-01'));
