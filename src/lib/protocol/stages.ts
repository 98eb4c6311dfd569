import type { Stage } from '../rules/types';

/** Every stage of a case (rules `Stage`), zod-free: the case list's parsers on both sides use it. */
export const STAGES = [
	'watch',
	'absent',
	'suspected',
	'dropout',
	'notice',
	'joint',
	'returned',
	'deferred',
	'closed'
] as const satisfies readonly Stage[];

/** Compile-time: the list names every stage the rules know (a new stage must be added here). */
export type MissingStage = Exclude<Stage, (typeof STAGES)[number]>;
const _allStages: [MissingStage] extends [never] ? true : never = true;
void _allStages;
