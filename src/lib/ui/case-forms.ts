import {
	STUDENT_IDENTITY_FIELDS,
	type Author,
	type CaseEvent,
	type ClosurePath,
	type Guardian,
	type OrgKind,
	type Student
} from '../domain';
import type { Calendar, Profile } from '../rules';
import {
	GUARDIAN_FIELDS,
	STUDENT_FIELDS,
	emptyValues,
	fieldsFor,
	valuesFrom,
	type ActionType,
	type FieldSpec,
	type FormValues
} from './event-forms';
import {
	actionDraft,
	amendDraft,
	amendFields,
	computedValues,
	guardianAddDraft,
	guardianEditDraft,
	studentDraft,
	type DraftResult,
	type Msg
} from './form-drafts';

/** A form the case page opens in its dialog: fields, first values and how to make the draft. */
export interface OpenForm {
	title: Msg;
	help?: Msg;
	fields: FieldSpec[];
	initial: FormValues;
	/** Values the rules compute from the others (shown read-only), with any error. */
	compute?: (values: FormValues) => {
		values: FormValues;
		errors: Record<string, Msg>;
		/** Remarks beside computed values (G-T3: 暂定). */
		hints?: Record<string, Msg>;
	};
	/** Values to change after a field changed (suggestions, never decisions). */
	changed?: (name: string, values: FormValues) => FormValues | null;
	build: (values: FormValues) => DraftResult;
}

/** What every form of a case needs to know. */
export interface FormContext {
	today: string;
	author: Author;
	profile: Profile;
	/** The calendar the device evaluates with, and the case's school (its terms, G-T3/G-T4). */
	calendar?: Calendar;
	schoolId?: string;
	/** Closure paths the rules find eligible now (S-10). */
	eligiblePaths: readonly ClosurePath[];
}

/** The form of an action-bar event type. */
export function actionForm(type: ActionType, ctx: FormContext): OpenForm {
	const fields = fieldsFor(type, ctx.eligiblePaths);
	const initial = emptyValues(fields, ctx.today);
	// S-4c: the written report goes to the street office and the bureau.
	if (type === 'written_report') initial['to'] = ['street', 'bureau'];
	return {
		title: { key: `event.${type}` },
		fields,
		initial,
		compute: (values) => computedValues(type, values, ctx.profile, ctx.calendar, ctx.schoolId),
		changed:
			type === 'joint_team_formed'
				? (name, values) => {
						// S-9: suggest the departments the profile names for this reason.
						if (name !== 'reason') return null;
						const need = ctx.profile.reasons[values['reason'] as keyof Profile['reasons']];
						if (!need) return null;
						const current = Array.isArray(values['departments']) ? values['departments'] : [];
						const add = need.departments.filter((k) => k !== 'street' && !current.includes(k));
						return add.length ? { departments: [...current, ...add] } : null;
					}
				: undefined,
		build: (values) => actionDraft(type, fields, values, ctx.author)
	};
}

/** The correction (amend) of one event: nothing is deleted, the amendment sits beside it. */
export function amendForm(target: CaseEvent, ctx: FormContext): OpenForm {
	const fields = amendFields(target);
	const own = fields.filter((f) => f.name.startsWith('patch.'));
	const values = valuesFrom(
		own.map((f) => ({ ...f, name: f.name.slice('patch.'.length) })),
		target
	);
	const initial: FormValues = { reason: '', retract: false };
	for (const [k, v] of Object.entries(values)) initial[`patch.${k}`] = v;
	return {
		title: {
			key: 'form.amendTitle',
			params: { date: target.date },
			tparams: { name: `event.${target.type}` }
		},
		help: { key: 'form.amendHelp' },
		fields,
		initial,
		build: (v) => amendDraft(target, fields, v, ctx.today, ctx.author)
	};
}

/**
 * The student fields an org may correct: name, 性别 and 出生日期 only where the profile lets it
 * (`identityCorrection`, G-M3: the school and the bureau); the others for every org that records
 * profile updates (G-M4).
 */
export function studentFieldsFor(profile: Profile, orgKind: OrgKind): FieldSpec[] {
	if (profile.identityCorrection.by.includes(orgKind)) return [...STUDENT_FIELDS];
	const identity = new Set<string>(STUDENT_IDENTITY_FIELDS);
	return STUDENT_FIELDS.filter((f) => !identity.has(f.name));
}

/** Correcting the student's details (更正, G-M4): a profile update the timeline shows old → new. */
export function studentForm(student: Student, ctx: FormContext): OpenForm {
	const fields = studentFieldsFor(ctx.profile, ctx.author.orgKind);
	return {
		title: { key: 'student.edit' },
		help: { key: 'student.editHelp' },
		fields,
		initial: valuesFrom(fields, student),
		build: (v) => studentDraft(student, fields, v, ctx.today, ctx.author, ctx.profile)
	};
}

/** Changing one guardian's details (G-M4). */
export function guardianEditForm(guardian: Guardian, ctx: FormContext): OpenForm {
	return {
		title: { key: 'guardian.edit', params: { name: guardian.name } },
		help: { key: 'student.editHelp' },
		fields: [...GUARDIAN_FIELDS],
		initial: valuesFrom(GUARDIAN_FIELDS, guardian),
		build: (v) => guardianEditDraft(guardian, v, ctx.today, ctx.author)
	};
}

/** Adding a guardian or contact. */
export function guardianAddForm(ctx: FormContext, newId: string): OpenForm {
	return {
		title: { key: 'guardians.add' },
		fields: [...GUARDIAN_FIELDS],
		initial: emptyValues(GUARDIAN_FIELDS, ctx.today),
		build: (v) => guardianAddDraft(newId, v, ctx.today, ctx.author)
	};
}
