/**
 * The expression language of BPMN attributes: JUEL-style `${...}`/`#{...}` (Camunda 7),
 * `=`-prefixed FEEL (via feelin) and plain literal text. See README.md for the syntax.
 */
import { compileUncached, type Expression } from './compiler.js';
import { LruCache } from './lru-cache.js';

export { MAX_SOURCE_LENGTH, type Expression } from './compiler.js';
export { ExpressionError, ExpressionEvaluationError, ExpressionSyntaxError } from './errors.js';
export { hostObject, type HostMethod, type HostObject } from './host-object.js';
export { MAX_NESTING_DEPTH } from './parser.js';
export { variablesOf, type VariableResolver } from './variables.js';

export const EXPRESSION_CACHE_SIZE = 5_000;

/** Compiled expressions are immutable, so one instance can serve every process instance. */
const cache = new LruCache<string, Expression>(EXPRESSION_CACHE_SIZE);

/**
 * Compiles once; throws ExpressionSyntaxError on bad syntax. The same source returns the same
 * compiled object while it stays among the most recently used. Failures are not cached.
 */
export function compileExpression(source: string): Expression {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const compiled = compileUncached(source);
  cache.set(source, compiled);
  return compiled;
}

/** For tests that need a cold cache. */
export function clearExpressionCache(): void {
  cache.clear();
}
