import { z } from 'zod';
import { caseEventSchema } from '../domain';
import type { RefusalView } from './contract';

/**
 * A refusal row read back from Dexie (zod at every trust boundary, STYLE.md item 3). The row
 * itself is ours, but IndexedDB outlives app versions and can be edited: the draft is the
 * refused event's contents and is kept only when it still parses as an event, so a form is
 * never opened with values the schemas would not accept. A broken draft costs the draft, never
 * the refusal: it stays visible until the user dismisses it (nothing disappears silently).
 */
const rowSchema = z.object({
	id: z.string(),
	what: z.string().catch('update'),
	rule: z.string().catch('unknown'),
	reason: z
		.strictObject({ zh: z.string(), en: z.string() })
		.catch({ zh: '（原因未能读取）', en: '(the reason could not be read)' }),
	at: z.string().catch(''),
	draft: z.unknown().optional()
});

/** The view of one stored refusal, its draft validated; a row without a string id is unusable. */
export function refusalView(row: unknown): RefusalView {
	const r = rowSchema.safeParse(row);
	if (!r.success) {
		const id = (row as { id?: unknown } | null)?.id;
		return {
			id: typeof id === 'string' ? id : 'refused-unreadable',
			what: 'update',
			rule: 'unknown',
			reason: {
				zh: '（本机保存的记录无法读取）',
				en: '(the record kept on this device is unreadable)'
			},
			at: ''
		};
	}
	const { draft, ...view } = r.data;
	const parsed = draft === undefined ? null : caseEventSchema.safeParse(draft);
	return parsed?.success ? { ...view, draft: parsed.data } : view;
}
