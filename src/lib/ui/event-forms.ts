import {
	CLOSURE_PATHS,
	CONTACT_MODES,
	FOCUS_GROUPS,
	LIMITS,
	OUTCOMES,
	PLACEMENTS,
	REASONS,
	type ClosurePath,
	type EventType
} from '../domain';
import type { MessageKey } from '../i18n';

/** How a field is entered. `list` is a text box whose names are split at commas and 、. */
export type FieldKind =
	'text' | 'textarea' | 'date' | 'select' | 'multiselect' | 'checkbox' | 'list';

export interface FieldOption {
	value: string;
	label: MessageKey;
	params?: Record<string, string | number>;
}

/** One field of a form: where it goes in the event (`a.b` for nested), its label and input. */
export interface FieldSpec {
	name: string;
	label: MessageKey;
	kind: FieldKind;
	options?: readonly FieldOption[];
	/** May stay empty (the schema has a default). */
	optional?: boolean;
	/** Shown read-only: the rules compute it (deadline notice's return-by date, S-8). */
	computed?: boolean;
	/** The schema's limit (`LIMITS`): a long text field shows a counter against it (issue 10). */
	maxChars?: number;
}

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

/** Event types the action bar offers through a generic form; the others have their own place. */
export type ActionType = Exclude<
	EventType,
	'amend' | 'profile_updated' | 'guardian_added' | 'family_linked'
>;

/** Event types recorded elsewhere than the action bar (per event, in the student section). */
export const INLINE_TYPES: readonly EventType[] = [
	'amend',
	'profile_updated',
	'guardian_added',
	'family_linked' // B-5: linked from the family panel
];

const options = (values: readonly string[], prefix: string): FieldOption[] =>
	values.map((value) => ({ value, label: `${prefix}.${value}` as MessageKey }));

const date: FieldSpec = { name: 'date', label: 'field.date', kind: 'date' };
const note: FieldSpec = {
	name: 'note',
	label: 'field.note',
	kind: 'textarea',
	optional: true,
	maxChars: LIMITS.note
};
const mode: FieldSpec = {
	name: 'mode',
	label: 'field.mode',
	kind: 'select',
	options: options(CONTACT_MODES, 'mode')
};
const outcome: FieldSpec = {
	name: 'outcome',
	label: 'field.outcome',
	kind: 'select',
	options: options(OUTCOMES, 'outcome')
};
const reason: FieldSpec = {
	name: 'reason',
	label: 'field.reason',
	kind: 'select',
	options: options(REASONS, 'reason')
};
const participants: FieldSpec = {
	name: 'participants',
	label: 'field.participants',
	kind: 'list',
	optional: true
};
const issuer: FieldSpec = { name: 'issuer', label: 'field.issuer', kind: 'text' };
const documentNo: FieldSpec = {
	name: 'documentNo',
	label: 'field.documentNo',
	kind: 'text',
	optional: true
};
const check = (name: string, label: MessageKey): FieldSpec => ({ name, label, kind: 'checkbox' });
const text = (name: string, label: MessageKey, optional = false): FieldSpec => ({
	name,
	label,
	kind: 'text',
	optional
});
const select = (name: string, label: MessageKey, values: readonly string[], prefix: string) => ({
	name,
	label,
	kind: 'select' as const,
	options: options(values, prefix)
});

/** Departments that may sit on a joint team beside the street office (S-9). */
const TEAM_KINDS = [
	'justice',
	'police',
	'hr',
	'disability',
	'civil',
	'religion',
	'rural',
	'bureau',
	'school',
	'community'
] as const;
const DEFERRAL = ['deferred_enrollment', 'suspension'] as const;

/** The fields of every action-bar event type, in the order a person fills them in. */
export const EVENT_FIELDS: Record<ActionType, readonly FieldSpec[]> = {
	absence: [date, check('excused', 'field.excused'), note],
	home_visit: [
		date,
		mode,
		text('contacted', 'field.contacted', true),
		{
			name: 'findings',
			label: 'field.findings',
			kind: 'textarea',
			optional: true,
			maxChars: LIMITS.note
		}
	],
	suspected_case_opened: [
		date,
		text('responsible.name', 'field.responsibleName'),
		text('responsible.phone', 'field.responsiblePhone', true),
		note
	],
	persuasion_attempt: [date, mode, participants, outcome, note],
	dropout_file_created: [date, reason, note],
	written_report: [
		date,
		{
			name: 'to',
			label: 'field.reportTo',
			kind: 'multiselect',
			options: options(['street', 'bureau', 'community'], 'org')
		},
		note
	],
	deadline_notice_issued: [
		date,
		text('number', 'field.number'),
		text('servedTo', 'field.servedTo'),
		{ name: 'servedOn', label: 'field.servedOn', kind: 'date' },
		{ name: 'returnBy', label: 'field.returnBy', kind: 'date', computed: true },
		note
	],
	joint_team_formed: [
		date,
		reason,
		{
			name: 'departments',
			label: 'field.departments',
			kind: 'multiselect',
			options: options(TEAM_KINDS, 'org')
		},
		note
	],
	joint_persuasion_attempt: [
		date,
		mode,
		participants,
		{
			name: 'departments',
			label: 'field.departments',
			kind: 'multiselect',
			options: options(TEAM_KINDS, 'org'),
			optional: true
		},
		outcome,
		note
	],
	student_located: [
		date,
		{
			name: 'whereabouts',
			label: 'field.whereabouts',
			kind: 'textarea',
			maxChars: LIMITS.whereabouts
		},
		check('movedOutOfCounty', 'field.movedOutOfCounty'),
		note
	],
	returned: [date, select('placement', 'field.placement', PLACEMENTS, 'placement'), note],
	follow_up: [
		date,
		select('status', 'field.followUpStatus', ['stable', 'at_risk'], 'followUp'),
		note
	],
	guardian_ordered_to_correct: [
		date,
		{ name: 'correctBy', label: 'field.correctBy', kind: 'date' },
		note
	],
	judicial_decision: [
		date,
		issuer,
		documentNo,
		check('guardianDutyFulfilled', 'field.guardianDutyFulfilled'),
		note
	],
	written_statement: [date, { name: 'by', label: 'field.statementBy', kind: 'list' }, note],
	district_approval: [
		date,
		issuer,
		documentNo,
		select('decision', 'field.decision', DEFERRAL, 'decision'),
		note
	],
	disability_assessment: [date, issuer, documentNo, check('fitToStudy', 'field.fitToStudy'), note],
	rural_revitalization_approval: [
		date,
		issuer,
		documentNo,
		check('approved', 'field.approved'),
		note
	],
	police_determination: [
		date,
		select('authority', 'field.authority', ['police', 'court', 'hospital', 'civil'], 'authority'),
		issuer,
		documentNo,
		select('finding', 'field.finding', ['missing', 'deceased'], 'finding'),
		note
	],
	deferral: [
		date,
		select('kind', 'field.deferralKind', DEFERRAL, 'decision'),
		{ name: 'from', label: 'field.from', kind: 'date' },
		{ name: 'to', label: 'field.until', kind: 'date' },
		note
	],
	over_age_leaving_mark: [date, note],
	enrollment_elsewhere_confirmed: [
		date,
		text('school', 'field.school'),
		text('region', 'field.region', true),
		text('confirmedBy', 'field.confirmedBy'),
		note
	],
	handover: [
		date,
		text('toDistrict', 'field.toDistrict'),
		text('notifiedOrg', 'field.notifiedOrg'),
		check('registryFileTransferred', 'field.registryFileTransferred'),
		note
	],
	registry_mark: [
		date,
		select('mark', 'field.mark', ['dropout', 'cleared', 'transferred'], 'mark'),
		note
	],
	term_check: [
		date,
		{ name: 'termStart', label: 'field.termStart', kind: 'date' },
		check('registered', 'field.registered'),
		note
	],
	closed: [date, select('path', 'field.path', CLOSURE_PATHS, 'closure'), note],
	reopened: [
		date,
		{ name: 'reason', label: 'field.reopenReason', kind: 'textarea', maxChars: LIMITS.reason }
	]
};

/** Whether an event type has a generic action-bar form. */
export function isActionType(type: EventType): type is ActionType {
	return type in EVENT_FIELDS;
}

/**
 * The fields of an action form. A closure offers only the paths the rules find eligible now
 * (S-10): choosing another would only be refused.
 */
export function fieldsFor(type: ActionType, eligiblePaths?: readonly ClosurePath[]): FieldSpec[] {
	const fields = EVENT_FIELDS[type];
	if (type !== 'closed' || !eligiblePaths) return [...fields];
	return fields.map((f) =>
		f.name === 'path'
			? { ...f, options: f.options?.filter((o) => eligiblePaths.includes(o.value as ClosurePath)) }
			: f
	);
}

/**
 * Student fields a profile update may change (G-M4), as a form. Name, 性别 and 出生日期 are the
 * identity the profile lets only some orgs correct (`identityCorrection`, G-M3): see
 * `studentFieldsFor`.
 */
export const STUDENT_FIELDS: readonly FieldSpec[] = [
	text('name', 'student.name'),
	select('gender', 'student.gender', ['male', 'female'], 'gender'),
	{ name: 'birthDate', label: 'student.birthDate', kind: 'date' },
	{ name: 'registryNo', label: 'student.registryNo', kind: 'text' },
	{
		name: 'grade',
		label: 'student.grade',
		kind: 'select',
		options: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => ({
			value: String(g),
			label: 'student.gradeValue',
			params: { grade: g }
		}))
	},
	text('className', 'student.className', true),
	text('hukouPlace', 'student.hukouPlace', true),
	hukouLocalField('hukouLocal'),
	text('residence', 'student.residence', true),
	{
		name: 'focusGroups',
		label: 'student.focusGroups',
		kind: 'multiselect',
		options: options(FOCUS_GROUPS, 'focus'),
		optional: true
	}
];

/** B-4 户籍在本区, as a choice (unknown until chosen); `name` is its path in the form. */
export function hukouLocalField(name: string): FieldSpec {
	return {
		name,
		label: 'student.hukouLocal',
		kind: 'select',
		options: [
			{ value: 'true', label: 'student.hukouLocal.yes' },
			{ value: 'false', label: 'student.hukouLocal.no' }
		],
		optional: true
	};
}

/** The form's choice as the student's `hukouLocal`: undefined while not chosen. */
export function hukouLocalOf(v: unknown): boolean | undefined {
	return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** Guardian fields (add or change, G-M4). */
export const GUARDIAN_FIELDS: readonly FieldSpec[] = [
	text('name', 'guardian.name'),
	text('relation', 'guardian.relation'),
	{ name: 'phone', label: 'guardian.phone', kind: 'text', optional: true },
	text('address', 'guardian.address', true),
	check('workingAway', 'guardian.workingAway')
];

/** Reads a dotted path from a plain object. */
export function getPath(obj: unknown, path: string): unknown {
	let cur: unknown = obj;
	for (const key of path.split('.')) {
		if (cur === null || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[key];
	}
	return cur;
}

/** Writes a dotted path into a plain object, creating the objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
	const keys = path.split('.');
	let cur = obj;
	for (const key of keys.slice(0, -1)) {
		const next = cur[key];
		if (next === null || typeof next !== 'object') cur[key] = {};
		cur = cur[key] as Record<string, unknown>;
	}
	cur[keys[keys.length - 1] ?? ''] = value;
}

/** Splits a list typed into one box: commas, 、, semicolons or new lines separate names. */
export function splitList(text: string): string[] {
	return text
		.split(/[,，、;；\n]+/)
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

/** Empty values of a form: today for dates that say when something happened. */
export function emptyValues(fields: readonly FieldSpec[], today: string): FormValues {
	const out: FormValues = {};
	for (const f of fields) {
		switch (f.kind) {
			case 'checkbox':
				out[f.name] = false;
				break;
			case 'multiselect':
				out[f.name] = [];
				break;
			case 'date':
				out[f.name] = f.name === 'date' || f.name === 'servedOn' || f.name === 'from' ? today : '';
				break;
			default:
				out[f.name] = '';
		}
	}
	return out;
}

/** A form's values read from an existing object (an event to correct, the student, a guardian). */
export function valuesFrom(fields: readonly FieldSpec[], source: unknown): FormValues {
	const out: FormValues = {};
	for (const f of fields) {
		const v = getPath(source, f.name);
		switch (f.kind) {
			case 'checkbox':
				out[f.name] = v === true;
				break;
			case 'multiselect':
				out[f.name] = Array.isArray(v) ? v.map(String) : [];
				break;
			case 'list':
				out[f.name] = Array.isArray(v) ? v.map(String).join('、') : '';
				break;
			default:
				out[f.name] = textOf(v);
		}
	}
	return out;
}

/** A stored value as text for a text box (objects as JSON, never "[object Object]"). */
export function textOf(v: unknown): string {
	if (v === undefined || v === null) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return JSON.stringify(v);
}

/** The plain object a form's values make (nested by dotted names; lists split). */
export function payloadOf(
	fields: readonly FieldSpec[],
	values: FormValues
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const f of fields) {
		const v = values[f.name];
		if (f.kind === 'list') setPath(out, f.name, splitList(typeof v === 'string' ? v : ''));
		else if (f.kind === 'checkbox') setPath(out, f.name, v === true);
		else if (f.kind === 'multiselect') setPath(out, f.name, Array.isArray(v) ? v : []);
		else setPath(out, f.name, typeof v === 'string' ? v : '');
	}
	return out;
}

/** The field a zod issue path points at (the longest field name that is a prefix of it). */
export function fieldOfPath(fields: readonly FieldSpec[], path: string): string | null {
	let best: string | null = null;
	for (const f of fields) {
		if ((path === f.name || path.startsWith(`${f.name}.`)) && f.name.length > (best?.length ?? -1))
			best = f.name;
	}
	return best;
}
