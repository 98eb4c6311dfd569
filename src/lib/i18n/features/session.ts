import { registerMessages } from '../catalogue';

/**
 * The strings of the logout dialog and the expired-session banner (issue 16), loaded with them:
 * both open on demand, so they stay out of the first screen's bundle. Importing this module
 * registers them with the catalogues.
 */
export const zh = {
	'logout.title': '退出登录',
	'logout.question': '是否同时清除你在这台设备上的案件数据？',
	'logout.help': '在公用或借用的设备上请选择清除。保留则下次登录后可离线查看。',
	'logout.keepHelp':
		'保留的数据只有你本人在这台设备上再次登录后才能看到，其他账号看不到；连续 {days} 天未在本机登录将自动清除。',
	'logout.pendingWarning':
		'还有 {count} 条修改尚未上传：清除会丢失这些修改，建议联网上传后再清除。',
	'logout.keep': '退出，保留本机数据',
	'logout.wipe': '退出并清除本机案件数据',
	'logout.cancel': '取消',
	'logout.busy': '正在退出…',
	'expired.title': '登录已过期',
	'expired.body': '请重新输入密码。本机上的修改都已保留，重新登录后会继续上传。',
	'expired.offline': '当前离线：联网后再输入密码。本机上的修改都已保留。',
	'expired.password': '密码',
	'expired.submit': '重新登录',
	'expired.busy': '正在登录…'
} as const;

export const en: Record<keyof typeof zh, string> = {
	'logout.title': 'Log out',
	'logout.question': 'Also delete your case data on this device?',
	'logout.help':
		'Delete it on a shared or borrowed device. Keep it to read your cases offline after the next login.',
	'logout.keepHelp':
		'Kept data is shown only to you, when you log in again on this device; other accounts never see it. It is deleted after {days} days without a login here.',
	'logout.pendingWarning':
		'Changes not yet on the server: {count}. Deleting loses them; go online to upload them first.',
	'logout.keep': 'Log out, keep data',
	'logout.wipe': 'Log out and delete my case data on this device',
	'logout.cancel': 'Cancel',
	'logout.busy': 'Logging out…',
	'expired.title': 'Your login has expired',
	'expired.body':
		'Enter your password again. Your changes on this device are kept and will upload after you log in.',
	'expired.offline':
		'You are offline: enter your password when back online. Your changes on this device are kept.',
	'expired.password': 'Password',
	'expired.submit': 'Log in again',
	'expired.busy': 'Logging in…'
};

registerMessages(zh, en);
