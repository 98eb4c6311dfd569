import type { Student } from '../domain';
import { maskRegistryNo } from '../domain';

export { maskRegistryNo };
import { format, message, type Locale, type MessageKey } from '../i18n/messages';
import '../i18n/features/documents';

/**
 * The words of a document in one language. Official documents are written in Chinese; the
 * English rendering is for readers of the English UI and follows the same catalogue keys.
 */
export interface DocText {
	locale: Locale;
	t: (key: MessageKey, params?: Record<string, string | number>) => string;
	/** An ISO date as written on the document: "2025年10月14日" / "14 October 2025". */
	date: (iso: string | null | undefined) => string;
	/** A value, or the fill-in line when it is empty. */
	orBlank: (value: string | null | undefined) => string;
	/** Items joined with the language's list separator ("、" / ", "). */
	list: (items: readonly string[]) => string;
}

const EN_DATE = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });

/** The document text helpers for a locale (zh-CN by default: the official language). */
export function docText(locale: Locale = 'zh-CN'): DocText {
	const t = (key: MessageKey, params?: Record<string, string | number>) =>
		format(message(locale, key), params);
	return {
		locale,
		t,
		date: (iso) => {
			const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
			if (!m) return t('documents.dateBlank');
			const [, y = '', mo = '', d = ''] = m;
			const month =
				locale === 'en' ? EN_DATE.format(new Date(`${y}-${mo}-${d}T00:00:00Z`)) : Number(mo);
			return t('documents.date', { y, m: Number(mo), d: Number(d), month });
		},
		orBlank: (value) => (value && value.trim() ? value : t('documents.blank')),
		list: (items) => (items.length ? items.join(t('documents.listSep')) : t('documents.none'))
	};
}

/** The student's ID number masked (first 6 and last 4 kept), or "未登记". */
export function maskedId(student: Pick<Student, 'idMasked'>, tx: DocText): string {
	return student.idMasked ?? tx.t('documents.notRecorded');
}

/** "8年级（2）班" style grade and class. */
export function gradeText(student: Pick<Student, 'grade' | 'className'>, tx: DocText): string {
	const grade = tx.t('documents.gradeValue', { grade: student.grade });
	const cls = student.className.trim();
	// Class names usually carry the grade already ("八年级（2）班"); do not say it twice.
	if (!cls) return grade;
	return /年级|grade/i.test(cls) ? cls : `${grade} ${cls}`;
}
