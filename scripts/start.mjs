// Starts the app server: builds the SPA first when `build/index.html` is missing, then runs
// server/main.ts through tsx in this same process (no child to forward signals to).
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

const { tsImport } = await import('tsx/esm/api');
await tsImport('../server/main.ts', import.meta.url);
