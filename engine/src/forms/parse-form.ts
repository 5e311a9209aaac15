import { BadUserRequestError } from '../errors/index.js';
import type { FormJson } from './form-json.js';
import { buildModel, isPlainObject } from './model.js';

/**
 * A `.form` resource or an uploaded form, checked: JSON, a form-js form (`id`, `type` 'default',
 * `schemaVersion`, `components`) whose components the server understands. Every problem is a 400
 * naming `source` (a file name or where the form came from), the component and what is wrong.
 */
export function parseForm(content: Buffer | string, source: string): FormJson {
  const text = (typeof content === 'string' ? content : content.toString('utf8')).replace(/^\uFEFF/, '');
  let form: unknown;
  try {
    form = JSON.parse(text);
  } catch (error) {
    refuse(source, '不是 JSON', `is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPlainObject(form)) refuse(source, '必须是 JSON 对象', 'must be a JSON object');
  if (typeof form.id !== 'string' || form.id.trim() === '') refuse(source, '缺少表单 id（formRef 按 id 引用表单）', 'has no id (formRef refers to a form by its id)');
  if (form.type !== undefined && form.type !== 'default') refuse(source, `type 应为 'default'`, `type must be 'default'`);
  if (!Number.isInteger(form.schemaVersion) || (form.schemaVersion as number) < 1) refuse(source, 'schemaVersion 必须是正整数', 'schemaVersion must be a positive integer');
  if (!Array.isArray(form.components)) refuse(source, '缺少 components 数组', 'has no components array');
  const parsed = { ...form, type: 'default' } as FormJson;
  buildModel(parsed, source);
  return parsed;
}

function refuse(source: string, zh: string, en: string): never {
  throw new BadUserRequestError(`表单 ${source} ${zh} (form ${source} ${en})`);
}
