import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendEvent, readEvents } from '../../src/lib/case-doc';
import { type Author, type CaseEventInput } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { CLOSE } from '../../src/lib/protocol/ws';
import {
	connect,
	createCase,
	login,
	ownWritesAccepted,
	startRelay,
	synced,
	until,
	type Client,
	type TestRelay
} from './relay-harness';

/** The harness relay's day: Monday 2026-11-23 (China time), a school day of the autumn term. */
const TODAY = '2026-11-23';
let n = 0;

function ev(
	type: CaseEventInput['type'],
	date: string,
	author: Author,
	payload: Record<string, unknown> = {}
): CaseEventInput {
	n++;
	return {
		...payload,
		id: `team-${n}`,
		type,
		date,
		recordedAt: `${date}T0${n % 10}:00:00.000Z`,
		author,
		v: 1
	} as CaseEventInput;
}

function add(doc: Y.Doc, e: CaseEventInput): void {
	const r = appendEvent(doc, e, TODAY);
	if (!r.ok) throw new Error(`${e.type}: ${r.rule} ${r.reason.en}`);
}

/**
 * S-9 and DOMAIN.md "Who works on a case": the case is lost to contact, the street forms a team
 * with the police, the police find the student, then the street re-forms the team by the reason
 * found (guardian neglect → justice). From then on the police no longer see the case.
 */
describe('[S-9] access follows the current joint team', () => {
	let t: TestRelay;
	let caseId: string;
	const tokens: Record<string, string> = {};
	const clients: Client[] = [];
	const client = (token: string) => {
		const c = connect(t, caseId, token);
		clients.push(c);
		return c;
	};
	const get = (path: string, user: string) =>
		fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${tokens[user]}` } });
	const listed = async (user: string) =>
		((await (await get('/api/cases', user)).json()) as { cases: { id: string }[] }).cases.map(
			(c) => c.id
		);

	beforeAll(async () => {
		t = await startRelay();
		for (const u of ['school1', 'street1', 'police1', 'justice1', 'bureau1'])
			tokens[u] = await login(t, u);
		caseId = await createCase(t, tokens['school1'] ?? '', { name: '失联学生' });
		const school = client(tokens['school1'] ?? '');
		await synced(school);
		const S = DEMO_AUTHORS.school;
		for (const d of ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'])
			add(school.doc, ev('absence', d, S, { excused: false }));
		add(
			school.doc,
			ev('suspected_case_opened', '2026-11-13', S, { responsible: { name: '王老师' } })
		);
		for (const d of ['2026-11-16', '2026-11-17', '2026-11-18'])
			add(school.doc, ev('persuasion_attempt', d, S, { mode: 'phone', outcome: 'not_found' }));
		add(school.doc, ev('dropout_file_created', '2026-11-19', S, { reason: 'lost_contact' }));
		add(school.doc, ev('written_report', '2026-11-19', S, { to: ['street', 'bureau'] }));
		const street = client(tokens['street1'] ?? '');
		await synced(street);
		await until(() => readEvents(street.doc).length === 11, 5000, 'street has the case');
		add(
			street.doc,
			ev('joint_team_formed', '2026-11-20', DEMO_AUTHORS.street, {
				reason: 'lost_contact',
				departments: ['police']
			})
		);
		await until(() => ownWritesAccepted(street), 5000, 'team formed');
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await t.dispose();
	});

	it('[S-9] a department on the team reads the case and syncs; one left out of the re-formed team gets 403 and 4403, and its records stay', async () => {
		// On the team: the police see the case, list it, sync and record where the student is.
		expect((await get(`/api/cases/${caseId}`, 'police1')).status).toBe(200);
		expect(await listed('police1')).toContain(caseId);
		expect((await get(`/api/cases/${caseId}`, 'justice1')).status).toBe(403);
		const police = client(tokens['police1'] ?? '');
		await synced(police);
		await until(() => readEvents(police.doc).length === 12, 5000, 'police have the team');
		add(
			police.doc,
			ev('student_located', '2026-11-20', DEMO_AUTHORS.police, {
				whereabouts: '随祖父母在外县',
				movedOutOfCounty: false
			})
		);
		await until(() => ownWritesAccepted(police), 5000, 'police record accepted');
		expect(police.refused).toEqual([]);

		// The street re-forms the team by the reason found: justice in, police out.
		const street = clients[1];
		if (!street) throw new Error('no street client');
		await until(() => readEvents(street.doc).length === 13, 5000, 'street sees the police record');
		add(
			street.doc,
			ev('joint_team_formed', TODAY, DEMO_AUTHORS.street, {
				reason: 'guardian_neglect',
				departments: ['justice']
			})
		);
		await until(() => ownWritesAccepted(street), 5000, 're-formed team accepted');

		// The open socket of the police is closed; reads, the list and new sockets are refused.
		await until(() => police.closed.length > 0, 5000, 'police socket closed');
		expect(police.closed[0]?.code).toBe(CLOSE.forbidden);
		const res = await get(`/api/cases/${caseId}`, 'police1');
		expect(res.status).toBe(403);
		expect(((await res.json()) as { message: { zh: string; en: string } }).message).toEqual({
			zh: '无权查看此案件',
			en: 'you may not see this case'
		});
		expect((await get(`/api/cases/${caseId}/history`, 'police1')).status).toBe(403);
		expect(await listed('police1')).not.toContain(caseId);
		const again = client(tokens['police1'] ?? '');
		await until(() => again.closed.length > 0, 5000, 'new police socket refused');
		expect(again.closed[0]?.code).toBe(CLOSE.forbidden);

		// Justice joined: it reads the case. The police's record stays, attributed to the police.
		expect((await get(`/api/cases/${caseId}`, 'justice1')).status).toBe(200);
		const snap = (await (await get(`/api/cases/${caseId}`, 'bureau1')).json()) as {
			events: { type: string; author: { userId: string; orgKind: string } }[];
		};
		expect(snap.events.find((e) => e.type === 'student_located')?.author).toMatchObject({
			userId: 'police1',
			orgKind: 'police'
		});
		expect((await t.storage.getCase(caseId))?.team).toEqual(['justice']);
	});

	it('[S-9] the access a re-formed team gives holds after the relay restarts (the stored team)', async () => {
		for (const c of clients) c.destroy();
		clients.length = 0;
		await t.stop();
		t = await t.restart();
		expect((await get(`/api/cases/${caseId}`, 'police1')).status).toBe(403);
		expect((await get(`/api/cases/${caseId}`, 'justice1')).status).toBe(200);
	});
});
