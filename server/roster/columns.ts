import type { RosterStudent } from '../storage/types';

/** A roster field a file column can fill; `school` is matched to an org afterwards. */
export type RosterField = Exclude<keyof RosterStudent, 'schoolId'> | 'school';

/** The columns of the registry export (issue 5), with the names they go by in Chinese and English. */
export const ROSTER_COLUMNS: readonly {
	field: RosterField;
	zh: string;
	en: string;
	aliases: readonly string[];
}[] = [
	{
		field: 'registryNo',
		zh: '学籍号',
		en: 'registry no',
		aliases: [
			'全国学籍号',
			'学籍编号',
			'学生学籍号',
			'学籍辅号',
			'registrynumber',
			'studentid',
			'studentno',
			'studentnumber'
		]
	},
	{ field: 'name', zh: '姓名', en: 'name', aliases: ['学生姓名', 'studentname', 'fullname'] },
	{ field: 'gender', zh: '性别', en: 'gender', aliases: ['sex'] },
	{
		field: 'birthDate',
		zh: '出生日期',
		en: 'birth date',
		aliases: ['出生年月日', '出生年月', '生日', 'dateofbirth', 'dob', 'birthday', 'born']
	},
	{
		field: 'idNumber',
		zh: '身份证号',
		en: 'id number',
		aliases: [
			'身份证号码',
			'身份证件号',
			'身份证件号码',
			'证件号码',
			'公民身份号码',
			'idno',
			'idcard',
			'idcardnumber',
			'nationalid'
		]
	},
	{
		field: 'school',
		zh: '学校',
		en: 'school',
		aliases: ['学校名称', '就读学校', '所在学校', 'schoolname', 'schoolid']
	},
	{ field: 'grade', zh: '年级', en: 'grade', aliases: ['在读年级', '就读年级'] },
	{ field: 'className', zh: '班级', en: 'class', aliases: ['班级名称', '班', 'classname'] },
	{
		field: 'hukouPlace',
		zh: '户籍地',
		en: 'hukou place',
		aliases: [
			'户籍所在地',
			'户口所在地',
			'户籍',
			'户口',
			'hukou',
			'householdregistration',
			'registeredresidence'
		]
	},
	{
		field: 'residence',
		zh: '居住地',
		en: 'residence',
		aliases: [
			'现居住地',
			'现住址',
			'家庭住址',
			'居住地址',
			'家庭地址',
			'address',
			'currentaddress',
			'homeaddress'
		]
	},
	{
		field: 'guardianName',
		zh: '监护人',
		en: 'guardian',
		aliases: ['监护人姓名', '家长', '家长姓名', 'guardianname', 'parent', 'parentname']
	},
	{
		field: 'guardianPhone',
		zh: '电话',
		en: 'phone',
		aliases: [
			'联系电话',
			'监护人电话',
			'监护人联系电话',
			'家长电话',
			'手机',
			'手机号',
			'手机号码',
			'telephone',
			'tel',
			'mobile',
			'guardianphone',
			'contactphone'
		]
	},
	{
		// B-6 early warning (issue 12): the focus groups of the student, e.g. 「留守、建档立卡」.
		field: 'focusGroups',
		zh: '重点群体',
		en: 'focus groups',
		aliases: ['重点关注群体', '重点监测群体', '特殊群体', '关注群体', 'focusgroup', 'groups']
	}
];

/**
 * A header as compared: without spaces (also the full-width one), `*` marks of required
 * columns, bracketed notes such as （必填） or (YYYY-MM-DD), `_`, `-`, `.` and case.
 */
export function normaliseHeader(h: string): string {
	return h
		.replace(/[(（［[【][^)）］\]】]*[)）］\]】]/g, '')
		.replace(/[\s\u3000*＊_\-.:：]/g, '')
		.toLowerCase();
}

const BY_NAME: ReadonlyMap<string, RosterField> = new Map(
	ROSTER_COLUMNS.flatMap((c) =>
		[c.zh, c.en, c.field, ...c.aliases].map((n) => [normaliseHeader(n), c.field] as const)
	)
);

/** The field a header names, if any. */
export function fieldOfHeader(h: string): RosterField | undefined {
	return BY_NAME.get(normaliseHeader(h));
}
