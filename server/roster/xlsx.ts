import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, TableRow } from './csv';

/** A zip archive (XLSX) starts with PK\x03\x04; a legacy .xls (OLE2) with D0 CF 11 E0. */
export function sniffKind(bytes: Uint8Array): 'xlsx' | 'xls' | 'csv' {
	if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
		return 'xlsx';
	}
	if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
		return 'xls';
	}
	return 'csv';
}

/** A cell of exceljs as plain data: rich text and hyperlinks as text, a formula as its result. */
function plain(v: unknown): Cell {
	if (v === null || v === undefined) return null;
	if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
	if (v instanceof Date) return v;
	if (typeof v === 'object') {
		const o = v as Record<string, unknown>;
		if (Array.isArray(o['richText'])) {
			return (o['richText'] as { text?: unknown }[])
				.map((r) => (typeof r.text === 'string' ? r.text : ''))
				.join('');
		}
		if ('result' in o) return plain(o['result']);
		if ('text' in o) return plain(o['text']);
	}
	return null;
}

/**
 * The rows of the first worksheet, read with exceljs's streaming reader (a 50,000-row file
 * never becomes a whole workbook model in memory). Styles are read so that date-formatted
 * cells arrive as dates; row numbers are the sheet's own.
 */
export async function readXlsx(bytes: Uint8Array): Promise<TableRow[]> {
	const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
		entries: 'emit',
		sharedStrings: 'cache',
		styles: 'cache',
		hyperlinks: 'ignore',
		worksheets: 'emit'
	});
	const rows: TableRow[] = [];
	for await (const sheet of reader) {
		for await (const r of sheet) {
			const values = r.values as unknown[];
			const cells: Cell[] = [];
			// exceljs row values are 1-based (index 0 unused) and sparse.
			for (let c = 1; c < values.length; c++) cells.push(plain(values[c]));
			rows.push({ row: r.number, cells });
		}
		// First sheet only; the rest of the archive is not needed.
		break;
	}
	return rows;
}
