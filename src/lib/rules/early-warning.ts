import type { Calendar, Term } from './calendar';
import type { CaseSnapshot } from '../domain';
import { foldCase } from './fold';
import { getProfile } from './profiles';
import { eventsOf } from './state';
import { inFocusPeriod } from './term';
import type { Profile } from './profile-schema';
import type { Bilingual, RuleId } from './types';

export interface RiskFlag {
	rule: RuleId;
	key: string;
	label: Bilingual;
}

const GROUP_LABELS: Record<string, Bilingual> = {
	left_behind: { zh: '农村留守儿童', en: 'left-behind child' },
	registered_poor: { zh: '建档立卡/脱贫家庭', en: 'registered poor family' },
	low_income: { zh: '家庭经济困难', en: 'low-income family' },
	in_difficulty: { zh: '困境儿童', en: 'child in difficulty' },
	disabled: { zh: '残疾', en: 'disabled' },
	migrant: { zh: '随迁子女', en: 'migrant child' }
};

/** What the early warning reads of a student: from a case, or from a roster row. */
export interface RiskFacts {
	focusGroups: readonly string[];
	grade: number;
	/** Excused absences recorded (a case only; 0 on a roster row). */
	excused: number;
	/** A learning reason on file (S-3; a case only). */
	learning: boolean;
}

/**
 * B-6 early warning (Bishan 三(一)1: 重点群体、重点学段、重点时段; 三(二)5: 辍学倾向) and S-3
 * learning support (Shilong annex 一、3: 学困生帮扶, 留守儿童心理辅导): why a student should be
 * watched before dropping out — focus groups, the focus stage 初中 (grades 7–9), the focus
 * weeks after term start, excused absences piling up, or a learning reason on file.
 */
export function flagsOf(facts: RiskFacts, inFocusWeeks: boolean): RiskFlag[] {
	const flags: RiskFlag[] = facts.focusGroups.map((g) => ({
		rule: 'B-6' as const,
		key: `group:${g}`,
		label: GROUP_LABELS[g] ?? { zh: g, en: g }
	}));
	if (facts.grade >= 7) {
		flags.push({
			rule: 'B-6',
			key: 'stage',
			label: { zh: '初中重点学段', en: 'focus stage: junior secondary' }
		});
	}
	if (inFocusWeeks) {
		flags.push({
			rule: 'B-6',
			key: 'period',
			label: { zh: '开学重点核查时段', en: 'focus weeks after term start' }
		});
	}
	if (facts.excused >= 3) {
		flags.push({
			rule: 'B-6',
			key: 'excused',
			label: { zh: `请假 ${facts.excused} 天`, en: `${facts.excused} days on leave` }
		});
	}
	if (facts.learning) {
		flags.push({
			rule: 'S-3',
			key: 'learning',
			label: { zh: '学困生帮扶（一对一）', en: 'learning support (one to one)' }
		});
	}
	return flags;
}

/** The flags of a case's student for `today` (B-6, S-3). */
export function riskFlags(snapshot: CaseSnapshot, today: string, calendar?: Calendar): RiskFlag[] {
	const profile = getProfile(snapshot.profile);
	const state = foldCase(snapshot, profile, calendar);
	const learning = [
		...eventsOf(state, 'dropout_file_created'),
		...eventsOf(state, 'joint_team_formed')
	].some((e) => e.reason === 'learning');
	return flagsOf(
		{
			focusGroups: state.student.focusGroups,
			grade: state.student.grade,
			excused: eventsOf(state, 'absence').filter((a) => a.excused).length,
			learning
		},
		inFocusPeriod(today, profile, state.terms)
	);
}

/**
 * The flags of a roster row (学籍花名册, issue 12) for `today`: its focus groups and grade, and
 * the focus weeks of the district's `terms`. A roster row carries no absences or reasons.
 */
export function rosterRiskFlags(
	row: { focusGroups?: readonly string[] | undefined; grade: number },
	today: string,
	terms: readonly Term[],
	profile: Profile = getProfile('shilong-2022')
): RiskFlag[] {
	return flagsOf(
		{ focusGroups: row.focusGroups ?? [], grade: row.grade, excused: 0, learning: false },
		inFocusPeriod(today, profile, terms)
	);
}

/**
 * Whether a flag is the student's own (a focus group, leave piling up, a learning reason), not
 * one every student of a stage or a season shares: the watch list takes a student with one.
 */
export function isOwnFlag(f: RiskFlag): boolean {
	return f.key !== 'stage' && f.key !== 'period';
}
