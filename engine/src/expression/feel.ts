import { evaluate, parseExpression, type Warning } from 'feelin';
import { abbreviate, ExpressionSyntaxError, ExpressionEvaluationError } from './errors.js';
import type { VariableResolver } from './variables.js';

/**
 * Warnings that only mean "looked up a key that is not there". FEEL then yields null, which
 * is a legitimate answer (EL's `a.missing` is null too). Every other warning that comes with a
 * null result means the expression failed (unknown variable, type mismatch, bad arguments).
 */
const HARMLESS_WARNINGS: ReadonlySet<Warning['type']> = new Set(['NO_CONTEXT_ENTRY_FOUND', 'NO_PROPERTY_FOUND']);

/**
 * feelin's lezer parser recovers from errors instead of throwing, so the tree is searched for
 * error nodes to reject bad FEEL at deployment rather than at the first token to pass by.
 * Parsed without a context: names with spaces (`first name`) still parse as one variable.
 */
export function checkFeelSyntax(source: string, body: string, bodyOffset: number): void {
  let errorAt: number | null = null;
  parseExpression(body, {}, undefined).iterate({
    enter(node) {
      if (errorAt !== null) return false;
      if (node.type.isError) errorAt = node.from;
      return undefined;
    },
  });
  if (errorAt !== null) throw new ExpressionSyntaxError(source, bodyOffset + errorAt, describeFeelError(body, errorAt));
}

function describeFeelError(body: string, offset: number): string {
  const rest = body.slice(offset).trim();
  if (rest === '') return 'unexpected end of expression';
  const token = /^\S{1,20}/.exec(rest)?.[0] ?? rest.charAt(0);
  return `unexpected '${token}'`;
}

/**
 * Runs feelin with a context built from every visible variable. Temporal results stay feelin
 * values (`FeelDate`, `FeelDateTime`, `FeelDuration`); their `String()` is ISO 8601.
 */
export function evaluateFeel(source: string, body: string, variables: VariableResolver): unknown {
  let result: ReturnType<typeof evaluate>;
  try {
    result = evaluate(body, buildContext(variables));
  } catch (error) {
    // feelin re-parses with the real context, so a context-dependent parse can still fail here
    throw failure(source, error instanceof Error ? error.message : String(error), error);
  }
  const value = result.value ?? null;
  const problems = result.warnings.filter((warning) => !HARMLESS_WARNINGS.has(warning.type));
  if (value === null && problems.length > 0) throw failure(source, problems.map((problem) => problem.message).join('; '));
  return value;
}

function buildContext(variables: VariableResolver): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const name of variables.names()) {
    // feelin treats an undefined entry as a missing variable; EL treats it as null
    context[name] = variables.get(name) ?? null;
  }
  return context;
}

function failure(source: string, cause: string, error?: unknown): ExpressionEvaluationError {
  return new ExpressionEvaluationError(`Cannot evaluate expression: ${abbreviate(source)}. Cause: ${cause}`, source, { cause: error });
}
