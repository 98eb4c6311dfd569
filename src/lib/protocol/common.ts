import { z } from 'zod';

/**
 * Issue 13: pieces every `/api/*` answer shares. The relay answers a refusal as
 * `{error, message: {zh, en}, …}` (server/http/common.ts `fail`), with `errors` on a 400.
 */
export const bilingual = z.strictObject({ zh: z.string(), en: z.string() });

/** Any refusal of the relay: a code and its sentence in Chinese and English; more fields may follow. */
export const errorAnswer = z.looseObject({ error: z.string(), message: bilingual });
export type ErrorAnswer = z.infer<typeof errorAnswer>;

/** A 400's path-level errors, one line `中文 / English` each (domain `toInputErrors`). */
export const inputErrorsAnswer = z.looseObject({
	errors: z.array(z.strictObject({ path: z.string(), message: z.string() }))
});

/** A refusal listing its problems as sentences (calendar entries: `errors: [{zh, en}]`). */
export const bilingualErrorsAnswer = z.looseObject({ errors: z.array(bilingual) });

/** A case created from a form or a roster row: its id (the URL) and human number (issue 12). */
export const createdCaseAnswer = z.strictObject({ id: z.string(), caseNo: z.string() });
export type CreatedCaseAnswer = z.infer<typeof createdCaseAnswer>;
