import { describe, expect, it } from 'vitest';
import { ORG_KINDS, ROLES, type OrgKind } from '../../src/lib/domain/kinds';
import {
	canCorrectIdentity,
	canCreateCase,
	canEditCalendar,
	canImportRoster,
	canManageRetention,
	canRecordOrgWork,
	canReviewQuarantine,
	canSeeRepairs,
	maySeeDeveloperPages,
	reportScope,
	schoolScope,
	seesOrgWork,
	seesSchool
} from '../../src/lib/rules/access';

/**
 * Issue 13: office permissions as one table, written by hand from DOMAIN.md "Who works on a
 * case" and the rules each function cites — never derived from the functions under test.
 */
const kindsWith = (...k: OrgKind[]) => ORG_KINDS.filter((x) => k.includes(x));

describe('office permissions (rules/access.ts)', () => {
	it.each([
		['canCreateCase (S-4a school, S-1/B-2 bureau)', canCreateCase, kindsWith('school', 'bureau')],
		['canImportRoster (S-1)', canImportRoster, kindsWith('school', 'bureau')],
		['canCorrectIdentity (issue 11)', canCorrectIdentity, kindsWith('school', 'bureau')],
		['canEditCalendar (G-T3)', canEditCalendar, kindsWith('bureau')],
		['canReviewQuarantine', canReviewQuarantine, kindsWith('bureau')],
		['canSeeRepairs (issue 10)', canSeeRepairs, kindsWith('bureau')],
		['canManageRetention (issue 11)', canManageRetention, kindsWith('bureau')]
	] as const)('%s', (_name, fn, allowed) => {
		for (const k of ORG_KINDS) expect([k, fn(k)]).toEqual([k, allowed.includes(k)]);
	});

	it('[S-5] reports: the bureau and the district all streets, a street its own, nobody else', () => {
		expect(reportScope({ orgId: 'b', orgKind: 'bureau' })).toEqual({});
		expect(reportScope({ orgId: 'd', orgKind: 'district' })).toEqual({});
		expect(reportScope({ orgId: 'st-1', orgKind: 'street' })).toEqual({ streetIds: ['st-1'] });
		for (const k of kindsWith('school', 'community', 'police', 'justice', 'rural'))
			expect(reportScope({ orgId: 'x', orgKind: k })).toBeNull();
	});

	it('[S-1][B-1][S-2] school scope: rosters, watch lists and term checks', () => {
		const a = { id: 'sch-a', streetId: 'st-1' };
		const b = { id: 'sch-b', streetId: 'st-2' };
		const sees = (orgKind: OrgKind, orgId: string) =>
			[a, b].filter((s) => seesSchool({ orgId, orgKind }, s)).map((s) => s.id);
		expect(sees('bureau', 'bur')).toEqual(['sch-a', 'sch-b']);
		expect(sees('district', 'dis')).toEqual(['sch-a', 'sch-b']);
		expect(sees('street', 'st-2')).toEqual(['sch-b']);
		expect(sees('school', 'sch-a')).toEqual(['sch-a']);
		expect(sees('community', 'com-1')).toEqual([]);
		expect(sees('police', 'pol')).toEqual([]);
		expect(schoolScope({ orgId: 'com-1', orgKind: 'community' })).toBeNull();
	});

	it('[B-1][S-2][S-5] org work: who sees it and who records it', () => {
		const bureauRound = { orgId: 'bur', streetId: null };
		const schoolCheck = { orgId: 'sch-a', streetId: 'st-1' };
		expect(seesOrgWork({ orgId: 'st-1', orgKind: 'street' }, schoolCheck)).toBe(true);
		expect(seesOrgWork({ orgId: 'st-1', orgKind: 'street' }, bureauRound)).toBe(false);
		expect(seesOrgWork({ orgId: 'sch-b', orgKind: 'school' }, schoolCheck)).toBe(false);
		expect(seesOrgWork({ orgId: 'dis', orgKind: 'district' }, bureauRound)).toBe(true);
		// A school records its term checks, the bureau the quarterly round; not the other way.
		expect(canRecordOrgWork('school', true)).toBe(true);
		expect(canRecordOrgWork('school', false)).toBe(false);
		expect(canRecordOrgWork('bureau', false)).toBe(true);
		expect(canRecordOrgWork('bureau', true)).toBe(false);
		expect(canRecordOrgWork('street', true)).toBe(false);
	});

	it('the rules demo (issue 12): only the bureau’s system administrators, or anyone in development', () => {
		// Written by hand from README "Case numbers (issue 12)": admin1 (bureau, role admin) only.
		for (const orgKind of ORG_KINDS)
			for (const role of ROLES) {
				const user = { orgKind, role };
				expect([orgKind, role, maySeeDeveloperPages(user, false)]).toEqual([
					orgKind,
					role,
					orgKind === 'bureau' && role === 'admin'
				]);
				expect(maySeeDeveloperPages(user, true)).toBe(true);
			}
		expect(maySeeDeveloperPages(null, false)).toBe(false);
		expect(maySeeDeveloperPages(undefined, false)).toBe(false);
		expect(maySeeDeveloperPages(null, true)).toBe(true);
	});
});
