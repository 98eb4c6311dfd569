import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	LIMITS,
	caseChars,
	caseEventSchema,
	groupDigits,
	guardianSchema,
	parseSnapshot,
	planTextSchema,
	shortText,
	studentSchema,
	textLength,
	type CaseEvent
} from '$lib/domain';
import { shilong } from './helpers';

/** Re-run a failure with PROPERTY_SEED=<seed> (printed in the test name and by fast-check). */
const seed = process.env.PROPERTY_SEED
	? Number(process.env.PROPERTY_SEED)
	: Math.floor(Math.random() * 0x7fffffff);

/** A valid follow-up event (its note can be long): the cheapest way to fill a timeline. */
function followUp(i: number, note = ''): CaseEvent {
	return caseEventSchema.parse({
		id: `f-${i}`,
		type: 'follow_up',
		date: '2025-09-08',
		recordedAt: '2025-09-08T02:00:00.000Z',
		author: {
			userId: 'u1',
			orgId: 'school-1',
			orgKind: 'school',
			role: 'head_teacher',
			name: '王'
		},
		v: 1,
		status: 'stable',
		note
	});
}

describe('limits: one place, cited by every schema (issue 10)', () => {
	it.each([
		[0, '0'],
		[999, '999'],
		[20_000, '20,000'],
		[8_000_000, '8,000,000']
	])('[limits] groups %i as %s whatever the locale', (n, text) => {
		expect(groupDigits(n)).toBe(text);
	});

	it('[limits] the plan takes exactly LIMITS.plan characters, refused one more in Chinese first', () => {
		expect(LIMITS.plan).toBe(20_000);
		expect(planTextSchema.safeParse('方'.repeat(LIMITS.plan)).success).toBe(true);
		const r = planTextSchema.safeParse('方'.repeat(LIMITS.plan + 1));
		expect(r.success).toBe(false);
		expect(r.error?.issues[0]?.message).toBe('最多 20,000 字 / at most 20,000 characters');
	});

	it('[limits] lengths count code points, as zod does: an astral character counts 1', () => {
		const name = '𠮷'.repeat(LIMITS.shortText);
		expect(textLength(name)).toBe(LIMITS.shortText);
		expect(shortText.safeParse(name).success).toBe(true);
		expect(shortText.safeParse(`${name}a`).success).toBe(false);
	});

	it(`[limits] textLength and the schemas agree on any text, rare Unicode included (seed ${seed})`, () => {
		// Astral, combining, RTL, lone surrogates, near the limit from both sides.
		const unit = fc.constantFrom('劝', '𠮷', '😀', 'e\u0301', 'שלום', '\uD800', '\uDC00', 'a', ' ');
		const text = fc
			.tuple(
				fc.integer({ min: LIMITS.plan - 40, max: LIMITS.plan + 40 }),
				fc.array(unit, { maxLength: 60 })
			)
			.map(([n, tail]) => '方'.repeat(Math.max(0, n - tail.length)) + tail.join(''));
		fc.assert(
			fc.property(text, (s) => {
				expect(planTextSchema.safeParse(s).success).toBe(textLength(s) <= LIMITS.plan);
			}),
			{ seed, numRuns: 200 }
		);
	});

	it('[limits] student and guardian fields cite LIMITS', () => {
		const student = {
			name: '李小明',
			gender: 'male',
			birthDate: '2012-01-01',
			registryNo: 'G110101************',
			schoolId: 's1',
			grade: 8
		};
		const over = (n: number) => 'x'.repeat(n + 1);
		expect(studentSchema.safeParse({ ...student, residence: over(LIMITS.place) }).success).toBe(
			false
		);
		expect(studentSchema.safeParse({ ...student, className: over(LIMITS.tag) }).success).toBe(
			false
		);
		const g = { id: 'g1', name: '李父', relation: '父亲' };
		expect(guardianSchema.safeParse({ ...g, address: over(LIMITS.place) }).success).toBe(false);
		expect(guardianSchema.safeParse({ ...g, phone: 'x'.repeat(LIMITS.tag) }).success).toBe(true);
	});

	it('[limits] a note takes LIMITS.note characters', () => {
		expect(() => followUp(1, '记'.repeat(LIMITS.note))).not.toThrow();
		expect(() => followUp(1, '记'.repeat(LIMITS.note + 1))).toThrow(/最多 20,000 字/);
	});

	it('[limits] a case holds LIMITS.eventsPerCase events, not one more', () => {
		const base = shilong().build();
		const events = Array.from({ length: LIMITS.eventsPerCase }, (_, i) => followUp(i));
		expect(parseSnapshot({ ...base, events }).ok).toBe(true);
		const r = parseSnapshot({ ...base, events: [...events, followUp(LIMITS.eventsPerCase)] });
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]?.message).toContain('最多 5,000 条记录');
	});

	it('[limits] the whole case is at most LIMITS.caseChars characters of JSON', () => {
		const base = shilong().build();
		const note = '记'.repeat(LIMITS.note);
		// Enough full notes to pass the size, each event far within its own limits.
		const n = Math.ceil(LIMITS.caseChars / LIMITS.note);
		const events = Array.from({ length: n }, (_, i) => followUp(i, note));
		const r = parseSnapshot({ ...base, events });
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.map((e) => e.message).join()).toContain('案件数据过大');
		const fits = parseSnapshot({ ...base, events: events.slice(0, n - 10) });
		expect(fits.ok).toBe(true);
		if (fits.ok) expect(caseChars(fits.value)).toBe(JSON.stringify(fits.value).length);
	});
});
