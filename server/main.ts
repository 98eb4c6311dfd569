import { fileURLToPath } from 'node:url';
import { createAppServer } from './app-server';

// Only the environment is read here; everything else lives in the factory (STYLE.md item 5).
const rawPort = process.env.PORT ?? '8080';
const port = Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	console.error(`PORT must be an integer 0-65535, got "${rawPort}"`);
	process.exit(1);
}
const host = process.env.HOST ?? '0.0.0.0';
const buildDir = process.env.BUILD_DIR ?? fileURLToPath(new URL('../build', import.meta.url));

const app = await createAppServer({ port, host, buildDir });
console.log(`一生一案 listening on ${app.url}`);

let stopping = false;
function stop(): void {
	if (stopping) return;
	stopping = true;
	app.close().then(
		() => process.exit(0),
		() => process.exit(1)
	);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
