import { BadUserRequestError } from '../../errors/index.js';
import { parseValueType, typeDisplayName, TypedValue, type ValueType, type VariableMap } from '../../variables/index.js';
import { formatDate, parseDate } from './dates.js';

/** A variable as the REST API carries it. */
export interface RestVariable {
  readonly type?: string;
  readonly value?: unknown;
  readonly valueInfo?: Record<string, unknown> | null;
}

/**
 * `{ name: { type, value, valueInfo } }` from a request into typed values. A missing type is
 * inferred from the JSON value, as Camunda does; `Object` with a JSON serialization format is
 * treated as Json (Java serialization does not exist here); files arrive base64-encoded.
 */
export function variablesFromRest(body: unknown, field: string, timeZone?: string): VariableMap {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadUserRequestError(`'${field}' must be an object of variables`);
  const variables: VariableMap = {};
  for (const [name, variable] of Object.entries(body as Record<string, unknown>)) {
    variables[name] = variableFromRest(name, variable, timeZone);
  }
  return variables;
}

function variableFromRest(name: string, variable: unknown, timeZone?: string): unknown {
  if (!variable || typeof variable !== 'object' || Array.isArray(variable)) {
    throw new BadUserRequestError(`Variable '${name}' must be an object with 'type' and 'value'`);
  }
  const { type, value, valueInfo } = variable as RestVariable;
  if (type === undefined || type === null) return value ?? null;
  const valueType = restType(name, String(type), valueInfo);
  const info = valueInfo ?? null;
  if (valueType !== 'null' && (value === null || value === undefined)) return new TypedValue(valueType, null, info);
  switch (valueType) {
    case 'date':
      return new TypedValue('date', typeof value === 'string' ? parseDate(value, name, timeZone) : value, info);
    case 'json':
      return new TypedValue('json', typeof value === 'string' ? parseJson(name, value) : value, info);
    case 'file':
    case 'bytes':
      return new TypedValue(valueType, decodeBase64(name, value), fileInfo(valueType, info));
    default:
      return new TypedValue(valueType, value, info);
  }
}

function restType(name: string, type: string, valueInfo: Record<string, unknown> | null | undefined): ValueType {
  if (type.toLowerCase() === 'object') {
    const format = valueInfo?.serializationDataFormat;
    if (format === 'application/json') return 'json';
    throw new BadUserRequestError(`Variable '${name}': Object values must be serialized as application/json; Java serialization is not supported`);
  }
  try {
    return parseValueType(type);
  } catch (error) {
    throw new BadUserRequestError(`Variable '${name}': ${(error as Error).message}`);
  }
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadUserRequestError(`Variable '${name}' of type Json does not hold valid JSON`);
  }
}

function decodeBase64(name: string, value: unknown): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value)) {
    throw new BadUserRequestError(`Variable '${name}' must carry its content base64-encoded`);
  }
  return Buffer.from(value, 'base64');
}

/** The JS client sends `mimetype`; Camunda's Java side says `mimeType`. Both are accepted and kept as `mimeType`. */
function fileInfo(type: ValueType, info: Record<string, unknown> | null): Record<string, unknown> | null {
  if (type !== 'file') return info;
  const { mimetype, ...rest } = info ?? {};
  return { filename: 'file', ...rest, ...(mimetype !== undefined && rest.mimeType === undefined ? { mimeType: mimetype } : {}) };
}

/**
 * Typed values to the REST form. Files travel without content (clients download them from the
 * variable's `/data` endpoint), as Camunda answers; bytes as base64, dates in Camunda's format.
 */
export function variablesToRest(variables: ReadonlyMap<string, TypedValue>, timeZone?: string): Record<string, RestVariable> {
  const result: Record<string, RestVariable> = {};
  for (const [name, typed] of variables) result[name] = variableToRest(typed, timeZone);
  return result;
}

export function variableToRest(typed: TypedValue, timeZone?: string): RestVariable {
  const type = typeDisplayName(typed.type);
  const valueInfo = typed.valueInfo ?? {};
  switch (typed.type) {
    case 'date':
      return { type, value: formatDate(typed.value as Date | null, timeZone), valueInfo };
    case 'json':
      return { type, value: typed.value === null ? null : JSON.stringify(typed.value), valueInfo };
    case 'bytes':
      return { type, value: typed.value === null ? null : (typed.value as Buffer).toString('base64'), valueInfo };
    case 'file':
      return { type, value: null, valueInfo: { ...valueInfo, mimetype: valueInfo.mimeType } };
    default:
      return { type, value: typed.value, valueInfo };
  }
}
