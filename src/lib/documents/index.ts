export type { DocField, DocTable, DocumentInput } from './model';
export { caseNumberOf } from './model';
export {
	attemptsUpTo,
	buildDeadlineNotice,
	firstAbsentDay,
	noticeReturnBy,
	noticesOf,
	type DeadlineNoticeDoc,
	type NoticeOptions
} from './deadline-notice';
export { buildDropoutFile, type DocSection, type DropoutFileDoc } from './dropout-file';
export { docText, gradeText, maskRegistryNo, maskedId, type DocText } from './text';
