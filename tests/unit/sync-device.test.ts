/**
 * Issue 11 / issue 13: the device's users and the life of their local data (src/lib/sync:
 * device.svelte.ts, device-data.ts, device-dbs.ts, db.ts) on IndexedDB in Node
 * (fake-indexeddb: a real IndexedDB implementation, so Dexie and y-indexeddb run as in the
 * browser), with a fresh IndexedDB per test. Environment, not mocks of our code: the device's
 * localStorage is a Map-backed `KeyStore` (map-storage.ts) (the `store` option of `Device`), and its clock is
 * the fixed `now` option.
 *
 * Dates: T0 = 2025-10-21T01:00Z (Date.UTC(2025, 9, 21, 1); 09:00 in China). The bureau's
 * default is 30 days (DEFAULT_WIPE_DAYS): a user last logged in at T0 is wiped once the clock
 * is past T0 + 30 days = 2025-11-20T01:00Z; at T0 + 31 days (2025-11-21) they are, at T0 + 29
 * days (2025-11-19) they are not.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { getPlan, setPlan } from '../../src/lib/case-doc';
import {
	AppDb,
	LEGACY_APP_DB,
	LEGACY_CASE_DB_PREFIX,
	caseDbName,
	userDbName,
	userKey,
	type Intent,
	type RefusalRow
} from '../../src/lib/sync/db';
import { Device } from '../../src/lib/sync/device.svelte';
import { databaseNames, forgetCases, wipeUserData } from '../../src/lib/sync/device-data';
import { LEGACY_ROSTER_PREFIX, removeKeys } from '../../src/lib/sync/device-dbs';
import { DEVICE_USERS_KEY, parseDeviceUsers } from '../../src/lib/sync/device-users';
import type { CaseIndexRow } from '../../src/lib/sync/contract';
import { MapStorage } from './map-storage';

const DAY = 24 * 60 * 60 * 1000;
/** 2025-10-21T01:00Z. */
const T0 = Date.UTC(2025, 9, 21, 1);

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
	Dexie.dependencies.indexedDB = globalThis.indexedDB;
});

function row(id: string): CaseIndexRow {
	return {
		id,
		student: '测试学生',
		registryNo: 'G4104********0021',
		schoolId: 'org-school',
		school: '示范区第一中学',
		stage: 'intake',
		next: null,
		daysLeft: null,
		overdue: 0,
		waitingOn: [],
		unsynced: 0,
		refused: 0,
		local: false,
		updatedAt: new Date(T0).toISOString()
	} as unknown as CaseIndexRow;
}

/** A stored refusal 'r1' of the case (rule future-date). */
function refusal(caseId: string): RefusalRow {
	return {
		id: 'r1',
		caseId,
		what: 'event',
		rule: 'future-date',
		reason: { zh: '日期晚于今天', en: 'dated after today' },
		at: new Date(T0).toISOString()
	};
}

/** Writes a case document with a plan into a y-indexeddb database. */
async function writeDoc(name: string, plan: string): Promise<void> {
	const doc = new Y.Doc();
	const p = new IndexeddbPersistence(name, doc);
	await p.whenSynced;
	setPlan(doc, plan);
	// y-indexeddb stores each update as it happens; wait for the write to land.
	await new Promise((r) => setTimeout(r, 50));
	await p.destroy();
	doc.destroy();
}

/** The plan stored in a y-indexeddb database ('' when the database is empty). */
async function readPlan(name: string): Promise<string> {
	const doc = new Y.Doc();
	const p = new IndexeddbPersistence(name, doc);
	await p.whenSynced;
	const text = getPlan(doc);
	await p.destroy();
	doc.destroy();
	return text;
}

async function names(): Promise<string[]> {
	return ((await databaseNames()) ?? []).sort();
}

/** One user with an index row, an outbox intent, a case database and a localStorage key. */
async function seedUser(userId: string, caseId: string, store: MapStorage): Promise<void> {
	const db = new AppDb(userId);
	await db.cases.put(row(caseId));
	await db.outbox.put({
		id: `${userId}-i1`,
		caseId,
		kind: 'plan',
		plan: 'x',
		createdAt: new Date(T0).toISOString(),
		ranges: []
	});
	db.close();
	await writeDoc(caseDbName(userId, caseId), `${userId} plan`);
	store.setItem(userKey(userId, 'dashboard.roster.2025-09-01'), '{"n":1}');
}

describe('[issue 11] Device: the registry of users and the wipe of old data', () => {
	it('enters every user with data at start, and the stored session user at now', async () => {
		const store = new MapStorage();
		await seedUser('school1', 'c1', store);
		store.setItem(LEGACY_ROSTER_PREFIX + '2025-09-01', '{}');
		const device = new Device({ store, now: () => T0 });
		expect(device.wipeDays).toBe(30);
		await device.start(() => 'street1');
		const r = parseDeviceUsers(store.getItem(DEVICE_USERS_KEY));
		// school1 has databases here (adopted at now), street1 is the stored session's user.
		expect(r.users).toEqual({ school1: T0, street1: T0 });
		// The roster counts every user shared before issue 11 are removed.
		expect(store.getItem(LEGACY_ROSTER_PREFIX + '2025-09-01')).toBeNull();
		expect(await names()).toEqual([caseDbName('school1', 'c1'), userDbName('school1')].sort());
	});

	it('wipes a user last logged in more than 30 days ago, databases and keys', async () => {
		const store = new MapStorage();
		await seedUser('school1', 'c1', store);
		await seedUser('street1', 'c2', store);
		let now = T0;
		const device = new Device({ store, now: () => now });
		device.noteLogin('school1');
		device.noteLogin('street1');
		// T0 + 29 days (2025-11-19): within the 30 days, nothing goes.
		now = T0 + 29 * DAY;
		await device.wipeExpired(() => null);
		expect(await names()).toHaveLength(4);
		// T0 + 31 days (2025-11-21); street1 is logged in now, so only school1 is wiped.
		now = T0 + 31 * DAY;
		await device.start(() => 'street1');
		expect(await names()).toEqual([caseDbName('street1', 'c2'), userDbName('street1')].sort());
		expect(store.getItem(userKey('school1', 'dashboard.roster.2025-09-01'))).toBeNull();
		expect(store.getItem(userKey('street1', 'dashboard.roster.2025-09-01'))).toBe('{"n":1}');
		const r = parseDeviceUsers(store.getItem(DEVICE_USERS_KEY));
		expect(Object.keys(r.users)).toEqual(['street1']);
		expect(r.users.street1).toBe(now);
	});

	it("keeps the bureau's days from a login and wipes by them", async () => {
		const store = new MapStorage();
		await seedUser('school1', 'c1', store);
		let now = T0;
		const device = new Device({ store, now: () => now });
		device.noteLogin('school1', 7);
		expect(device.wipeDays).toBe(7);
		// A later login without a setting keeps the bureau's 7 days.
		device.noteLogin('street1');
		expect(parseDeviceUsers(store.getItem(DEVICE_USERS_KEY)).wipeDays).toBe(7);
		// A new Device reads the stored setting back.
		expect(new Device({ store, now: () => now }).wipeDays).toBe(7);
		// T0 + 8 days (2025-10-29) is past 7 days: school1 goes, street1 (logged in now) stays.
		now = T0 + 8 * DAY;
		await device.wipeExpired(() => 'street1');
		expect(await names()).toEqual([]);
		expect(Object.keys(parseDeviceUsers(store.getItem(DEVICE_USERS_KEY)).users)).toEqual([
			'street1'
		]);
	});

	it('never wipes the user logged in now, however old their login', async () => {
		const store = new MapStorage();
		await seedUser('school1', 'c1', store);
		const device = new Device({ store, now: () => T0 + 400 * DAY });
		store.setItem(DEVICE_USERS_KEY, JSON.stringify({ wipeDays: 30, users: { school1: T0 } }));
		await device.wipeExpired(() => 'school1');
		expect(await names()).toHaveLength(2);
	});

	it('a logout with wipe deletes the open database and forgets the user', async () => {
		const store = new MapStorage();
		await seedUser('school1', 'c1', store);
		await seedUser('street1', 'c2', store);
		const device = new Device({ store, now: () => T0 });
		device.noteLogin('school1');
		device.noteLogin('street1');
		const open = new AppDb('school1');
		expect(await open.cases.count()).toBe(1);
		await device.wipe('school1', open);
		expect(await names()).toEqual([caseDbName('street1', 'c2'), userDbName('street1')].sort());
		expect(Object.keys(parseDeviceUsers(store.getItem(DEVICE_USERS_KEY)).users)).toEqual([
			'street1'
		]);
	});

	it('a device without storage still wipes (the registry lasts for the page)', async () => {
		await seedUser('school1', 'c1', new MapStorage());
		const device = new Device({ store: null, now: () => T0 });
		expect(device.wipeDays).toBe(30);
		await device.wipe('school1');
		expect(await names()).toEqual([]);
	});
});

describe('[issue 11] device-data: deleting cases and users', () => {
	it('forgetCases removes rows, outbox, refusals and the copies of those cases only', async () => {
		const store = new MapStorage();
		await seedUser('school1', 'c1', store);
		const db = new AppDb('school1');
		await db.cases.put(row('c2'));
		await db.refusals.put(refusal('c1'));
		await writeDoc(caseDbName('school1', 'c2'), 'kept');
		await forgetCases(db, ['c1']);
		await forgetCases(db, []);
		expect(await db.cases.toCollection().primaryKeys()).toEqual(['c2']);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.refusals.count()).toBe(0);
		expect(await names()).toEqual([caseDbName('school1', 'c2'), userDbName('school1')].sort());
		expect(await readPlan(caseDbName('school1', 'c2'))).toBe('kept');
		db.close();
	});

	it('wipeUserData finds case databases the index does not name', async () => {
		const store = new MapStorage();
		await writeDoc(caseDbName('school1', 'orphan'), 'orphan');
		await writeDoc(caseDbName('school10', 'other'), 'other user');
		store.setItem(userKey('school1', 'a'), '1');
		store.setItem(userKey('school10', 'a'), '1');
		await wipeUserData('school1', store);
		// school10's names share the text prefix 'school1' but not the user part: they stay.
		expect(await names()).toEqual([caseDbName('school10', 'other')]);
		expect([...store.m.keys()]).toEqual([userKey('school10', 'a')]);
	});

	it('removeKeys tolerates a missing store', () => {
		expect(() => removeKeys(null, 'x')).not.toThrow();
	});
});

describe('[issue 11] the migration of the database every user shared before the partition', () => {
	const intent = (id: string, caseId: string, author: string | null): Intent =>
		({
			id,
			caseId,
			kind: author ? 'event' : 'plan',
			...(author
				? { event: { id, type: 'note', author: { userId: author } } }
				: { plan: 'plan edit' }),
			createdAt: new Date(T0).toISOString(),
			ranges: []
		}) as unknown as Intent;

	it('gives pending work to its author, plan edits to the stored user, deletes the rest', async () => {
		const store = new MapStorage();
		const old = new AppDb('(before issue 11)', LEGACY_APP_DB);
		await old.cases.bulkPut([row('a'), row('b'), row('c')]);
		await old.outbox.bulkPut([intent('e1', 'a', 'school1'), intent('p1', 'b', null)]);
		await old.refusals.put({
			...refusal('a'),
			draft: { id: 'd1', author: { userId: 'school1' } } as never
		});
		old.close();
		await writeDoc(LEGACY_CASE_DB_PREFIX + 'a', 'plan of a');
		await writeDoc(LEGACY_CASE_DB_PREFIX + 'b', 'plan of b');
		await writeDoc(LEGACY_CASE_DB_PREFIX + 'c', 'plan of c');

		const device = new Device({ store, now: () => T0 });
		await device.start(() => 'street1');

		// The old databases are gone; each user got their share, copied with its content.
		expect(await names()).toEqual(
			[
				userDbName('school1'),
				caseDbName('school1', 'a'),
				userDbName('street1'),
				caseDbName('street1', 'b')
			].sort()
		);
		const school = new AppDb('school1');
		expect((await school.outbox.toArray()).map((i) => i.id)).toEqual(['e1']);
		expect((await school.refusals.toArray()).map((r) => r.id)).toEqual(['r1']);
		expect(await school.cases.toCollection().primaryKeys()).toEqual(['a']);
		school.close();
		const street = new AppDb('street1');
		expect((await street.outbox.toArray()).map((i) => i.id)).toEqual(['p1']);
		street.close();
		expect(await readPlan(caseDbName('school1', 'a'))).toBe('plan of a');
		expect(await readPlan(caseDbName('street1', 'b'))).toBe('plan of b');
		// Both receivers are in the registry from now.
		const r = parseDeviceUsers(store.getItem(DEVICE_USERS_KEY));
		expect(r.users).toEqual({ school1: T0, street1: T0 });
	});

	it('without a stored session, work that names nobody is deleted with the rest', async () => {
		const old = new AppDb('(before issue 11)', LEGACY_APP_DB);
		await old.outbox.put(intent('p1', 'b', null));
		old.close();
		await writeDoc(LEGACY_CASE_DB_PREFIX + 'b', 'plan of b');
		await new Device({ store: new MapStorage(), now: () => T0 }).start(() => null);
		expect(await names()).toEqual([]);
	});
});
