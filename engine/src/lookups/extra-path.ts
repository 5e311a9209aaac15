import type { InstanceRuntime } from '../bpmn/execute/index.js';
import type { Expression } from '../expression/index.js';
import { ProcessEvaluationError } from '../errors/index.js';
import type { ExecutionEntity } from '../persistence/index.js';

/**
 * The keys a path expression gives on the token (`limits.${urgency}` → `['limits', 'B']`), or
 * null when it names nothing: it gave nothing, or one of its keys came out empty (`limits.` while
 * the urgency is unset) — the same as an unset variable naming no dictionary item. A value that
 * cannot be a path (an object, a list) fails the command, as a failing expression does.
 */
export async function evaluatePath(runtime: InstanceRuntime, token: ExecutionEntity, expression: Expression, what: string): Promise<string[] | null> {
  const value = await runtime.evaluate(expression, token, what);
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ProcessEvaluationError(`${what} (${expression.source}) must give a dot path of keys, not ${JSON.stringify(value) ?? typeof value}`);
  }
  const keys = String(value).split('.').map((key) => key.trim());
  return keys.some((key) => key === '') ? null : keys;
}

/** What `extra` holds at the keys; undefined where a key is missing or the value above it is no object. Own keys only, so `constructor` or `__proto__` find nothing. */
export function valueAt(extra: unknown, keys: readonly string[]): unknown {
  let current = extra;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Unset, null or empty text: what a lookup neither reads as a value nor overwrites. */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}
