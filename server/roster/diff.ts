import { maskIdNumber, maskRegistryNo } from '../../src/lib/domain';
import type { RosterRecord, RosterStudent } from '../storage/types';
import { ROW_FIELDS } from './worker';

/** What an import of a term's roster is (issue 12, B-1): the schools' full roster, or additions. */
export type ImportKind = 'full' | 'additions';
export const IMPORT_KINDS: readonly ImportKind[] = ['full', 'additions'];

/** Rows listed per kind of difference (the counts are always complete). */
export const MAX_DIFF_ROWS = 200;

/** A student of a difference list as the preview shows it: masked, named by an opaque key. */
export interface DiffRow {
	/** The student's keyed identity (HMAC of the 学籍号 with the relay's key), never the number. */
	key: string;
	registryNo: string;
	name: string;
	schoolId: string;
	grade: number;
	className: string;
}

/** One field of a changed row: the values only where they are not contact data or an ID. */
export interface FieldChange {
	field: keyof RosterStudent;
	before: string | null;
	after: string | null;
}

export interface RosterDiff {
	/** The schools whose roster of the term the import replaces. */
	schools: string[];
	/** Students of those schools on the term's roster now, and after the import. */
	before: number;
	after: number;
	added: number;
	removed: number;
	changed: number;
	unchanged: number;
	addedRows: DiffRow[];
	removedRows: DiffRow[];
	changedRows: (DiffRow & { changes: FieldChange[] })[];
}

/** The fields compared (a rows file's, but the key 学籍号); the ones in `WITHHELD` are named as changed without their values. */
const FIELDS = ROW_FIELDS.filter(
	(f): f is Exclude<(typeof ROW_FIELDS)[number], 'registryNo'> => f !== 'registryNo'
);
const WITHHELD: ReadonlySet<string> = new Set([
	'hukouPlace',
	'residence',
	'guardianName',
	'guardianPhone'
]);

const valueOf = (s: RosterStudent, f: (typeof FIELDS)[number]): string => {
	if (f === 'focusGroups') return [...(s.focusGroups ?? [])].sort().join(',');
	if (f === 'idNumber') return s.idNumber ?? '';
	return String(s[f]);
};
const shown = (f: (typeof FIELDS)[number], v: string): string | null => {
	if (WITHHELD.has(f)) return null;
	if (f === 'idNumber') return v ? maskIdNumber(v) : '';
	return v;
};

/**
 * The difference a full import of `file` makes to a term's roster (issue 12, B-1): the current
 * rows of the replaced `schools` (and any row elsewhere whose 学籍号 the file takes over) against
 * the file's rows, matched by 学籍号. Added: in the file only; removed: on the roster only;
 * changed: both, with another value in some field. Rows leave masked, named by `keyOf`.
 */
export function rosterDiff(
	current: readonly RosterRecord[],
	file: readonly RosterStudent[],
	schools: readonly string[],
	keyOf: (registryNo: string) => string
): RosterDiff {
	const scope = new Set(schools);
	const incoming = new Map(file.map((s) => [s.registryNo, s]));
	const now = new Map(
		current
			.filter((r) => scope.has(r.schoolId) || incoming.has(r.registryNo))
			.map((r) => [r.registryNo, r])
	);
	const row = (s: RosterStudent): DiffRow => ({
		key: keyOf(s.registryNo),
		registryNo: maskRegistryNo(s.registryNo),
		name: s.name,
		schoolId: s.schoolId,
		grade: s.grade,
		className: s.className
	});
	const d: RosterDiff = {
		schools: [...scope].sort(),
		before: [...now.values()].filter((r) => scope.has(r.schoolId)).length,
		after: file.length,
		added: 0,
		removed: 0,
		changed: 0,
		unchanged: 0,
		addedRows: [],
		removedRows: [],
		changedRows: []
	};
	for (const s of file) {
		const old = now.get(s.registryNo);
		if (!old) {
			d.added++;
			if (d.addedRows.length < MAX_DIFF_ROWS) d.addedRows.push(row(s));
			continue;
		}
		const changes: FieldChange[] = [];
		for (const f of FIELDS) {
			const [a, b] = [valueOf(old, f), valueOf(s, f)];
			if (a !== b) changes.push({ field: f, before: shown(f, a), after: shown(f, b) });
		}
		if (changes.length === 0) d.unchanged++;
		else {
			d.changed++;
			if (d.changedRows.length < MAX_DIFF_ROWS) d.changedRows.push({ ...row(s), changes });
		}
	}
	for (const r of now.values()) {
		if (incoming.has(r.registryNo) || !scope.has(r.schoolId)) continue;
		d.removed++;
		if (d.removedRows.length < MAX_DIFF_ROWS) d.removedRows.push(row(r));
	}
	return d;
}

/** The schools a full import replaces: a school's own; the bureau's, those its file names. */
export function replacedSchools(
	importer: { orgKind: string; orgId: string },
	file: readonly RosterStudent[]
): string[] {
	if (importer.orgKind === 'school') return [importer.orgId];
	return [...new Set(file.map((s) => s.schoolId))].sort();
}
