import { maskIdNumber, maskRegistryNo } from './student';

/**
 * Issue 11: documents written before it held full ID numbers (`idNumber` of the student, of
 * guardians and of profile updates) and whole 学籍号 of the form G+身份证号. Such a document is
 * read with those values masked, so that an old local copy or an old stored snapshot never
 * shows or passes on a full number while it waits for the relay's migration. `extractLegacyIds`
 * is what the migration moves into the relay's own table.
 */

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A masked ID value: a full-looking one is masked, anything else passes to the schema as is. */
function maskValue(v: unknown): unknown {
	const s = str(v);
	return s !== null && /^\d{17}[\dXx]$/.test(s) ? maskIdNumber(s.toUpperCase()) : v;
}

function person(p: unknown, withRegistry: boolean): unknown {
	if (!isObj(p) || (!('idNumber' in p) && !(withRegistry && 'registryNo' in p))) return p;
	const { idNumber, ...rest } = p;
	const out: Json = { ...rest };
	if (idNumber !== undefined) out['idMasked'] = maskValue(idNumber);
	const reg = str(rest['registryNo']);
	if (withRegistry && reg !== null) out['registryNo'] = maskRegistryNo(reg);
	return out;
}

function change(c: unknown): unknown {
	if (!isObj(c)) return c;
	if (c['field'] === 'idNumber') return { ...c, field: 'idMasked', value: maskValue(c['value']) };
	if (c['field'] === 'registryNo' && typeof c['value'] === 'string')
		return { ...c, value: maskRegistryNo(c['value']) };
	return c;
}

function event(e: unknown): unknown {
	if (!isObj(e)) return e;
	if (e['type'] === 'profile_updated' && Array.isArray(e['changes']))
		return { ...e, changes: e['changes'].map(change) };
	if (e['type'] === 'guardian_added') return { ...e, guardian: person(e['guardian'], false) };
	return e;
}

/** The snapshot-shaped JSON with every legacy full ID number and 学籍号 masked. */
export function maskLegacyIds(input: unknown): unknown {
	if (!isObj(input)) return input;
	return {
		...input,
		...(input['student'] !== undefined ? { student: person(input['student'], true) } : {}),
		...(Array.isArray(input['guardians'])
			? { guardians: input['guardians'].map((g) => person(g, false)) }
			: {}),
		...(Array.isArray(input['events']) ? { events: input['events'].map(event) } : {})
	};
}

/** One full number a legacy document held: whose it is, and the value (latest wins). */
export interface LegacyId {
	/** `student`, `student-registry`, or `guardian:<guardian id>`. */
	subject: string;
	value: string;
}

/**
 * The full ID numbers and 学籍号 a legacy document holds, in document order (as created, then
 * each profile update in timeline order), so the last one per subject is the current value.
 */
export function extractLegacyIds(input: unknown): LegacyId[] {
	const out: LegacyId[] = [];
	if (!isObj(input)) return out;
	const full = (v: unknown) => {
		const s = str(v);
		return s !== null && /^\d{17}[\dXx]$/.test(s) ? s.toUpperCase() : null;
	};
	const push = (subject: string, v: string | null) => {
		if (v !== null) out.push({ subject, value: v });
	};
	const student = input['student'];
	if (isObj(student)) {
		push('student', full(student['idNumber']));
		const reg = str(student['registryNo']);
		if (reg !== null && maskRegistryNo(reg) !== reg) push('student-registry', reg.toUpperCase());
	}
	const guardian = (g: unknown) => {
		if (isObj(g) && typeof g['id'] === 'string') push(`guardian:${g['id']}`, full(g['idNumber']));
	};
	if (Array.isArray(input['guardians'])) input['guardians'].forEach(guardian);
	const events = Array.isArray(input['events']) ? input['events'].filter(isObj) : [];
	const order = (e: Json) =>
		`${str(e['date']) ?? ''}|${str(e['recordedAt']) ?? ''}|${str(e['id']) ?? ''}`;
	for (const e of [...events].sort((a, b) =>
		order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0
	)) {
		if (e['type'] === 'guardian_added') guardian(e['guardian']);
		if (e['type'] !== 'profile_updated' || !Array.isArray(e['changes'])) continue;
		for (const c of e['changes'].filter(isObj)) {
			const subject =
				c['target'] === 'guardian' && typeof c['guardianId'] === 'string'
					? `guardian:${c['guardianId']}`
					: 'student';
			if (c['field'] === 'idNumber') push(subject, full(c['value']));
			if (c['field'] === 'registryNo' && subject === 'student' && typeof c['value'] === 'string') {
				const reg = c['value'];
				if (maskRegistryNo(reg) !== reg) push('student-registry', reg.toUpperCase());
			}
		}
	}
	return out;
}
