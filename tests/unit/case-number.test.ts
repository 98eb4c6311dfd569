import { describe, expect, it } from 'vitest';
import {
	FALLBACK_DISTRICT,
	caseNumberPrefix,
	caseNumberSchema,
	caseNumberSequence,
	districtShortName,
	formatCaseNumber
} from '../../src/lib/domain';
import { buildDeadlineNotice, buildDropoutFile } from '../../src/lib/documents';
import { shilong } from './helpers';

describe('[issue 12] human case numbers', () => {
	it.each([
		['示范区人民政府', '示范区'],
		['璧山区人民政府', '璧山区'],
		['石龙区 教育局', '石龙区'],
		['', FALLBACK_DISTRICT],
		[null, FALLBACK_DISTRICT]
	])('short district name of %s is %s', (name, short) => {
		expect(districtShortName(name)).toBe(short);
	});

	it.each([
		// China time is UTC+8: 2025-12-31T15:59Z is still 2025-12-31 23:59 in China …
		['2025-12-31T15:59:00.000Z', '示范区-2025-'],
		// … and 16:00Z is 2026-01-01 00:00 there: the year of the number is China's.
		['2025-12-31T16:00:00.000Z', '示范区-2026-'],
		['2026-03-02T01:00:00.000Z', '示范区-2026-']
	])('a case created at %s is numbered under %s', (at, prefix) => {
		expect(caseNumberPrefix('示范区', at)).toBe(prefix);
	});

	it('pads the sequence to four digits and reads it back', () => {
		expect(formatCaseNumber('示范区-2026-', 1)).toBe('示范区-2026-0001');
		expect(formatCaseNumber('示范区-2026-', 12345)).toBe('示范区-2026-12345');
		expect(caseNumberSequence('示范区-2026-', '示范区-2026-0042')).toBe(42);
		expect(caseNumberSequence('示范区-2026-', '示范区-2025-0042')).toBeNull();
		expect(caseNumberSequence('示范区-2026-', '示范区-2026-42')).toBeNull();
	});

	it('the schema takes a number and refuses a UUID', () => {
		expect(caseNumberSchema.safeParse('示范区-2026-0001').success).toBe(true);
		expect(caseNumberSchema.safeParse('case-0f8fad5b-d9cb-469f-a165-70867728950e').success).toBe(
			false
		);
	});

	it('documents print the number as 案件编号, never the internal id', () => {
		const snapshot = { ...shilong('case-0f8fad5b').build(), caseNo: '示范区-2026-0007' };
		const input = { snapshot, orgNames: {}, today: '2026-03-02' };
		const file = buildDropoutFile(input);
		expect(file.header.find((f) => f.label === '案件编号')?.value).toBe('示范区-2026-0007');
		expect(buildDeadlineNotice(input).caseNo.value).toBe('示范区-2026-0007');
		// An older document without one falls back to the relay list's number.
		const old = {
			...input,
			snapshot: shilong('case-0f8fad5b').build(),
			caseNo: '示范区-2025-0003'
		};
		expect(buildDeadlineNotice(old).caseNo.value).toBe('示范区-2025-0003');
		expect(JSON.stringify(buildDropoutFile(old))).not.toContain(old.snapshot.id);
	});
});
