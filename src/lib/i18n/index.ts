export { I18n, LOCALE_STORAGE_KEY, getI18n, setI18n, type LocaleStore } from './i18n.svelte';
export {
	DEFAULT_LOCALE,
	LOCALES,
	catalogues,
	en,
	format,
	message,
	registerMessages,
	zh,
	type Catalogue,
	type CoreKey,
	type FeatureKey,
	type Locale,
	type MessageKey
} from './messages';
export { RULE_TEXTS, type RuleText } from './rule-texts';
