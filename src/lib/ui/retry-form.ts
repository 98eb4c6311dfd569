import type { CaseEvent } from '../domain';
import { actionForm, type FormContext, type OpenForm } from './case-forms';
import { isActionType, valuesFrom } from './event-forms';

/**
 * The form of a refused event, opened again with what the user entered (the draft kept on the
 * device with the refusal): the same fields and checks as the action bar's form, so saving
 * records a new event (new id) through the normal path. Computed fields are computed again.
 * Null for the types recorded elsewhere (amendments, profile and guardian changes).
 */
export function retryForm(refused: CaseEvent, ctx: FormContext): OpenForm | null {
	if (!isActionType(refused.type)) return null;
	const form = actionForm(refused.type, ctx);
	const prefilled = valuesFrom(
		form.fields.filter((f) => !f.computed),
		refused
	);
	return {
		...form,
		title: { key: 'refusals.retryTitle', tparams: { name: `event.${refused.type}` } },
		help: { key: 'refusals.retryHelp' },
		initial: { ...form.initial, ...prefilled }
	};
}

/** Whether a refusal offers 「修改后重新提交」: it kept a draft that has an action form. */
export function canRetry(draft: CaseEvent | undefined): draft is CaseEvent {
	return draft !== undefined && isActionType(draft.type);
}
