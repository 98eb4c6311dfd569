import type { CaseSnapshot, ClosurePath } from '../domain';
import { CaseBuilder } from './case-builder';

/**
 * A Shilong case (S-4a … S-10) whose dates cross the 2025 National Day holiday: absences from
 * Wed 24 Sep (Sun 28 Sep is a make-up school day), persuasion on 30 Sep, 9 and 10 Oct, the report
 * on Sat 11 Oct (a make-up working day), the notice on 13 Oct, return by 20 Oct.
 */
export function shilongToJointTeam(
	id = 'case-sl',
	reason: Parameters<typeof jointTeam>[1] = 'work'
) {
	const b = new CaseBuilder({
		id,
		profile: 'shilong-2022',
		student: { name: '李小明', birthDate: '2010-03-01', grade: 9, focusGroups: ['left_behind'] },
		createdOn: '2025-09-24'
	});
	b.absences(['2025-09-24', '2025-09-25', '2025-09-26'])
		.add('home_visit', '2025-09-27', {
			mode: 'home_visit',
			contacted: '祖母',
			findings: '学生外出'
		})
		.absences(['2025-09-28', '2025-09-29'])
		.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } })
		.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'refused' })
		.add('persuasion_attempt', '2025-10-09', { mode: 'home_visit', outcome: 'refused' })
		.add('persuasion_attempt', '2025-10-10', { mode: 'home_visit', outcome: 'refused' })
		.add('dropout_file_created', '2025-10-11', { reason })
		.add('written_report', '2025-10-11', { to: ['street', 'bureau'] })
		.by('street')
		.add('deadline_notice_issued', '2025-10-13', {
			number: '石龙街限〔2025〕1号',
			servedTo: '李大山',
			servedOn: '2025-10-13',
			returnBy: '2025-10-20'
		});
	return jointTeam(b, reason);
}

function jointTeam(
	b: CaseBuilder,
	reason: 'work' | 'guardian_neglect' | 'disability' | 'lost_contact' | 'other'
): CaseBuilder {
	const departments = {
		work: ['hr', 'police'],
		guardian_neglect: ['justice'],
		disability: ['disability', 'bureau'],
		lost_contact: ['police'],
		other: ['school', 'community', 'rural']
	} as const;
	return b.by('street').add('joint_team_formed', '2025-10-13', {
		reason,
		departments: [...departments[reason]]
	});
}

/** Three joint persuasion attempts after the notice's return-by date (S-9). */
function jointAttempts(b: CaseBuilder): CaseBuilder {
	return b
		.by('street')
		.add('joint_persuasion_attempt', '2025-10-21', { mode: 'home_visit', outcome: 'refused' })
		.add('joint_persuasion_attempt', '2025-10-24', { mode: 'home_visit', outcome: 'refused' })
		.add('joint_persuasion_attempt', '2025-10-28', { mode: 'meeting', outcome: 'refused' });
}

/**
 * S-10 继续劝返: one joint persuasion attempt by the street within every 30 days of the
 * deferral (the profile's `deferral-persuade`), up to the over-age leaving mark.
 */
function persuadeDuringDeferral(b: CaseBuilder, dates: string[]): CaseBuilder {
	b.by('street');
	for (const d of dates)
		b.add('joint_persuasion_attempt', d, { mode: 'home_visit', outcome: 'refused' });
	return b;
}

/** A Shilong case walked from the first absence to closure along one S-10 path. */
export function shilongClosedBy(path: ClosurePath): CaseSnapshot {
	switch (path) {
		case 'returned':
			return jointAttempts(shilongToJointTeam('case-returned'))
				.by('school')
				.add('returned', '2025-10-30', { placement: 'join_class' })
				.add('follow_up', '2025-11-06', { status: 'stable' })
				.by('street')
				.add('closed', '2025-11-07', { path })
				.build();
		case 'enrolled_elsewhere':
			return shilongToJointTeam('case-elsewhere')
				.by('bureau')
				.add('enrollment_elsewhere_confirmed', '2025-10-22', {
					school: '广州市白云区某中学',
					region: '广东省广州市',
					confirmedBy: '白云区教育局'
				})
				.add('registry_mark', '2025-10-23', { mark: 'transferred' })
				.add('closed', '2025-10-24', { path })
				.build();
		case 'refuses_after_judicial': {
			const judicial = jointAttempts(shilongToJointTeam('case-judicial', 'guardian_neglect'))
				.by('justice')
				.add('judicial_decision', '2025-12-15', {
					issuer: '石龙区人民法院',
					documentNo: '(2025)豫0404民初100号',
					guardianDutyFulfilled: true
				})
				.by('street')
				.add('written_statement', '2025-12-18', { by: ['李小明', '李大山'] })
				.by('district')
				.add('district_approval', '2025-12-22', {
					issuer: '石龙区人民政府',
					decision: 'suspension'
				})
				.by('bureau')
				.add('deferral', '2025-12-23', {
					kind: 'suspension',
					from: '2025-12-23',
					to: '2026-12-22'
				});
			return persuadeDuringDeferral(judicial, [
				'2026-01-20',
				'2026-02-12',
				'2026-03-10',
				'2026-04-08',
				'2026-05-07',
				'2026-06-04',
				'2026-07-02',
				'2026-07-30',
				'2026-08-27'
			])
				.by('school')
				.add('over_age_leaving_mark', '2026-09-07', {})
				.by('street')
				.add('closed', '2026-09-08', { path })
				.build();
		}
		case 'unfit_to_study':
			return shilongToJointTeam('case-unfit', 'disability')
				.by('disability')
				.add('disability_assessment', '2025-11-03', {
					issuer: '石龙区残疾人教育专家委员会',
					fitToStudy: false
				})
				.by('bureau')
				.add('deferral', '2025-11-05', {
					kind: 'deferred_enrollment',
					from: '2025-11-05',
					to: '2026-11-04'
				})
				.add('closed', '2025-11-06', { path })
				.build();
		case 'poor_family_refuses': {
			// S-10 贫困家庭: the family's registration as poor is on the student's record (B-6).
			const poor = jointAttempts(shilongToJointTeam('case-poor', 'other'))
				.by('school')
				.add('profile_updated', '2025-11-03', {
					changes: [
						{ target: 'student', field: 'focusGroups', value: ['left_behind', 'registered_poor'] }
					]
				})
				.by('rural')
				.add('rural_revitalization_approval', '2025-11-10', {
					issuer: '石龙区乡村振兴局',
					approved: true
				})
				.by('bureau')
				.add('deferral', '2025-11-12', {
					kind: 'suspension',
					from: '2025-11-12',
					to: '2026-11-11'
				});
			return persuadeDuringDeferral(poor, [
				'2025-12-10',
				'2026-01-08',
				'2026-02-05',
				'2026-03-05',
				'2026-04-02',
				'2026-04-30',
				'2026-05-28',
				'2026-06-25',
				'2026-07-23',
				'2026-08-20'
			])
				.by('bureau')
				.add('over_age_leaving_mark', '2026-09-07', {})
				.by('street')
				.add('closed', '2026-09-08', { path })
				.build();
		}
		case 'missing_or_deceased':
			return shilongToJointTeam('case-missing', 'lost_contact')
				.by('police')
				.add('police_determination', '2025-12-01', {
					issuer: '石龙区公安分局',
					authority: 'police',
					finding: 'missing'
				})
				.by('street')
				.add('closed', '2025-12-02', { path })
				.build();
	}
}

/**
 * B-1/B-2: a Bishan student not registered when the spring 2026 term starts (Mon 2 March):
 * checked on 4 March, reported on 6 March, found enrolled with parents elsewhere.
 */
export function bishanTermStart(): CaseBuilder {
	return new CaseBuilder({
		id: 'case-bs',
		profile: 'bishan-2024',
		student: {
			name: '陈小红',
			gender: 'female',
			birthDate: '2013-07-09',
			grade: 6,
			focusGroups: ['migrant']
		},
		orgs: { schoolId: 'org-school1', streetId: 'org-street1' },
		createdOn: '2026-03-04'
	})
		.add('term_check', '2026-03-04', { termStart: '2026-03-02', registered: false })
		.add('written_report', '2026-03-06', { to: ['bureau', 'street'] });
}

/** Sample cases for the case evaluator page, each with the day to look at it. */
export const sampleCases: {
	id: string;
	title: { zh: string; en: string };
	snapshot: CaseSnapshot;
	today: string;
}[] = [
	{
		id: 'suspected',
		title: {
			zh: '石龙：国庆前缺勤5天，劝返中',
			en: 'Shilong: 5 days absent before National Day, persuasion under way'
		},
		snapshot: new CaseBuilder({
			id: 'sample-suspected',
			profile: 'shilong-2022',
			student: { name: '李小明', grade: 8 },
			createdOn: '2025-09-24'
		})
			.absences(['2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29'])
			.add('suspected_case_opened', '2025-09-29', { responsible: { name: '王老师' } })
			.add('persuasion_attempt', '2025-09-30', { mode: 'phone', outcome: 'promised' })
			.build(),
		today: '2025-10-13'
	},
	{
		id: 'notice',
		title: {
			zh: '石龙：已发限期返校通知书，联合劝返',
			en: 'Shilong: deadline notice served, joint persuasion'
		},
		snapshot: shilongToJointTeam('sample-notice').build(),
		today: '2025-10-22'
	},
	{
		id: 'judicial',
		title: {
			zh: '石龙：司法程序后仍拒不复学，已销号',
			en: 'Shilong: refuses after judicial action, closed'
		},
		snapshot: shilongClosedBy('refuses_after_judicial'),
		today: '2026-09-10'
	},
	{
		id: 'bishan',
		title: {
			zh: '璧山：春季开学未注册，追踪去向',
			en: 'Bishan: not registered at spring term start, tracing'
		},
		snapshot: bishanTermStart().build(),
		today: '2026-03-16'
	}
];
