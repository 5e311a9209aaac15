import { BadUserRequestError } from '../errors/index.js';
import { componentKind } from './component-types.js';
import { KEY_PATTERN, type FormComponent, type FormJson } from './form-json.js';
import { fieldError, type FieldError, type FormLanguage } from './messages.js';
import { isPlainObject } from './model.js';

/**
 * What a user task lets its user do with a field. A permission names a field's key (its dot path;
 * in a dynamic list `items.name` is the column of every row) or a group's path or a list's path,
 * and then holds for everything inside; the most specific permission wins. Without one a field is
 * editable. A 明细表's columns take the table's permission.
 */
export type FieldAccess = 'editable' | 'readonly' | 'hidden';
export type FieldPermissions = ReadonlyMap<string, FieldAccess>;

/** Extension properties of a user task that set field permissions: `yiwang:field:<key>` = editable | readonly | hidden. */
export const FIELD_PERMISSION_PREFIX = 'yiwang:field:';
const ACCESS_VALUES: readonly FieldAccess[] = ['editable', 'readonly', 'hidden'];

/** The field permissions among a task's `camunda:properties`; a bad name or value is a 400 naming the property. */
export function fieldPermissionsFrom(properties: Readonly<Record<string, string>>): FieldPermissions {
  const permissions = new Map<string, FieldAccess>();
  for (const [name, value] of Object.entries(properties)) {
    if (!name.startsWith(FIELD_PERMISSION_PREFIX)) continue;
    const key = name.slice(FIELD_PERMISSION_PREFIX.length);
    if (!KEY_PATTERN.test(key)) {
      throw new BadUserRequestError(`任务属性 ${name} 无效：字段 key 应为以点分隔的字母、数字或下划线 (task property ${name}: the field key must be dot-separated letters, digits or underscores)`);
    }
    const access = value.trim() as FieldAccess;
    if (!ACCESS_VALUES.includes(access)) {
      throw new BadUserRequestError(`任务属性 ${name} 的值 '${value}' 无效，应为 editable、readonly 或 hidden (task property ${name} = '${value}' must be editable, readonly or hidden)`);
    }
    permissions.set(key, access);
  }
  return permissions;
}

/** The form as the task's user gets it: hidden fields (and groups and lists) removed, read-only ones `readonly: true`. */
export function formForUser(form: FormJson, permissions: FieldPermissions): FormJson {
  if (permissions.size === 0) return form;
  return { ...form, components: componentsForUser(form.components, '', 'editable', permissions) };
}

function componentsForUser(components: readonly FormComponent[], keyPrefix: string, inherited: FieldAccess, permissions: FieldPermissions): FormComponent[] {
  const shown: FormComponent[] = [];
  for (const component of components) {
    const ownKey = valueKey(component);
    const key = ownKey === null ? null : keyPrefix + ownKey;
    const access = (key !== null ? mostSpecific(key, permissions) : undefined) ?? inherited;
    if (access === 'hidden') continue;
    const childPrefix = key !== null && component.components ? `${key}.` : keyPrefix;
    const children = component.components ? { components: componentsForUser(component.components, childPrefix, access, permissions) } : {};
    shown.push({ ...component, ...children, ...(access === 'readonly' && key !== null ? { readonly: true } : {}) });
  }
  return shown;
}

/** The key or path a component binds data to, or null for layout and display components. */
function valueKey(component: FormComponent): string | null {
  const kind = componentKind(component.type);
  if (kind === 'group' || kind === 'list') return component.path ? component.path : null;
  return kind === 'display' || kind === undefined || !component.key ? null : component.key;
}

/** The permission set on the key itself or on a key above it, most specific first. */
function mostSpecific(key: string, permissions: FieldPermissions): FieldAccess | undefined {
  for (let prefix = key; ; prefix = prefix.slice(0, prefix.lastIndexOf('.'))) {
    const access = permissions.get(prefix);
    if (access) return access;
    if (!prefix.includes('.')) return undefined;
  }
}

/** The data without the values of hidden fields: what a task's user may be sent. */
export function withoutHidden(data: Record<string, unknown>, permissions: FieldPermissions): Record<string, unknown> {
  let result = data;
  for (const [key, access] of permissions) if (access === 'hidden') result = removePath(result, key.split('.')) as Record<string, unknown>;
  return result;
}

/** A copy without the value at `segments`; arrays on the way (list rows) lose it in every row. Untouched parts are shared. */
function removePath(value: unknown, segments: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((row) => removePath(row, segments));
  if (!isPlainObject(value) || !Object.hasOwn(value, segments[0])) return value;
  const [first, ...rest] = segments;
  const copy = { ...value };
  if (rest.length === 0) delete copy[first];
  else copy[first] = removePath(value[first], rest);
  return copy;
}

/**
 * Read-only fields submitted with another value than they have. form-js submits disabled and
 * read-only fields too, so the same value is fine; a field left out keeps its value. Empty values
 * (absent, null, '') are the same value.
 */
export function readOnlyChanges(
  submitted: Record<string, unknown>,
  current: Record<string, unknown>,
  permissions: FieldPermissions,
  language: FormLanguage = 'zh-CN',
): FieldError[] {
  const changes: FieldError[] = [];
  for (const [key, access] of permissions) {
    if (access !== 'readonly') continue;
    const segments = key.split('.');
    if (!isSubmitted(submitted, segments)) continue;
    if (!sameValue(valueAt(submitted, segments), valueAt(current, segments))) changes.push(fieldError('readonly', null, key, language));
  }
  return changes;
}

/** Whether the submission says what the value is: a list submitted says it for every row, rows left out included. */
function isSubmitted(value: unknown, segments: readonly string[]): boolean {
  if (Array.isArray(value)) return true;
  if (!isPlainObject(value) || !Object.hasOwn(value, segments[0])) return false;
  return segments.length === 1 || isSubmitted(value[segments[0]], segments.slice(1));
}

/** The value at a path; through list rows, the list of each row's value. */
function valueAt(value: unknown, segments: readonly string[]): unknown {
  if (segments.length === 0) return value;
  if (Array.isArray(value)) return value.map((row) => valueAt(row, segments));
  return isPlainObject(value) ? valueAt(value[segments[0]], segments.slice(1)) : undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isNothing(a) && isNothing(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

function isNothing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
