import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	CASE_DOC_KEYS,
	CaseDocInputError,
	LOCAL_ORIGIN,
	appendEvent,
	appendEventUnchecked,
	caseInitSchema,
	changedRange,
	createCaseDoc,
	eventCount,
	fromSnapshot,
	getPlan,
	initCaseDoc,
	onCaseChange,
	planText,
	readEvents,
	setPlan,
	toSnapshot,
	toSnapshotUnchecked,
	type CaseChange,
	type CaseInit
} from '$lib/case-doc';
import { SNAPSHOT_FORMAT, type CaseEventInput } from '$lib/domain';

const author = {
	userId: 'u-teacher',
	orgId: 'school-1',
	orgKind: 'school',
	role: 'head_teacher',
	name: '王老师'
} as const;

function makeInit(over: Partial<CaseInit> = {}): CaseInit {
	return {
		id: 'case-1',
		profile: 'shilong-2022',
		createdAt: '2025-09-01T08:00:00.000Z',
		createdBy: author,
		orgs: { schoolId: 'school-1', streetId: 'street-1' },
		student: {
			name: '李小明',
			gender: 'male',
			birthDate: '2011-05-04',
			registryNo: 'G110101************',
			schoolId: 'school-1',
			grade: 8
		},
		guardians: [{ id: 'g-1', name: '李大山', relation: '父亲', phone: '13800000000' }],
		...over
	};
}

let seq = 0;
function absence(date: string, over: Partial<Record<string, unknown>> = {}): CaseEventInput {
	seq++;
	return {
		id: `ev-${seq}`,
		type: 'absence',
		date,
		recordedAt: `${date}T09:00:00.000Z`,
		author,
		v: 1,
		excused: false,
		...over
	};
}

/** A second replica of `doc`, with its own client id. */
function replica(doc: Y.Doc): Y.Doc {
	const r = new Y.Doc();
	Y.applyUpdate(r, Y.encodeStateAsUpdate(doc));
	return r;
}

/** Applies everything `from` has that `to` lacks, as a sync provider would (origin = 'remote'). */
function sync(from: Y.Doc, to: Y.Doc): void {
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
}

describe('case-doc: init and snapshots', () => {
	it('init → toSnapshot round-trips the input with defaults applied', () => {
		const init = makeInit({ plan: '先家访，再联系社区。' });
		const doc = createCaseDoc(init);
		const r = toSnapshot(doc);
		expect(r).toEqual({
			ok: true,
			value: { ...caseInitSchema.parse(init), format: SNAPSHOT_FORMAT, events: [] }
		});
		if (!r.ok) return;
		expect(r.value.student.className).toBe('');
		expect(r.value.guardians[0]?.workingAway).toBe(false);
		expect([...doc.share.keys()].sort()).toEqual(Object.values(CASE_DOC_KEYS).sort());
	});

	it('init without a plan gives an empty plan', () => {
		const r = toSnapshot(createCaseDoc(makeInit()));
		expect(r.ok && r.value.plan).toBe('');
	});

	it('an invalid init throws a bilingual error naming each path', () => {
		const bad = makeInit({
			student: { ...makeInit().student, birthDate: '2025-02-30' },
			orgs: { schoolId: 'bad id!', streetId: 'street-1' }
		});
		const doc = new Y.Doc();
		let err: unknown;
		try {
			initCaseDoc(doc, bad);
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(CaseDocInputError);
		const paths = (err as CaseDocInputError).errors.map((e) => e.path).sort();
		expect(paths).toEqual(['orgs.schoolId', 'student.birthDate']);
		expect((err as Error).message).toMatch(
			/案件初始数据无效 \/ invalid case init: .*student\.birthDate/
		);
		expect(doc.getMap(CASE_DOC_KEYS.meta).size).toBe(0);
	});

	it('init refuses a doc that already holds a case', () => {
		const doc = createCaseDoc(makeInit());
		expect(() => initCaseDoc(doc, makeInit({ id: 'case-2' }))).toThrow(CaseDocInputError);
		const r = toSnapshot(doc);
		expect(r.ok && r.value.id).toBe('case-1');
	});

	it('fromSnapshot(toSnapshot(doc)) gives an equal snapshot, events and plan included', () => {
		const doc = createCaseDoc(makeInit({ plan: '计划：每周家访 😀' }));
		expect(appendEventUnchecked(doc, absence('2025-09-15')).ok).toBe(true);
		expect(appendEventUnchecked(doc, absence('2025-09-16', { excused: true })).ok).toBe(true);
		const first = toSnapshot(doc);
		if (!first.ok) throw new Error(JSON.stringify(first.errors));
		const copy = fromSnapshot(first.value);
		expect(toSnapshot(copy)).toEqual(first);
		expect(readEvents(copy).map((e) => e.date)).toEqual(['2025-09-15', '2025-09-16']);
	});

	it('fromSnapshot validates first', () => {
		const r = toSnapshot(createCaseDoc(makeInit()));
		if (!r.ok) throw new Error('fixture');
		const bad = { ...r.value, profile: 'nowhere-2020' } as unknown as typeof r.value;
		expect(() => fromSnapshot(bad)).toThrow(/profile/);
	});

	it('toSnapshot reports garbage in the events array by path', () => {
		const doc = createCaseDoc(makeInit());
		doc.getArray(CASE_DOC_KEYS.events).push([{ type: 'absence', date: 'yesterday' }]);
		const r = toSnapshot(doc);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.length).toBeGreaterThan(0);
		for (const e of r.errors) expect(e.path).toMatch(/^events\.0/);
	});

	it('toSnapshot names a stray meta key', () => {
		const doc = createCaseDoc(makeInit());
		doc.getMap(CASE_DOC_KEYS.meta).set('events', []);
		const r = toSnapshot(doc);
		expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'meta.events' })] });
	});

	it('toSnapshot of an empty doc fails instead of inventing a case', () => {
		expect(toSnapshot(new Y.Doc()).ok).toBe(false);
	});

	it('toSnapshotUnchecked and readEvents hand out copies, never the stored objects', () => {
		const doc = createCaseDoc(makeInit());
		appendEventUnchecked(doc, absence('2025-09-15'));
		const snap = toSnapshotUnchecked(doc);
		(snap.events[0] as { date: string }).date = '1999-01-01';
		snap.student.name = 'x';
		const evs = readEvents(doc);
		(evs[0] as { date: string }).date = '1999-01-02';
		expect(readEvents(doc)[0]?.date).toBe('2025-09-15');
		expect(toSnapshotUnchecked(doc).student.name).toBe('李小明');
		expect(eventCount(doc)).toBe(1);
	});
});

describe('case-doc: appending events', () => {
	it.each([
		['an unknown type', { type: 'teleported' }, 'type'],
		['a date that does not exist', { date: '2025-02-30' }, 'date'],
		['no author', { author: undefined }, 'author']
	])('refuses an event with %s (rule schema) and appends nothing', (_what, over, path) => {
		const doc = createCaseDoc(makeInit());
		let updates = 0;
		doc.on('update', () => updates++);
		const r = appendEvent(doc, absence('2025-09-15', over), '2025-09-20');
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.rule).toBe('schema');
		expect(r.reason.en).toContain(`${path}:`);
		expect(r.reason.zh).toContain(`${path}:`);
		expect(eventCount(doc)).toBe(0);
		expect(updates).toBe(0);
	});

	it('appendEventUnchecked refuses a schema error and a duplicate id', () => {
		const doc = createCaseDoc(makeInit());
		const bad = appendEventUnchecked(doc, absence('2025-09-31'));
		expect(bad.ok === false && bad.rule).toBe('schema');
		const ev = absence('2025-09-15');
		expect(appendEventUnchecked(doc, ev)).toEqual({ ok: true });
		const dup = appendEventUnchecked(doc, { ...ev, excused: true } as CaseEventInput);
		expect(dup.ok === false && dup.rule).toBe('duplicate-id');
		expect(eventCount(doc)).toBe(1);
	});

	it('appended events are stored parsed (defaults applied) and at the end', () => {
		const doc = createCaseDoc(makeInit());
		appendEventUnchecked(doc, absence('2025-09-16'));
		appendEventUnchecked(doc, absence('2025-09-15'));
		const evs = readEvents(doc);
		expect(evs.map((e) => e.date)).toEqual(['2025-09-16', '2025-09-15']);
		expect(evs[0]).toMatchObject({ type: 'absence', note: '' });
	});

	it('appendEvent refuses an event on a doc that is not a valid case', () => {
		const r = appendEvent(new Y.Doc(), absence('2025-09-15'), '2025-09-20');
		expect(r.ok === false && r.rule).toBe('schema');
	});

	it('appendEvent appends an event the rules accept, with origin LOCAL_ORIGIN', () => {
		const doc = createCaseDoc(makeInit());
		const origins: unknown[] = [];
		doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
		const r = appendEvent(doc, absence('2025-09-15'), '2025-09-20');
		expect(r).toEqual({ ok: true });
		expect(eventCount(doc)).toBe(1);
		expect(origins).toEqual([LOCAL_ORIGIN]);
	});

	it('appendEvent leaves the doc untouched when the rules refuse (an event after today)', () => {
		const doc = createCaseDoc(makeInit());
		const r = appendEvent(doc, absence('2025-09-22'), '2025-09-20');
		expect(r.ok).toBe(false);
		expect(r.ok === false && r.rule).not.toBe('schema');
		expect(eventCount(doc)).toBe(0);
	});
});

describe('case-doc: plan text', () => {
	it.each([
		['abc', 'abc', { start: 3, deleteCount: 0, insert: '' }],
		['hello world', 'hello brave world', { start: 6, deleteCount: 0, insert: 'brave ' }],
		['hello brave world', 'hello world', { start: 6, deleteCount: 6, insert: '' }],
		['aaa', 'aaaa', { start: 3, deleteCount: 0, insert: 'a' }],
		['先家访', '先电话再家访', { start: 1, deleteCount: 0, insert: '电话再' }],
		// Surrogate pairs are never cut: 😀 (D83D DE00) → 😁 (D83D DE01) replaces both halves.
		['x😀y', 'x😁y', { start: 1, deleteCount: 2, insert: '😁' }],
		['😀', '🙂😀', { start: 0, deleteCount: 0, insert: '🙂' }],
		// 😀 (D83D DE00) → 𝘀 (D835 DE00): the shared low half must not become a kept suffix.
		['x😀y', 'x𝘀y', { start: 1, deleteCount: 2, insert: '𝘀' }]
	])('changedRange(%j, %j) is the minimal middle range', (a, b, want) => {
		const r = changedRange(a, b);
		expect(r).toEqual(want);
		expect(a.slice(0, r.start) + r.insert + a.slice(r.start + r.deleteCount)).toBe(b);
	});

	it('setPlan touches only the changed middle range', () => {
		const doc = createCaseDoc(makeInit({ plan: 'hello world' }));
		const deltas: unknown[] = [];
		planText(doc).observe((e) => deltas.push(e.delta));
		setPlan(doc, 'hello brave world');
		setPlan(doc, 'hello brave world');
		expect(deltas).toEqual([[{ retain: 6 }, { insert: 'brave ' }]]);
		expect(getPlan(doc)).toBe('hello brave world');
	});

	it('concurrent setPlan edits at both ends merge instead of overwriting', () => {
		const a = createCaseDoc(makeInit({ plan: '第一步：家访。第二步：联系社区。' }));
		const b = replica(a);
		setPlan(a, '第一步：电话和家访。第二步：联系社区。');
		setPlan(b, '第一步：家访。第二步：联系社区和街道。');
		sync(a, b);
		sync(b, a);
		expect(getPlan(a)).toBe('第一步：电话和家访。第二步：联系社区和街道。');
		expect(getPlan(b)).toBe(getPlan(a));
	});

	it('an emoji edit survives encoding to another replica without U+FFFD', () => {
		const a = createCaseDoc(makeInit({ plan: '注意 😀 情绪' }));
		const b = replica(a);
		setPlan(a, '注意 😁 情绪');
		sync(a, b);
		expect(getPlan(b)).toBe('注意 😁 情绪');
	});
});

describe('case-doc: what is stored is what peers decode', () => {
	it('lone surrogates in an event or the plan are stored as U+FFFD on every replica', () => {
		const a = createCaseDoc(makeInit());
		const b = replica(a);
		appendEventUnchecked(a, absence('2025-09-15', { note: 'x\uD83Dy' }));
		setPlan(a, 'p\uDE00q 😀');
		sync(a, b);
		expect(readEvents(a)[0]).toMatchObject({ note: 'x\uFFFDy' });
		expect(readEvents(b)).toEqual(readEvents(a));
		expect(getPlan(a)).toBe('p\uFFFDq 😀');
		expect(getPlan(b)).toBe(getPlan(a));
	});
});

describe('case-doc: onCaseChange', () => {
	it('reports which parts changed and whether the change was local', () => {
		const a = createCaseDoc(makeInit());
		const b = replica(a);
		const seen: CaseChange[] = [];
		const off = onCaseChange(b, (c) => seen.push(c));
		appendEventUnchecked(b, absence('2025-09-15'));
		setPlan(b, '家访');
		appendEventUnchecked(a, absence('2025-09-16'));
		sync(a, b);
		setPlan(a, '电话');
		sync(a, b);
		b.transact(() => undefined);
		off();
		appendEventUnchecked(b, absence('2025-09-17'));
		expect(seen).toEqual([
			{ events: true, plan: false, local: true },
			{ events: false, plan: true, local: true },
			{ events: true, plan: false, local: false },
			{ events: false, plan: true, local: false }
		]);
	});

	it('fires when an empty doc receives the initialisation from a peer', () => {
		const empty = new Y.Doc();
		const seen: CaseChange[] = [];
		onCaseChange(empty, (c) => seen.push(c));
		sync(createCaseDoc(makeInit()), empty);
		expect(seen).toEqual([{ events: false, plan: false, local: false }]);
	});
});
