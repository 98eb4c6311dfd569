import type { CaseSnapshot, EventType } from '../../src/lib/domain';
import { caseState, type Calendar } from '../../src/lib/rules';
import type { AccessCase } from '../../src/lib/rules/access';

/**
 * Event types whose arrival can change the current joint team: a formation (S-9), a reopening
 * (S-10: the new episode has no team yet) and an amendment (G-M3: it may correct or withdraw a
 * formation). Any other update leaves the team as it was, so the relay folds nothing extra.
 */
const TEAM_TYPES: ReadonlySet<EventType> = new Set(['joint_team_formed', 'reopened', 'amend']);

/** Whether the events `after` appended to `before` may change who is on the joint team. */
export function mayChangeTeam(before: CaseSnapshot, after: CaseSnapshot): boolean {
	for (let i = before.events.length; i < after.events.length; i++) {
		const ev = after.events[i];
		if (ev && TEAM_TYPES.has(ev.type)) return true;
	}
	return false;
}

/** The visibility side of a case as its document stands now (S-9: the current team). */
export function accessOf(snapshot: CaseSnapshot, calendar: Calendar): AccessCase {
	return {
		schoolId: snapshot.orgs.schoolId,
		streetId: snapshot.orgs.streetId,
		communityId: snapshot.orgs.communityId ?? null,
		team: [...caseState(snapshot, calendar).team]
	};
}
