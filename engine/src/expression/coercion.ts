import { EvaluationFailure } from './errors.js';

/** What `Double.valueOf` accepts, minus Java's `NaN`/`Infinity`/hex forms. */
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export function isNil(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

export function isNumber(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

export function isNumericText(value: unknown): value is string {
  return typeof value === 'string' && NUMERIC_TEXT.test(value);
}

/** EL coercion to a number: null and "" are 0 (EL spec 1.18.3), booleans and other text fail. */
export function toNumber(value: unknown): number {
  if (isNil(value) || value === '') return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (isNumericText(value)) return Number(value);
  throw new EvaluationFailure(`Cannot coerce ${describeValue(value)} to a number`);
}

/**
 * EL coercion to a boolean. Stricter than JUEL, which reads any string other than "true" as
 * false: a typo like `${approved && 'ture'}` should fail loudly rather than route the token.
 */
export function toBoolean(value: unknown): boolean {
  if (isNil(value) || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
  }
  throw new EvaluationFailure(`Cannot coerce ${describeValue(value)} to a boolean`);
}

/** The `empty` operator. */
export function isEmpty(value: unknown): boolean {
  if (isNil(value) || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
  return false;
}

/**
 * How a value appears inside composite text (`Case ${no}`). JUEL calls `toString()`; for
 * plain JS objects that would print `[object Object]`, so JSON is used instead.
 */
export function toText(value: unknown): string {
  if (isNil(value)) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'object' && !hasCustomToString(value)) return toJson(value);
  return String(value);
}

/** A type name for messages, in the vocabulary of the variables (not JS's `typeof`). */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (isNumber(value)) return 'number';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'map';
  return typeof value;
}

/** Names a value in an error message without dumping large objects. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 50 ? `${value.slice(0, 50)}...` : value}'`;
  if (typeof value === 'boolean' || isNumber(value)) return `${typeName(value)} ${String(value)}`;
  if (value instanceof Date) return `date ${toText(value)}`;
  const type = typeName(value);
  return type === 'null' ? 'null' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function hasCustomToString(value: object): boolean {
  // null-prototype objects have no toString at all, and String() on them would throw
  return !Array.isArray(value) && typeof value.toString === 'function' && value.toString !== Object.prototype.toString;
}

function toJson(value: object): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // cyclic structures and BigInt members: fall back to the engine-neutral form
    return String(value);
  }
}
