import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ORG_KINDS, type OrgKind } from '../../src/lib/domain';
import { canCreateCase, canSeeCase, type AccessCase } from '../../src/lib/rules/access';
import {
	ARGON2_PARAMS,
	hashPassword,
	isPasswordHash,
	verifyPassword
} from '../../server/auth/passwords';
import { LoginThrottle } from '../../server/auth/throttle';
import { createTokenService, loadOrCreateSecret, type TokenClaims } from '../../server/auth/tokens';

describe('passwords (argon2id)', () => {
	it('hashes to a PHC string with the OWASP parameters and verifies the right password', async () => {
		const hash = await hashPassword('demo-pass');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(ARGON2_PARAMS).toMatchObject({ memorySize: 19 * 1024, iterations: 2, parallelism: 1 });
		expect(isPasswordHash(hash)).toBe(true);
		expect(await verifyPassword(hash, 'demo-pass')).toBe(true);
		expect(await verifyPassword(hash, 'demo-pasS')).toBe(false);
		expect(await verifyPassword(hash, '')).toBe(false);
	});

	it('uses a fresh salt for every hash', async () => {
		expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
	});

	it.each([
		['empty', ''],
		['garbage', 'not a hash'],
		['bcrypt', '$2b$10$abcdefghijklmnopqrstuuJ4x2lJ4x2lJ4x2lJ4x2lJ4x2lJ4x2lJ4'],
		['argon2i', '$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaA'],
		[
			'huge memory',
			'$argon2id$v=19$m=9999999,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaA'
		],
		['truncated', '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ']
	])('a malformed hash (%s) verifies as false without throwing', async (_name, hash) => {
		await expect(verifyPassword(hash, 'demo-pass')).resolves.toBe(false);
	});

	it('a right-shaped hash with a wrong digest verifies as false', async () => {
		const hash = await hashPassword('demo-pass');
		const tampered = hash.slice(0, -4) + (hash.endsWith('AAAA') ? 'BBBB' : 'AAAA');
		expect(await verifyPassword(tampered, 'demo-pass')).toBe(false);
	});
});

describe('session tokens (HS256)', () => {
	const secret = new TextEncoder().encode('x'.repeat(32));
	const claims: TokenClaims = {
		userId: 'school1',
		username: 'school1',
		orgId: 'org-school1',
		orgKind: 'school',
		role: 'head_teacher'
	};
	const clock = (iso: string) => {
		const state = { now: new Date(iso) };
		return { state, now: () => state.now };
	};

	it('signs and verifies the claims', async () => {
		const c = clock('2026-11-23T08:00:00Z');
		const tokens = createTokenService({ secret, now: c.now });
		expect(await tokens.verify(await tokens.sign(claims))).toEqual({
			...claims,
			expiresAt: new Date('2026-11-23T20:00:00Z')
		});
	});

	it('expires after 12 hours by the injected clock', async () => {
		const c = clock('2026-11-23T08:00:00Z');
		const tokens = createTokenService({ secret, now: c.now });
		const token = await tokens.sign(claims);
		c.state.now = new Date('2026-11-23T19:59:59Z');
		expect(await tokens.verify(token)).toEqual({
			...claims,
			expiresAt: new Date('2026-11-23T20:00:00Z')
		});
		c.state.now = new Date('2026-11-23T20:00:01Z');
		expect(await tokens.verify(token)).toBeNull();
	});

	it('honours a shorter ttl', async () => {
		const c = clock('2026-11-23T08:00:00Z');
		const tokens = createTokenService({ secret, now: c.now, ttlSeconds: 60 });
		const token = await tokens.sign(claims);
		c.state.now = new Date('2026-11-23T08:01:01Z');
		expect(await tokens.verify(token)).toBeNull();
	});

	it('refuses a token signed with another secret, a tampered payload and garbage', async () => {
		const c = clock('2026-11-23T08:00:00Z');
		const tokens = createTokenService({ secret, now: c.now });
		const other = createTokenService({
			secret: new TextEncoder().encode('y'.repeat(32)),
			now: c.now
		});
		expect(await tokens.verify(await other.sign(claims))).toBeNull();
		const [h, p, s] = (await tokens.sign(claims)).split('.');
		const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<
			string,
			unknown
		>;
		const forged = Buffer.from(JSON.stringify({ ...payload, orgKind: 'bureau' })).toString(
			'base64url'
		);
		expect(await tokens.verify(`${h}.${forged}.${s}`)).toBeNull();
		for (const bad of ['', 'a.b.c', 'not-a-token', 'x'.repeat(5000)]) {
			expect(await tokens.verify(bad)).toBeNull();
		}
	});

	it('refuses a validly signed token whose payload has the wrong shape', async () => {
		const c = clock('2026-11-23T08:00:00Z');
		const tokens = createTokenService({ secret, now: c.now });
		const token = await tokens.sign({ ...claims, orgKind: 'martians' as OrgKind });
		expect(await tokens.verify(token)).toBeNull();
	});

	it('refuses a secret shorter than 32 bytes', () => {
		expect(() => createTokenService({ secret: new Uint8Array(16), now: () => new Date() })).toThrow(
			/JWT/
		);
	});
});

describe('loadOrCreateSecret', () => {
	const dirs: string[] = [];
	const tempDir = () => {
		const d = mkdtempSync(join(tmpdir(), 'ysya-secret-'));
		dirs.push(d);
		return d;
	};
	afterEach(() => {
		for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
	});

	it('creates <dataDir>/jwt-secret once (mode 0600) and reads it back afterwards', () => {
		const dir = join(tempDir(), 'data');
		const first = loadOrCreateSecret({ dataDir: dir });
		expect(first).toHaveLength(32);
		const file = join(dir, 'jwt-secret');
		expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const second = loadOrCreateSecret({ dataDir: dir });
		expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
	});

	it('uses JWT_SECRET when given and writes no file', () => {
		const dir = tempDir();
		const env = 'k'.repeat(40);
		expect(new TextDecoder().decode(loadOrCreateSecret({ dataDir: dir, envSecret: env }))).toBe(
			env
		);
		expect(() => statSync(join(dir, 'jwt-secret'))).toThrow();
	});

	it('refuses a JWT_SECRET shorter than 32 characters, in both languages', () => {
		expect(() => loadOrCreateSecret({ dataDir: tempDir(), envSecret: 'short-secret' })).toThrow(
			/至少.*32.*at least 32/
		);
	});

	it('refuses a corrupt secret file instead of silently replacing it', () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'jwt-secret'), 'not hex\n');
		expect(() => loadOrCreateSecret({ dataDir: dir })).toThrow(/corrupt/);
	});
});

describe('LoginThrottle', () => {
	const make = () => {
		const clock = { t: 1_000_000 };
		return { clock, throttle: new LoginThrottle({ now: () => clock.t }) };
	};

	it('allows 10 failures per username within a minute, blocks the 11th, unblocks after the window', () => {
		const { clock, throttle } = make();
		for (let i = 0; i < 10; i++) {
			expect(throttle.blocked('school1', `10.0.0.${i}`)).toBe(false);
			throttle.recordFailure('school1', `10.0.0.${i}`);
			clock.t += 1_000;
		}
		expect(throttle.blocked('school1', '10.0.0.99')).toBe(true);
		expect(throttle.blocked('SCHOOL1', '10.0.0.99')).toBe(true);
		expect(throttle.blocked('school2', '10.0.0.99')).toBe(false);
		// The first failure (at t0) leaves the window at t0 + 60 s.
		clock.t = 1_000_000 + 60_000;
		expect(throttle.blocked('school1', '10.0.0.99')).toBe(false);
	});

	it('allows 10 failures per address within a minute and blocks the 11th whatever the username', () => {
		const { clock, throttle } = make();
		for (let i = 0; i < 10; i++) {
			expect(throttle.blocked(`user${i}`, '203.0.113.7')).toBe(false);
			throttle.recordFailure(`user${i}`, '203.0.113.7');
		}
		expect(throttle.blocked('someone-else', '203.0.113.7')).toBe(true);
		expect(throttle.blocked('someone-else', '203.0.113.8')).toBe(false);
		clock.t += 60_000;
		expect(throttle.blocked('someone-else', '203.0.113.7')).toBe(false);
	});

	it('a success clears nothing, so one owned account cannot reset an address limit', () => {
		const { throttle } = make();
		for (let i = 0; i < 10; i++) throttle.recordFailure(`victim${i}`, '198.51.100.1');
		throttle.recordSuccess('attacker', '198.51.100.1');
		expect(throttle.blocked('victim0', '198.51.100.1')).toBe(true);
	});

	it('keeps memory bounded under a spray of usernames and addresses', () => {
		const clock = { t: 0 };
		const throttle = new LoginThrottle({ now: () => clock.t, maxKeys: 1_000 });
		for (let i = 0; i < 5_000; i++) throttle.recordFailure(`u${i}`, `a${i}`);
		expect(throttle.size().users).toBeLessThanOrEqual(1_000);
		expect(throttle.size().addresses).toBeLessThanOrEqual(1_000);
		// The most recent keys are the ones kept.
		for (let i = 0; i < 9; i++) throttle.recordFailure('u4999', 'a4999');
		expect(throttle.blocked('u4999', 'x')).toBe(true);
	});
});

describe('case visibility (DOMAIN.md "Who works on a case")', () => {
	const c: AccessCase = {
		schoolId: 'org-school1',
		streetId: 'org-street1',
		communityId: 'org-community1',
		team: ['police', 'school', 'community']
	};
	const own: Record<OrgKind, string> = {
		school: 'org-school1',
		community: 'org-community1',
		street: 'org-street1',
		bureau: 'org-bureau',
		district: 'org-district',
		justice: 'org-justice',
		police: 'org-police',
		hr: 'org-hr',
		disability: 'org-disability',
		civil: 'org-civil',
		religion: 'org-religion',
		rural: 'org-rural'
	};

	it.each([
		['school', true],
		['community', true],
		['street', true],
		['bureau', true],
		['district', true],
		['police', true],
		['justice', false],
		['hr', false],
		['disability', false],
		['civil', false],
		['religion', false],
		['rural', false]
	] as const)('%s of the case sees it: %s', (kind, sees) => {
		expect(canSeeCase({ orgId: own[kind], orgKind: kind }, c)).toBe(sees);
	});

	it.each(['school', 'community', 'street'] as const)(
		'another %s does not see the case',
		(kind) => {
			expect(canSeeCase({ orgId: `${own[kind]}-other`, orgKind: kind }, c)).toBe(false);
		}
	);

	it('a case with no community is seen by no community', () => {
		expect(
			canSeeCase({ orgId: 'org-community1', orgKind: 'community' }, { ...c, communityId: null })
		).toBe(false);
	});

	it('[S-9] partner departments see a case only once on its joint team', () => {
		const departments = [
			'justice',
			'police',
			'hr',
			'disability',
			'civil',
			'religion',
			'rural'
		] as const;
		for (const kind of departments) {
			const user = { orgId: own[kind], orgKind: kind };
			expect(canSeeCase(user, { ...c, team: [] })).toBe(false);
			expect(canSeeCase(user, { ...c, team: [kind] })).toBe(true);
		}
	});

	it('[S-9] the bureau and the district see every case in the district', () => {
		const far = { schoolId: 'x', streetId: 'y', communityId: null, team: [] };
		expect(canSeeCase({ orgId: 'org-bureau', orgKind: 'bureau' }, far)).toBe(true);
		expect(canSeeCase({ orgId: 'org-district', orgKind: 'district' }, far)).toBe(true);
	});

	it.each(ORG_KINDS.map((k) => [k, k === 'school' || k === 'bureau']))(
		'[S-1][S-4a] %s may create a case: %s',
		(kind, may) => {
			expect(canCreateCase(kind)).toBe(may);
		}
	);
});
