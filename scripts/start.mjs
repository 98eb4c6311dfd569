// Starts the app server: builds the SPA first unless build/ is a production build of the
// sources as they are now (scripts/app-build.mjs, issue 14), then runs the relay
// (server/main.ts, bundled by build-server.mjs) in this same process (no child to forward
// signals to).
import { buildApp, staleReason } from './app-build.mjs';

const stale = staleReason();
if (stale) {
	console.log(`${stale}: running a production vite build`);
	const status = buildApp();
	if (status !== 0) {
		console.error('vite build failed');
		process.exit(status);
	}
}

// The relay runs bundled on plain Node (issue 14: one JS engine loader fewer per thread). The
// bundle is rebuilt on every start (about a second), so it never lags the source.
const { buildServer } = await import('./build-server.mjs');
await import(await buildServer());
