/**
 * The portal's texts: a small typed dictionary instead of vue-i18n (measured: vue-i18n and its
 * message compiler cost more than the rest of the page's own code; see runtime/README.md).
 * Same shapes as `@yiwang/web-kit/i18n` — `addMessages({ 'zh-CN', en })`, `t(key, values)`,
 * `currentLocale`, `setLocale`, `elementLocale` — and the same localStorage key `yiwang.locale`,
 * so a language chosen in any app of the origin holds here too.
 */
import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import { computed, ref } from 'vue';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly { readonly value: Locale; readonly label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
];

/** Nested texts; a leaf is a string with `{name}` placeholders. */
export interface Messages {
  readonly [key: string]: string | Messages;
}
export interface DomainMessages {
  readonly 'zh-CN': Messages;
  readonly en: Messages;
}

// shared with every app on the origin (web-kit/i18n)
const STORAGE_KEY = 'yiwang.locale';

function storedLocale(): Locale {
  let stored: string | null = null;
  try {
    stored = globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    // storage refused (private mode): the default
  }
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

const locale = ref<Locale>(storedLocale());
const dictionaries: Record<Locale, Record<string, string>> = { 'zh-CN': {}, en: {} };

export const currentLocale = computed<Locale>(() => locale.value);
/** element-plus's own texts (the select's "no data") in the chosen language */
export const elementLocale = computed(() => (locale.value === 'en' ? elementEn : elementZhCn));

export function setLocale(next: Locale): void {
  locale.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not kept: this page still switches
  }
  document.documentElement.lang = next;
}
document.documentElement.lang = locale.value;

function flatten(into: Record<string, string>, messages: Messages, prefix = ''): void {
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') into[prefix + key] = value;
    else flatten(into, value, `${prefix}${key}.`);
  }
}

export function addMessages(messages: DomainMessages): void {
  flatten(dictionaries['zh-CN'], messages['zh-CN']);
  flatten(dictionaries.en, messages.en);
}

/**
 * The text of `key` in the current language (zh-CN when English lacks it, the key itself when
 * both do — said in the console, as the other apps do, so the English test finds it); reactive:
 * a template calling it re-renders when the language changes.
 */
export function t(key: string, values?: Record<string, string | number>): string {
  const current = locale.value;
  let text = dictionaries[current][key];
  if (text === undefined) {
    console.warn(`[i18n] Not found '${key}' key in '${current}' locale messages.`);
    text = dictionaries['zh-CN'][key] ?? key;
  }
  return values ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole)) : text;
}
