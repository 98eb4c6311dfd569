import { randomBytes } from 'node:crypto';
import {
	chmodSync,
	closeSync,
	fsyncSync,
	linkSync,
	mkdirSync,
	openSync,
	readFileSync,
	statSync,
	unlinkSync,
	writeSync
} from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { orgKind, role, type OrgKind, type Role } from '../../src/lib/domain';

/** What a session token says about its user; the relay re-reads the user on every connection. */
export interface TokenClaims {
	userId: string;
	username: string;
	orgId: string;
	orgKind: OrgKind;
	role: Role;
}

/** What a valid token says, and until when: the relay closes a sync socket at `expiresAt`. */
export interface VerifiedToken extends TokenClaims {
	/** The token's `exp`. */
	expiresAt: Date;
}

/** Tokens live 12 hours: one working day of a case worker, then a fresh login. */
export const TOKEN_TTL_SECONDS = 12 * 60 * 60;
const ALG = 'HS256';
const ISSUER = 'yishengyian';
/** Shortest JWT_SECRET accepted: HS256 wants at least 256 bits of key. */
export const MIN_SECRET_CHARS = 32;
const SECRET_FILE = 'jwt-secret';

// A verified signature proves we issued the token, not that its payload has today's shape (an
// older release may have signed it): validate it like any other input.
const claimsSchema = z.object({
	sub: z.string().min(1),
	username: z.string().min(1),
	orgId: z.string().min(1),
	orgKind,
	role
});

export interface TokenService {
	/** A signed token for these claims, valid for the service's lifetime from `now()`. */
	sign(claims: TokenClaims): Promise<string>;
	/** The claims of a valid token; null when the signature, expiry or payload is wrong. */
	verify(token: string): Promise<VerifiedToken | null>;
}

/** HS256 tokens with an injected clock (tests move time instead of sleeping). */
export function createTokenService(options: {
	secret: Uint8Array;
	now: () => Date;
	ttlSeconds?: number;
}): TokenService {
	const { secret, now } = options;
	const ttl = options.ttlSeconds ?? TOKEN_TTL_SECONDS;
	if (secret.length < MIN_SECRET_CHARS) {
		throw new Error(`JWT 密钥太短 / JWT secret too short (< ${MIN_SECRET_CHARS} bytes)`);
	}
	return {
		async sign(claims) {
			const iat = Math.floor(now().getTime() / 1000);
			return new SignJWT({
				username: claims.username,
				orgId: claims.orgId,
				orgKind: claims.orgKind,
				role: claims.role
			})
				.setProtectedHeader({ alg: ALG, typ: 'JWT' })
				.setSubject(claims.userId)
				.setIssuer(ISSUER)
				.setIssuedAt(iat)
				.setExpirationTime(iat + ttl)
				.sign(secret);
		},
		async verify(token) {
			if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return null;
			try {
				const { payload } = await jwtVerify(token, secret, {
					algorithms: [ALG],
					issuer: ISSUER,
					currentDate: now(),
					requiredClaims: ['exp', 'iat', 'sub']
				});
				const r = claimsSchema.safeParse(payload);
				if (!r.success || typeof payload.exp !== 'number') return null;
				const { sub, ...rest } = r.data;
				return { userId: sub, ...rest, expiresAt: new Date(payload.exp * 1000) };
			} catch {
				return null;
			}
		}
	};
}

/**
 * The signing secret: `JWT_SECRET` when given (≥ 32 characters), else `<dataDir>/jwt-secret`,
 * created once with 32 random bytes and read on every later start, so tokens survive restarts.
 * An empty `JWT_SECRET` counts as unset: compose files often pass an unset variable as ''.
 */
export function loadOrCreateSecret(options: { dataDir: string; envSecret?: string }): Uint8Array {
	const env = options.envSecret;
	if (env !== undefined && env !== '') {
		if (env.length < MIN_SECRET_CHARS) {
			throw new Error(
				`JWT_SECRET 至少需要 ${MIN_SECRET_CHARS} 个字符 / JWT_SECRET must be at least ${MIN_SECRET_CHARS} characters`
			);
		}
		return new TextEncoder().encode(env);
	}
	mkdirSync(options.dataDir, { recursive: true });
	const path = join(options.dataDir, SECRET_FILE);
	const existing = readSecretFile(path);
	if (existing) return existing;
	createSecretFile(path);
	// Read back rather than return what we wrote: a concurrent start may have won the race.
	const created = readSecretFile(path);
	if (!created)
		throw new Error(`无法创建 JWT 密钥文件 / could not create the JWT secret file: ${path}`);
	return created;
}

function readSecretFile(path: string): Uint8Array | null {
	let text: string;
	try {
		text = readFileSync(path, 'utf8').trim();
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw err;
	}
	// Created 0600 (below); one copied in with wider rights is narrowed: it signs every session.
	try {
		if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
	} catch {
		// Not ours to change (another owner, a read-only mount).
	}
	if (!/^[0-9a-f]{64}$/.test(text)) {
		// Never regenerate silently: a new secret would log every user out and hide the damage.
		throw new Error(`JWT 密钥文件已损坏 / JWT secret file is corrupt: ${path}`);
	}
	return new Uint8Array(Buffer.from(text, 'hex'));
}

/**
 * Writes the secret to a temporary file (mode 0600, fsynced) and hard-links it into place.
 * `link` fails when the target exists, so two processes starting at once cannot both create
 * one, and a crash never leaves a half-written secret under the real name.
 */
function createSecretFile(path: string): void {
	const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	const fd = openSync(tmp, 'wx', 0o600);
	try {
		writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	try {
		linkSync(tmp, path);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
	} finally {
		unlinkSync(tmp);
	}
	fsyncDir(dirname(path));
}

/** Makes the new directory entry durable (the file's own fsync does not cover its name). */
function fsyncDir(dir: string): void {
	let fd: number | null = null;
	try {
		fd = openSync(dir, 'r');
		fsyncSync(fd);
	} catch {
		// Some file systems refuse fsync on a directory; the secret is still written.
	} finally {
		if (fd !== null) closeSync(fd);
	}
}
