import { describe, expect, it } from 'vitest';
import {
	anonymiseJson,
	anonymiseText,
	anonymousIdMasked,
	anonymousRegistryNo,
	fillerFor,
	personalValues,
	registryNo,
	maskedIdNumber,
	statisticsChanged
} from '../../src/lib/domain';
import { shilongClosedBy } from '../../src/lib/demo';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

describe('issue 11: the same-length filler of anonymised values', () => {
	// Each row: a value, its filler written out by hand, its UTF-8 bytes and UTF-16 units.
	it.each([
		['13800000001', '***********', 11, 11],
		['Li Lei', '******', 6, 6],
		['王梓涵', '＊＊＊', 9, 3],
		['新华街道和平路11号', '＊＊＊＊＊＊＊**＊', 26, 10],
		['José', '***×', 5, 4],
		['Ünal', '×***', 5, 4],
		['𠮷田', '\u{1f7b6}＊', 7, 3],
		['王😀', '＊\u{1f7b6}', 7, 3],
		['', '', 0, 0]
	])('%s → %s keeps %i UTF-8 bytes and %i UTF-16 units', (value, filler, bytes, units) => {
		expect(fillerFor(value)).toBe(filler);
		expect(utf8(value)).toBe(bytes);
		expect(utf8(filler)).toBe(bytes);
		expect(value.length).toBe(units);
		expect(filler.length).toBe(units);
	});

	it('a masked ID number loses its region, a 学籍号 keeps its kind letter; both still validate', () => {
		expect(anonymousIdMasked('410402************')).toBe('000000************');
		expect(anonymousRegistryNo('G410402************')).toBe('G******************');
		expect(anonymousRegistryNo('L20250901001')).toBe('L***********');
		expect(maskedIdNumber.safeParse('000000************').success).toBe(true);
		expect(registryNo.safeParse('G******************').success).toBe(true);
		expect(registryNo.safeParse('L***********').success).toBe(true);
	});
});

describe('issue 11: which values are personal, and where they are replaced', () => {
	const snapshot = {
		student: {
			name: '李小明',
			idMasked: '410402************',
			registryNo: 'G410402************',
			hukouPlace: '河南省平顶山市',
			residence: '新华街道和平路11号',
			birthDate: '2012-05-14'
		},
		guardians: [{ name: '李大山', phone: '13800000001', address: '新华街道和平路11号' }],
		plan: '李小明的父亲李大山（13800000001）外出务工。',
		events: [
			{
				type: 'profile_updated',
				changes: [{ target: 'guardian', guardianId: 'g1', field: 'phone', value: 'Li' }]
			},
			{ type: 'student_located', whereabouts: '随父母在浙江省宁波市', note: '' },
			{ type: 'reopened', reason: '李大山称孩子又不来了' }
		]
	};

	it('collects names, numbers, phones and places, longest first; not the birth date', () => {
		const from = personalValues(snapshot).map((r) => r.from);
		// By UTF-8 length: 30, 26, 21, 19, 18, 11, 9, 9 and 2 bytes.
		expect(from).toEqual([
			'随父母在浙江省宁波市',
			'新华街道和平路11号',
			'河南省平顶山市',
			'G410402************',
			'410402************',
			'13800000001',
			'李大山',
			'李小明',
			'Li'
		]);
		expect(from).not.toContain('2012-05-14');
	});

	it('replaces them in every string, a two-letter value only where it stands alone', () => {
		const r = personalValues(snapshot);
		expect(anonymiseText(snapshot.plan, r)).toBe('＊＊＊的父亲＊＊＊（***********）外出务工。');
		expect(anonymiseText('Li', r)).toBe('**');
		expect(anonymiseText('Lisa', r)).toBe('Lisa');
		const out = anonymiseJson(snapshot, r) as typeof snapshot;
		expect(out.student.registryNo).toBe('G******************');
		expect(out.student.idMasked).toBe('000000************');
		expect(out.student.birthDate).toBe('2012-05-14');
		expect(out.events[2]).toEqual({ type: 'reopened', reason: '＊＊＊称孩子又不来了' });
		// Anonymised once, nothing is left to find.
		expect(personalValues(out)).toEqual([]);
	});

	it('[S-10] a closed case keeps every date, code and id the statistics read', () => {
		const closed = shilongClosedBy('returned');
		const after = anonymiseJson(closed, personalValues(closed));
		expect(statisticsChanged(closed, after)).toBeNull();
		expect((after as typeof closed).student.name).toBe('＊＊＊');
		// A "name" that is a code or a date would move the figures: refused by path.
		expect(
			statisticsChanged(
				closed,
				anonymiseJson(closed, [{ from: 'join_class', to: '**********', whole: false }])
			)
		).toMatch(/^events\.\d+\.placement$/);
		expect(
			statisticsChanged(closed, anonymiseJson(closed, [{ from: '2025', to: '****', whole: false }]))
		).toBe('createdAt');
	});
});
