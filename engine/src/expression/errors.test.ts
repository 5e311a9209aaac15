import { expect } from 'chai';
import {
  compileExpression,
  ExpressionError,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  MAX_NESTING_DEPTH,
  MAX_SOURCE_LENGTH,
  variablesOf,
  type VariableResolver,
} from './index.js';

function syntaxError(source: string): ExpressionSyntaxError {
  try {
    compileExpression(source);
  } catch (error) {
    expect(error).to.be.instanceOf(ExpressionSyntaxError);
    return error as ExpressionSyntaxError;
  }
  return expect.fail(`expected a syntax error for ${source}`);
}

describe('expression > errors > syntax', () => {
  it('names the expression, the position and the cause', () => {
    // when
    const error = syntaxError('${a >}');
    // then
    expect(error.message).to.equal("Syntax error in expression '${a >}' at position 5: unexpected end of expression");
    expect(error.position).to.equal(5);
    expect(error.source).to.equal('${a >}');
    expect(error.name).to.equal('ExpressionSyntaxError');
    expect(error).to.be.instanceOf(ExpressionError);
    expect(error).to.be.instanceOf(Error);
  });

  it('reports positions relative to the whole source of a composite', () => {
    const error = syntaxError('Hello ${name} and ${x +}');
    expect(error.position).to.equal(23);
  });

  it('explains common mistakes', () => {
    expect(syntaxError('${f(x)}').message).to.equal(
      "Syntax error in expression '${f(x)}' at position 3: function calls are not supported in expressions, only methods of engine objects such as execution.getVariable('name')",
    );
    expect(syntaxError('${a = 1}').reason).to.equal("unexpected character '=', use '==' to compare");
    expect(syntaxError('${a & b}').reason).to.equal("unexpected character '&', use '&&'");
    expect(syntaxError('${a instanceof B}').reason).to.equal("'instanceof' is not supported in expressions");
  });

  it('reports missing and unexpected tokens', () => {
    expect(syntaxError('${a').reason).to.equal("missing '}' to close the expression");
    expect(syntaxError('${}').reason).to.equal('unexpected end of expression');
    expect(syntaxError('${a b}').reason).to.equal("unexpected identifier 'b'");
    expect(syntaxError('${(1 + 2}').reason).to.equal("unexpected end of expression, expected ')'");
    expect(syntaxError('${list[0}').reason).to.equal("unexpected end of expression, expected ']'");
    expect(syntaxError('${a ? b}').reason).to.equal("unexpected end of expression, expected ':'");
    expect(syntaxError('${a.1}').reason).to.equal('unexpected number .1');
    expect(syntaxError("${'open}").reason).to.equal('unterminated string literal');
    expect(syntaxError('${a ~ b}').reason).to.equal("unexpected character '~'");
    expect(syntaxError('${* 2}').reason).to.equal("unexpected '*'");
  });

  it('does not cache a failed compilation', () => {
    expect(() => compileExpression('${1 +}')).to.throw(ExpressionSyntaxError);
    expect(() => compileExpression('${1 +}')).to.throw(ExpressionSyntaxError);
  });
});

describe('expression > errors > guards', () => {
  it('rejects sources longer than the limit', () => {
    // given
    const longText = `\${'${'x'.repeat(MAX_SOURCE_LENGTH)}'}`;
    // when
    const error = syntaxError(longText);
    // then
    expect(error.reason).to.equal('expression is longer than 10000 characters');
    expect(error.message.length).to.be.lessThan(400);
  });

  it('accepts a source of exactly the limit', () => {
    const text = 'x'.repeat(MAX_SOURCE_LENGTH);
    expect(compileExpression(text).evaluate(variablesOf({}))).to.equal(text);
  });

  it('accepts nesting up to the limit', () => {
    const depth = MAX_NESTING_DEPTH - 1; // the outer expression itself is one level
    const source = `\${${'('.repeat(depth)}1${')'.repeat(depth)}}`;
    expect(compileExpression(source).evaluate(variablesOf({}))).to.equal(1);
  });

  it('rejects nesting deeper than the limit instead of overflowing the stack', () => {
    expect(syntaxError(`\${${'('.repeat(MAX_NESTING_DEPTH)}1${')'.repeat(MAX_NESTING_DEPTH)}}`).reason).to.equal(
      'expression is nested more than 100 levels deep',
    );
    expect(syntaxError(`\${${'!'.repeat(4000)}true}`).reason).to.contain('nested more than 100');
    expect(syntaxError(`\${${'a['.repeat(3000)}0${']'.repeat(3000)}}`).reason).to.contain('nested more than 100');
    expect(syntaxError(`\${${'a ? b : '.repeat(1000)}c}`).reason).to.contain('nested more than 100');
  });
});

describe('expression > errors > evaluation', () => {
  it("uses Camunda's wording for an unknown variable", () => {
    expect(() => compileExpression('${x > 1}').evaluate(variablesOf({}))).to.throw(
      ExpressionEvaluationError,
      "Unknown property used in expression: ${x > 1}. Cause: Cannot resolve identifier 'x'",
    );
  });

  it('names the expression and the coercion that failed', () => {
    try {
      compileExpression('${a + 1}').evaluate(variablesOf({ a: 'abc' }));
      expect.fail('should throw');
    } catch (error) {
      expect(error).to.be.instanceOf(ExpressionEvaluationError);
      expect(error).to.be.instanceOf(ExpressionError);
      expect((error as ExpressionEvaluationError).message).to.equal("Cannot coerce 'abc' to a number in expression: ${a + 1}");
      expect((error as ExpressionEvaluationError).source).to.equal('${a + 1}');
    }
  });

  it('wraps a failing variable resolver and keeps its error as the cause', () => {
    // given
    const broken = new Error('database is gone');
    const variables: VariableResolver = {
      has: () => true,
      get: () => {
        throw broken;
      },
      names: () => [],
    };
    // when
    let caught: unknown;
    try {
      compileExpression('${a}').evaluate(variables);
    } catch (error) {
      caught = error;
    }
    // then
    expect(caught).to.be.instanceOf(ExpressionEvaluationError);
    expect((caught as Error).message).to.equal('Cannot evaluate expression: ${a}. Cause: database is gone');
    expect((caught as Error).cause).to.equal(broken);
  });
});
