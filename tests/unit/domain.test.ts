import { describe, expect, it } from 'vitest';
import {
	isRealDate,
	isValidIdNumber,
	maskIdNumber,
	parseSnapshot,
	parseWith,
	caseEventSchema
} from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { shilong } from './helpers';

describe('case snapshot schema', () => {
	const good = () => shilong().absences(['2025-09-03']).build();

	it('accepts a well-formed snapshot and applies defaults', () => {
		const s = good();
		expect(s.student.focusGroups).toEqual([]);
		expect(s.events[0]?.type).toBe('absence');
	});

	it('rejects an unknown event type with a path-level error', () => {
		const raw = structuredClone(good()) as unknown as { events: Record<string, unknown>[] };
		(raw.events[0] as Record<string, unknown>).type = 'teleported';
		const r = parseSnapshot(raw);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]?.path).toBe('events.0.type');
	});

	it('rejects an impossible date such as 2025-02-30', () => {
		const raw = structuredClone(good()) as unknown as { events: Record<string, unknown>[] };
		(raw.events[0] as Record<string, unknown>).date = '2025-02-30';
		const r = parseSnapshot(raw);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.errors).toHaveLength(1);
			expect(r.errors[0]?.path).toBe('events.0.date');
			expect(r.errors[0]?.message).toContain('不存在的日期');
		}
	});

	it('rejects an event without an author', () => {
		const raw = structuredClone(good()) as unknown as { events: Record<string, unknown>[] };
		delete (raw.events[0] as Record<string, unknown>).author;
		const r = parseSnapshot(raw);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.map((e) => e.path)).toContain('events.0.author');
	});

	it('rejects unknown keys and duplicate event ids', () => {
		const raw = structuredClone(good()) as unknown as Record<string, unknown>;
		raw.stage = 'closed'; // stage is derived, never stored
		const r1 = parseSnapshot(raw);
		expect(r1.ok).toBe(false);
		const s = good();
		const dup = { ...s, events: [...s.events, ...s.events] };
		const r2 = parseSnapshot(dup);
		expect(r2.ok).toBe(false);
		if (!r2.ok) expect(r2.errors[0]?.path).toBe('events.1.id');
	});

	it.each([
		['2024-02-29', true],
		['2025-02-29', false],
		['2025-02-30', false],
		['2025-13-01', false],
		['2025-04-31', false],
		['2000-02-29', true],
		['1900-02-29', false],
		['2025-9-1', false]
	])('isRealDate(%s) = %s', (d, ok) => {
		expect(isRealDate(d)).toBe(ok);
	});

	it('validates an event on its own with field paths', () => {
		const r = parseWith(caseEventSchema, {
			id: 'x1',
			type: 'returned',
			date: '2025-10-30',
			recordedAt: '2025-10-30T08:00:00Z',
			author: DEMO_AUTHORS.school,
			v: 1
		});
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['placement']);
	});
});

describe('ID numbers (minors’ personal data)', () => {
	it('checks the ISO 7064 checksum', () => {
		expect(isValidIdNumber('11010519491231002X')).toBe(true);
		expect(isValidIdNumber('110105194912310021')).toBe(false);
		expect(isValidIdNumber('1101051949123100')).toBe(false);
	});

	it('masks all but the first 6 and last 4 characters', () => {
		expect(maskIdNumber('11010519491231002X')).toBe('110105************');
	});
});
