import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startRelay, type TestRelay } from './relay-harness';

const STUDENT = {
	name: '社区测试',
	gender: 'female',
	birthDate: '2012-03-04',
	registryNo: 'G410402201203040021',
	grade: 8
};

/**
 * DOMAIN.md "Who works on a case": the case's street is its school's, and the community that
 * knows the family sits in that street; a school (or the bureau for a school) cannot name a
 * community of another street, which would see the case without its street office.
 */
describe('relay: the community of a new case is one of the school’s street', () => {
	let t: TestRelay;
	let school1: string;
	let school2: string;
	let bureau: string;

	const post = (token: string, body: object) =>
		fetch(`${t.url}/api/cases`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify({ student: STUDENT, ...body })
		});

	beforeAll(async () => {
		t = await startRelay();
		[school1, school2, bureau] = await Promise.all([
			login(t, 'school1'),
			login(t, 'school2'),
			login(t, 'bureau1')
		]);
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('a school names a community of its own street: 201, and the case carries it', async () => {
		const res = await post(school1, { communityId: 'org-community1' });
		expect(res.status).toBe(201);
		const { id } = (await res.json()) as { id: string };
		expect((await t.storage.getCase(id))?.communityId).toBe('org-community1');
	});

	it.each([
		['school1 (新华) names 光明’s community', () => school1, { communityId: 'org-community2' }],
		['school2 (光明) names 新华’s community', () => school2, { communityId: 'org-community1' }],
		[
			'the bureau names 新华’s community for 光明中学',
			() => bureau,
			{ schoolId: 'org-school2', communityId: 'org-community1' }
		]
	])('%s: 400 with a bilingual message on communityId, nothing stored', async (_w, token, body) => {
		const before = (await t.storage.listCases()).length;
		const res = await post(token(), body);
		expect(res.status).toBe(400);
		const answer = (await res.json()) as {
			error: string;
			message: { zh: string; en: string };
			errors: { path: string; message: string }[];
		};
		expect(answer.error).toBe('invalid');
		expect(answer.message.zh.length).toBeGreaterThan(0);
		expect(answer.errors).toEqual([
			{
				path: 'communityId',
				message: '只能指定学校所在街道的社区 / the community must be in the street of the school'
			}
		]);
		expect((await t.storage.listCases()).length).toBe(before);
	});

	it('a community id that is not a community is refused as before', async () => {
		const res = await post(school1, { communityId: 'org-street1' });
		expect(res.status).toBe(400);
		expect(((await res.json()) as { errors: { message: string }[] }).errors[0]?.message).toBe(
			'没有这个社区 / no such community'
		);
	});
});
