import { CLOSURE_PATHS } from '../domain';
import { eventsOf, nthFactDate, type CaseState } from './state';
import type { ClosureStatus } from './types';

/**
 * S-10: for each closure path, eligible or the evidence still missing. Evidence counts only
 * accepted events of the current episode; repeated facts count once (G-M2).
 */
export function closureStatus(state: CaseState): ClosureStatus[] {
	// Cached on the state: permission checks ask for it per org kind; any accepted event resets it.
	if (state.closure) return state.closure;
	const out: ClosureStatus[] = [];
	for (const path of CLOSURE_PATHS) {
		const def = state.profile.closure[path];
		if (!def) continue;
		const missing: ClosureStatus['missing'] = [];
		for (const e of def.evidence) {
			if ('focusGroups' in e) {
				// S-10 贫困家庭: the path is for a student the profile's focus groups name (G-M4: as now).
				const groups = state.student.focusGroups as readonly string[];
				if (!e.focusGroups.some((g) => groups.includes(g)))
					missing.push({ key: e.key, label: e.label });
				continue;
			}
			const list = eventsOf(state, e.type);
			const enough =
				list.length >= e.count &&
				(e.count === 1 && !e.where && !e.includes
					? true
					: nthFactDate(list, '0000-01-01', e.count, e.where, e.includes) !== null);
			if (!enough) missing.push({ key: e.key, label: e.label });
		}
		out.push({ path, eligible: missing.length === 0, missing });
	}
	state.closure = out;
	return out;
}
