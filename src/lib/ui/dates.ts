import type { MessageKey } from '../i18n';

/** A due date in words: a catalogue key and its count. */
export interface DaysText {
	key: MessageKey;
	count?: number;
	overdue: boolean;
}

/**
 * Working days left to a due date, in words: "还剩 3 个工作日", "今天到期", "已逾期 2 个工作日",
 * "无期限". `daysLeft` is negative when overdue; null when the obligation has no date.
 */
export function daysText(daysLeft: number | null, overdue: boolean): DaysText {
	if (daysLeft === null)
		return overdue ? { key: 'days.overdueNoCount', overdue } : { key: 'days.none', overdue };
	if (daysLeft < 0) return { key: 'days.overdue', count: -daysLeft, overdue: true };
	if (overdue) return { key: 'days.overdueNoCount', overdue: true };
	if (daysLeft === 0) return { key: 'days.today', overdue: false };
	return { key: 'days.left', count: daysLeft, overdue: false };
}

/** An instant shown in China time, "2025-10-09 16:30" (the rules' dates are China dates too). */
export function chinaTime(iso: string): string {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return iso;
	return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
