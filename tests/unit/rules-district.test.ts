import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	RULE_IDS,
	allProfiles,
	cohortBirthRange,
	enrollmentRate,
	isOverAge,
	isSchoolAge,
	meetsTargets,
	parseProfile,
	quarterOf,
	quarterlyReportDue,
	retentionRate,
	riskFlags,
	termDeadlines,
	getProfile
} from '../../src/lib/rules';
import { bishanTermStart, shilongToJointTeam } from '../../src/lib/demo';
import shilongData from '../../src/lib/rules/profiles/shilong-2022.json';

const cohort = getProfile('shilong-2022').cohort;

/** DOMAIN.md beside the repository (`../shared/DOMAIN.md`), where the rule ids are defined. */
const DOMAIN_MD = fileURLToPath(new URL('../../../shared/DOMAIN.md', import.meta.url));
/**
 * Every rule id DOMAIN.md names (S-1 … S-10 with S-4a/b/c, B-…, G-M…, G-T…), sorted; null when
 * the file is not there (a clone without the steering folder): then the data file stands alone.
 */
const DOMAIN_IDS: string[] | null = existsSync(DOMAIN_MD)
	? [
			...new Set(
				[...readFileSync(DOMAIN_MD, 'utf8').matchAll(/\b[SBG]-[A-Z]?\d+[a-z]?\b/g)].map((m) => m[0])
			)
		].sort()
	: null;

describe('district-level rules', () => {
	it('[S-1] the school-age roster cohort of 2022 is born 2006-09-01 … 2016-08-31', () => {
		expect(cohortBirthRange(2022, cohort)).toEqual({ from: '2006-09-01', to: '2016-08-31' });
		expect(isSchoolAge('2016-08-31', '2022-09-01', cohort)).toBe(true);
		expect(isSchoolAge('2016-09-01', '2022-09-01', cohort)).toBe(false);
		expect(isSchoolAge('2006-09-01', '2023-03-01', cohort)).toBe(true);
		expect(isOverAge('2006-08-31', '2022-09-01', cohort)).toBe(true);
		expect(isOverAge('2006-09-01', '2023-08-31', cohort)).toBe(false);
	});

	it('[S-2] the registry review is due two weeks after term start', () => {
		const d = termDeadlines('2025-09-01', getProfile('shilong-2022'));
		expect(d).toEqual([
			expect.objectContaining({ rule: 'S-2', key: 'registry-review', due: '2025-09-15' })
		]);
	});

	it('[B-1] Bishan has the 5-day check (covering registry changes) and the 10-day report', () => {
		// Issue 12: the Bishan seed puts 学籍变化情况 into the 5-day check; it has no two-week S-2.
		const d = termDeadlines('2026-03-02', getProfile('bishan-2024'));
		expect(d.map((x) => [x.rule, x.key, x.due])).toEqual([
			['B-1', 'term-check', '2026-03-09'],
			['B-1', 'term-report', '2026-03-12']
		]);
	});

	it('[S-3] a learning reason on file asks for one-to-one learning support', () => {
		const flags = riskFlags(shilongToJointTeam('c', 'other').build(), '2025-11-20');
		expect(flags.map((f) => f.key)).not.toContain('learning');
		const s = shilongToJointTeam('c2', 'other').build();
		const learning = {
			...s,
			events: s.events.map((e) =>
				e.type === 'dropout_file_created' ? { ...e, reason: 'learning' as const } : e
			)
		};
		expect(riskFlags(learning, '2025-11-20')).toContainEqual(
			expect.objectContaining({ rule: 'S-3', key: 'learning' })
		);
	});

	it('[B-6] early warning: focus groups, junior secondary and the first weeks of term', () => {
		const s = bishanTermStart().build(); // migrant, grade 6
		expect(riskFlags(s, '2026-03-10').map((f) => f.key)).toEqual(['group:migrant', 'period']);
		expect(riskFlags(s, '2026-05-10').map((f) => f.key)).toEqual(['group:migrant']);
		const junior = shilongToJointTeam().build(); // left-behind, grade 9
		expect(riskFlags(junior, '2025-11-20').map((f) => f.key)).toEqual([
			'group:left_behind',
			'stage'
		]);
	});

	it('[S-5] the quarterly form is due at quarter end, on the next working day if that is a rest day', () => {
		expect(quarterOf('2025-10-09')).toEqual({ year: 2025, quarter: 4 });
		expect(quarterlyReportDue(2025, 3)).toBe('2025-09-30');
		expect(quarterlyReportDue(2025, 4)).toBe('2025-12-31');
		expect(quarterlyReportDue(2024, 1)).toBe('2024-04-01'); // Sun 31 March 2024
		expect(quarterlyReportDue(2026, 1)).toBe('2026-03-31');
	});

	it('[B-7] retention and enrollment rates against the targets (100%, ≥99%, poor 100%)', () => {
		const retention = retentionRate({
			entrants: 200,
			transfersIn: 5,
			transfersOut: 5,
			retained: 198
		});
		expect(retention).toBeCloseTo(0.99);
		expect(retentionRate({ entrants: 0, transfersIn: 0, transfersOut: 0, retained: 0 })).toBeNull();
		expect(retentionRate({ entrants: 10, transfersIn: 0, transfersOut: 0, retained: 11 })).toBe(1);
		const t = meetsTargets(
			{ enrollment: enrollmentRate(499, 500), retention, poorRetention: 1 },
			getProfile('shilong-2022')
		);
		expect(t).toEqual({ enrollment: false, retention: true, poorRetention: true });
		expect(
			meetsTargets(
				{ enrollment: null, retention: 0.985, poorRetention: null },
				getProfile('bishan-2024')
			)
		).toEqual({
			enrollment: null,
			retention: false,
			poorRetention: null
		});
	});

	it('profiles are validated data: a broken profile is rejected with its path', () => {
		expect(allProfiles().map((p) => p.id)).toEqual(['shilong-2022', 'bishan-2024']);
		const broken = structuredClone(shilongData) as unknown as {
			periods: { noticeReturn: { unit: string } };
		};
		broken.periods.noticeReturn.unit = 'fortnight';
		expect(() => parseProfile(broken)).toThrow(/periods\.noticeReturn\.unit/);
	});

	it('[rule ids] the data file is DOMAIN.md’s own list of rule ids', (ctx) => {
		if (!DOMAIN_IDS) {
			console.log(`rule ids: ${DOMAIN_MD} not found; checking the data file alone`);
			return ctx.skip();
		}
		expect([...RULE_IDS].sort()).toEqual(DOMAIN_IDS);
	});

	it('every rule id of DOMAIN.md has a test carrying it in its name', () => {
		const dir = join(process.cwd(), 'tests', 'unit');
		const titles: string[] = [];
		for (const f of readdirSync(dir).filter((n) => n.endsWith('.test.ts'))) {
			const src = readFileSync(join(dir, f), 'utf8');
			for (const m of src.matchAll(/\b(?:it|test)(?:\.each\([\s\S]*?\)\s*)?\(\s*(['"`])(.*?)\1/g)) {
				titles.push(m[2] ?? '');
			}
		}
		// DOMAIN.md's ids when it is beside the repository, the data file's too.
		const ids = [...new Set([...(DOMAIN_IDS ?? []), ...RULE_IDS])];
		expect(ids.length).toBeGreaterThanOrEqual(RULE_IDS.length);
		const missing = ids.filter((id) => !titles.some((t) => t.includes(`[${id}]`)));
		expect(missing).toEqual([]);
	});
});
