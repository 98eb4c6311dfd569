import { RULE_IDS, type Bilingual, type RuleId } from '../rules/types';

/**
 * Issue 12: the internal keys a refusal, a conflict or a quarantined update can carry besides
 * a policy rule id (S-…, B-…, G-…): the rules' own checks (`RefusalCode`), the relay's update
 * check (`server/sync/update-check.ts`), the family document's check (`family`, B-5), the
 * loader's set-aside (`load`) and a refusal whose
 * rule the device could not read (`unknown`). People never see these keys: each has a sentence.
 */
export const INTERNAL_RULE_KEYS = [
	'schema',
	'author',
	'future-date',
	'duplicate-id',
	'permission',
	'closed',
	'amend',
	'id-number',
	'limits',
	'layout',
	'append-only',
	'causality',
	'client-id',
	'malformed',
	'load',
	'family',
	'unknown'
] as const;
export type InternalRuleKey = (typeof INTERNAL_RULE_KEYS)[number];

/** What kind of problem each internal key is, as a sentence in both languages. */
export const REFUSAL_TEXTS: Record<InternalRuleKey, Bilingual> = {
	schema: {
		zh: '填写的内容不完整或格式不对。',
		en: 'Something in the record is missing or not in the right form.'
	},
	author: {
		zh: '记录人必须是登录的本人。',
		en: 'A record must be signed by the person who is logged in.'
	},
	'future-date': {
		zh: '日期不能晚于今天。',
		en: 'The date cannot be later than today.'
	},
	'duplicate-id': {
		zh: '这条记录已经保存过了。',
		en: 'This record has been saved already.'
	},
	permission: {
		zh: '您所在的单位不能在这个阶段做这项记录。',
		en: 'Your office cannot make this record at this stage of the case.'
	},
	closed: {
		zh: '案件已销号，只能重新开启。',
		en: 'The case is no longer open; it can only be reopened.'
	},
	amend: {
		zh: '这条更正不能保存：被更正的记录不存在或不能由您更正。',
		en: 'This correction cannot be saved: the record it corrects is missing or not yours to correct.'
	},
	'id-number': {
		zh: '完整的身份证号不能写入案件，只能通过“更正身份证号”保存。',
		en: 'A full ID number cannot be written into a case; save it with “Correct ID number”.'
	},
	limits: {
		zh: '内容超过了允许的长度或数量。',
		en: 'The text or the number of records is over the limit.'
	},
	layout: {
		zh: '这项修改不符合案件的结构，服务器没有接受。',
		en: 'The server did not accept this change: it does not fit the structure of a case.'
	},
	'append-only': {
		zh: '时间线上的记录不能删除或改写，请用“更正”。',
		en: 'Records on the timeline cannot be deleted or rewritten; use a correction.'
	},
	causality: {
		zh: '这项修改依赖一项没有保存到服务器的修改。',
		en: 'This change depends on another change the server does not have.'
	},
	family: {
		zh: '这项修改不符合家庭档案的结构（成员和共同监护人只能添加，不能删改），服务器没有接受。',
		en: 'The server did not accept this change to the siblings’ shared file: members and shared guardians can only be added, never removed or changed.'
	},
	'client-id': {
		zh: '这台设备的编辑身份与另一位用户冲突，已自动换新，请重新保存。',
		en: 'This device’s editing identity clashed with another user’s; it was renewed, please save again.'
	},
	malformed: {
		zh: '服务器无法读取这项修改。',
		en: 'The server could not read this change.'
	},
	load: {
		zh: '这项修改使案件无法打开，已被搁置。',
		en: 'This change kept the case from opening and was set aside.'
	},
	unknown: {
		zh: '服务器没有接受这项修改。',
		en: 'The server did not accept this change.'
	}
};

const POLICY: ReadonlySet<string> = new Set(RULE_IDS);
const INTERNAL: ReadonlySet<string> = new Set(INTERNAL_RULE_KEYS);

/** The policy rule id a refusal cites (S-…, B-…, G-…), or null for an internal key. */
export function policyRule(rule: string): RuleId | null {
	return POLICY.has(rule) ? (rule as RuleId) : null;
}

/** The sentence for an internal key; any key this table does not know reads as `unknown`. */
export function refusalText(rule: string): Bilingual {
	return INTERNAL.has(rule) ? REFUSAL_TEXTS[rule as InternalRuleKey] : REFUSAL_TEXTS.unknown;
}
