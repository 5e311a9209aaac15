import { DateTime, Duration } from 'luxon';
import { ExpressionError, type Expression } from '../../expression/index.js';
import { ProcessEvaluationError } from '../../errors/index.js';

/** Expression results checked against what the BPMN attribute needs, with errors naming the attribute. */

export function asBoolean(value: unknown, what: string, expression: Expression): boolean {
  if (typeof value === 'boolean') return value;
  throw new ProcessEvaluationError(`${what} (${expression.source}) evaluated to ${describe(value)}, not a boolean`);
}

export function asOptionalString(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}

/** `candidateUsers="${reviewers}"` may yield a list or a comma-separated string. */
export function asStringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value == null ? [] : [value];
  return items.map((item) => String(item).trim()).filter((item) => item.length > 0);
}

export function asInteger(value: unknown, what: string, expression: Expression): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number)) return number;
  throw new ProcessEvaluationError(`${what} (${expression.source}) evaluated to ${describe(value)}, not an integer`);
}

export function asList(value: unknown, what: string, expression: Expression): readonly unknown[] {
  if (Array.isArray(value)) return value;
  throw new ProcessEvaluationError(`${what} (${expression.source}) evaluated to ${describe(value)}, not a list`);
}

/** A Date, an ISO 8601 date-time, or an ISO 8601 duration counted from `now` (`P2D`, `PT4H`). */
export function asDate(value: unknown, now: Date, what: string, expression: Expression): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('P')) {
      const duration = Duration.fromISO(text);
      if (duration.isValid) return DateTime.fromJSDate(now).plus(duration).toJSDate();
    }
    const date = DateTime.fromISO(text, { setZone: true });
    if (date.isValid) return date.toJSDate();
  }
  throw new ProcessEvaluationError(`${what} (${expression.source}) evaluated to ${describe(value)}, which is neither a date nor an ISO 8601 duration`);
}

export function evaluationFailed(what: string, error: unknown): never {
  if (error instanceof ExpressionError) throw new ProcessEvaluationError(`${what} failed: ${error.message}`, { cause: error });
  throw error;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.slice(0, 100)}'`;
  if (value instanceof Date) return value.toISOString();
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}
