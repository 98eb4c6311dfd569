// Starts the app server: builds the SPA first when `build/index.html` is missing, then runs
// the relay (server/main.ts, bundled by build-server.mjs) in this same process (no child to
// forward signals to).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(new URL('../build/index.html', import.meta.url))) {
	console.log('build/index.html is missing: running vite build');
	const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (build.status !== 0) {
		console.error('vite build failed');
		process.exit(build.status ?? 1);
	}
}

// The relay runs bundled on plain Node (issue 14: one JS engine loader fewer per thread). The
// bundle is rebuilt on every start (about a second), so it never lags the source.
const { buildServer } = await import('./build-server.mjs');
await import(await buildServer());
