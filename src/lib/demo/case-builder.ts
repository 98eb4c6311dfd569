import {
	EVENT_SCHEMA_VERSION,
	SNAPSHOT_FORMAT,
	parseSnapshot,
	type Author,
	type CaseEventInput,
	type CaseOrgs,
	type CaseSnapshot,
	type EventType,
	type Guardian,
	type OrgKind,
	type ProfileId,
	type Student
} from '../domain';
import { DEMO_AUTHORS } from './authors';

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
