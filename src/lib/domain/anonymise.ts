import { CLOSURE_PATHS, CONTACT_MODES, OUTCOMES, PLACEMENTS, REASONS } from './events';
import { ORG_KINDS } from './kinds';
import { FOCUS_GROUPS, GENDERS } from './student';

/**
 * Issue 11, retention: a closed case past its retention date keeps its statistics and loses the
 * people in it. Every personal value (names, ID and 学籍号 digits, phones, addresses, 户籍 place,
 * whereabouts) is replaced, wherever it stands in the case, by a filler of exactly the same
 * UTF-8 byte length and UTF-16 length: Yjs writes strings as UTF-8 with a byte-length prefix and
 * counts text in UTF-16 units, so the stored updates can be rewritten in place, byte for byte,
 * and still decode with the same clocks (server/retention.ts). Plain functions over JSON.
 */

/** Fillers by UTF-8 length: `*` (1 byte), `×` (2), `＊` U+FF0A (3), `🞶` U+1F7B6 (4, a pair). */
const FILLER = ['', '*', '\u00d7', '\uff0a', '\u{1f7b6}'] as const;

/** UTF-8 length of one code point (a lone surrogate is written as U+FFFD, 3 bytes). */
function utf8Length(cp: number): 1 | 2 | 3 | 4 {
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** `s` with every character replaced by a filler of the same UTF-8 and UTF-16 length. */
export function fillerFor(s: string): string {
	let out = '';
	for (const ch of s) out += FILLER[utf8Length(ch.codePointAt(0) ?? 0)];
	return out;
}

/**
 * A masked ID number (410402************) as anonymised: the region digits become `0`, so it
 * still reads as a masked number (`maskedIdNumber`) but names no place.
 */
export function anonymousIdMasked(s: string): string {
	return s.replace(/[0-9]/g, '0');
}

/**
 * A 学籍号 as anonymised: its kind letter (G, L, J) kept, every other character `*`, which the
 * document's schema accepts (`registryNo`) and which embeds no ID number.
 */
export function anonymousRegistryNo(s: string): string {
	return s.slice(0, 1) + fillerFor(s.slice(1));
}

/** One personal value and what replaces it (same UTF-8 and UTF-16 length). */
export interface Replacement {
	from: string;
	to: string;
	/**
	 * True when the value is too short to be looked for inside other text (one character such
	 * as 「无」, or under 3 UTF-8 bytes such as a two-letter name): then only a string that is
	 * exactly the value is replaced, never those letters inside other words.
	 */
	whole: boolean;
}

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const tooShort = (s: string) => [...s].length < 2 || utf8Bytes(s) < 3;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The student's fields that are personal data, and how each is replaced. */
const STUDENT_FIELDS: Record<string, (s: string) => string> = {
	name: fillerFor,
	idMasked: anonymousIdMasked,
	registryNo: anonymousRegistryNo,
	hukouPlace: fillerFor,
	residence: fillerFor
};
/** A guardian's fields that are personal data. */
const GUARDIAN_FIELDS: Record<string, (s: string) => string> = {
	name: fillerFor,
	phone: fillerFor,
	address: fillerFor,
	idMasked: anonymousIdMasked
};

/**
 * Every personal value a case holds, from one or more snapshot-shaped copies (validated or
 * not: the raw document of every stored update may hold more than the loaded case): the
 * student and guardians as created, every profile update and added guardian (also earlier
 * values, amended or in conflict), and where the student was found. Longest first, so a value
 * inside a longer one (a street inside an address) is replaced after it; values already
 * anonymised are left out.
 */
export function personalValues(...snapshots: unknown[]): Replacement[] {
	const found = new Map<string, string>();
	const add = (v: unknown, replace: (s: string) => string) => {
		// A value that its replacement leaves as it is was anonymised before (or is empty).
		if (typeof v !== 'string' || v.trim() === '' || found.has(v)) return;
		if (replace(v) !== v) found.set(v, replace(v));
	};
	const person = (p: unknown, fields: Record<string, (s: string) => string>) => {
		if (!isObj(p)) return;
		for (const [k, replace] of Object.entries(fields)) add(p[k], replace);
	};
	const changes = (list: unknown) => {
		if (!Array.isArray(list)) return;
		for (const c of list) {
			if (!isObj(c) || typeof c['field'] !== 'string') continue;
			const fields = c['target'] === 'guardian' ? GUARDIAN_FIELDS : STUDENT_FIELDS;
			const replace = fields[c['field']];
			if (replace) add(c['value'], replace);
		}
	};
	const event = (e: Json) => {
		if (e['type'] === 'profile_updated') changes(e['changes']);
		if (e['type'] === 'guardian_added') person(e['guardian'], GUARDIAN_FIELDS);
		add(e['whereabouts'], fillerFor);
		// An amendment's patch may carry new values of the same fields.
		const patch = e['patch'];
		if (isObj(patch)) {
			changes(patch['changes']);
			person(patch['guardian'], GUARDIAN_FIELDS);
			add(patch['whereabouts'], fillerFor);
		}
	};
	for (const snapshot of snapshots) {
		if (!isObj(snapshot)) continue;
		person(snapshot['student'], STUDENT_FIELDS);
		if (Array.isArray(snapshot['guardians']))
			for (const g of snapshot['guardians']) person(g, GUARDIAN_FIELDS);
		if (Array.isArray(snapshot['events']))
			for (const e of snapshot['events']) if (isObj(e)) event(e);
	}
	return [...found]
		.map(([from, to]) => ({ from, to, whole: tooShort(from) }))
		.sort((a, b) => utf8Bytes(b.from) - utf8Bytes(a.from) || (a.from < b.from ? -1 : 1));
}

/** `text` with each replacement applied in order (see `Replacement.whole`). */
export function anonymiseText(text: string, replacements: readonly Replacement[]): string {
	let out = text;
	for (const r of replacements) {
		if (r.whole) {
			if (out === r.from) out = r.to;
		} else out = out.replaceAll(r.from, r.to);
	}
	return out;
}

/**
 * The JSON with every string value (never a key) anonymised: what the case's document must
 * read as once its stored bytes are rewritten. Key order is kept, so the two compare as text.
 */
export function anonymiseJson(value: unknown, replacements: readonly Replacement[]): unknown {
	if (typeof value === 'string') return anonymiseText(value, replacements);
	if (Array.isArray(value)) return value.map((v) => anonymiseJson(v, replacements));
	if (isObj(value)) {
		const out: Json = {};
		for (const [k, v] of Object.entries(value)) out[k] = anonymiseJson(v, replacements);
		return out;
	}
	return value;
}

/** Keys whose values the statistics read: dates, ids, codes. They never change. */
const KEPT_KEYS = new Set([
	'format',
	'id',
	'profile',
	'createdAt',
	'orgs',
	'schoolId',
	'streetId',
	'communityId',
	'userId',
	'orgId',
	'orgKind',
	'role',
	'gender',
	'birthDate',
	'grade',
	'className',
	'focusGroups',
	'relation',
	'type',
	'date',
	'recordedAt',
	'v',
	'path',
	'placement',
	'mode',
	'outcome',
	'status',
	'mark',
	'kind',
	'decision',
	'finding',
	'authority',
	'departments',
	'to',
	'from',
	'servedOn',
	'returnBy',
	'correctBy',
	'termStart',
	'target',
	'field',
	'guardianId'
]);
/** Codes the statistics count (reasons, paths, …): kept wherever they stand. */
const CODES: ReadonlySet<string> = new Set<string>([
	...REASONS,
	...CLOSURE_PATHS,
	...PLACEMENTS,
	...CONTACT_MODES,
	...OUTCOMES,
	...FOCUS_GROUPS,
	...GENDERS,
	...ORG_KINDS
]);

/**
 * The path of the first value the statistics need (a date, an id, a code: S-5 counts them) that
 * differs between the case before and after anonymising, or null when all are kept. A name that
 * happens to equal a code or sit inside a date would otherwise be "anonymised" into the figures.
 */
export function statisticsChanged(before: unknown, after: unknown, path = ''): string | null {
	const here = path || '(root)';
	if (typeof before === 'string' || typeof after === 'string') {
		if (before === after) return null;
		const key =
			path
				.split('.')
				.filter((p) => !/^\d+$/.test(p))
				.pop() ?? '';
		const kept = KEPT_KEYS.has(key) || (typeof before === 'string' && CODES.has(before));
		return kept || typeof before !== typeof after ? here : null;
	}
	if (Array.isArray(before) || Array.isArray(after)) {
		if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length)
			return here;
		for (let i = 0; i < before.length; i++) {
			const p = statisticsChanged(before[i], after[i], path ? `${path}.${i}` : String(i));
			if (p) return p;
		}
		return null;
	}
	if (isObj(before) || isObj(after)) {
		if (!isObj(before) || !isObj(after)) return here;
		const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
		for (const k of keys) {
			const p = statisticsChanged(before[k], after[k], path ? `${path}.${k}` : k);
			if (p) return p;
		}
		return null;
	}
	return before === after ? null : here;
}
