import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { appendEvent } from '../../src/lib/case-doc';
import { type Author, type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { createTokenService, loadOrCreateSecret } from '../../server/auth/tokens';
import { createRelay } from '../../server/relay';
import { seedDemoDistrict } from '../../server/seed';
import { openSqliteStorageInWorker } from '../../server/storage/worker';
import type { Client, TestRelay } from './relay-harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The relay's "now" in these tests: Monday 2026-11-23, 10:00 in China. */
export const T0 = new Date('2026-11-23T02:00:00.000Z');
export const TODAY = '2026-11-23';

let seededHash: string | null = null;

/**
 * A real relay (real SQLite on its worker thread, the demo district) whose clock the test moves:
 * `relay-harness.ts` fixes the clock, and token expiry needs one that passes.
 */
export async function startClockedRelay(clock: { now: Date }): Promise<TestRelay> {
	const dataDir = mkdtempSync(join(tmpdir(), 'ysya-identity-'));
	const now = () => clock.now;
	const storage = await openSqliteStorageInWorker({ path: join(dataDir, 'yishengyian.sqlite') });
	await seedDemoDistrict(storage, {
		now: clock.now,
		hash: async (pw) =>
			(seededHash ??= await (await import('../../server/auth/passwords')).hashPassword(pw))
	});
	const tokens = createTokenService({ secret: loadOrCreateSecret({ dataDir }), now });
	const relay = await createRelay({
		port: 0,
		storage,
		tokens,
		now,
		buildDir: null,
		log: () => undefined
	});
	const t: TestRelay = {
		relay,
		storage,
		dataDir,
		url: relay.url,
		wsUrl: relay.url.replace('http', 'ws') + '/sync',
		async stop() {
			await relay.close();
			await storage.close();
		},
		restart: () => Promise.reject(new Error('not supported by startClockedRelay')),
		async dispose() {
			await t.stop().catch(() => undefined);
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
	return t;
}

/** Runs `npm run admin -- …` (the admin CLI) on a data dir in its own process; resolves on exit. */
export function adminCli(dataDir: string, args: string[]): Promise<{ code: number; out: string }> {
	const proc = spawn(process.execPath, ['--import', 'tsx', 'server/admin-cli.ts', ...args], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR: dataDir },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
	proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
	return new Promise((resolve) => proc.on('exit', (code) => resolve({ code: code ?? -1, out })));
}

let n = 0;
/** An unexcused absence on `date` recorded by `author` (school1's head teacher by default). */
export function absence(date: string, author: Author = DEMO_AUTHORS.school): CaseEventInput {
	n++;
	return {
		id: `id-${date}-${n}`,
		type: 'absence',
		date,
		recordedAt: `${date}T09:00:00.000Z`,
		author,
		v: 1,
		excused: false
	};
}

/** Appends an event the local rules accept (throws otherwise: a test bug). */
export function append(doc: Y.Doc, ev: CaseEventInput): void {
	const r = appendEvent(doc, ev, TODAY);
	if (!r.ok) throw new Error(`${r.rule}: ${r.reason.en}`);
}

/** The highest clock of `clientId` that any accepted message to `c` has covered. */
export function acceptedClock(c: Client, clientId: number): number {
	let best = 0;
	for (const sv of c.accepted) best = Math.max(best, Y.decodeStateVector(sv).get(clientId) ?? 0);
	return best;
}

/** Makes `edit` write under another Yjs client id, as a crafted client would. */
export function writeAs(doc: Y.Doc, clientId: number, edit: () => void): void {
	const own = doc.clientID;
	doc.clientID = clientId;
	try {
		edit();
	} finally {
		doc.clientID = own;
	}
}

/** The case's events as the relay serves them over HTTP. */
export async function relayEvents(
	t: TestRelay,
	token: string,
	caseId: string
): Promise<{ id: string; author: Author }[]> {
	const res = await fetch(`${t.url}/api/cases/${caseId}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	if (res.status !== 200) throw new Error(`GET case: ${res.status}`);
	return ((await res.json()) as { events: { id: string; author: Author }[] }).events;
}
