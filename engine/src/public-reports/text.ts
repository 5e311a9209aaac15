import type { FormLanguage } from '../forms/index.js';

/** A message in the caller's language: zh-CN says it in Chinese with the English in parentheses (as form messages do), en in English alone. */
export function say(language: FormLanguage, zh: string, en: string): string {
  return language === 'en' ? en : `${zh} (${en})`;
}

/** Every C0 and C1 control character but the line feed. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/**
 * A citizen's text as it is stored: line ends made `\n`, control characters removed, trimmed.
 * Nothing HTML-significant is transformed: the pages escape what they show.
 */
export function cleanText(value: string, singleLine = false): string {
  const text = value.replace(/\r\n?/g, '\n').replace(CONTROL, '');
  return (singleLine ? text.replace(/\n/g, ' ') : text).trim();
}

/** Characters as people count them (and as JSON Schema's maxLength does): code points. */
export function characters(text: string): number {
  return [...text].length;
}
