import type { Calendar } from './calendar';
import type { CaseSnapshot } from '../domain';
import { foldCase } from './fold';
import { getProfile } from './profiles';
import { eventsOf } from './state';
import { inFocusPeriod } from './term';
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

/**
 * B-6 early warning (and S-3 learning support): why a student should be watched before
 * dropping out — focus groups, the focus stage 初中 (grades 7–9), the focus weeks after term
 * start, excused absences piling up, or a learning reason on file.
 */
export function riskFlags(snapshot: CaseSnapshot, today: string, calendar?: Calendar): RiskFlag[] {
	const profile = getProfile(snapshot.profile);
	const state = foldCase(snapshot, profile, calendar);
	const flags: RiskFlag[] = state.student.focusGroups.map((g) => ({
		rule: 'B-6' as const,
		key: `group:${g}`,
		label: GROUP_LABELS[g] ?? { zh: g, en: g }
	}));
	if (state.student.grade >= 7) {
		flags.push({
			rule: 'B-6',
			key: 'stage',
			label: { zh: '初中重点学段', en: 'focus stage: junior secondary' }
		});
	}
	if (inFocusPeriod(today, profile, state.terms)) {
		flags.push({
			rule: 'B-6',
			key: 'period',
			label: { zh: '开学重点核查时段', en: 'focus weeks after term start' }
		});
	}
	const excused = eventsOf(state, 'absence').filter((a) => a.excused).length;
	if (excused >= 3) {
		flags.push({
			rule: 'B-6',
			key: 'excused',
			label: { zh: `请假 ${excused} 天`, en: `${excused} days on leave` }
		});
	}
	const learning = [
		...eventsOf(state, 'dropout_file_created'),
		...eventsOf(state, 'joint_team_formed')
	].some((e) => e.reason === 'learning');
	if (learning) {
		flags.push({
			rule: 'S-3',
			key: 'learning',
			label: { zh: '学困生帮扶（一对一）', en: 'learning support (one to one)' }
		});
	}
	return flags;
}
