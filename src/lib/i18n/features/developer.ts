import { registerMessages } from '../messages';

/**
 * Issue 12: the strings of the developer pages (the rules demo), loaded with them only: they
 * stay out of the first screen's bundle. Importing this module registers them.
 */
export const zh = {
	'rules.adminOnly': '本页面是开发与配置资料，仅供区教体局系统管理员使用。请从“案件”开始工作。'
};

export const en: Record<keyof typeof zh, string> = {
	'rules.adminOnly':
		'This page is development and configuration material, for the bureau’s system administrators only. Start from “Cases”.'
};

registerMessages(zh, en);
