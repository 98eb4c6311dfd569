// Builds the SPA the way users need it (issue 14): always a production build, and again
// whenever its sources changed since the last one. A build made with NODE_ENV=development in
// the environment is a Svelte dev build in which the service worker never registers, so the
// app silently stops working offline; a build that only checked for `build/index.html` kept
// serving the old app after a `git pull`.
//
// After a build, `.build-stamp.json` beside build/ (not in it: every file of build/ is served and
// precached by the service worker) records a hash of the sources it was made from, a hash of the
// build/index.html it made and that it was a production build. `npm start` compares it with the
// sources and build/ as they are now; a build/ without a stamp, or whose index.html another
// build (a plain `vite build`, perhaps in development mode) wrote since, is rebuilt.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the SPA is built from: folders (walked) and single files, relative to the project. */
export const APP_SOURCES = [
	'src',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'tsconfig.json',
	'package.json',
	'package-lock.json'
];
export const STAMP_FILE = '.build-stamp.json';
/** Bumped when the stamp's meaning changes, so that older stamps count as stale. */
const STAMP_VERSION = 2;

const defaultRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Every file under `rel` (a file or a folder), relative to `root`, in a stable order.
 * @param {string} root
 * @param {string} rel
 * @returns {string[]}
 */
function filesOf(root, rel) {
	const full = join(root, rel);
	if (!existsSync(full)) return [];
	if (!statSync(full).isDirectory()) return [rel];
	return readdirSync(full, { withFileTypes: true, recursive: true })
		.filter((e) => e.isFile())
		.map((e) => relative(root, join(e.parentPath ?? e.path, e.name)))
		.sort();
}

/**
 * A hash of the contents (not the times: a checkout rewrites those) of every source file of the
 * SPA, with the file names. About 2 MB of text: a few tens of milliseconds.
 * @param {string} [root]
 */
export function sourceHash(root = defaultRoot) {
	const h = createHash('sha256');
	for (const rel of APP_SOURCES) {
		for (const f of filesOf(root, rel)) {
			h.update(`${f}\0`);
			h.update(readFileSync(join(root, f)));
			h.update('\0');
		}
	}
	return h.digest('hex');
}

/**
 * A hash of `buildDir`'s index.html: any other build writes another one (its asset names change).
 * @param {string} buildDir
 */
export function indexHash(buildDir) {
	return createHash('sha256')
		.update(readFileSync(join(buildDir, 'index.html')))
		.digest('hex');
}

/**
 * The stamp of `buildDir` (kept beside it), or null when there is none or it cannot be read.
 * @param {string} buildDir
 * @returns {{ version?: unknown, mode?: unknown, sources?: unknown, index?: unknown } | null}
 */
export function readStamp(buildDir) {
	try {
		const stamp = /** @type {unknown} */ (
			JSON.parse(readFileSync(join(dirname(buildDir), STAMP_FILE), 'utf8'))
		);
		return stamp !== null && typeof stamp === 'object' ? stamp : null;
	} catch {
		return null;
	}
}

/**
 * Why build/ must be rebuilt before it is served, or null when it is a production build of the
 * sources as they are now.
 * @param {string} [root]
 * @param {string} [buildDir]
 * @returns {string | null}
 */
export function staleReason(root = defaultRoot, buildDir = join(root, 'build')) {
	if (!existsSync(join(buildDir, 'index.html'))) return 'build/index.html is missing';
	const stamp = readStamp(buildDir);
	if (!stamp || stamp.version !== STAMP_VERSION) {
		return 'build/ has no build stamp (made by a plain `vite build`, perhaps a development build)';
	}
	if (stamp.index !== indexHash(buildDir)) {
		return 'build/ was rebuilt since its stamp (a plain `vite build`, perhaps a development build)';
	}
	if (stamp.mode !== 'production') return `build/ is a ${String(stamp.mode)} build`;
	if (stamp.sources !== sourceHash(root)) return 'the sources changed since the last build';
	return null;
}

/**
 * Runs `vite build` in production mode whatever NODE_ENV says, then writes the stamp (of the
 * sources as they were when the build started). Returns the exit status.
 * @param {string} [root]
 * @returns {number}
 */
export function buildApp(root = defaultRoot) {
	const sources = sourceHash(root);
	const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const r = spawnSync(process.execPath, [vite, 'build', '--mode', 'production'], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (r.status !== 0) return r.status ?? 1;
	const index = indexHash(join(root, 'build'));
	const stamp = { version: STAMP_VERSION, mode: 'production', sources, index };
	writeFileSync(join(root, STAMP_FILE), `${JSON.stringify(stamp)}\n`);
	return 0;
}

// `npm run build`: always a production build, stamped.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
	process.exit(buildApp());
}
