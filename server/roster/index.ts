import type { Bilingual } from '../../src/lib/rules';
import { decodeText, parseCsv } from './csv';
import { validateRoster, type RosterContext, type ValidatedRoster } from './validate';
import { readXlsx, sniffKind } from './xlsx';

export { ROSTER_COLUMNS, fieldOfHeader, normaliseHeader } from './columns';
export { decodeText, parseCsv, type Cell, type TableRow } from './csv';
export { cellText, parseDate, parseGender, parseGrade } from './values';
export { validateRoster } from './validate';
export type { RosterContext, RosterError, RosterSchool, ValidatedRoster } from './validate';
export { readXlsx, sniffKind } from './xlsx';

const fileError = (message: Bilingual): ValidatedRoster => ({
	students: [],
	dataRows: 0,
	errors: [{ row: null, column: null, message }]
});

/**
 * Reads a roster file (CSV in UTF-8/GBK, or XLSX: told apart by their bytes, not by the name)
 * and validates every row (S-1, B-1, B-2). Pure apart from the parsing work; never throws for
 * a bad file: an unreadable file is one file-level error.
 */
export async function parseRosterFile(
	bytes: Uint8Array,
	ctx: RosterContext
): Promise<ValidatedRoster & { kind: 'csv' | 'xlsx' }> {
	const kind = sniffKind(bytes);
	if (kind === 'xls') {
		return {
			kind: 'csv',
			...fileError({
				zh: '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV',
				en: 'old .xls files are not supported; save as .xlsx or CSV in Excel'
			})
		};
	}
	if (kind === 'xlsx') {
		let rows;
		try {
			rows = await readXlsx(bytes);
		} catch {
			return {
				kind,
				...fileError({
					zh: '无法读取这个 XLSX 文件',
					en: 'this XLSX file cannot be read'
				})
			};
		}
		return { kind, ...validateRoster(rows, ctx) };
	}
	const csv = parseCsv(decodeText(bytes).text);
	if (!csv.ok) {
		return {
			kind,
			students: [],
			dataRows: 0,
			errors: [{ row: csv.row, column: null, message: csv.message }]
		};
	}
	return { kind, ...validateRoster(csv.rows, ctx) };
}
export { currentTerm, gradeNow, previousTerm, rosterTerms, traceList } from './trace';
export type { TraceInput } from './trace';
