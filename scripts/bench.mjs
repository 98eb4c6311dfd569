// Runs a benchmark from bench/ as one bundled ES module, as the browser and the relay run the
// rules (a bundle), rather than through a per-file TypeScript loader whose export getters
// would dominate the timings of a hot loop.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const name = process.argv[2];
if (!name) {
	console.error('usage: node scripts/bench.mjs <name>  (runs bench/<name>.bench.ts)');
	process.exit(2);
}
const outdir = join('node_modules', '.cache', 'bench');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `${name}.mjs`);
await build({
	entryPoints: [join('bench', `${name}.bench.ts`)],
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	outfile,
	packages: 'external',
	logLevel: 'warning'
});
// The bundle lies in node_modules, perhaps a link to another checkout's (a git worktree): the
// relay it builds and measures is this checkout's (scripts/build-server.mjs).
const r = spawnSync(process.execPath, ['--expose-gc', outfile, ...process.argv.slice(3)], {
	stdio: 'inherit',
	env: { ...process.env, YSYA_PROJECT_ROOT: process.cwd() }
});
process.exit(r.status ?? 1);
