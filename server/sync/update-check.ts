import * as Y from 'yjs';
import { applyTracked, checkGrowth } from '../../src/lib/case-doc';
import {
	FULL_ID_REFUSAL,
	containsFullIdNumber,
	type CaseEvent,
	type CaseSnapshot
} from '../../src/lib/domain';
import { bytesHoldFullId } from '../person-ids';
import {
	checkEvent,
	compareEvents,
	type Bilingual,
	type Calendar,
	type CaseState
} from '../../src/lib/rules';
import { RULE_CLIENT_ID, type UpdateRange } from '../../src/lib/protocol/ws';

/** Who sent an update: the connection's user as the relay's own record has it, not the token. */
export interface Sender {
	userId: string;
	orgId: string;
	orgKind: CaseEvent['author']['orgKind'];
	role: CaseEvent['author']['role'];
	/** The user's display name, which every new event's `author.name` must carry. */
	name: string;
}

export type UpdateVerdict =
	| {
			ok: true;
			/** The case after the update. */
			snapshot: CaseSnapshot;
			/** False when the update brought nothing new (a resend): nothing to store. */
			changed: boolean;
			/** The events it appended (to extend the relay's fold of the case, issue 14). */
			added: CaseEvent[];
	  }
	| { ok: false; rule: string; reason: Bilingual; malformed?: boolean; eventId?: string };

const refuse = (rule: string, zh: string, en: string, malformed = false): UpdateVerdict => ({
	ok: false,
	rule,
	reason: { zh, en },
	malformed
});

const VIOLATIONS = {
	'unknown-key': [
		'layout',
		'修改超出了案件文档的结构',
		'the update writes outside the case layout'
	],
	malformed: ['layout', '修改超出了案件文档的结构', 'the update writes outside the case layout'],
	'written-once': [
		'layout',
		'案件的基本信息只能通过“资料变更”记录修改',
		'case details change only through profile-update events'
	],
	'append-only': ['append-only', '时间线只能追加，不能删除或修改', 'the timeline is append-only']
} as const;

/**
 * Checks one incoming update with the same schemas and rules as the browser: the layout is
 * respected, the timeline only grows, every new event is by the sender and allowed for the
 * sender's org now, closure only when eligible. `shadow` is a replica of the live document that
 * the update is applied to first; when the verdict is a refusal the caller must rebuild it.
 * `calendar` is the relay's current one (G-T3): an update a device built under an older calendar
 * version is judged under the newer one, so a day that became a holiday is refused (G-T4).
 */
export function checkUpdate(
	shadow: Y.Doc,
	current: CaseSnapshot,
	update: Uint8Array,
	sender: Sender,
	today: string,
	calendar: Calendar,
	/** The fold of `current`, when the relay keeps one (issue 14); only read. */
	folded?: CaseState
): UpdateVerdict {
	// Issue 11: no full ID number enters a document, in an event, a field or the plan.
	if (bytesHoldFullId(update)) return { ok: false, ...FULL_ID_REFUSAL };
	let tracked;
	try {
		tracked = applyTracked(shadow, update);
	} catch {
		return refuse('malformed', '无法解析的修改', 'the update cannot be decoded', true);
	}
	// An update that builds on changes the relay never accepted (usually an earlier refused
	// one) cannot be integrated: Yjs would park it silently, so it is refused in the open.
	if (tracked.pending) {
		return refuse(
			'causality',
			'该修改依赖服务器上没有的修改（可能是此前被拒绝的修改）',
			'the update builds on changes the relay does not have (perhaps a refused one)'
		);
	}
	if (tracked.violation) {
		const [rule, zh, en] = VIOLATIONS[tracked.violation];
		return refuse(rule, zh, en);
	}

	// Issue 10: the schemas and LIMITS exactly as the loader applies them ('schema', 'limits'),
	// so nothing accepted here can keep the case from loading again.
	const grown = checkGrowth(current, tracked, shadow);
	if (!grown.ok) return grown;
	for (const ev of grown.added) {
		// Every author field comes from the relay's record of the user, the name too: a school
		// user's event signed 「区教体局 张局长」 would otherwise be shown under that name.
		const a = ev.author;
		if (
			a.userId !== sender.userId ||
			a.orgId !== sender.orgId ||
			a.orgKind !== sender.orgKind ||
			a.role !== sender.role ||
			a.name !== sender.name
		) {
			return refuse(
				'author',
				'记录人与登录用户不符',
				'the record names another author than the sender'
			);
		}
	}

	// The plan is typed a few characters per update: check the text it makes, not the bytes.
	if (grown.snapshot.plan !== current.plan && containsFullIdNumber(grown.snapshot.plan))
		return { ok: false, ...FULL_ID_REFUSAL };
	let snapshot = current;
	for (const ev of [...grown.added].sort(compareEvents)) {
		const r = checkEvent(snapshot, ev, today, calendar, folded);
		if (!r.ok) return { ok: false, rule: r.rule, reason: r.reason, eventId: ev.id };
		snapshot = { ...snapshot, events: [...snapshot.events, ev] };
	}
	return { ok: true, snapshot: grown.snapshot, changed: tracked.changed, added: grown.added };
}

/**
 * Issue 10: an update may write structs only under client ids that are the sender's (bound to
 * them, or not bound yet). `written` is what `writtenClients` read off the update; `owners` maps
 * a case's client ids to their users. Returns the refusal, or null when the update may go on.
 */
export function checkClientIds(
	written: readonly number[] | null,
	owners: ReadonlyMap<number, string>,
	userId: string
): Extract<UpdateVerdict, { ok: false }> | null {
	const taken = (written ?? []).filter((c) => {
		const owner = owners.get(c);
		return owner !== undefined && owner !== userId;
	});
	return taken.length > 0 ? clientIdTaken() : null;
}

/** The refusal of an update that writes under another user's client id. */
export function clientIdTaken(): Extract<UpdateVerdict, { ok: false }> {
	return {
		ok: false,
		rule: RULE_CLIENT_ID,
		reason: {
			zh: '此设备的编辑标识已属于其他用户；设备将换用新的标识并重新提交这些修改',
			en: 'this client id belongs to another user; the device takes a new one and sends these changes again'
		}
	};
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
