import { describe, expect, it } from 'vitest';
import {
	MAX_CONCURRENT_HASHES,
	hashPassword,
	peakConcurrentHashes,
	verifyPassword
} from '../../server/auth/passwords';

/** Issue 14: concurrent logins wait their turn for argon2 (19 MiB each), none is dropped. */
describe('password hashing is bounded', () => {
	it('12 concurrent verifications run at most MAX_CONCURRENT_HASHES at once', async () => {
		const hash = await hashPassword('正确的密码');
		peakConcurrentHashes(true);
		const tries = Array.from({ length: 12 }, (_, i) =>
			verifyPassword(hash, i % 3 === 0 ? '错误的密码' : '正确的密码')
		);
		const results = await Promise.all(tries);
		expect(MAX_CONCURRENT_HASHES).toBe(2);
		expect(peakConcurrentHashes()).toBe(MAX_CONCURRENT_HASHES);
		// Every answer is the right one, in the order asked.
		expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i % 3 !== 0));
	}, 60_000);

	it('a failing computation frees its turn', async () => {
		// A malformed hash never reaches argon2; one whose check throws inside must free the slot.
		const bad =
			'$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
		const answers = await Promise.all(Array.from({ length: 5 }, () => verifyPassword(bad, 'x')));
		expect(answers).toEqual([false, false, false, false, false]);
		const hash = await hashPassword('p');
		expect(await verifyPassword(hash, 'p')).toBe(true);
	}, 60_000);
});
