import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import en from './locales/en.js';
import zhCN from './locales/zh-CN.js';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly { readonly value: Locale; readonly label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
];

/** An app's or a domain's texts, merged into the shared ones under their own top-level keys. */
export interface DomainMessages {
  readonly 'zh-CN': Record<string, unknown>;
  readonly en: Record<string, unknown>;
}

// one choice for every app on the origin: the designer, the staff app and the public portal
const STORAGE_KEY = 'yiwang.locale';

function storedLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

/**
 * vue-i18n in composition mode with the texts every app shares; each app adds its own with
 * `addMessages`. zh-CN unless the user chose English (kept in localStorage).
 */
export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
  // vue-i18n's own warnings are left out of production builds: a text missing in the current
  // language (shown in the fallback's) is said in the console, in vue-i18n's words, so the
  // English end-to-end test finds it
  missing: (locale, key) => {
    console.warn(`[intlify] Not found '${key}' key in '${locale}' locale messages.`);
  },
});

document.documentElement.lang = storedLocale();

export const currentLocale = computed<Locale>(() => i18n.global.locale.value as Locale);

/** element-plus's own texts (pagination, date pickers, empty tables) in the chosen language */
export const elementLocale = computed(() => (currentLocale.value === 'en' ? elementEn : elementZhCn));

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export function addMessages(messages: DomainMessages): void {
  i18n.global.mergeLocaleMessage('zh-CN', messages['zh-CN']);
  i18n.global.mergeLocaleMessage('en', messages.en);
}

/** `t` outside components (the API client, the router) */
export const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));
