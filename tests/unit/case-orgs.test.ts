import { describe, expect, it } from 'vitest';
import { communitiesOfSchool, communityFitsSchool } from '../../src/lib/rules/case-orgs';

const ORGS = [
	{ id: 's1', kind: 'street', name: '新华街道', streetId: null },
	{ id: 's2', kind: 'street', name: '光明街道', streetId: null },
	{ id: 'c1', kind: 'community', name: '幸福社区', streetId: 's1' },
	{ id: 'c2', kind: 'community', name: '和平社区', streetId: 's2' },
	{ id: 'c3', kind: 'community', name: '朝阳社区', streetId: 's1' },
	{ id: 'k1', kind: 'school', name: '第一中学', streetId: 's1' },
	{ id: 'k2', kind: 'school', name: '光明中学', streetId: 's2' },
	{ id: 'k9', kind: 'school', name: '无街道学校', streetId: null }
];

describe('the community a new case may name (DOMAIN.md "Who works on a case")', () => {
	it.each([
		['k1', ['c1', 'c3']],
		['k2', ['c2']],
		['k9', []],
		['nowhere', []],
		['', []]
	])('school %s is offered %j', (schoolId, ids) => {
		expect(communitiesOfSchool(ORGS, schoolId).map((o) => o.id)).toEqual(ids);
	});

	it('only a community of the school’s own street fits', () => {
		const byId = (id: string) => ORGS.find((o) => o.id === id) ?? { id, kind: 'none' };
		const [k1, c1, c2, s1] = ['k1', 'c1', 'c2', 's1'].map(byId) as [
			(typeof ORGS)[number],
			(typeof ORGS)[number],
			(typeof ORGS)[number],
			(typeof ORGS)[number]
		];
		expect(communityFitsSchool(k1, c1)).toBe(true);
		expect(communityFitsSchool(k1, c2)).toBe(false);
		expect(communityFitsSchool(k1, s1)).toBe(false);
		expect(communityFitsSchool(c1, c1)).toBe(false);
	});
});
