/**
 * npm run bench:storage — bytes on disk for the same events (issue 14 aim: ≤ 3× LevelDB):
 * CASES cases × EVENTS real events written through our relay (SQLite, every update durable,
 * compaction as configured), and exactly the same Yjs updates stored with y-leveldb (the
 * LevelDB persistence of y-websocket, brought by @y/websocket-server). Bytes are the files of
 * each database once its process has closed it; also per table of ours (SQLite's dbstat).
 *
 * Env: CASES (200), EVENTS (50).
 */
import Database from 'better-sqlite3';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
	cleanupOnExit,
	createCases,
	envNum,
	fillCases,
	fmt,
	loadAverage,
	login,
	startOurs,
	table,
	tempDir
} from './servers';

const CASES = Math.round(envNum('CASES', 200));
const EVENTS = Math.round(envNum('EVENTS', 50));
const AIM = 3;

/** Bytes of every file under `dir`. */
function bytesOf(dir: string): number {
	let n = 0;
	for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
	}
	return n;
}

interface LeveldbPersistence {
	storeUpdate(doc: string, update: Uint8Array): Promise<number>;
	getAllDocNames(): Promise<string[]>;
	destroy(): Promise<void>;
}

async function main(): Promise<void> {
	console.log(
		`bench:storage — ${CASES} cases × ${EVENTS} events = ${CASES * EVENTS}; ` +
			`load average ${loadAverage()}`
	);
	const server = await startOurs();
	let updates: Map<string, Uint8Array[]>;
	try {
		const token = await login(server);
		const rooms = await createCases(server, token, CASES);
		updates = await fillCases(server, token, rooms, EVENTS);
	} finally {
		await server.stop(); // checkpoints the write-ahead log
	}
	const ours = bytesOf(server.dataDir);
	const perTable = new Database(join(server.dataDir, 'yishengyian.sqlite'), { readonly: true })
		.prepare<[], { name: string; bytes: number }>(
			'SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8'
		)
		.all();

	let y: { LeveldbPersistence: new (dir: string) => LeveldbPersistence };
	// Named at run time: y-leveldb's own types are not reachable through its package "exports".
	const yLeveldb = 'y-leveldb';
	try {
		y = (await import(yLeveldb)) as typeof y;
	} catch {
		throw new Error('y-leveldb is not installed (it comes with @y/websocket-server)');
	}
	const levelDir = tempDir('ysya-bench-level-');
	const level = new y.LeveldbPersistence(levelDir);
	let count = 0;
	for (const [room, list] of updates) {
		for (const u of list) {
			await level.storeUpdate(room, u);
			count++;
		}
	}
	await level.destroy();
	const asWritten = bytesOf(levelDir);
	// LevelDB keeps recent writes in its log until it compacts them into (snappy-compressed)
	// tables, which opening the database does: the settled size is the one to compare.
	const reopened = new y.LeveldbPersistence(levelDir);
	await reopened.getAllDocNames();
	await reopened.destroy();
	const leveldb = bytesOf(levelDir);

	console.log(`\n${count} updates (each case's state as first synced, then one per event):`);
	console.log(
		table([
			['', 'bytes', 'MB'],
			['ours (SQLite, whole data folder)', String(ours), fmt(ours / 1e6, 2)],
			...perTable.map((t) => [`  of which ${t.name}`, String(t.bytes), fmt(t.bytes / 1e6, 2)]),
			['y-leveldb, as written (log not yet compacted)', String(asWritten), fmt(asWritten / 1e6, 2)],
			['y-leveldb, reopened (compacted)', String(leveldb), fmt(leveldb / 1e6, 2)],
			['ours / LevelDB (compacted)', `${fmt(ours / leveldb, 2)}×`, '']
		])
	);
	console.log(
		`\naim ≤ ${AIM}× LevelDB: ${ours / leveldb <= AIM ? 'MET' : 'NOT MET'} (${fmt(ours / leveldb, 2)}×)`
	);
}

cleanupOnExit();
main().catch((err: unknown) => {
	console.error(err);
	process.exitCode = 1;
});
