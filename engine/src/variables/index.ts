import { BadUserRequestError } from '../errors/index.js';
import type { StoredValue } from '../persistence/index.js';

/** The variable types of Camunda 7 that yiwang stores (Java-serialized `Object` is not one of them). */
export const VALUE_TYPES = ['string', 'integer', 'long', 'double', 'boolean', 'date', 'json', 'bytes', 'file', 'null'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface FileValueInfo {
  filename: string;
  mimeType?: string;
  encoding?: string;
}

/** A value with an explicit type, as Camunda's `Variables.integerValue(5)`; plain values are typed by inference. */
export class TypedValue {
  constructor(
    readonly type: ValueType,
    readonly value: unknown,
    readonly valueInfo: Record<string, unknown> | null = null,
  ) {}
}

export const Variables = {
  string: (value: string) => new TypedValue('string', value),
  integer: (value: number) => new TypedValue('integer', value),
  long: (value: number) => new TypedValue('long', value),
  double: (value: number) => new TypedValue('double', value),
  boolean: (value: boolean) => new TypedValue('boolean', value),
  date: (value: Date | string) => new TypedValue('date', value),
  json: (value: unknown) => new TypedValue('json', value),
  bytes: (value: Buffer) => new TypedValue('bytes', value),
  file: (content: Buffer, info: FileValueInfo) => new TypedValue('file', content, { ...info }),
  null: () => new TypedValue('null', null),
};

export type VariableMap = Record<string, unknown>;

/** Camunda type names are case-insensitive on input (`integer`, `Integer`). */
export function parseValueType(name: string): ValueType {
  const type = name.toLowerCase();
  if ((VALUE_TYPES as readonly string[]).includes(type)) return type as ValueType;
  throw new BadUserRequestError(`Unsupported value type '${name}': use one of ${VALUE_TYPES.join(', ')}`);
}

/** Capitalised name used in responses (`Integer`), as Camunda writes it. */
export function typeDisplayName(type: ValueType): string {
  return type === 'json' ? 'Json' : type.charAt(0).toUpperCase() + type.slice(1);
}

/** Types a plain JS value the way camunda-external-task-client-js does, or checks an explicit TypedValue. */
export function toTypedValue(name: string, input: unknown): TypedValue {
  if (input instanceof TypedValue) return checkTypedValue(name, input);
  if (input === null || input === undefined) return new TypedValue('null', null);
  if (typeof input === 'string') return new TypedValue('string', input);
  if (typeof input === 'boolean') return new TypedValue('boolean', input);
  if (typeof input === 'number') return new TypedValue(inferNumberType(name, input), input);
  if (input instanceof Date) return checkTypedValue(name, new TypedValue('date', input));
  if (Buffer.isBuffer(input)) return new TypedValue('bytes', input);
  if (typeof input === 'object') return checkTypedValue(name, new TypedValue('json', input));
  throw invalid(name, `a ${typeof input} cannot be stored as a variable`);
}

function inferNumberType(name: string, value: number): ValueType {
  if (!Number.isFinite(value)) throw invalid(name, `${value} is not a finite number`);
  if (!Number.isInteger(value)) return 'double';
  return value >= -(2 ** 31) && value < 2 ** 31 ? 'integer' : 'long';
}

function checkTypedValue(name: string, typed: TypedValue): TypedValue {
  const { type, value, valueInfo } = typed;
  if (type !== 'null' && (value === null || value === undefined)) return new TypedValue(type, null, valueInfo);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw mismatch(name, type, value);
      return typed;
    case 'integer':
      if (!Number.isInteger(value) || (value as number) < -(2 ** 31) || (value as number) >= 2 ** 31) throw mismatch(name, type, value);
      return typed;
    case 'long':
      if (!Number.isSafeInteger(value)) throw mismatch(name, type, value);
      return typed;
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch(name, type, value);
      return typed;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(name, type, value);
      return typed;
    case 'date':
      return new TypedValue('date', toDate(name, value), valueInfo);
    case 'json':
      return new TypedValue('json', roundTripJson(name, value), valueInfo);
    case 'bytes':
    case 'file':
      if (!Buffer.isBuffer(value)) throw mismatch(name, type, value);
      if (type === 'file' && typeof valueInfo?.filename !== 'string') throw invalid(name, 'a File value needs valueInfo.filename');
      return typed;
    case 'null':
      return new TypedValue('null', null);
  }
}

function toDate(name: string, value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? parseDate(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw mismatch(name, 'date', value);
  return date;
}

/** Accepts ISO 8601 and Camunda's `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (offset without a colon). */
function parseDate(text: string): Date {
  return new Date(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function roundTripJson(name: string, value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value));
  } catch (error) {
    throw invalid(name, `the value cannot be written as JSON (${(error as Error).message})`);
  }
}

function mismatch(name: string, type: ValueType, value: unknown): BadUserRequestError {
  const shown = typeof value === 'string' ? `'${value.slice(0, 100)}'` : Buffer.isBuffer(value) ? 'binary data' : String(value);
  return invalid(name, `${shown} is not a valid ${typeDisplayName(type)}`);
}

function invalid(name: string, reason: string): BadUserRequestError {
  return new BadUserRequestError(`Cannot set variable '${name}': ${reason}`);
}

/** Column values for a typed value; dates and booleans are stored as numbers so they compare in SQL. */
export function toStoredValue(typed: TypedValue): StoredValue {
  const stored: StoredValue = { type: typed.type, textValue: null, longValue: null, doubleValue: null, bytesValue: null, valueInfo: typed.valueInfo };
  const { value } = typed;
  if (value === null || value === undefined) return stored;
  switch (typed.type) {
    case 'string':
      return { ...stored, textValue: value as string };
    case 'integer':
    case 'long':
      return { ...stored, longValue: value as number };
    case 'double':
      return { ...stored, doubleValue: value as number };
    case 'boolean':
      return { ...stored, longValue: value ? 1 : 0 };
    case 'date':
      return { ...stored, longValue: (value as Date).getTime() };
    case 'json':
      return { ...stored, textValue: JSON.stringify(value) };
    case 'bytes':
    case 'file':
      return { ...stored, bytesValue: value as Buffer };
    case 'null':
      return stored;
  }
}

export function fromStoredValue(stored: StoredValue): TypedValue {
  const type = parseValueType(stored.type);
  return new TypedValue(type, storedJsValue(type, stored), stored.valueInfo);
}

function storedJsValue(type: ValueType, stored: StoredValue): unknown {
  switch (type) {
    case 'string':
      return stored.textValue;
    case 'integer':
    case 'long':
      return stored.longValue;
    case 'double':
      return stored.doubleValue;
    case 'boolean':
      return stored.longValue === null ? null : stored.longValue !== 0;
    case 'date':
      return stored.longValue === null ? null : new Date(stored.longValue);
    case 'json':
      return stored.textValue === null ? null : JSON.parse(stored.textValue);
    case 'bytes':
    case 'file':
      return stored.bytesValue;
    case 'null':
      return null;
  }
}
