import { describe, expect, it } from 'vitest';
import { type Student } from '../../src/lib/domain';
import { CaseBuilder, DEMO_AUTHORS } from '../../src/lib/demo';
import { getProfile } from '../../src/lib/rules';
import { STUDENT_FIELDS, valuesFrom, type FormValues } from '../../src/lib/ui/event-forms';
import { studentDraft } from '../../src/lib/ui/form-drafts';
import { buildNewCase, newCaseValues } from '../../src/lib/ui/new-case';
import { obligationKeys } from './helpers';

/** A fixed "today" for the birth-date check: a grade-6 student born 2013-07-09 is 12. */
const TODAY = '2026-03-04';

const filled: FormValues = {
	...newCaseValues(),
	profile: 'bishan-2024',
	'student.name': '陈小红',
	'student.gender': 'female',
	'student.birthDate': '2013-07-09',
	'student.registryNo': 'G500227201307090027',
	'student.grade': '6'
};

/**
 * B-4 on a Bishan case made from the form: term starts Mon 2 Mar 2026, checked (not registered)
 * on Wed 4 Mar, reported to the bureau and the street on Fri 6 Mar; judged on Mon 9 Mar.
 */
function reported(hukouLocal: boolean | undefined) {
	return new CaseBuilder({
		id: 'case-hukou-form',
		profile: 'bishan-2024',
		student: {
			name: '陈小红',
			grade: 6,
			birthDate: '2013-07-09',
			...(hukouLocal === undefined ? {} : { hukouLocal })
		},
		createdOn: '2026-03-04'
	})
		.add('term_check', '2026-03-04', { termStart: '2026-03-02', registered: false })
		.add('written_report', '2026-03-06', { to: ['bureau', 'street'] })
		.build();
}

describe('B-4: 户籍在本区 on the new-case form and the student correction', () => {
	it('[B-4] the new-case form sends 户籍在本区 = 否 as hukouLocal: false; the case gets notify-hukou', () => {
		const r = buildNewCase({ ...filled, 'student.hukouLocal': 'false' }, false, TODAY);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.input.student.hukouLocal).toBe(false);
		const local = r.input.student.hukouLocal as boolean | undefined;
		expect(obligationKeys(reported(local), '2026-03-09')).toContain('notify-hukou');
	});

	it('[B-4] 是 sends true (no notify-hukou); not chosen sends nothing', () => {
		const yes = buildNewCase({ ...filled, 'student.hukouLocal': 'true' }, false, TODAY);
		expect(yes.ok && yes.input.student.hukouLocal).toBe(true);
		expect(obligationKeys(reported(true), '2026-03-09')).not.toContain('notify-hukou');
		const unknown = buildNewCase(filled, false, TODAY);
		expect(unknown.ok && 'hukouLocal' in unknown.input.student).toBe(false);
	});

	it('[B-4] [G-M4] the student correction sets it; leaving it unchosen changes nothing', () => {
		const student: Student = {
			name: '陈小红',
			gender: 'female',
			birthDate: '2013-07-09',
			registryNo: 'G500227************',
			schoolId: 'org-school1',
			grade: 6,
			className: '',
			hukouPlace: '',
			residence: '',
			focusGroups: []
		};
		const profile = getProfile('bishan-2024');
		const values = valuesFrom(STUDENT_FIELDS, student);
		expect(values['hukouLocal']).toBe('');
		const r = studentDraft(
			student,
			STUDENT_FIELDS,
			{ ...values, hukouLocal: 'false' },
			TODAY,
			DEMO_AUTHORS.school,
			profile
		);
		expect(r.ok && r.draft).toMatchObject({
			type: 'profile_updated',
			changes: [{ target: 'student', field: 'hukouLocal', value: false }]
		});
		const none = studentDraft(student, STUDENT_FIELDS, values, TODAY, DEMO_AUTHORS.school, profile);
		expect(none.ok).toBe(false);
		const known = { ...student, hukouLocal: false };
		expect(valuesFrom(STUDENT_FIELDS, known)['hukouLocal']).toBe('false');
	});
});
