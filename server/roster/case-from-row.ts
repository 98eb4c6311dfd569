import type { RosterRecord } from '../storage/types';

/**
 * The new-case body for a student of a roster row (B-2 trace list, B-6 watch list): the row's
 * student and guardian as the registry has them; `createCaseFor` splits the ID numbers off into
 * the relay's table (issue 11) and checks the rest like any new case.
 */
export function caseFromRosterRow(
	row: RosterRecord,
	o: { profile: string; grade: number; focusGroups?: readonly string[]; plan: string }
) {
	return {
		profile: o.profile,
		schoolId: row.schoolId,
		student: {
			name: row.name,
			gender: row.gender,
			birthDate: row.birthDate,
			registryNo: row.registryNo,
			...(row.idNumber ? { idNumber: row.idNumber } : {}),
			grade: o.grade,
			className: row.className,
			hukouPlace: row.hukouPlace,
			residence: row.residence,
			...(o.focusGroups ? { focusGroups: [...o.focusGroups] } : {})
		},
		guardians: row.guardianName
			? [
					{
						name: row.guardianName,
						relation: '监护人',
						phone: row.guardianPhone,
						address: row.residence
					}
				]
			: [],
		plan: o.plan
	};
}
