import { z } from 'zod';
import type { Ledger, QuarterlyReport } from '../reports';

/**
 * Issue 13: `/api/reports/*` (S-5). The report and the ledger are built by the shared report
 * code (src/lib/reports), whose TypeScript types are their contract: the schemas type the value
 * with them and check the envelope the page reads (a deep schema of every count would repeat
 * those types field by field).
 */
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** `GET /api/reports/quarterly?format=json`. */
export const quarterlyAnswer = z.custom<QuarterlyReport>(
	(v) =>
		isObj(v) &&
		typeof v['year'] === 'number' &&
		typeof v['quarter'] === 'number' &&
		Array.isArray(v['streets']) &&
		isObj(v['total']) &&
		typeof v['caseCount'] === 'number',
	{ message: '季度报表的格式不对 / not a quarterly report' }
);

/** `GET /api/reports/ledger?format=json`: the term's 台账 (ID numbers masked). */
export const ledgerAnswer = z.custom<Ledger>(
	(v) => isObj(v) && isObj(v['term']) && typeof v['asOf'] === 'string' && Array.isArray(v['rows']),
	{ message: '台账的格式不对 / not a ledger' }
);
