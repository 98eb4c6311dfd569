export { I18n, LOCALE_STORAGE_KEY, getI18n, setI18n, type LocaleStore } from './i18n.svelte';
// Issue 16: no value of `./messages` here (every screen's strings but the first's, registered
// when imported): every component imports this barrel.
export * from './catalogue';
export type { Catalogue, CoreKey, FeatureKey, MessageKey } from './messages';
export type { FirstScreenKey } from './first-screen';
export { RULE_TEXTS, type RuleText } from './rule-texts';
