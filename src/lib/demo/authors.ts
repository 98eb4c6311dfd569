import type { Author, OrgKind } from '../domain';

/** Demo authors, one per org kind (the demo district's accounts use the same ids). */
export const DEMO_AUTHORS: Record<OrgKind, Author> = {
	school: {
		userId: 'school1',
		orgId: 'org-school1',
		orgKind: 'school',
		role: 'head_teacher',
		name: '王老师'
	},
	community: {
		userId: 'community1',
		orgId: 'org-community1',
		orgKind: 'community',
		role: 'officer',
		name: '李主任'
	},
	street: {
		userId: 'street1',
		orgId: 'org-street1',
		orgKind: 'street',
		role: 'officer',
		name: '张科长'
	},
	bureau: {
		userId: 'bureau1',
		orgId: 'org-bureau',
		orgKind: 'bureau',
		role: 'officer',
		name: '赵科长'
	},
	district: {
		userId: 'district1',
		orgId: 'org-district',
		orgKind: 'district',
		role: 'officer',
		name: '刘主任'
	},
	justice: {
		userId: 'justice1',
		orgId: 'org-justice',
		orgKind: 'justice',
		role: 'officer',
		name: '陈法官'
	},
	police: {
		userId: 'police1',
		orgId: 'org-police',
		orgKind: 'police',
		role: 'officer',
		name: '孙警官'
	},
	hr: { userId: 'hr1', orgId: 'org-hr', orgKind: 'hr', role: 'officer', name: '周科员' },
	disability: {
		userId: 'disability1',
		orgId: 'org-disability',
		orgKind: 'disability',
		role: 'officer',
		name: '吴干事'
	},
	civil: {
		userId: 'civil1',
		orgId: 'org-civil',
		orgKind: 'civil',
		role: 'officer',
		name: '郑干事'
	},
	religion: {
		userId: 'religion1',
		orgId: 'org-religion',
		orgKind: 'religion',
		role: 'officer',
		name: '冯干事'
	},
	rural: { userId: 'rural1', orgId: 'org-rural', orgKind: 'rural', role: 'officer', name: '何干事' }
};
