/**
 * The rule ids of DOMAIN.md (S-… Shilong, B-… Bishan, G-M merging, G-T time), as data: stable,
 * cited by code, tests and commits. tests/unit/rules-district.test.ts checks this list against
 * DOMAIN.md's own (`../shared/DOMAIN.md` beside the repository) when that file is there, and
 * that every id has a unit test carrying it in its name.
 */
export const RULE_IDS = [
	'S-1',
	'S-2',
	'S-3',
	'S-4a',
	'S-4b',
	'S-4c',
	'S-5',
	'S-6',
	'S-7',
	'S-8',
	'S-9',
	'S-10',
	'B-1',
	'B-2',
	'B-3',
	'B-4',
	'B-5',
	'B-6',
	'B-7',
	'B-8',
	'G-M1',
	'G-M2',
	'G-M3',
	'G-M4',
	'G-T1',
	'G-T2',
	'G-T3',
	'G-T4'
] as const;
