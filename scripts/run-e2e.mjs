// Runs the Playwright suite against Debian's Chromium; fails in one line when it is missing,
// since Playwright's own browser downloads are not used in this project.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
	process.stderr.write(
		'Chromium not found: install it with `apt-get install -y chromium` (or set CHROMIUM_PATH)\n'
	);
	process.exit(1);
}

const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
	stdio: 'inherit'
});
if (result.error) {
	process.stderr.write(`could not start Playwright: ${result.error.message}\n`);
	process.exit(1);
}
process.exit(result.status ?? 1);
