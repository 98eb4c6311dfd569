// The .xlsx files of the quarterly report (S-5) and the term ledger, in Chinese (official forms).
// Kept out of `index.ts`: only the relay and the benchmark load exceljs, never the app.
import ExcelJS from 'exceljs';
import { format, message, type MessageKey } from '../i18n/messages';
import '../i18n/features/reports';
import '../i18n/features/org-work';
import { ORG_WORK_STATES, type OrgWorkSection } from './org-work';
import type { Ledger, LedgerRow, Whereabouts } from './ledger';
import { REPORT_COLUMNS, type QuarterCounts, type QuarterlyReport } from './quarterly';

/** Who prepared the file (the logged-in user) and on which day. */
export interface Preparer {
	name: string;
	org: string;
	/** China-time date, YYYY-MM-DD. */
	on: string;
}

const t = (key: MessageKey, params?: Record<string, string | number>): string =>
	format(message('zh-CN', key), params);

const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF6B7280' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEAD_FILL: ExcelJS.Fill = {
	type: 'pattern',
	pattern: 'solid',
	fgColor: { argb: 'FFE5E7EB' }
};
const SUB_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3F4F6' } };
const FONT = 'SimSun';

/** What makes a spreadsheet read a text as a formula (OWASP "CSV injection"): = + - @, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Puts a text into a cell as text, never as a formula. exceljs writes every string as a shared
 * string (`t="s"`), which no spreadsheet evaluates when it opens the file; a text that starts
 * like a formula (a school, a street, a user named "=HYPERLINK(…)") also gets the Text number
 * format '@', so that editing the cell in Excel or LibreOffice keeps it text, not a formula.
 */
function setText(cell: ExcelJS.Cell, text: string): void {
	cell.value = text;
	if (FORMULA_START.test(text)) cell.numFmt = '@';
}

/** Title row and "label: value" rows above a table; returns the next free row. */
function headerBlock(
	ws: ExcelJS.Worksheet,
	title: string,
	pairs: [string, string][],
	width: number
): number {
	ws.mergeCells(1, 1, 1, width);
	const titleCell = ws.getCell(1, 1);
	setText(titleCell, title);
	titleCell.font = { name: FONT, size: 16, bold: true };
	titleCell.alignment = { horizontal: 'center', vertical: 'middle' };
	ws.getRow(1).height = 30;
	let r = 2;
	for (const [label, value] of pairs) {
		setText(ws.getCell(r, 1), label);
		ws.getCell(r, 1).font = { name: FONT, bold: true };
		ws.mergeCells(r, 2, r, Math.max(2, Math.min(width, 12)));
		setText(ws.getCell(r, 2), value);
		ws.getCell(r, 2).font = { name: FONT };
		r++;
	}
	return r + 1;
}

function headCell(ws: ExcelJS.Worksheet, r: number, c: number, text: string): void {
	const cell = ws.getCell(r, c);
	setText(cell, text);
	cell.font = { name: FONT, bold: true };
	cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
	cell.fill = HEAD_FILL;
	cell.border = BORDER;
}

/** The quarterly form as an .xlsx buffer: header block, grouped headers, rows, subtotals, total. */
export async function quarterlyXlsx(report: QuarterlyReport, by: Preparer): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	wb.creator = by.name;
	wb.created = new Date(`${by.on}T00:00:00+08:00`);
	const ws = wb.addWorksheet(t('reports.xlsx.sheetQuarterly'), {
		pageSetup: {
			paperSize: 9,
			orientation: 'landscape',
			fitToPage: true,
			fitToWidth: 1,
			fitToHeight: 0
		}
	});
	const cols = REPORT_COLUMNS;
	const width = 2 + cols.length;
	const scope =
		report.streets.length === 1 && report.streets[0]
			? report.streets[0].streetName
			: t('reports.xlsx.scopeAll');
	const top = headerBlock(
		ws,
		`《${t('reports.quarterly.title')}》`,
		[
			[t('reports.xlsx.district'), report.districtName],
			[
				t('reports.xlsx.quarter'),
				t('reports.xlsx.quarterValue', {
					year: report.year,
					q: report.quarter,
					from: report.from,
					to: report.to,
					asOf: report.asOf
				})
			],
			[t('reports.xlsx.scope'), scope],
			[
				t('reports.xlsx.preparedBy'),
				t('reports.xlsx.preparedByValue', { name: by.name, org: by.org })
			],
			[t('reports.xlsx.preparedOn'), by.on],
			[t('reports.xlsx.due'), report.due ?? t('reports.xlsx.dueUnknown', { year: report.year })]
		],
		width
	);

	// Two header rows: a group title over the reason and path columns, single columns merged down.
	const h1 = top;
	const h2 = top + 1;
	const single = (c: number, text: string) => {
		ws.mergeCells(h1, c, h2, c);
		headCell(ws, h1, c, text);
		headCell(ws, h2, c, text);
	};
	single(1, t('reports.col.street'));
	single(2, t('reports.col.school'));
	let c = 3;
	while (c - 3 < cols.length) {
		const col = cols[c - 3];
		if (!col) break;
		if (col.group) {
			const start = c;
			while (cols[c - 3]?.group === col.group) {
				headCell(ws, h2, c, t(cols[c - 3]?.label ?? 'reports.none'));
				c++;
			}
			ws.mergeCells(h1, start, h1, c - 1);
			headCell(
				ws,
				h1,
				start,
				t(col.group === 'out' ? 'reports.group.out' : 'reports.group.closed')
			);
		} else {
			single(c, t(col.label));
			c++;
		}
	}
	ws.getRow(h1).height = 22;
	ws.getRow(h2).height = 48;

	let r = h2 + 1;
	const numbers = (row: number, counts: QuarterCounts, fill?: ExcelJS.Fill, bold = false) => {
		cols.forEach((col, i) => {
			const cell = ws.getCell(row, 3 + i);
			const v = col.value(counts);
			cell.value = v ?? t('reports.none');
			cell.numFmt = col.id === 'enrolled' ? '#,##0' : '0';
			cell.alignment = { horizontal: v === null ? 'center' : 'right' };
			cell.border = BORDER;
			cell.font = { name: FONT, bold };
			if (fill) cell.fill = fill;
		});
	};
	const label = (row: number, a: string, b: string, fill?: ExcelJS.Fill, bold = false) => {
		for (const [i, text] of [a, b].entries()) {
			const cell = ws.getCell(row, i + 1);
			setText(cell, text);
			cell.border = BORDER;
			cell.font = { name: FONT, bold };
			cell.alignment = { vertical: 'middle', wrapText: true };
			if (fill) cell.fill = fill;
		}
	};
	for (const street of report.streets) {
		for (const school of street.schools) {
			label(r, street.streetName, school.schoolName);
			numbers(r, school.counts);
			r++;
		}
		label(r, street.streetName, t('reports.col.subtotal'), SUB_FILL, true);
		numbers(r, street.subtotal, SUB_FILL, true);
		r++;
	}
	label(r, t('reports.row.total'), '', HEAD_FILL, true);
	ws.mergeCells(r, 1, r, 2);
	numbers(r, report.total, HEAD_FILL, true);
	r += 2;

	// Column definitions under the table: the form explains what it counts.
	setText(ws.getCell(r, 1), t('reports.xlsx.notes'));
	ws.getCell(r, 1).font = { name: FONT, bold: true };
	const notes: MessageKey[] = [
		'reports.def.enrolled',
		'reports.def.openCases',
		'reports.def.suspectedNew',
		'reports.def.returned',
		'reports.def.out',
		'reports.def.deferred',
		'reports.def.closed',
		'reports.def.overdue',
		'reports.def.scope'
	];
	for (const [i, key] of notes.entries()) {
		ws.mergeCells(r + i, 2, r + i, width);
		const cell = ws.getCell(r + i, 2);
		setText(cell, `${i + 1}. ${t(key)}`);
		cell.font = { name: FONT, size: 9 };
		cell.alignment = { wrapText: true, vertical: 'top' };
		ws.getRow(r + i).height = 28;
	}

	ws.getColumn(1).width = 22;
	ws.getColumn(2).width = 24;
	for (let i = 0; i < cols.length; i++) ws.getColumn(3 + i).width = cols[i]?.group ? 9 : 11;
	ws.views = [{ state: 'frozen', xSplit: 2, ySplit: h2 }];
	if (report.orgWork) orgWorkSheet(wb, report.orgWork);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * Issue 12: a second sheet with the schools' and the bureau's work of the quarter (B-1, S-2,
 * S-5): counts by state per org and the total, then one row per obligation.
 */
function orgWorkSheet(wb: ExcelJS.Workbook, section: OrgWorkSection): void {
	const ws = wb.addWorksheet(t('orgWork.report.sheet'));
	const width = 6;
	const top = headerBlock(
		ws,
		t('orgWork.report.title'),
		[[t('reports.xlsx.notes'), t('orgWork.report.def')]],
		width
	);
	const cell = (r: number, c: number, v: string | number, bold = false) => {
		const x = ws.getCell(r, c);
		if (typeof v === 'number') x.value = v;
		else setText(x, v);
		x.border = BORDER;
		x.font = { name: FONT, bold };
	};
	headCell(ws, top, 1, t('orgWork.report.org'));
	ORG_WORK_STATES.forEach((s, i) => headCell(ws, top, 2 + i, t(`orgWork.report.${s}`)));
	let r = top + 1;
	for (const row of section.rows) {
		cell(r, 1, row.orgName);
		ORG_WORK_STATES.forEach((s, i) => cell(r, 2 + i, row.counts[s]));
		r++;
	}
	cell(r, 1, t('orgWork.report.total'), true);
	ORG_WORK_STATES.forEach((s, i) => cell(r, 2 + i, section.total[s], true));
	r += 2;
	const heads = ['org', 'item', 'rule', 'dueCol', 'state', 'doneOnCol'] as const;
	heads.forEach((h, i) => headCell(ws, r, 1 + i, t(`orgWork.report.${h}`)));
	for (const o of section.rows.flatMap((row) => row.items)) {
		r++;
		[o.orgName, o.title.zh, o.rule, o.due ?? '', t(`state.${o.state}`), o.doneOn ?? ''].forEach(
			(v, i) => cell(r, 1 + i, v)
		);
	}
	[24, 40, 8, 12, 12, 12].forEach((w, i) => (ws.getColumn(1 + i).width = w));
}

function whereaboutsText(w: Whereabouts | null): string {
	if (!w) return '';
	switch (w.kind) {
		case 'placement':
			return t('reports.ledger.placement', {
				placement: t(`placement.${w.placement}`),
				date: w.date
			});
		case 'located':
			return t('reports.ledger.located', { text: w.text, date: w.date });
		case 'elsewhere':
			return t('reports.ledger.elsewhere', { school: w.school, date: w.date });
		case 'deferral':
			return t('reports.ledger.deferral', {
				kind: t(`decision.${w.deferral}`),
				from: w.from,
				to: w.to
			});
	}
}

/** The ledger's columns: header label, width, and the cell value of a row. */
const LEDGER_COLUMNS: [MessageKey, number, (r: LedgerRow, i: number) => string | number][] = [
	['reports.ledger.col.index', 6, (_r, i) => i + 1],
	['reports.ledger.col.caseNo', 18, (r) => r.caseNo ?? ''],
	['reports.col.street', 20, (r) => r.streetName],
	['reports.col.school', 22, (r) => r.schoolName],
	['reports.ledger.col.gradeClass', 14, (r) => r.gradeClass],
	['reports.ledger.col.name', 10, (r) => r.name],
	['reports.ledger.col.gender', 6, (r) => t(`gender.${r.gender}`)],
	['reports.ledger.col.registryNo', 22, (r) => r.registryNo],
	['reports.ledger.col.idNumber', 20, (r) => r.idNumberMasked ?? ''],
	['reports.ledger.col.hukou', 16, (r) => r.hukouPlace],
	['reports.ledger.col.guardians', 16, (r) => r.guardians.join('、')],
	['reports.ledger.col.phones', 14, (r) => r.phones.join('、')],
	['reports.ledger.col.reason', 16, (r) => (r.reason ? t(`reason.${r.reason}`) : '')],
	[
		'reports.ledger.col.responsible',
		16,
		(r) => (r.responsible ? t('reports.ledger.responsible', r.responsible).trim() : '')
	],
	['reports.ledger.col.firstAbsence', 12, (r) => r.firstAbsence ?? ''],
	['reports.ledger.col.attempts', 8, (r) => r.attempts],
	['reports.ledger.col.notice', 24, (r) => (r.notice ? t('reports.ledger.notice', r.notice) : '')],
	['reports.ledger.col.stage', 12, (r) => t(`stage.${r.stage}`)],
	['reports.ledger.col.whereabouts', 28, (r) => whereaboutsText(r.whereabouts)],
	[
		'reports.ledger.col.closure',
		22,
		(r) =>
			r.closure
				? t('reports.ledger.closure', {
						path: t(`closure.${r.closure.path}`),
						date: r.closure.date
					})
				: ''
	],
	[
		'reports.ledger.col.next',
		32,
		(r) =>
			r.next
				? t('reports.ledger.next', {
						title: r.next.title.zh,
						due: r.next.due ?? t('reports.ledger.noDue'),
						state: t(`state.${r.next.state}`)
					})
				: ''
	]
];

/** The term ledger (台账) as an .xlsx buffer: one row per case, ID numbers masked. */
export async function ledgerXlsx(
	ledger: Ledger,
	by: Preparer,
	scope?: string
): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	wb.creator = by.name;
	wb.created = new Date(`${by.on}T00:00:00+08:00`);
	const ws = wb.addWorksheet(t('reports.xlsx.sheetLedger'), {
		pageSetup: {
			paperSize: 9,
			orientation: 'landscape',
			fitToPage: true,
			fitToWidth: 1,
			fitToHeight: 0
		}
	});
	const width = LEDGER_COLUMNS.length;
	const top = headerBlock(
		ws,
		`${t('reports.ledger.title')}`,
		[
			[t('reports.xlsx.district'), ledger.districtName],
			[
				t('reports.xlsx.term'),
				t('reports.xlsx.termValue', {
					start: ledger.term.start,
					end: ledger.term.end,
					asOf: ledger.asOf
				})
			],
			[t('reports.xlsx.scope'), scope ?? t('reports.xlsx.scopeAll')],
			[
				t('reports.xlsx.preparedBy'),
				t('reports.xlsx.preparedByValue', { name: by.name, org: by.org })
			],
			[t('reports.xlsx.preparedOn'), by.on],
			[t('reports.xlsx.notes'), t('reports.xlsx.masked')]
		],
		width
	);
	LEDGER_COLUMNS.forEach(([key, w], i) => {
		headCell(ws, top, i + 1, t(key));
		ws.getColumn(i + 1).width = w;
	});
	ws.getRow(top).height = 32;
	// One shared style object per kind of cell: exceljs then registers each style once, which
	// keeps a 10,000-row ledger to a few seconds (a fresh object per cell costs far more).
	const textStyle: Partial<ExcelJS.Style> = {
		border: BORDER,
		font: { name: FONT },
		alignment: { vertical: 'top', wrapText: true },
		// 学籍号 and ID numbers are text: a spreadsheet must not turn them into numbers. Every text
		// cell of a row has this format, so a name like "=HYPERLINK(…)" stays text (setText).
		numFmt: '@'
	};
	const numberStyle: Partial<ExcelJS.Style> = { ...textStyle, numFmt: '0' };
	ledger.rows.forEach((row, n) => {
		const r = ws.getRow(top + 1 + n);
		LEDGER_COLUMNS.forEach(([, , value], i) => {
			const cell = r.getCell(i + 1);
			const v = value(row, n);
			cell.value = v;
			cell.style = typeof v === 'number' ? numberStyle : textStyle;
		});
	});
	ws.views = [{ state: 'frozen', xSplit: 5, ySplit: top }];
	ws.autoFilter = { from: { row: top, column: 1 }, to: { row: top, column: width } };
	return new Uint8Array(await wb.xlsx.writeBuffer());
}
