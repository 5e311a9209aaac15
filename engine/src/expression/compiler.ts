import type { TemplatePart } from './ast.js';
import { ExpressionSyntaxError } from './errors.js';
import { evaluateTemplate } from './evaluator.js';
import { checkFeelSyntax, evaluateFeel } from './feel.js';
import { containsEl, parseTemplate } from './template.js';
import type { VariableResolver } from './variables.js';

/** Longer sources are rejected before parsing; no BPMN attribute legitimately needs more. */
export const MAX_SOURCE_LENGTH = 10_000;

export interface Expression {
  readonly source: string;
  readonly language: 'el' | 'feel' | 'literal';
  evaluate(variables: VariableResolver): unknown;
}

class LiteralExpression implements Expression {
  readonly language = 'literal';

  constructor(readonly source: string) {}

  evaluate(): unknown {
    return this.source;
  }
}

class ElExpression implements Expression {
  readonly language = 'el';

  constructor(
    readonly source: string,
    private readonly parts: readonly TemplatePart[],
  ) {}

  evaluate(variables: VariableResolver): unknown {
    return evaluateTemplate(this.source, this.parts, variables);
  }
}

class FeelExpression implements Expression {
  readonly language = 'feel';

  constructor(
    readonly source: string,
    private readonly body: string,
  ) {}

  evaluate(variables: VariableResolver): unknown {
    return evaluateFeel(this.source, this.body, variables);
  }
}

/** Parses without caching; `compileExpression` in index.ts is the cached entry point. */
export function compileUncached(source: string): Expression {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExpressionSyntaxError(source, MAX_SOURCE_LENGTH, `expression is longer than ${MAX_SOURCE_LENGTH} characters`);
  }
  const feelStart = feelBodyOffset(source);
  if (feelStart !== null) {
    const body = source.slice(feelStart);
    checkFeelSyntax(source, body, feelStart);
    return new FeelExpression(source, body);
  }
  if (!containsEl(source)) return new LiteralExpression(source);
  return new ElExpression(source, parseTemplate(source));
}

/** Camunda 8's convention: a leading `=` (after whitespace) marks FEEL. Returns where the FEEL text starts. */
function feelBodyOffset(source: string): number | null {
  const equals = source.length - source.trimStart().length;
  return source.charAt(equals) === '=' ? equals + 1 : null;
}
