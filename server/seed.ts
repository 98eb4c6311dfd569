import * as Y from 'yjs';
import { appendEvent, createCaseDoc, toSnapshot } from '../src/lib/case-doc';
import {
	caseNumberPrefix,
	chinaDate,
	districtShortName,
	formatCaseNumber,
	type Author,
	type CaseSnapshot,
	type OrgKind,
	type Role
} from '../src/lib/domain';
import { DEMO_AUTHORS } from '../src/lib/demo';
import {
	builtinCalendar,
	evaluate,
	inEvaluationOrder,
	type Calendar,
	type Term
} from '../src/lib/rules';
import { hashPassword } from './auth/passwords';
import { SCHOOL2_AUTHOR, STREET2_AUTHOR, demoCases, type DemoCase } from './seed-cases';
import { STUDENT_ID, STUDENT_REGISTRY, personIdHasher } from './person-ids';
import { seedDemoFamily } from './seed-family';
import { seedDemoRoster } from './seed-roster';
import type { NewCaseRecord, OrgRecord, Storage, UserRecord } from './storage/types';

/** The password of every demo account (a demo, not a deployment: change or disable them). */
export const DEMO_PASSWORD = 'demo-pass';

/** 示范区: a made-up district, so the demo never pretends to be a real one. */
export const DEMO_ORGS: readonly OrgRecord[] = [
	{ id: 'org-bureau', kind: 'bureau', name: '示范区教育体育局', streetId: null },
	{ id: 'org-district', kind: 'district', name: '示范区人民政府', streetId: null },
	{ id: 'org-street1', kind: 'street', name: '示范区新华街道办事处', streetId: null },
	{ id: 'org-street2', kind: 'street', name: '示范区光明街道办事处', streetId: null },
	{
		id: 'org-community1',
		kind: 'community',
		name: '新华街道幸福社区居委会',
		streetId: 'org-street1'
	},
	{
		id: 'org-community2',
		kind: 'community',
		name: '光明街道和平社区居委会',
		streetId: 'org-street2'
	},
	{ id: 'org-school1', kind: 'school', name: '示范区第一初级中学', streetId: 'org-street1' },
	{ id: 'org-school2', kind: 'school', name: '示范区光明中学', streetId: 'org-street2' },
	{ id: 'org-school3', kind: 'school', name: '示范区新华小学', streetId: 'org-street1' },
	{ id: 'org-justice', kind: 'justice', name: '示范区司法局', streetId: null },
	{ id: 'org-police', kind: 'police', name: '示范区公安分局', streetId: null },
	{ id: 'org-hr', kind: 'hr', name: '示范区人力资源和社会保障局', streetId: null },
	{ id: 'org-disability', kind: 'disability', name: '示范区残疾人联合会', streetId: null },
	{ id: 'org-civil', kind: 'civil', name: '示范区民政局', streetId: null },
	{ id: 'org-religion', kind: 'religion', name: '示范区民族宗教事务局', streetId: null },
	{ id: 'org-rural', kind: 'rural', name: '示范区乡村振兴局', streetId: null }
];

/** A demo account as the seed creates it (id = username). */
export interface DemoUser {
	username: string;
	displayName: string;
	orgId: string;
	orgKind: OrgKind;
	role: Role;
}

const USER_ORDER: readonly OrgKind[] = [
	'school',
	'community',
	'street',
	'bureau',
	'district',
	'police',
	'justice',
	'hr',
	'disability',
	'civil',
	'religion',
	'rural'
];

/**
 * The demo accounts. Those of `DEMO_AUTHORS` keep its ids, orgs, roles and names, so events
 * built with `CaseBuilder` pass the relay's check that an event's author is its sender.
 */
export const DEMO_USERS: readonly DemoUser[] = [
	...USER_ORDER.map((k) => DEMO_AUTHORS[k]),
	SCHOOL2_AUTHOR,
	STREET2_AUTHOR,
	// Issue 12: the bureau's system administrator, who alone sees the rules demo (developer material).
	{
		userId: 'admin1',
		orgId: 'org-bureau',
		orgKind: 'bureau',
		role: 'admin',
		name: '系统管理员'
	} satisfies Author
].map((a) => ({
	username: a.userId,
	displayName: a.name,
	orgId: a.orgId,
	orgKind: a.orgKind,
	role: a.role
}));

export interface SeedResult {
	orgs: number;
	users: number;
	cases: number;
}

/**
 * Fills an empty storage with the demo district: orgs, accounts (password `demo-pass`) and
 * about 20 cases across every stage. Does nothing (returns zeros) when any org exists, so it
 * is safe to call on every start. Throws when a demo case breaks a rule.
 */
export async function seedDemoDistrict(
	storage: Storage,
	options: { now: Date; hash?: (pw: string) => Promise<string> }
): Promise<SeedResult> {
	if ((await storage.listOrgs()).length > 0) return { orgs: 0, users: 0, cases: 0 };
	// Check every case before writing anything: a broken demo must not half-seed a database.
	const today = chinaDate(options.now);
	const demo = buildDemoDistrictCases(options.now);
	const cases = numberDemoCases(demo.map((c) => c.snapshot)).map((s) => prepareCase(s, today));
	for (const org of DEMO_ORGS) await storage.addOrg({ ...org });
	// argon2 is slow on purpose: hash the shared demo password once for all accounts.
	const passwordHash = await (options.hash ?? hashPassword)(DEMO_PASSWORD);
	const createdAt = options.now.toISOString();
	for (const u of DEMO_USERS) {
		const user: UserRecord = {
			id: u.username,
			username: u.username,
			displayName: u.displayName,
			orgId: u.orgId,
			role: u.role,
			passwordHash,
			disabled: false,
			createdAt
		};
		await storage.addUser(user);
	}
	for (const c of cases) await storeCase(storage, c);
	await seedDemoFamily(
		storage,
		demo.map((c) => c.snapshot),
		options.now
	); // B-5: demo-03 and demo-06 are sisters
	// Issue 11: the full numbers go to the relay's own table, never into a document.
	const hash = await personIdHasher(storage);
	const by = { updatedAt: createdAt, updatedBy: 'system' };
	await storage.putPersonIds(
		demo.flatMap((c) => [
			{
				caseId: c.snapshot.id,
				subject: STUDENT_REGISTRY,
				value: c.registryNo,
				hash: hash(c.registryNo),
				...by
			},
			...(c.idNumber
				? [
						{
							caseId: c.snapshot.id,
							subject: STUDENT_ID,
							value: c.idNumber,
							hash: hash(c.idNumber),
							...by
						}
					]
				: [])
		])
	);
	await seedDemoRoster(storage, demo, {
		now: options.now,
		today,
		anchor: demoAnchor(options.now)
	});
	return { orgs: DEMO_ORGS.length, users: DEMO_USERS.length, cases: cases.length };
}

/**
 * Issue 12: the demo cases' numbers, in the order they were created (so the creating
 * transactions, run in this order, find each one next); the documents carry them too.
 */
function numberDemoCases(snapshots: readonly CaseSnapshot[]): CaseSnapshot[] {
	const district = districtShortName(DEMO_ORGS.find((o) => o.kind === 'district')?.name);
	const last = new Map<string, number>();
	return [...snapshots]
		.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
		.map((s) => {
			const prefix = caseNumberPrefix(district, s.createdAt);
			const n = (last.get(prefix) ?? 0) + 1;
			last.set(prefix, n);
			return { ...s, caseNo: formatCaseNumber(prefix, n) };
		});
}

/** A case ready to store: its record and its updates, one per recorded step. */
export interface PreparedCase {
	record: NewCaseRecord;
	updates: { update: Uint8Array; userId: string; receivedAt: string }[];
}

/**
 * Turns a snapshot into the update log a relay would have received: the creation, then one
 * update per event by its author, each event checked by the rules on its own day (as a person
 * recording it would be), and the whole case evaluated for `today` with no conflict allowed.
 */
export function prepareCase(snapshot: CaseSnapshot, today: string): PreparedCase {
	const { events, format: _format, ...init } = snapshot;
	const doc = createCaseDoc(init);
	const updates: PreparedCase['updates'] = [
		{
			update: Y.encodeStateAsUpdate(doc),
			userId: snapshot.createdBy.userId,
			receivedAt: snapshot.createdAt
		}
	];
	for (const ev of inEvaluationOrder(events)) {
		const before = Y.encodeStateVector(doc);
		const r = appendEvent(doc, ev, ev.date);
		if (!r.ok) {
			throw new Error(
				`演示案件 ${snapshot.id} 的事件 ${ev.id} 被拒绝 / demo case ${snapshot.id}: event ${ev.id} refused [${r.rule}] ${r.reason.en}`
			);
		}
		updates.push({
			update: Y.encodeStateAsUpdate(doc, before),
			userId: ev.author.userId,
			receivedAt: ev.recordedAt
		});
	}
	const stored = toSnapshot(doc);
	if (!stored.ok) {
		throw new Error(`演示案件 ${snapshot.id} 无效 / demo case ${snapshot.id} invalid`);
	}
	const evaluation = evaluate(stored.value, today, { actions: false });
	if (evaluation.conflicts.length > 0) {
		const list = evaluation.conflicts.map((c) => `${c.eventId} [${c.rule}] ${c.reason.en}`);
		throw new Error(
			`演示案件 ${snapshot.id} 有冲突 / demo case ${snapshot.id} has conflicts: ${list.join('; ')}`
		);
	}
	const s = stored.value;
	return {
		record: {
			id: s.id,
			profile: s.profile,
			schoolId: s.orgs.schoolId,
			streetId: s.orgs.streetId,
			communityId: s.orgs.communityId ?? null,
			...(s.caseNo ? { caseNo: s.caseNo } : {}),
			createdAt: s.createdAt,
			createdBy: s.createdBy.userId,
			snapshotJson: JSON.stringify(s),
			team: evaluation.teamDepartments
		},
		updates
	};
}

/** Writes a prepared case: the row with its creation update, then the later updates in order. */
export async function storeCase(storage: Storage, c: PreparedCase): Promise<void> {
	const [first, ...rest] = c.updates;
	if (!first) throw new Error('案件没有更新 / a case needs its creation update');
	await storage.createCase(c.record, first.update, first.userId, first.receivedAt);
	for (const u of rest) await storage.appendUpdate(c.record.id, u.update, u.userId, u.receivedAt);
}

/**
 * The day the demo's dates count back from: the last school day before today (G-T3: a
 * provisional year is no obstacle). Strictly before today, so no event is recorded later than
 * `now`.
 */
export function demoAnchor(now: Date, calendar: Calendar = builtinCalendar()): string {
	const today = chinaDate(now);
	const a = calendar.previousSchoolDay(today, calendar.termsFor(null));
	if (!a) throw new Error(`演示数据需要 ${today} 之前的校历 / no school day before ${today}`);
	return a;
}

/**
 * The demo cases for a given `now`: dates count back from `demoAnchor(now)`, so the demo looks
 * current whenever it is seeded.
 */
export function buildDemoCases(now: Date, calendar: Calendar = builtinCalendar()): CaseSnapshot[] {
	return buildDemoDistrictCases(now, calendar).map((c) => c.snapshot);
}

/** The demo cases with the full numbers a school entered (see `DemoCase`). */
export function buildDemoDistrictCases(
	now: Date,
	calendar: Calendar = builtinCalendar()
): DemoCase[] {
	const anchor = demoAnchor(now, calendar);
	const terms = calendar.termsFor(null);
	const days = [anchor];
	const d = (k: number): string => {
		while (days.length <= k) {
			const prev = calendar.previousSchoolDay(days[days.length - 1] ?? anchor, terms);
			if (!prev) throw new Error('校历不足以生成演示数据 / school calendar too short for the demo');
			days.push(prev);
		}
		return days[k] ?? anchor;
	};
	return demoCases({ d, term: currentTerm(d, terms) });
}

/**
 * B-1: the term whose start the Bishan cases check: the one holding the anchor, or the one
 * before when fewer than 11 school days of it have passed (their events need that many).
 */
function currentTerm(d: (k: number) => string, terms: readonly Term[]) {
	const termOf = (day: string) => terms.find((t) => t.start <= day && day <= t.end);
	let i = 0;
	for (;;) {
		const term = termOf(d(i));
		if (!term) throw new Error(`${d(i)} 不在任何学期内 / not inside a term`);
		while (d(i + 1) >= term.start) i++;
		if (i >= 10) {
			return { start: term.start, days: Array.from({ length: i + 1 }, (_, j) => d(i - j)) };
		}
		i++;
	}
}
