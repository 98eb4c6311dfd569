import type { CaseEventInput, EventType } from './events';
import type { Author, OrgKind } from './org';
import { EVENT_SCHEMA_VERSION, SNAPSHOT_FORMAT } from './primitives';
import { parseSnapshot, type CaseOrgs, type CaseSnapshot, type ProfileId } from './snapshot';
import type { Guardian, Student } from './student';

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

type Payload<T extends EventType> = Omit<
	Extract<CaseEventInput, { type: T }>,
	'id' | 'type' | 'date' | 'recordedAt' | 'author' | 'v'
>;

/**
 * Builds case snapshots event by event (test data, demo data, samples). Ids and recorded-at
 * times are deterministic so that tests and benchmarks are repeatable.
 */
export class CaseBuilder {
	private readonly events: CaseEventInput[] = [];
	private author: Author;
	private seq = 0;

	constructor(
		private readonly base: {
			id: string;
			profile: ProfileId;
			student: Partial<Student> & Pick<Student, 'name'>;
			guardians?: Guardian[];
			orgs?: CaseOrgs;
			createdOn: string;
			plan?: string;
		}
	) {
		this.author = DEMO_AUTHORS.school;
	}

	/** Records the following events as this author (or the demo author of this org kind). */
	by(who: OrgKind | Author): this {
		this.author = typeof who === 'string' ? DEMO_AUTHORS[who] : who;
		return this;
	}

	/** Appends one event. */
	add<T extends EventType>(type: T, date: string, payload: Payload<T>): this {
		this.events.push(this.event(type, date, payload));
		return this;
	}

	/** Builds one event without appending it (to propose it to the rules). */
	event<T extends EventType>(type: T, date: string, payload: Payload<T>): CaseEventInput {
		this.seq++;
		const sec = String(this.seq % 60).padStart(2, '0');
		const min = String(Math.floor(this.seq / 60) % 60).padStart(2, '0');
		return {
			...payload,
			id: `${this.base.id}-e${this.seq}`,
			type,
			date,
			recordedAt: `${date}T09:${min}:${sec}.000Z`,
			author: this.author,
			v: EVENT_SCHEMA_VERSION
		} as CaseEventInput;
	}

	/** Unexcused (or excused) absences on each of the given school days (S-4a). */
	absences(dates: string[], excused = false): this {
		for (const d of dates) this.add('absence', d, { excused });
		return this;
	}

	/** The snapshot, validated; throws with path-level errors when something is wrong. */
	build(): CaseSnapshot {
		const b = this.base;
		const r = parseSnapshot({
			format: SNAPSHOT_FORMAT,
			id: b.id,
			profile: b.profile,
			createdAt: `${b.createdOn}T08:00:00.000Z`,
			createdBy: DEMO_AUTHORS.school,
			orgs: b.orgs ?? {
				schoolId: 'org-school1',
				streetId: 'org-street1',
				communityId: 'org-community1'
			},
			student: {
				gender: 'male',
				birthDate: '2012-05-14',
				registryNo: 'G410402************',
				schoolId: 'org-school1',
				grade: 7,
				...b.student
			},
			guardians: b.guardians ?? [
				{ id: 'g1', name: '家长', relation: '父亲', phone: '13800000000' }
			],
			plan: b.plan ?? '',
			events: this.events
		});
		if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
		return r.value;
	}
}
