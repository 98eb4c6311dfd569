/**
 * Issue 11: the full ID number lives in one place, the relay's own table. Nothing a document,
 * its stored updates and states, the case answers, the history, "view as of", the ledger or the
 * logs hold may contain one — after creating cases, importing a roster, and migrating a database
 * the previous version wrote (tests/fixtures/v10-district.sqlite).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEventUnchecked, toSnapshot } from '../../src/lib/case-doc';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { hashPassword } from '../../server/auth/passwords';
import { migrateIds } from '../../server/migrate-ids';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { Storage } from '../../server/storage/types';
import {
	connect,
	createCase,
	login,
	startRelay,
	synced,
	until,
	type TestRelay
} from './relay-harness';

/** Any 18 characters that read as an ID number (digits, a date inside, digit or X last). */
const FULL_ID = /(?<![0-9])[0-9]{6}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9])/;
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
/** The previous version's seed clock (the fixture's demo dates count back from it). */
const FIXTURE_NOW = new Date('2025-10-21T01:00:00.000Z');
/** Case demo-10 of the fixture: created with one ID number, changed by a profile update. */
const FIXTURE_ID = '11010519491231002X';

/** Every place a stored case keeps bytes or JSON, as one list of strings to search. */
async function storedText(storage: Storage): Promise<string[]> {
	const out: string[] = [];
	for (const c of await storage.listCases()) {
		out.push(c.snapshotJson);
		const log = await storage.caseLogBytes(c.id);
		for (const u of log.updates) out.push(latin1(u.update));
		for (const x of log.snapshots) out.push(latin1(x.state));
	}
	for (const q of await storage.listQuarantine()) out.push(latin1(q.update));
	for (const a of await storage.listAudit()) out.push(JSON.stringify(a));
	return out;
}

describe('issue 11: the migration of a database the previous version wrote', () => {
	let dir: string;
	let storage: Storage;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'ysya-ids-'));
		copyFileSync('tests/fixtures/v10-district.sqlite', join(dir, 'db.sqlite'));
		storage = openSqliteStorage({ path: join(dir, 'db.sqlite') });
	});
	afterAll(async () => {
		await storage.close();
	});

	it('finds full ID numbers in the old documents before it runs', async () => {
		expect((await storedText(storage)).some((t) => FULL_ID.test(t))).toBe(true);
	});

	it('moves them to the relay table, masks every stored byte, and is idempotent', async () => {
		const dry = await migrateIds(storage, { now: FIXTURE_NOW, dryRun: true });
		expect(dry.changed.length).toBeGreaterThan(0);
		expect((await storedText(storage)).some((t) => FULL_ID.test(t))).toBe(true);

		const r = await migrateIds(storage, { now: FIXTURE_NOW });
		expect(r.failed).toEqual([]);
		expect(r.changed).toEqual(dry.changed);
		// 20 cases, each with a G+ID 学籍号; six of them with an ID number too (seed-cases.ts).
		expect(r.cases).toBe(20);
		expect(r.changed).toHaveLength(20);
		for (const t of await storedText(storage)) expect(t).not.toMatch(FULL_ID);

		const ids = await storage.getPersonIds('demo-10');
		// The profile update is later than the creation: its number is the current one.
		expect(ids.find((x) => x.subject === 'student')?.value).toBe(FIXTURE_ID);
		expect(ids.find((x) => x.subject === 'student-registry')?.value).toMatch(/^G\d{17}[\dX]$/);
		const audit = await storage.listAudit({ caseId: 'demo-10' });
		expect(audit.filter((a) => a.action === 'migrate-ids')).toHaveLength(1);
		expect((await storage.getCase('demo-10'))?.rewrites).toBe(1);

		const again = await migrateIds(storage, { now: FIXTURE_NOW, force: true });
		expect(again.changed).toEqual([]);
		expect(await migrateIds(storage, { now: FIXTURE_NOW })).toMatchObject({ skipped: true });
	});

	it('leaves every case loading, with the masked number and all its history', async () => {
		for (const c of await storage.listCases()) {
			const log = await storage.caseLogBytes(c.id);
			const doc = new Y.Doc();
			for (const u of log.updates) Y.applyUpdate(doc, u.update);
			const s = toSnapshot(doc);
			expect(s.ok, c.id).toBe(true);
			doc.destroy();
		}
		const log = await storage.caseLogBytes('demo-10');
		const doc = new Y.Doc();
		for (const u of log.updates) Y.applyUpdate(doc, u.update);
		const s = toSnapshot(doc);
		if (!s.ok) throw new Error('demo-10 does not load');
		expect(s.value.student.registryNo).toMatch(/^G\d{6}\*{12}$/);
		const fix = s.value.events.find((e) => e.id === 'ev-fixture-id-fix');
		expect(fix?.type === 'profile_updated' && fix.changes[0]).toMatchObject({
			field: 'idMasked',
			value: '110105************'
		});
		doc.destroy();
	});
});

describe('issue 11: the relay keeps full ID numbers out of every answer', () => {
	let t: TestRelay;
	let school: string;
	const lines: string[] = [];
	// 110105 20120304 002 3: check digit 3 (ISO 7064 MOD 11-2, by hand), sex digit 2: female.
	const NEW_ID = '110105201203040023';

	beforeAll(async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'ysya-ids-relay-'));
		copyFileSync('tests/fixtures/v10-district.sqlite', join(dataDir, 'yishengyian.sqlite'));
		// The fixture's accounts have plain-text hashes: give two of them the real demo password.
		const s = openSqliteStorage({ path: join(dataDir, 'yishengyian.sqlite') });
		const hash = await hashPassword('demo-pass');
		for (const u of ['school1', 'bureau1', 'street1']) await s.setUserPassword(u, hash);
		await s.close();
		t = await startRelay({ dataDir, now: FIXTURE_NOW, log: (l) => lines.push(l) });
		school = await login(t, 'school1');
	});
	afterAll(async () => {
		await t.dispose();
	});

	const get = async (path: string, token = school) => {
		const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status, path).toBe(200);
		return res.text();
	};

	it('migrated the old database on start and says so in its log without numbers', () => {
		expect(lines.some((l) => l.includes('ID-number migration: 20 of 20 cases masked'))).toBe(true);
	});

	it('answers the case, its history, every "as of" version and the ledger masked', async () => {
		const id = await createCase(t, school, {
			idNumber: NEW_ID,
			registryNo: `G${NEW_ID}`,
			birthDate: '2012-03-04'
		});
		for (const caseId of [id, 'demo-10']) {
			expect(await get(`/api/cases/${caseId}`)).not.toMatch(FULL_ID);
			const history = await get(`/api/cases/${caseId}/history`);
			expect(history).not.toMatch(FULL_ID);
			const entries = (JSON.parse(history) as { entries: { seq: number }[] }).entries;
			expect(entries.length).toBeGreaterThan(0);
			for (const e of entries)
				expect(await get(`/api/cases/${caseId}/history/${e.seq}`)).not.toMatch(FULL_ID);
		}
		expect(await get('/api/cases')).not.toMatch(FULL_ID);
		const bureau = await login(t, 'bureau1');
		expect(await get('/api/reports/ledger', bureau)).not.toMatch(FULL_ID);
		for (const text of await storedText(t.storage)) expect(text).not.toMatch(FULL_ID);
		for (const l of lines) expect(l).not.toMatch(FULL_ID);
	});

	it('reveals the number from its table, audited, for a short time', async () => {
		const id = await createCase(t, school, { idNumber: NEW_ID, registryNo: 'L1234567890' });
		const res = await fetch(`${t.url}/api/cases/${id}/reveal`, {
			method: 'POST',
			headers: { authorization: `Bearer ${school}` }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(await res.json()).toEqual({ idNumber: NEW_ID, showSeconds: 30 });
		const audit = await t.storage.listAudit({ caseId: id });
		expect(audit.map((a) => a.action)).toContain('reveal-id');
		expect(JSON.stringify(audit)).not.toMatch(FULL_ID);
	});

	it('refuses an update that writes a full ID number into a document [id-number]', async () => {
		const id = await createCase(t, school);
		const c = connect(t, id, school);
		try {
			await synced(c);
			const r = appendEventUnchecked(c.doc, {
				id: 'ev-note-with-id',
				type: 'home_visit',
				date: '2025-10-20',
				recordedAt: '2025-10-20T02:00:00.000Z',
				author: DEMO_AUTHORS.school,
				v: 1,
				mode: 'home_visit',
				findings: `家长身份证 ${NEW_ID}`
			} as never);
			expect(r.ok).toBe(true);
			await until(() => c.refused.length > 0, 5000, 'refusal');
			expect(c.refused[0]?.rule).toBe('id-number');
			for (const text of await storedText(t.storage)) expect(text).not.toMatch(FULL_ID);
		} finally {
			c.destroy();
		}
	});

	it('corrects the ID number in its table only: school and bureau, checked, audited', async () => {
		// Born 2012-03-04, female (harness default): 110105 20120304 002 X, sex digit 2 (even).
		const id = await createCase(t, school, { registryNo: 'L1234567890' });
		const put = (token: string, body: unknown) =>
			fetch(`${t.url}/api/cases/${id}/id-number`, {
				method: 'PUT',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
		const wrongCheck = await put(school, { idNumber: '110105201203040021' });
		expect(wrongCheck.status).toBe(400);
		expect(JSON.stringify(await wrongCheck.json())).toContain('校验位');
		// 110105 20120305 002 ?: another birth date than the case's 2012-03-04.
		const otherBirth = await put(school, { idNumber: '110105201203050029' });
		expect(otherBirth.status).toBe(400);
		expect(JSON.stringify(await otherBirth.json())).toContain('出生日期');
		expect((await put(await login(t, 'street1'), { idNumber: NEW_ID })).status).toBe(403);
		const ok = await put(school, { idNumber: NEW_ID });
		expect(ok.status).toBe(200);
		expect(await ok.json()).toEqual({ idMasked: '110105************' });
		expect((await t.storage.getPersonIds(id)).find((r) => r.subject === 'student')).toMatchObject({
			value: NEW_ID,
			updatedBy: 'school1'
		});
		expect((await t.storage.listAudit({ caseId: id })).map((a) => a.action)).toContain(
			'correct-id'
		);
		for (const text of await storedText(t.storage)) expect(text).not.toMatch(FULL_ID);
	});
});
