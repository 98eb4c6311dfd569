import type { Calendar } from '../rules';
import type { CaseSnapshot } from '../domain';
import type { Locale } from '../i18n/messages';

/** One labelled line of a document; `value` is final text (a fill-in line when unknown). */
export interface DocField {
	label: string;
	value: string;
}

/** What every document builder takes: plain data only, `today` as a parameter. */
export interface DocumentInput {
	snapshot: CaseSnapshot;
	/** Names of the orgs the device knows, by org id (school, street office). */
	orgNames: Readonly<Record<string, string>>;
	/** Today in China time (the rules' `today`). */
	today: string;
	/** The calendar and terms the device evaluates with (default: the built-in one, G-T3). */
	calendar?: Calendar;
	/** The document's language; official documents are Chinese (the default). */
	locale?: Locale;
	/** Issue 12: the case number from the relay's list, for a case created before documents had it. */
	caseNo?: string;
}

/** The human case number (issue 12): the document's own, else the relay's list's. */
export function caseNumberOf(input: DocumentInput): string | null {
	return input.snapshot.caseNo ?? input.caseNo ?? null;
}

/** A table: column headings and rows of text. */
export interface DocTable {
	columns: string[];
	rows: string[][];
}
