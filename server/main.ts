import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrCreateSecret, createTokenService } from './auth/tokens';
import { clockFromSetting } from './clock';
import { createRelay } from './relay';
import { acquireRelayLock } from './relay-lock';
import { seedDemoDistrict } from './seed';
import { startupFailure } from './storage/startup';
import { openSqliteStorageInWorker } from './storage/worker';

// Only the environment is read here; everything else lives in the factories (STYLE.md item 5).
const env = process.env;
const rawPort = env.PORT ?? '8080';
const port = Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	console.error(`PORT 必须是 0–65535 的整数 / PORT must be an integer 0-65535, got "${rawPort}"`);
	process.exit(1);
}
const production = env.NODE_ENV === 'production';
// NOW puts the relay on a given day (browser tests): the clock starts there and runs on.
const clock = clockFromSetting(env.NOW, production);
if (!clock.ok) {
	console.error(clock.error);
	process.exit(1);
}
const { now } = clock;
if (clock.fixedAt) {
	console.log(
		`时钟已固定 / clock fixed: starts at ${clock.fixedAt.toISOString()} and runs on (NOW)`
	);
}
// Pages of these origins may open the sync socket besides the relay's own (comma-separated).
const allowedOrigins = (env.ALLOWED_ORIGINS ?? '')
	.split(',')
	.map((o) => o.trim())
	.filter((o) => o !== '');
for (const o of allowedOrigins) {
	if (URL.canParse(o) && new URL(o).origin === o) continue;
	console.error(
		`ALLOWED_ORIGINS 中的 "${o}" 不是来源（应如 https://example.gov.cn） / "${o}" in ALLOWED_ORIGINS is not an origin (scheme://host[:port])`
	);
	process.exit(1);
}
const dataDir = resolve(env.DATA_DIR ?? 'data');
mkdirSync(dataDir, { recursive: true });
// Issue 11: the admin command line does not rewrite stored cases while this relay serves them.
const lock = acquireRelayLock(dataDir, now());
process.on('exit', () => lock.release());
if (lock.replaced !== null) {
	console.log(
		`警告：另一个中继服务（pid ${lock.replaced}）也在使用 ${dataDir} / warning: another relay (pid ${lock.replaced}) also uses ${dataDir}`
	);
}
const buildDir = env.BUILD_DIR ?? fileURLToPath(new URL('../build', import.meta.url));

// On its own thread: commits wait for fsync, and the relay's event loop must not.
const dbPath = join(dataDir, 'yishengyian.sqlite');
const storage = await openSqliteStorageInWorker({ path: dbPath }).catch((err: unknown) => {
	console.error(startupFailure(err, dbPath, dataDir));
	process.exit(1);
});
if (env.SEED !== 'none' && !production) {
	const seeded = await seedDemoDistrict(storage, { now: now() });
	if (seeded.orgs > 0) {
		console.log(
			`已创建示范区数据 / demo district seeded: ${seeded.orgs} orgs, ${seeded.users} users, ${seeded.cases} cases`
		);
	}
}
const tokens = createTokenService({
	secret: loadOrCreateSecret({ dataDir, envSecret: env.JWT_SECRET }),
	now
});
const relay = await createRelay({
	port,
	host: env.HOST ?? '0.0.0.0',
	storage,
	tokens,
	now,
	buildDir,
	previewDir: join(dataDir, 'previews'),
	allowedOrigins
});
let stopping = false;
function stop(): void {
	if (stopping) return;
	stopping = true;
	relay
		.close()
		.then(() => storage.close())
		.then(
			() => process.exit(0),
			() => process.exit(1)
		);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Said once the signals are handled: whoever waits for this line may stop the relay at once.
console.log(`一生一案 listening on ${relay.url} (data in ${dataDir})`);
