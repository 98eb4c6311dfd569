// Issue 14: `npm start` serves a production build of the sources as they are now. The stamp
// beside build/ says what the build was made from; these tests drive the decision on a temporary copy
// of a project's layout (the real vite build takes a minute and is checked by the e2e runs).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAMP_FILE, indexHash, sourceHash, staleReason } from '../../scripts/app-build.mjs';
import { RELAY_NODE_FLAGS } from '../../scripts/build-server.mjs';

let root = '';
const write = (rel: string, text: string) => {
	mkdirSync(join(root, rel, '..'), { recursive: true });
	writeFileSync(join(root, rel), text);
};
/** A build/ as `buildApp` leaves it, stamped with the given mode and the current sources. */
const built = (mode = 'production', sources = sourceHash(root)) => {
	write('build/index.html', '<!doctype html>');
	const index = indexHash(join(root, 'build'));
	write(STAMP_FILE, JSON.stringify({ version: 2, mode, sources, index }));
};

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'ysya-stamp-'));
	write('src/routes/+page.svelte', '<h1>一生一案</h1>');
	write('src/lib/a.ts', 'export const a = 1;');
	write('static/manifest.webmanifest', '{}');
	write('svelte.config.js', 'export default {};');
	write('vite.config.ts', 'export default {};');
	write('package-lock.json', '{"lockfileVersion":3}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('source hash (issue 14)', () => {
	it('is the same for the same sources and changes with any source file', () => {
		const h = sourceHash(root);
		expect(sourceHash(root)).toBe(h);
		write('src/lib/a.ts', 'export const a = 2;');
		const h2 = sourceHash(root);
		expect(h2).not.toBe(h);
		write('src/lib/new.ts', '');
		expect(sourceHash(root)).not.toBe(h2);
	});

	it('covers static/, the configs and the lock file, not build/ or data', () => {
		const h = sourceHash(root);
		write('build/other.js', 'x');
		write('data/yishengyian.sqlite', 'x');
		expect(sourceHash(root)).toBe(h);
		for (const f of ['static/manifest.webmanifest', 'vite.config.ts', 'package-lock.json']) {
			const before = sourceHash(root);
			write(f, `${readFileSync(join(root, f), 'utf8')} `);
			expect(sourceHash(root), f).not.toBe(before);
		}
	});

	it('tells a renamed file from its old name', () => {
		const h = sourceHash(root);
		rmSync(join(root, 'src/lib/a.ts'));
		write('src/lib/b.ts', 'export const a = 1;');
		expect(sourceHash(root)).not.toBe(h);
	});
});

describe('whether npm start rebuilds (issue 14)', () => {
	it('builds when build/index.html is missing', () => {
		expect(staleReason(root)).toMatch(/missing/);
	});

	it('serves a stamped production build of the current sources as it is', () => {
		built();
		expect(staleReason(root)).toBeNull();
	});

	it('rebuilds after a source changed (a git pull)', () => {
		built();
		write('src/routes/+page.svelte', '<h1>一生一案 2</h1>');
		expect(staleReason(root)).toMatch(/sources changed/);
	});

	it('rebuilds a development build and an unstamped build (plain vite build)', () => {
		built('development');
		expect(staleReason(root)).toMatch(/development build/);
		rmSync(join(root, STAMP_FILE));
		expect(staleReason(root)).toMatch(/no build stamp/);
		write(STAMP_FILE, '{ not json');
		expect(staleReason(root)).toMatch(/no build stamp/);
	});

	it('rebuilds a build/ another build rewrote after the stamp (plain vite build)', () => {
		built();
		write('build/index.html', '<!doctype html><script src="/_app/dev.js"></script>');
		expect(staleReason(root)).toMatch(/rebuilt since its stamp/);
	});
});

describe('npm start runs the relay with its V8 flags (issue 14)', () => {
	it('passes every flag of RELAY_NODE_FLAGS, as the benches do', () => {
		const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
			scripts: Record<string, string>;
		};
		const start = pkg.scripts.start ?? '';
		expect(start).toMatch(/scripts\/start\.mjs$/);
		for (const flag of RELAY_NODE_FLAGS) expect(start.split(' ')).toContain(flag);
	});
});
