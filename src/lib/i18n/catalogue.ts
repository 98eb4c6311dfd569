import { en, zh } from './first-screen';
import type { MessageKey } from './messages';

/** UI languages: Chinese first (DESIGN.md), English second. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/**
 * Every string loaded so far, per language: the first screen's (issue 16), plus the other
 * screens' once their module (`./messages`, `./features/*`) has been imported.
 */
export const catalogues: Record<Locale, Record<string, string>> = {
	'zh-CN': { ...zh },
	en: { ...en }
};

/** Adds an on-demand screen's strings (both languages, the same keys) to the catalogues. */
export function registerMessages(
	zhPart: Readonly<Record<string, string>>,
	enPart: Readonly<Record<string, string>>
): void {
	Object.assign(catalogues['zh-CN'], zhPart);
	Object.assign(catalogues.en, enPart);
}

/** The string for `key` in `locale`; the key itself when its screen's strings are not loaded. */
export function message(locale: Locale, key: MessageKey): string {
	return catalogues[locale][key] ?? key;
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function format(template: string, params?: Record<string, string | number>): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}
