/**
 * The one module that reads and writes Y types (STYLE.md item 4): the layout of a case doc,
 * projections to validated snapshots, the append-only timeline, the shared plan text, change
 * observation, and the diff the relay uses to check an update.
 */
export {
	CASE_DOC_KEYS,
	CASE_DOC_KEY_LIST,
	CASE_DOC_LAYOUT_VERSION,
	LOCAL_ORIGIN,
	META_KEYS,
	isEmptyCaseDoc,
	type CaseDocKey,
	type MetaKey
} from './layout';
export {
	CaseDocInputError,
	caseInitSchema,
	createCaseDoc,
	fromSnapshot,
	initCaseDoc,
	type CaseInit,
	type ParsedCaseInit
} from './init';
export { eventCount, readEvents, toSnapshot, toSnapshotUnchecked } from './snapshot';
export { appendEvent, appendEventUnchecked, hasEventId } from './append';
export {
	changedRange,
	getPlan,
	localClock,
	mergeText,
	planText,
	restorePlanCursor,
	savePlanCursor,
	setPlan
} from './plan';
export { onCaseChange, type CaseChange } from './observe';
export { applyUpdateToCopy, diffCaseDocs, hasPendingUpdates, type CaseDocDiff } from './diff';
export { applyTracked, type TrackedUpdate } from './track';
export { objectsInUpdate } from './update-events';
export { checkGrowth, type GrowthRefusal, type GrowthVerdict } from './growth';
export {
	FAMILY_DOC_KEYS,
	FAMILY_DOC_KEY_LIST,
	addFamilyMember,
	initFamilyDoc,
	isEmptyFamilyDoc,
	onFamilyChange,
	strayFamilyKeys,
	toFamilySnapshot,
	type FamilyInit
} from './family';
export { checkFamilyChange, type FamilyRefusal, type FamilyVerdict } from './family-check';
