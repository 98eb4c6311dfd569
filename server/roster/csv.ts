import type { Bilingual } from '../../src/lib/rules';

/** One record of a table file: its 1-based row number as a spreadsheet shows it, and its cells. */
export interface TableRow {
	row: number;
	cells: Cell[];
}
/** A cell as read from CSV (always text) or XLSX (text, number, date, boolean or empty). */
export type Cell = string | number | boolean | Date | null;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'gb18030';

/**
 * The text of a CSV file. Chinese Excel saves "CSV" in GBK (GB18030 is its superset), other
 * tools in UTF-8 with or without a BOM, and "Unicode text" in UTF-16 LE with a BOM: try the
 * BOMs, then strict UTF-8, and fall back to GB18030 only when the bytes are not valid UTF-8.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
		return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
	}
	if (bytes[0] === 0xff && bytes[1] === 0xfe) {
		return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
	}
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
	}
}

/** Comma, or tab when the first line has tabs and no commas (Excel's "Unicode text"). */
function delimiterOf(text: string): number {
	const nl = text.search(/[\r\n]/);
	const first = nl < 0 ? text : text.slice(0, nl);
	return first.includes('\t') && !first.includes(',') ? 9 : 44;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

export type CsvResult =
	{ ok: true; rows: TableRow[] } | { ok: false; row: number; message: Bilingual };

/**
 * RFC 4180: fields separated by commas, records by CRLF (LF and CR alone accepted too); a
 * field in double quotes may hold commas, line breaks and `""` for a quote. A quote inside an
 * unquoted field is kept as text (lenient, like Excel). Row numbers count records, as a
 * spreadsheet shows them, not lines: a quoted line break does not start a new row.
 */
export function parseCsv(text: string): CsvResult {
	const delim = delimiterOf(text);
	const rows: TableRow[] = [];
	const n = text.length;
	let cells: Cell[] = [];
	let i = 0;
	let row = 1;
	for (;;) {
		// One field starts at i.
		let value: string;
		if (text.charCodeAt(i) === QUOTE) {
			const start = row;
			let out = '';
			let from = i + 1;
			for (;;) {
				const q = text.indexOf('"', from);
				if (q < 0) {
					return {
						ok: false,
						row: start,
						message: {
							zh: `第 ${start} 行的引号没有结束`,
							en: `the quote opened on row ${start} is never closed`
						}
					};
				}
				out += text.slice(from, q);
				if (text.charCodeAt(q + 1) === QUOTE) {
					out += '"';
					from = q + 2;
					continue;
				}
				i = q + 1;
				break;
			}
			// Text after the closing quote and before the delimiter is kept (lenient).
			let j = i;
			while (j < n) {
				const c = text.charCodeAt(j);
				if (c === delim || c === CR || c === LF) break;
				j++;
			}
			value = out + text.slice(i, j);
			i = j;
		} else {
			let j = i;
			while (j < n) {
				const c = text.charCodeAt(j);
				if (c === delim || c === CR || c === LF) break;
				j++;
			}
			value = text.slice(i, j);
			i = j;
		}
		cells.push(value);
		if (i >= n) {
			rows.push({ row, cells });
			break;
		}
		const c = text.charCodeAt(i);
		if (c === delim) {
			i++;
			continue;
		}
		// End of record: CRLF, LF or CR.
		i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
		rows.push({ row, cells });
		row++;
		cells = [];
		if (i >= n) break;
	}
	// A file ending with a line break has no empty last record.
	return { ok: true, rows };
}
