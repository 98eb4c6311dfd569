import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import {
	connect,
	createCase,
	login,
	ownWritesAccepted,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

/**
 * 410402 20120304 002 1: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 give
 * 28+9+0+20+0+8+4+0+6+6+0+27+0+20+0+0+4 = 132; 132 mod 11 = 0 → 1. Born 2012-03-04, female (2).
 */
const GIRL_ID = '410402201203040021';
const STUDENT = {
	name: '校验学生',
	gender: 'female',
	birthDate: '2012-03-04',
	registryNo: `G${GIRL_ID}`,
	idNumber: GIRL_ID,
	grade: 8
};

interface Invalid {
	error: string;
	message: { zh: string; en: string };
	errors: { path: string; message: string }[];
}

/**
 * Issue 11: the relay's case creation runs the person checks of the forms (the relay's clock is
 * 2026-11-23, school year 2026–2027), and its check of new events refuses a profile update whose
 * values break them, with the reason in Chinese.
 */
describe('relay: personal data is checked where it enters', () => {
	let t: TestRelay;
	let school: string;
	const clients: Client[] = [];

	const post = (body: object) =>
		fetch(`${t.url}/api/cases`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${school}` },
			body: JSON.stringify(body)
		});

	beforeAll(async () => {
		t = await startRelay();
		school = await login(t, 'school1');
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('a clean new case is created (201)', async () => {
		const res = await post({
			student: STUDENT,
			guardians: [{ name: '校验家长', relation: '母亲', phone: '138 0000 0001' }]
		});
		expect(res.status).toBe(201);
	});

	it.each([
		[
			'a wrong check digit',
			{ student: { ...STUDENT, idNumber: '410402201203040022' } },
			'student.idNumber',
			'身份证号校验位错误'
		],
		[
			'a 2030 birth date for grade 8',
			{ student: { ...STUDENT, idNumber: undefined, birthDate: '2030-05-01' } },
			'student.birthDate',
			'出生日期 2030-05-01 晚于今天（2026-11-23）'
		],
		[
			'a birth date of a 9-year-old for grade 8',
			{ student: { ...STUDENT, idNumber: undefined, birthDate: '2017-05-01' } },
			'student.birthDate',
			'与 8 年级不符'
		],
		[
			'a birth date that contradicts the ID number',
			{ student: { ...STUDENT, birthDate: '2012-03-05' } },
			'student.idNumber',
			'身份证号中的出生日期（2012-03-04）与出生日期（2012-03-05）不一致'
		],
		[
			'a gender that contradicts the ID number',
			{ student: { ...STUDENT, gender: 'male' } },
			'student.idNumber',
			'与性别（男）不一致'
		],
		[
			'a guardian phone 「abc」',
			{ student: STUDENT, guardians: [{ name: '家长', relation: '父亲', phone: 'abc' }] },
			'guardians.0.phone',
			'电话号码格式不正确：abc'
		]
	])('%s: 400 with the Chinese reason on its field, nothing stored', async (_w, body, path, zh) => {
		const before = (await t.storage.listCases()).length;
		const res = await post(body);
		expect(res.status).toBe(400);
		const b = (await res.json()) as Invalid;
		expect(b.error).toBe('invalid');
		expect(b.message.zh).toBe('填写的内容有误');
		const e = b.errors.find((x) => x.path === path);
		expect(e?.message).toContain(zh);
		expect(e?.message).toMatch(/ \/ [A-Za-z]/); // the English half follows
		expect((await t.storage.listCases()).length).toBe(before);
	});

	/** Pushes one event past the local rules (an old or forged client) and waits for the verdict. */
	async function push(caseId: string, ev: CaseEventInput): Promise<Client> {
		const c = connect(t, caseId, school);
		clients.push(c);
		await synced(c);
		c.doc.getArray('events').push([ev]);
		await until(() => c.refused.length > 0 || ownWritesAccepted(c), 5000, 'verdict');
		return c;
	}

	const update = (
		id: string,
		changes: Extract<CaseEventInput, { type: 'profile_updated' }>['changes']
	): CaseEventInput => ({
		id,
		type: 'profile_updated',
		date: '2026-11-23',
		recordedAt: '2026-11-23T02:00:00.000Z',
		author: DEMO_AUTHORS.school,
		v: 1,
		changes
	});

	it('[G-M4] a profile update with a phone 「abc」 or a birth date after today is refused with the reason', async () => {
		const caseId = await createCase(t, school, { name: '更正学生' });
		const phone = await push(
			caseId,
			update('p-phone', [{ target: 'guardian', guardianId: 'g1', field: 'phone', value: 'abc' }])
		);
		expect(phone.refused[0]?.reason.zh).toContain('电话号码格式不正确：abc');
		const born = await push(
			caseId,
			update('p-born', [{ target: 'student', field: 'birthDate', value: '2030-01-01' }])
		);
		expect(born.refused[0]?.reason.zh).toBe('出生日期 2030-01-01 晚于今天（2026-11-23）');
		// A plausible correction of 出生日期 and 性别 is stored.
		const ok = await push(
			caseId,
			update('p-ok', [
				{ target: 'student', field: 'birthDate', value: '2012-06-01' },
				{ target: 'student', field: 'gender', value: 'male' }
			])
		);
		expect(ok.refused).toEqual([]);
		const res = await fetch(`${t.url}/api/cases/${caseId}`, {
			headers: { authorization: `Bearer ${school}` }
		});
		const snap = (await res.json()) as { events: { id: string }[] };
		expect(snap.events.map((e) => e.id)).toEqual(['p-ok']);
	});
});
