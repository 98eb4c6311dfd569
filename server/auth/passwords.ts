import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { argon2Verify, argon2id } from 'hash-wasm';

/**
 * argon2id parameters: the OWASP minimum (19 MiB, 2 passes, 1 lane). hash-wasm is pure
 * WebAssembly, so the relay installs from the registry alone, with no native build.
 */
export const ARGON2_PARAMS = {
	/** KiB (19 MiB). */
	memorySize: 19 * 1024,
	iterations: 2,
	parallelism: 1,
	hashLength: 32,
	saltLength: 16
} as const;

/**
 * Upper bounds for parameters read back from a stored hash. A hash is checked against them
 * before verifying, so a tampered row cannot make a login allocate gigabytes or spin for minutes.
 */
const MAX_MEMORY_KIB = 256 * 1024;
const MAX_ITERATIONS = 10;
const MAX_PARALLELISM = 4;

/**
 * At most this many argon2 computations run at once (issue 14): each holds 19 MiB of
 * WebAssembly memory, so 50 concurrent logins took the relay to 806 MiB. The others wait
 * their turn; the cost per hash (OWASP's minimum) stays.
 */
export const MAX_CONCURRENT_HASHES = 2;

/**
 * A full garbage collection, run after each hash (issue 14). hash-wasm gives every hash a new
 * WebAssembly instance whose 19 MiB memory is freed only when the collector finds it, and V8
 * waited until about 100 MiB of them had piled up: 50 concurrent logins took the relay from
 * 105 to 205 MiB. A collection of the relay's small heap takes a few milliseconds, against the
 * 50–100 ms of the hash itself. `--expose-gc` set at run time gives new contexts `gc`.
 */
const collect: () => void = (() => {
	try {
		setFlagsFromString('--expose-gc');
		const gc: unknown = runInNewContext('gc');
		if (typeof gc === 'function') return gc as () => void;
	} catch {
		// no collector to call: the memory is freed by V8's own schedule
	}
	return () => undefined;
})();

let running = 0;
let peak = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when fewer than MAX_CONCURRENT_HASHES are running, in arrival order. */
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
	if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((r) => waiting.push(r));
	else running++;
	peak = Math.max(peak, running);
	try {
		return await work();
	} finally {
		collect();
		// Hand the slot straight to the next in line (`running` stays), or free it.
		const next = waiting.shift();
		if (next) next();
		else running--;
	}
}

/** The most argon2 computations that ran at once since the last reset (for tests and benches). */
export function peakConcurrentHashes(reset = false): number {
	const p = peak;
	if (reset) peak = running;
	return p;
}

const PHC_RE =
	/^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;

/** Hashes a password with argon2id and a fresh 16-byte salt; returns the PHC string. */
export async function hashPassword(pw: string): Promise<string> {
	return inTurn(() =>
		argon2id({
			password: pw,
			salt: randomBytes(ARGON2_PARAMS.saltLength),
			memorySize: ARGON2_PARAMS.memorySize,
			iterations: ARGON2_PARAMS.iterations,
			parallelism: ARGON2_PARAMS.parallelism,
			hashLength: ARGON2_PARAMS.hashLength,
			outputType: 'encoded'
		})
	);
}

/** True when `hash` is a well-formed argon2id PHC string with parameters we accept. */
export function isPasswordHash(hash: unknown): hash is string {
	if (typeof hash !== 'string') return false;
	const m = PHC_RE.exec(hash);
	if (!m) return false;
	const [mem, t, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
	return (
		mem >= 8 * p &&
		mem <= MAX_MEMORY_KIB &&
		t >= 1 &&
		t <= MAX_ITERATIONS &&
		p >= 1 &&
		p <= MAX_PARALLELISM
	);
}

/** Whether `pw` matches `hash`; false for a wrong password or a malformed hash, never throws. */
export async function verifyPassword(hash: string, pw: string): Promise<boolean> {
	if (!isPasswordHash(hash) || typeof pw !== 'string') return false;
	try {
		return await inTurn(() => argon2Verify({ password: pw, hash }));
	} catch {
		return false;
	}
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time of one verification and returns false: a login for an unknown or disabled
 * user calls it so that response times do not tell which usernames exist.
 */
export async function verifyAgainstDummy(pw: string): Promise<false> {
	dummy ??= hashPassword('dummy-password-for-timing');
	await verifyPassword(await dummy, pw);
	return false;
}
