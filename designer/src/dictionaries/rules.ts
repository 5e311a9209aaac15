/** Form rules matching the server's schemas for dictionaries and their items. */
import type { FormItemRule } from 'element-plus';

type T = (key: string, values?: Record<string, unknown>) => string;

const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const codeRules = (t: T): FormItemRule[] => [
  { required: true, message: t('dict.common.required'), trigger: 'blur' },
  { pattern: CODE_PATTERN, message: t('dict.common.codeRule'), trigger: 'blur' },
];

export const textRules = (t: T, max: number, required: boolean): FormItemRule[] => [
  ...(required ? [{ required: true, whitespace: true, message: t('dict.common.required'), trigger: 'blur' }] : []),
  { max, message: t('dict.common.tooLong', { n: max }), trigger: 'blur' },
];

/** Extra data: empty, or a JSON object. */
export const extraRules = (t: T): FormItemRule[] => [
  {
    trigger: 'blur',
    validator: (_rule, value: string, callback) => (parseExtra(value) === undefined ? callback(new Error(t('dict.item.extraInvalid'))) : callback()),
  },
];

/** null for an empty text, the object for a JSON object, undefined for anything else. */
export function parseExtra(text: string): Record<string, unknown> | null | undefined {
  if (!text.trim()) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
