import * as Y from 'yjs';
import {
	applyUpdateToCopy,
	diffCaseDocs,
	getPlan,
	hasPendingUpdates
} from '../../src/lib/case-doc';
import {
	caseEventSchema,
	toInputErrors,
	type CaseEvent,
	type CaseSnapshot
} from '../../src/lib/domain';
import { checkEvent, compareEvents, type Bilingual } from '../../src/lib/rules';
import type { UpdateRange } from '../../src/lib/sync/protocol';

/** Who sent an update: the authenticated user of the connection. */
export interface Sender {
	userId: string;
	orgId: string;
	orgKind: CaseEvent['author']['orgKind'];
	role: CaseEvent['author']['role'];
}

export type UpdateVerdict =
	| {
			ok: true;
			/** The document after the update (a scratch copy; the live doc is untouched). */
			scratch: Y.Doc;
			/** The case after the update. */
			snapshot: CaseSnapshot;
			/** False when the update brought nothing new (a resend): nothing to store. */
			changed: boolean;
	  }
	| { ok: false; rule: string; reason: Bilingual; malformed?: boolean; eventId?: string };

const refuse = (rule: string, zh: string, en: string, malformed = false): UpdateVerdict => ({
	ok: false,
	rule,
	reason: { zh, en },
	malformed
});

/**
 * Checks one incoming update against the live case document, on a scratch copy, with the same
 * schemas and rules as the browser: the layout is respected, the timeline only grows, every new
 * event is by the sender and allowed for the sender's org now, closure only when eligible.
 */
export function checkUpdate(
	live: Y.Doc,
	current: CaseSnapshot,
	update: Uint8Array,
	sender: Sender,
	today: string
): UpdateVerdict {
	let scratch: Y.Doc;
	try {
		scratch = applyUpdateToCopy(live, update);
	} catch {
		return refuse('malformed', '无法解析的修改', 'the update cannot be decoded', true);
	}
	// An update that builds on changes the relay never accepted (usually an earlier refused
	// one) cannot be integrated: Yjs would park it silently, so it is refused in the open.
	if (hasPendingUpdates(scratch)) {
		return refuse(
			'causality',
			'该修改依赖服务器上没有的修改（可能是此前被拒绝的修改）',
			'the update builds on changes the relay does not have (perhaps a refused one)'
		);
	}
	const diff = diffCaseDocs(live, scratch);
	if (diff.unknownKeys.length || diff.malformedKeys.length || diff.initialised) {
		return refuse(
			'layout',
			'修改超出了案件文档的结构',
			'the update writes outside the case layout'
		);
	}
	if (diff.metaChanged || diff.studentChanged || diff.guardiansChanged) {
		return refuse(
			'layout',
			'案件的基本信息只能通过“资料变更”记录修改',
			'case details change only through profile-update events'
		);
	}
	if (diff.eventsRemovedOrChanged) {
		return refuse('append-only', '时间线只能追加，不能删除或修改', 'the timeline is append-only');
	}

	const added: CaseEvent[] = [];
	for (const raw of diff.addedEvents) {
		const r = caseEventSchema.safeParse(raw);
		if (!r.success) {
			const where = toInputErrors(r.error)
				.map((e) => `${e.path}: ${e.message}`)
				.join('; ');
			return refuse('schema', `记录格式错误：${where}`, `malformed record: ${where}`);
		}
		const a = r.data.author;
		if (
			a.userId !== sender.userId ||
			a.orgId !== sender.orgId ||
			a.orgKind !== sender.orgKind ||
			a.role !== sender.role
		) {
			return refuse(
				'author',
				'记录人与登录用户不符',
				'the record names another author than the sender'
			);
		}
		added.push(r.data);
	}

	let snapshot = current;
	for (const ev of added.sort(compareEvents)) {
		const r = checkEvent(snapshot, ev, today);
		if (!r.ok) return { ok: false, rule: r.rule, reason: r.reason, eventId: ev.id };
		snapshot = { ...snapshot, events: [...snapshot.events, ev] };
	}
	if (diff.planChanged) snapshot = { ...snapshot, plan: getPlan(scratch) };

	const changed =
		added.length > 0 ||
		diff.planChanged ||
		!equalBytes(Y.encodeStateVector(live), Y.encodeStateVector(scratch)) ||
		!equalBytes(deleteSetOf(live), deleteSetOf(scratch));
	return { ok: true, scratch, snapshot, changed };
}

/** The Yjs clock ranges an update covers, to tell the sender which of its changes was refused. */
export function updateRanges(update: Uint8Array): UpdateRange[] {
	try {
		const meta = Y.parseUpdateMeta(update);
		return [...meta.to.entries()].map(([client, to]) => ({
			client,
			from: meta.from.get(client) ?? 0,
			to
		}));
	} catch {
		return [];
	}
}

function deleteSetOf(doc: Y.Doc): Uint8Array {
	return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
