/**
 * Every limit of a case, in one place (issue 10: what the relay accepts it can always load).
 * The zod schemas of `src/lib/domain` cite these; `src/lib/case-doc` checks the same numbers
 * on every update the relay receives (`checkGrowth`) and when a case loads (`toSnapshot`); the
 * forms count against them. Text lengths count Unicode code points, as zod's `.max` does
 * (`textLength`): a Chinese character, an emoji or a rare character outside the BMP (𠮷) each
 * count 1, a combining mark counts on its own. The whole case's size (`caseChars`) counts
 * UTF-16 code units of its JSON. Never lower a limit below what stored cases may hold.
 */
export const LIMITS = {
	/** Names, numbers, issuers: one line a person typed. */
	shortText: 200,
	/** A free note on an event (情况说明, findings). */
	note: 20_000,
	/** The co-edited persuasion plan (一家一案/一生一案). */
	plan: 20_000,
	/** Why a case reopens, why an event is amended. */
	reason: 2_000,
	/** Where a located student is (B-3). */
	whereabouts: 500,
	/** 户籍地, residence, addresses, regions, who was contacted. */
	place: 200,
	/** A document number (文号). */
	documentNo: 100,
	/** Class names, relations, phone numbers. */
	tag: 40,
	/** People named on one persuasion attempt. */
	participants: 30,
	/** Departments on one joint team (S-9). */
	departments: 12,
	/** Signatories of one written statement (S-10). */
	signatories: 6,
	/** Field changes in one profile update (G-M4). */
	profileChanges: 20,
	/** Guardians written when a case is created (more arrive as `guardian_added` events). */
	guardians: 20,
	/**
	 * Events on one timeline: five school years of daily absences fit five times over. Each new
	 * event is checked by folding the whole case (1.5 ms per event at 5,000 on this machine,
	 * 2.6 ms at 7,500), and a phone evaluates it all on every change.
	 */
	eventsPerCase: 5_000,
	/**
	 * The whole case as JSON (`caseChars`): bounds the memory one document takes in the relay
	 * and on a phone, whatever mix of long notes and many events makes it up.
	 */
	caseChars: 8_000_000
} as const;

export type LimitName = keyof typeof LIMITS;

/** 20000 → "20,000" (no locale data: the same on every device and in the relay). */
export function groupDigits(n: number): string {
	return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The length a text limit is checked against: code points, counted as zod counts them (a
 * surrogate pair is one; a lone surrogate is one too). `tests/unit/limits.test.ts` holds the
 * two to the same answer.
 */
export function textLength(s: string): number {
	let n = s.length;
	for (let i = 0; i < s.length - 1; i++) {
		if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
			n--;
			i++;
		}
	}
	return n;
}

/** The bilingual message of a text over its limit: 「最多 20,000 字 / at most 20,000 characters」. */
export function tooLongMessage(max: number): string {
	return `最多 ${groupDigits(max)} 字 / at most ${groupDigits(max)} characters`;
}

/** Why a whole case is over `LIMITS.caseChars` (null when it is within). */
export function caseTooLarge(chars: number): { zh: string; en: string } | null {
	if (chars <= LIMITS.caseChars) return null;
	const [n, max] = [groupDigits(chars), groupDigits(LIMITS.caseChars)];
	return {
		zh: `案件数据过大（${n} 字，最多 ${max} 字）`,
		en: `the case is too large (${n} characters, at most ${max})`
	};
}

const charsOf = new WeakMap<object, number>();

/**
 * The size of a validated case as `JSON.stringify` writes it, in UTF-16 code units (the
 * `caseChars` limit). Remembered per snapshot object, so the relay, which grows its snapshot
 * update by update (`rememberCaseChars`), never serialises the whole case again.
 */
export function caseChars(snapshot: object): number {
	const known = charsOf.get(snapshot);
	if (known !== undefined) return known;
	const n = JSON.stringify(snapshot).length;
	charsOf.set(snapshot, n);
	return n;
}

/** Records the size of a snapshot computed incrementally (see `caseChars`). */
export function rememberCaseChars(snapshot: object, chars: number): void {
	charsOf.set(snapshot, chars);
}

/** The JSON size of one value (an event, the plan string), as it counts in `caseChars`. */
export function jsonChars(value: unknown): number {
	return JSON.stringify(value).length;
}
