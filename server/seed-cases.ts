import {
	FOCUS_GROUPS,
	maskIdNumber,
	maskRegistryNo,
	parseSnapshot,
	type Author,
	type CaseEventInput,
	type CaseSnapshot,
	type EventType,
	type FocusGroup,
	type OrgKind,
	type ProfileId,
	type Reason,
	type Student
} from '../src/lib/domain';
import { CaseBuilder, DEMO_AUTHORS } from '../src/lib/demo';
import {
	addCalendarDays,
	addWorkingDays,
	getProfile,
	schoolYearOf,
	type Profile
} from '../src/lib/rules';

/** The demo accounts of street 2 that `DEMO_AUTHORS` (one per org kind) has no room for. */
/** B-5: the demo family of demo-03 and demo-06 (server/seed-family.ts stores its document). */
export const DEMO_FAMILY_ID = 'family-00000000-0000-4000-8000-000000000001';
/** The cases of the demo family. */
export const DEMO_FAMILY_CASES = ['demo-03', 'demo-06'] as const;

export const SCHOOL2_AUTHOR: Author = {
	userId: 'school2',
	orgId: 'org-school2',
	orgKind: 'school',
	role: 'head_teacher',
	name: '马老师'
};
export const STREET2_AUTHOR: Author = {
	userId: 'street2',
	orgId: 'org-street2',
	orgKind: 'street',
	role: 'officer',
	name: '黄科长'
};

/** A valid resident ID number (ISO 7064 MOD 11-2); odd sequence = male, as on real cards. */
export function demoIdNumber(birthDate: string, n: number, gender: 'male' | 'female'): string {
	const seq = String(n * 2 + (gender === 'male' ? 1 : 0)).padStart(3, '0');
	// 410499: under 河南省平顶山市 but no county's code, so no real person's number.
	const body = `410499${birthDate.replaceAll('-', '')}${seq}`;
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(body[i]) * (w[i] ?? 0);
	return body + ('10X98765432'[sum % 11] ?? '0');
}

/** Who records on a case: the street 1 or the street 2 accounts. */
interface Side {
	school: Author;
	street: Author;
	orgs: CaseSnapshot['orgs'];
	place: string;
}
const S1: Side = {
	school: DEMO_AUTHORS.school,
	street: DEMO_AUTHORS.street,
	orgs: { schoolId: 'org-school1', streetId: 'org-street1', communityId: 'org-community1' },
	place: '示范区新华街道'
};
const S2: Side = {
	school: SCHOOL2_AUTHOR,
	street: STREET2_AUTHOR,
	orgs: { schoolId: 'org-school2', streetId: 'org-street2', communityId: 'org-community2' },
	place: '示范区光明街道'
};

interface Person {
	name: string;
	gender: 'male' | 'female';
	grade: number;
	guardian: string;
	relation: string;
	groups: Student['focusGroups'];
	withId: boolean;
	/** Born 16 before the cohort cutoff of the anchor's school year (an over-age student). */
	overAge: boolean;
}

const GRADE_NAMES = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

/**
 * The demo students, made-up people with common names: name, gender, grade, guardian and
 * relation, then focus groups (B-6), `id` (an ID number on file) and `over_age` (S-10).
 */
const PEOPLE: Record<string, string> = {
	'demo-01': '王梓涵 female 7 王建国 父亲 left_behind',
	'demo-02': '李浩然 male 8 李卫东 父亲 low_income',
	'demo-03': '张一诺 female 8 刘秀英 母亲',
	'demo-04': '刘子轩 male 9 刘海峰 父亲 id',
	'demo-05': '杨宇航 male 9 杨志刚 父亲',
	// B-5 (一家一案): demo-06 is demo-03's younger sister, one family with one shared plan.
	'demo-06': '张欣怡 female 7 刘秀英 母亲',
	'demo-07': '黄俊杰 male 9 黄永强 祖父 left_behind id',
	'demo-08': '周雨桐 female 8 周建华 父亲',
	'demo-09': '吴昊天 male 7 吴国平 父亲 registered_poor',
	'demo-10': '徐梦琪 female 6 徐建军 父亲 disabled id',
	'demo-11': '孙志强 male 9 孙大勇 父亲',
	'demo-12': '胡佳怡 female 8 胡明 父亲',
	'demo-13': '朱晨阳 male 8 朱伟 父亲 migrant',
	'demo-14': '高子墨 male 9 高建设 父亲',
	'demo-15': '林诗涵 female 9 林国庆 父亲 registered_poor over_age',
	'demo-16': '何嘉豪 male 8 何军 父亲',
	'demo-17': '马文博 male 9 马强 父亲 id',
	'demo-18': '罗欣然 female 8 罗斌 父亲',
	'demo-19': '梁天佑 male 7 梁志明 父亲 migrant',
	'demo-20': '宋可馨 female 8 宋丽华 母亲'
};

function person(caseId: string): Person {
	const [name = '', gender, grade, guardian = '', relation = '', ...flags] = (
		PEOPLE[caseId] ?? ''
	).split(' ');
	const groups = flags.filter((f): f is FocusGroup =>
		(FOCUS_GROUPS as readonly string[]).includes(f)
	);
	return {
		name,
		gender: gender === 'female' ? 'female' : 'male',
		grade: Number(grade),
		guardian,
		relation,
		groups,
		withId: flags.includes('id'),
		overAge: flags.includes('over_age')
	};
}

/** Scenario context: `d(k)` is the school day k school days before the anchor (d(0) = anchor). */
interface Ctx {
	d: (k: number) => string;
	schoolYear: number;
	cohort: Profile['cohort'];
	/** Counts cases, to vary birthdays, classes and numbers deterministically. */
	serial: number;
}

type Payload<T extends EventType> = Omit<
	Extract<CaseEventInput, { type: T }>,
	'id' | 'type' | 'date' | 'recordedAt' | 'author' | 'v'
>;

/** S-9 joint teams by reason (the profile's minimum; `other` adds 乡村振兴局 for a poor family). */
const TEAM: Record<Reason, OrgKind[]> = {
	guardian_neglect: ['justice'],
	work: ['hr', 'police'],
	disability: ['disability', 'bureau'],
	early_marriage: ['civil'],
	religion: ['religion'],
	lost_contact: ['police'],
	learning: ['school', 'community'],
	other: ['school', 'community', 'rural']
};

/**
 * One demo case told step by step on school-day offsets: `add('absence', 3, …)` happens three
 * school days before the anchor. Wraps `CaseBuilder`, adding the usual runs of the procedure.
 */
/**
 * A demo case and the full numbers as a school would enter them: the snapshot holds the masked
 * forms, the seed puts these in the relay's own table (issue 11).
 */
export interface DemoCase {
	snapshot: CaseSnapshot;
	registryNo: string;
	idNumber?: string;
}

class Story {
	readonly b: CaseBuilder;
	/** The full 学籍号 and ID number (issue 11: not in the document). */
	readonly ids: { registryNo: string; idNumber?: string };
	private readonly p: Person;
	private reason: Reason = 'other';

	constructor(
		private readonly ctx: Ctx,
		private readonly side: Side,
		id: string,
		createdOn: string,
		profile: ProfileId = 'shilong-2022'
	) {
		const serial = ++ctx.serial;
		const p = (this.p = person(id));
		// Born January–August of the year that puts the child in `grade` (entry at 6 by 31 August).
		const month = String((serial % 8) + 1).padStart(2, '0');
		const day = String(((serial * 7) % 27) + 1).padStart(2, '0');
		// S-10: an over-age student is 16 before 1 September when the leaving mark is made (d(5)).
		const overAge = `${schoolYearOf(ctx.d(5), ctx.cohort) - 16}-03-18`;
		const birthDate = p.overAge ? overAge : `${ctx.schoolYear - 5 - p.grade}-${month}-${day}`;
		const idNumber = demoIdNumber(birthDate, serial, p.gender);
		const address = `${side.place}和平路${serial + 10}号`;
		this.ids = { registryNo: `G${idNumber}`, ...(p.withId ? { idNumber } : {}) };
		this.b = new CaseBuilder({
			id,
			profile,
			student: {
				name: p.name,
				gender: p.gender,
				birthDate,
				registryNo: maskRegistryNo(`G${idNumber}`),
				...(p.withId ? { idMasked: maskIdNumber(idNumber) } : {}),
				schoolId: side.orgs.schoolId,
				grade: p.grade,
				className: `${GRADE_NAMES[p.grade - 1] ?? p.grade}年级（${(serial % 4) + 1}）班`,
				hukouPlace: '河南省平顶山市',
				residence: address,
				focusGroups: p.groups ?? []
			},
			guardians: [
				{
					id: 'g1',
					name: p.guardian,
					relation: p.relation,
					phone: `139${String(37_000_000 + serial * 1_013).padStart(8, '0')}`,
					address,
					workingAway: (p.groups ?? []).includes('left_behind')
				}
			],
			orgs: side.orgs,
			createdOn,
			plan:
				serial % 3 === 0
					? `一生一案：${p.name}。班主任每周家访一次；社区协助了解家庭情况；学校安排一对一学业帮扶。`
					: ''
		});
		this.b.by(side.school);
	}

	private day(k: number | string): string {
		return typeof k === 'number' ? this.ctx.d(k) : k;
	}

	/** Records the next events as this author, or as this case's school or street. */
	by(who: Author | 'school' | 'street'): this {
		this.b.by(typeof who === 'string' ? this.side[who] : who);
		return this;
	}

	add<T extends EventType>(type: T, k: number | string, payload: Payload<T>): this {
		this.b.add(type, this.day(k), payload);
		return this;
	}

	/** S-4a/S-4b: n unexcused absences from d(k); a home visit on the 3rd, the case opened on the 5th. */
	absent(k: number, n: number): this {
		this.by('school');
		for (let i = 0; i < n; i++) {
			this.b.absences([this.day(k - i)]);
			const findings = '学生称身体不适，家长不清楚去向';
			if (i === 2)
				this.add('home_visit', k - i, { mode: 'home_visit', contacted: '监护人', findings });
			if (i === 4)
				this.add('suspected_case_opened', k - i, { responsible: { name: this.side.school.name } });
		}
		return this;
	}

	/** S-4b → S-4c: three failed persuasions, then the dropout file and the written report. */
	report(k: number, reason: Reason): this {
		this.reason = reason;
		const outcome = reason === 'lost_contact' ? 'not_found' : 'refused';
		return this.absent(k, 5)
			.add('persuasion_attempt', k - 5, { mode: 'phone', outcome })
			.add('persuasion_attempt', k - 7, { mode: 'home_visit', outcome })
			.add('persuasion_attempt', k - 9, { mode: 'home_visit', outcome })
			.add('dropout_file_created', k - 10, { reason })
			.add('written_report', k - 10, { to: ['street', 'bureau'] });
	}

	/** S-8: the notice, served the day it is issued, return within 5 working days (G-T1). */
	notice(k: number): this {
		const day = this.day(k);
		return this.by('street').add('deadline_notice_issued', k, {
			number: `示范街限〔${day.slice(0, 4)}〕${this.ctx.serial}号`,
			servedTo: this.p.guardian,
			servedOn: day,
			returnBy: addWorkingDays(day, 5)
		});
	}

	/** B-5: the school links the case to the demo family (demo-03 and demo-06 are sisters). */
	inFamily(k: number): this {
		return this.by('school').add('family_linked', k, { familyId: DEMO_FAMILY_ID, note: '' });
	}

	/** S-8/S-9: the notice and the joint team by the reason of the report, on the same day. */
	team(k: number): this {
		const reason = this.reason;
		return this.notice(k).add('joint_team_formed', k, { reason, departments: TEAM[reason] });
	}

	/** S-9: failed joint attempts, by the street office unless a department is named. */
	joint(ks: number[], by?: Author): this {
		this.by(by ?? 'street');
		const departments = by ? [by.orgKind] : [];
		for (const k of ks) {
			this.add('joint_persuasion_attempt', k, {
				mode: 'home_visit',
				outcome: 'refused',
				departments
			});
		}
		return this;
	}

	/** The snapshot; `CaseBuilder` names school 1's teacher as creator, so set this side's. */
	build(): DemoCase {
		const r = parseSnapshot({ ...this.b.build(), createdBy: this.side.school });
		if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
		return { snapshot: r.value, ...this.ids };
	}

	/** S-10: the deferral (延缓入学/休学) recorded by the bureau for just under a year. */
	deferral(k: number, kind: 'deferred_enrollment' | 'suspension'): this {
		const from = this.day(k);
		return this.by(A.bureau).add('deferral', k, { kind, from, to: addCalendarDays(from, 364) });
	}
}

const A = DEMO_AUTHORS;

/** The demo cases, every stage and several closure paths (S-10). */
function scenarios(ctx: Ctx): Story[] {
	const s = (id: string, side: Side, k: number) => new Story(ctx, side, id, ctx.d(k));
	const visit = (findings: string) => ({
		mode: 'home_visit' as const,
		contacted: '监护人',
		findings
	});
	return [
		// watch: under three days, or on leave (B-6 early warning)
		s('demo-01', S1, 1)
			.add('absence', 1, { excused: false })
			.add('absence', 0, { excused: false })
			.by(A.community)
			.add('home_visit', 0, visit('父母在外务工，祖母照看')),
		s('demo-02', S1, 6)
			.add('absence', 6, { excused: true })
			.add('absence', 5, { excused: true })
			.add('absence', 4, { excused: true })
			.add('home_visit', 3, visit('病假，已提供医院证明')),
		// absent (S-4a), suspected (S-4b)
		s('demo-03', S1, 3).absent(3, 3).inFamily(1),
		s('demo-04', S1, 8)
			.absent(8, 5)
			.add('persuasion_attempt', 3, { mode: 'home_visit', outcome: 'promised' })
			.add('persuasion_attempt', 1, { mode: 'phone', outcome: 'refused' }),
		// dropout (S-4c), notice (S-8), joint (S-9)
		s('demo-05', S1, 12).report(12, 'work'),
		s('demo-06', S1, 14).report(14, 'learning').notice(3).inFamily(1),
		s('demo-07', S1, 30).report(30, 'work').team(19).joint([14], A.hr),
		s('demo-08', S1, 28)
			.report(28, 'lost_contact')
			.team(17)
			.joint([14], A.police)
			.add('student_located', 6, {
				whereabouts: '随亲戚在广东省东莞市务工',
				movedOutOfCounty: true
			})
			.by(A.bureau)
			.add('handover', 3, {
				toDistrict: '东莞市',
				notifiedOrg: '东莞市教育局',
				registryFileTransferred: false
			}),
		// returned (S-6), not yet closed
		s('demo-09', S1, 20)
			.absent(20, 5)
			.add('persuasion_attempt', 15, { mode: 'home_visit', outcome: 'refused' })
			.add('persuasion_attempt', 13, { mode: 'meeting', outcome: 'promised' })
			.add('returned', 12, { placement: 'individual_tutoring' })
			.add('follow_up', 3, { status: 'at_risk', note: '学习跟不上，安排一对一帮扶' }),
		// deferred (S-10): unfit to study; refuses after judicial action, awaiting over-age
		s('demo-10', S1, 45)
			.report(45, 'disability')
			.team(34)
			.by(A.disability)
			.add('disability_assessment', 25, { issuer: '示范区残疾人教育专家委员会', fitToStudy: false })
			.deferral(23, 'deferred_enrollment'),
		s('demo-11', S1, 70)
			.report(70, 'guardian_neglect')
			.team(59)
			.joint([57, 54])
			.joint([51], A.justice)
			.add('judicial_decision', 40, {
				issuer: '示范区人民法院',
				documentNo: '示0499民初17号',
				guardianDutyFulfilled: true
			})
			.by('street')
			.add('written_statement', 38, { by: ['孙志强', '孙大勇'] })
			.by(A.district)
			.add('district_approval', 35, { issuer: '示范区人民政府', decision: 'suspension' })
			.deferral(33, 'suspension'),
		// closed (S-10): returned, enrolled elsewhere, missing, poor family at over-age
		s('demo-12', S1, 40)
			.report(40, 'learning')
			.team(29)
			.joint([27])
			.by('school')
			.add('returned', 22, { placement: 'join_class' })
			.add('follow_up', 15, { status: 'stable' })
			.by(A.community)
			.add('follow_up', 8, { status: 'stable' })
			.by('street')
			.add('closed', 7, { path: 'returned' }),
		s('demo-13', S1, 30)
			.absent(30, 5)
			.add('persuasion_attempt', 25, {
				mode: 'phone',
				outcome: 'refused',
				note: '家长称已随父母去外地上学'
			})
			.by(A.bureau)
			.add('enrollment_elsewhere_confirmed', 20, {
				school: '浙江省义乌市某中学',
				confirmedBy: '义乌市教育局'
			})
			.add('registry_mark', 19, { mark: 'transferred' })
			.add('closed', 18, { path: 'enrolled_elsewhere' }),
		s('demo-14', S1, 60)
			.report(60, 'lost_contact')
			.team(49)
			.joint([47], A.police)
			.add('police_determination', 30, {
				issuer: '示范区公安分局',
				authority: 'police',
				finding: 'missing'
			})
			.by('street')
			.add('closed', 29, { path: 'missing_or_deceased' }),
		s('demo-15', S1, 100)
			.report(100, 'other')
			.team(89)
			.joint([87, 84, 81])
			.by(A.rural)
			.add('rural_revitalization_approval', 75, { issuer: '示范区乡村振兴局', approved: true })
			.deferral(73, 'suspension')
			.add('over_age_leaving_mark', 5, {})
			.by('street')
			.add('closed', 4, { path: 'poor_family_refuses' }),
		// street 2: school 2 sees these, school 1 does not
		s('demo-16', S2, 9)
			.absent(9, 5)
			.add('persuasion_attempt', 4, { mode: 'home_visit', outcome: 'refused' })
			.add('persuasion_attempt', 2, { mode: 'phone', outcome: 'no_contact' }),
		s('demo-17', S2, 35).report(35, 'early_marriage').team(24).joint([20], A.civil),
		s('demo-18', S2, 50)
			.absent(50, 5)
			.add('persuasion_attempt', 45, { mode: 'home_visit', outcome: 'promised' })
			.add('returned', 44, { placement: 'join_class' })
			.add('follow_up', 34, { status: 'stable' })
			.by('street')
			.add('closed', 33, { path: 'returned' })
	];
}

/** B-1/B-2: two Bishan students not registered at the start of the current term. */
function bishan(ctx: Ctx, term: { start: string; days: string[] }): Story[] {
	const t = (i: number) => term.days[i] ?? ctx.d(0);
	const s = (id: string) => new Story(ctx, S1, id, t(1), 'bishan-2024');
	const unregistered = { termStart: term.start, registered: false };
	return [
		s('demo-19')
			.add('term_check', t(1), unregistered)
			.add('written_report', t(3), { to: ['bureau', 'street'] })
			.add('student_located', t(6), {
				whereabouts: '随父母在浙江省宁波市',
				movedOutOfCounty: true
			}),
		s('demo-20')
			.add('term_check', t(1), unregistered)
			.add('written_report', t(3), { to: ['bureau', 'street'] })
			.by(A.bureau)
			.add('enrollment_elsewhere_confirmed', t(8), {
				school: '重庆市璧山区某中学',
				confirmedBy: '璧山区教委'
			})
			.add('registry_mark', t(9), { mark: 'transferred' })
			.add('closed', t(10), { path: 'enrolled_elsewhere' })
	];
}

/** The school days the demo counts on: `d(k)` k school days before the anchor, the B-1 term. */
export interface DemoDays {
	d: (k: number) => string;
	term: { start: string; days: string[] };
}

/**
 * The demo cases on the given school days (about 20, every stage). Not checked against the
 * rules here: the seeder does that and refuses to store a case with conflicts.
 */
export function demoCases(days: DemoDays): DemoCase[] {
	const cohort = getProfile('shilong-2022').cohort;
	const ctx: Ctx = { d: days.d, schoolYear: schoolYearOf(days.d(0), cohort), cohort, serial: 0 };
	return [...scenarios(ctx), ...bishan(ctx, days.term)].map((story) => story.build());
}
