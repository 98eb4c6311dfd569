/**
 * Issue 12: a refusal shows a sentence in the user's language, never an internal key
 * (「规则 future-date」). Every key the rules and the relay can produce has a zh and an en
 * sentence, and no sentence contains a key.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	INTERNAL_RULE_KEYS,
	REFUSAL_TEXTS,
	policyRule,
	refusalText
} from '../../src/lib/i18n/refusal-texts';
import { RULE_IDS } from '../../src/lib/rules/types';

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
	});
}

/**
 * The rule keys written in the code that makes refusals, conflicts and quarantine rows:
 * `refuse('key', …)`, `rule: 'key'` (and unions of them), `RULE_X = 'key'`, `SET_ASIDE_RULE`,
 * the relay's violation table (`name: ['key', '中文…'`) and the `RefusalCode` type.
 */
function producedKeys(): Set<string> {
	const found = new Set<string>();
	const add = (text: string) => {
		for (const m of text.matchAll(/'([a-z][a-z-]*)'/g)) found.add(m[1] ?? '');
	};
	for (const file of [...sources('src/lib'), ...sources('server')]) {
		const src = readFileSync(file, 'utf8');
		for (const m of src.matchAll(/\brefuse\(\s*'([a-z][a-z-]*)'/g)) found.add(m[1] ?? '');
		for (const m of src.matchAll(/\brule:\s*((?:'[a-z][a-z-]*'\s*\|?\s*)+)/g)) add(m[1] ?? '');
		for (const m of src.matchAll(/\b[A-Z_]*RULE[A-Z_]*\s*=\s*'([a-z][a-z-]*)'/g))
			found.add(m[1] ?? '');
		for (const m of src.matchAll(/:\s*\[\s*'([a-z][a-z-]*)',\s*'[\u4e00-\u9fff]/g))
			found.add(m[1] ?? '');
		const code = /export type RefusalCode =([^;]+);/.exec(src);
		if (code) add(code[1] ?? '');
	}
	return found;
}

describe('[issue 12] refusal sentences instead of internal keys', () => {
	it('finds the keys the code produces (the scan itself works)', () => {
		const keys = producedKeys();
		for (const k of ['future-date', 'schema', 'limits', 'client-id', 'layout', 'load'])
			expect(keys).toContain(k);
	});

	it('has a sentence for every internal key the rules and the relay produce', () => {
		const missing = [...producedKeys()].filter(
			(k) => !(INTERNAL_RULE_KEYS as readonly string[]).includes(k)
		);
		expect(missing).toEqual([]);
	});

	it.each(INTERNAL_RULE_KEYS)('%s: a Chinese and an English sentence', (key) => {
		const t = REFUSAL_TEXTS[key];
		expect(t.zh).toMatch(/[\u4e00-\u9fff]/);
		expect(t.zh).toMatch(/[。！]$/);
		expect(t.en).toMatch(/^[A-Z]/);
		expect(t.en).toMatch(/\.$/);
		expect(t.en).not.toMatch(/[\u4e00-\u9fff]/);
	});

	it('no sentence contains an internal key or a policy rule id', () => {
		for (const t of Object.values(REFUSAL_TEXTS)) {
			for (const text of [t.zh, t.en]) {
				for (const key of INTERNAL_RULE_KEYS) {
					expect(text.toLowerCase()).not.toMatch(new RegExp(`(^|[^a-z])${key}([^a-z-]|$)`));
				}
				for (const id of RULE_IDS) expect(text).not.toContain(id);
			}
		}
	});

	it('policy ids are references; internal and unknown keys read as sentences', () => {
		expect(policyRule('S-8')).toBe('S-8');
		expect(policyRule('B-5')).toBe('B-5');
		expect(policyRule('future-date')).toBeNull();
		expect(refusalText('future-date').zh).toBe('日期不能晚于今天。');
		expect(refusalText('something-new')).toEqual(REFUSAL_TEXTS.unknown);
	});
});
