// Bundles the relay into `build-server/` so that it runs on plain Node (issue 14): under tsx the
// main thread and the storage worker each carry a TypeScript loader (about 215 MiB before any
// load). Our code is bundled; node_modules stay external (better-sqlite3 is native). The worker
// entries (`sqlite-worker.mjs`, `parse-worker.mjs`) are copied beside the bundle and load the
// bundled module next to them (`sqlite.mjs`, `roster.mjs`); in the source tree, where those do
// not exist, they load the TypeScript through tsx as before (tests, `npm run admin`).
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The project folder: the nearest one up with package.json (this file is also bundled into
 * benches). scripts/bench.mjs names it in YSYA_PROJECT_ROOT: its bundles lie in node_modules,
 * which in a git worktree is a link to the main checkout's, where the walk up would end.
 */
function projectRoot() {
	const named = process.env.YSYA_PROJECT_ROOT;
	if (named) return named.endsWith('/') ? named : `${named}/`;
	let dir = new URL('.', import.meta.url);
	while (!existsSync(fileURLToPath(new URL('package.json', dir)))) {
		const up = new URL('..', dir);
		if (up.href === dir.href) throw new Error('build-server: no package.json above this file');
		dir = up;
	}
	return fileURLToPath(dir);
}

const root = projectRoot();
const out = `${root}build-server`;

/**
 * V8 flags the relay runs with (`npm start`, the benches; issue 14). The young generation's
 * default semi-space (16 MiB each, grown under allocation) is most of an idle relay's heap;
 * the Yjs sync work is short-lived garbage that a 1 MiB nursery collects as cheaply.
 */
export const RELAY_NODE_FLAGS = (process.env.RELAY_NODE_FLAGS ?? '--max-semi-space-size=1')
	.split(' ')
	.filter((f) => f !== '');

const WORKERS = ['server/storage/sqlite-worker.mjs', 'server/roster/parse-worker.mjs'];

/**
 * exceljs (about 12 MiB of heap) is loaded when a report or a roster file is first read, not
 * at start (issue 14): the bundle's `import ExcelJS from 'exceljs'` gets an object that
 * requires the package on its first property access (`ExcelJS.Workbook`, `ExcelJS.stream`).
 * @type {import('esbuild').Plugin}
 */
const lazyExcel = {
	name: 'lazy-exceljs',
	setup(b) {
		b.onResolve({ filter: /^exceljs$/ }, () => ({ path: 'exceljs', namespace: 'lazy-exceljs' }));
		b.onLoad({ filter: /.*/, namespace: 'lazy-exceljs' }, () => ({
			loader: 'js',
			contents: [
				"import { createRequire } from 'node:module';",
				'const load = createRequire(import.meta.url);',
				'let real;',
				"export default new Proxy({}, { get: (_t, key) => (real ??= load('exceljs'))[key] });"
			].join('\n')
		}));
	}
};

/** True when the bundle exists and no file it was built from changed since. */
function fresh() {
	const inputsFile = `${out}/inputs.json`;
	if (!existsSync(inputsFile)) return false;
	const builtAt = statSync(inputsFile).mtimeMs;
	// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- our own file, written below
	const built = /** @type {string[]} */ (JSON.parse(readFileSync(inputsFile, 'utf8')));
	const inputs = [...built, ...WORKERS];
	return inputs.every(
		(f) => existsSync(`${root}${f}`) && statSync(`${root}${f}`).mtimeMs < builtAt
	);
}

/**
 * Builds the bundle unless it is up to date; returns the path of its main module. Written to a
 * temporary folder and moved into place, so a relay starting meanwhile never sees half of it.
 */
export async function buildServer({ force = false } = {}) {
	if (!force && fresh()) return `${out}/main.mjs`;
	const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	const tmp = `${out}.tmp-${tag}`;
	rmSync(tmp, { recursive: true, force: true });
	mkdirSync(tmp, { recursive: true });
	const result = await build({
		absWorkingDir: root,
		entryPoints: {
			main: 'server/main.ts',
			sqlite: 'server/storage/sqlite.ts',
			roster: 'server/roster/index.ts'
		},
		outdir: tmp,
		outExtension: { '.js': '.mjs' },
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		sourcemap: true,
		metafile: true,
		plugins: [lazyExcel],
		logLevel: 'warning'
	});
	for (const w of WORKERS) copyFileSync(`${root}${w}`, `${tmp}/${w.split('/').pop()}`);
	const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules'));
	writeFileSync(`${tmp}/inputs.json`, JSON.stringify(inputs));
	// Two starts may build at once (parallel tests): each moves its own copy into place; when the
	// other's arrived first, both copies were built from the same sources and either serves.
	const old = `${out}.old-${tag}`;
	try {
		renameSync(out, old);
	} catch {
		// not there (first build) or just moved by the other builder
	}
	try {
		renameSync(tmp, out);
	} catch {
		rmSync(tmp, { recursive: true, force: true });
	}
	rmSync(old, { recursive: true, force: true });
	return `${out}/main.mjs`;
}

// Run as a script (`node scripts/build-server.mjs`), not when imported or bundled into a bench.
if (
	process.argv[1]?.endsWith('build-server.mjs') &&
	process.argv[1] === fileURLToPath(import.meta.url)
) {
	console.log(`built ${await buildServer({ force: true })}`);
}
