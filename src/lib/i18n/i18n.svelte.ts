import { createContext } from 'svelte';
import type { Bilingual } from '../rules/types';
import { DEFAULT_LOCALE, LOCALES, message, format, type Locale } from './catalogue';
import type { MessageKey } from './messages';

/** localStorage key of the chosen UI language. */
export const LOCALE_STORAGE_KEY = 'yishengyian.locale';

/** The part of `Storage` the manager uses: lets tests pass a plain object. */
export type LocaleStore = Pick<Storage, 'getItem' | 'setItem'>;

function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The UI language as rune state, persisted to localStorage. Storage may be missing or throw
 * (private mode, quota, disabled cookies): the language then lives for this page only.
 */
export class I18n {
	locale = $state<Locale>(DEFAULT_LOCALE);
	readonly #store: LocaleStore | null;

	constructor(store: LocaleStore | null) {
		this.#store = store;
		try {
			const saved = store?.getItem(LOCALE_STORAGE_KEY);
			if (isLocale(saved)) this.locale = saved;
		} catch {
			// Unreadable storage: keep the default language.
		}
	}

	/** Switches the UI language and remembers it on this device. */
	setLocale(locale: Locale): void {
		this.locale = locale;
		try {
			this.#store?.setItem(LOCALE_STORAGE_KEY, locale);
		} catch {
			// Unwritable storage: the choice still holds until the page is reloaded.
		}
	}

	/** Chinese ↔ English. */
	toggle(): void {
		this.setLocale(this.locale === 'zh-CN' ? 'en' : 'zh-CN');
	}

	/** The message for `key` in the current language, with `{name}` placeholders filled. */
	t = (key: MessageKey, params?: Record<string, string | number>): string =>
		format(message(this.locale, key), params);

	/** The current language's half of a sentence the rules produced in both languages. */
	pick = (text: Bilingual): string => (this.locale === 'zh-CN' ? text.zh : text.en);
}

const [getI18n, setI18n] = createContext<I18n>();

/** The I18n manager the root layout provides to every component below it. */
export { getI18n, setI18n };
