import { describe, expect, it } from 'vitest';
import { caseEventSchema, type CaseEvent } from '../../src/lib/domain';
import { DEMO_AUTHORS } from '../../src/lib/demo';
import { getProfile } from '../../src/lib/rules';
import { refusalView } from '../../src/lib/sync/quarantine-drafts';
import type { FormContext } from '../../src/lib/ui/case-forms';
import { canRetry, retryForm } from '../../src/lib/ui/retry-form';

const AT = '2025-10-21T02:00:00.000Z';
const visit: CaseEvent = caseEventSchema.parse({
	id: 'ev-refused-1',
	type: 'home_visit',
	date: '2025-10-20',
	recordedAt: AT,
	author: DEMO_AUTHORS.school,
	v: 1,
	mode: 'home_visit',
	contacted: '祖母',
	findings: '学生随父母外出，电话未接通'
});
const row = {
	id: 'refused-7-ev-refused-1',
	caseId: 'case-x',
	what: 'home_visit',
	rule: 'closed',
	reason: { zh: '案件已销号', en: 'the case is closed' },
	at: AT
};
const ctx: FormContext = {
	today: '2025-10-21',
	author: DEMO_AUTHORS.school,
	profile: getProfile('shilong-2022'),
	eligiblePaths: ['enrolled_elsewhere']
};

describe('a refused event kept on the device as a draft (DESIGN.md "When the relay refuses an update")', () => {
	it('a stored draft that still parses comes back with its refusal', () => {
		expect(refusalView({ ...row, draft: visit })).toEqual({
			id: row.id,
			what: 'home_visit',
			rule: 'closed',
			reason: row.reason,
			at: AT,
			draft: visit
		});
	});

	it('a draft that no longer parses is dropped; the refusal stays visible', () => {
		const broken = { ...visit, date: '2025-02-30', mode: 'telepathy' };
		const v = refusalView({ ...row, draft: broken });
		expect(v.draft).toBeUndefined();
		expect(v).toMatchObject({ id: row.id, rule: 'closed', reason: row.reason });
		// Rows stored before drafts existed have none.
		expect(refusalView(row).draft).toBeUndefined();
	});

	it('a damaged row still shows as a refusal the user can dismiss', () => {
		expect(refusalView({ id: row.id, reason: 'x' })).toMatchObject({
			id: row.id,
			what: 'update',
			reason: { zh: '（原因未能读取）', en: '(the reason could not be read)' }
		});
		expect(refusalView(null).id).toBe('refused-unreadable');
	});

	it('「修改后重新提交」 opens the same form prefilled with the refused values', () => {
		const form = retryForm(visit, ctx);
		expect(form?.title).toEqual({
			key: 'refusals.retryTitle',
			tparams: { name: 'event.home_visit' }
		});
		expect(form?.fields.map((f) => f.name)).toEqual(['date', 'mode', 'contacted', 'findings']);
		expect(form?.initial).toEqual({
			date: '2025-10-20',
			mode: 'home_visit',
			contacted: '祖母',
			findings: '学生随父母外出，电话未接通'
		});
		// Saving builds a draft through the normal path: the layer adds a new id and author.
		const built = form?.build({ ...form.initial, findings: '已联系上，家长承诺周一送返' });
		expect(built).toMatchObject({
			ok: true,
			draft: { type: 'home_visit', date: '2025-10-20', findings: '已联系上，家长承诺周一送返' }
		});
		expect(built?.ok && 'id' in built.draft).toBe(false);
	});

	it('[S-8] computed fields are computed again, not copied; a closure keeps its path', () => {
		const notice = caseEventSchema.parse({
			id: 'ev-n',
			type: 'deadline_notice_issued',
			date: '2025-09-30',
			recordedAt: AT,
			author: DEMO_AUTHORS.street,
			v: 1,
			number: '石龙街限〔2025〕1号',
			servedTo: '李大山',
			servedOn: '2025-09-30',
			returnBy: '2025-01-01'
		});
		const f = retryForm(notice, { ...ctx, author: DEMO_AUTHORS.street });
		expect(f?.initial['number']).toBe('石龙街限〔2025〕1号');
		expect(f?.initial['returnBy']).toBe('');
		// G-T1: 5 working days from Tue 2025-09-30 end on Tue 2025-10-14.
		expect(f?.compute?.(f.initial).values['returnBy']).toBe('2025-10-14');
		const closure = caseEventSchema.parse({
			id: 'ev-c',
			type: 'closed',
			date: '2025-10-21',
			recordedAt: AT,
			author: DEMO_AUTHORS.bureau,
			v: 1,
			path: 'enrolled_elsewhere',
			note: '学籍已转出'
		});
		expect(retryForm(closure, ctx)?.initial).toMatchObject({
			path: 'enrolled_elsewhere',
			note: '学籍已转出'
		});
	});

	it('types recorded outside the action bar offer no form', () => {
		const amend = caseEventSchema.parse({
			id: 'ev-a',
			type: 'amend',
			date: '2025-10-21',
			recordedAt: AT,
			author: DEMO_AUTHORS.school,
			v: 1,
			target: 'ev-refused-1',
			reason: '日期填错',
			patch: { date: '2025-10-19' }
		});
		expect(retryForm(amend, ctx)).toBeNull();
		expect(canRetry(amend)).toBe(false);
		expect(canRetry(undefined)).toBe(false);
		expect(canRetry(visit)).toBe(true);
	});
});
