import { expect } from 'chai';
import { compileExpression, ExpressionEvaluationError, ExpressionSyntaxError, variablesOf } from './index.js';

function run(source: string, variables: Record<string, unknown> = {}): unknown {
  return compileExpression(source).evaluate(variablesOf(variables));
}

describe('expression > feel', () => {
  it('recognises a leading = (after whitespace) as FEEL', () => {
    expect(compileExpression('= a > 5').language).to.equal('feel');
    expect(compileExpression('  =a').language).to.equal('feel');
    expect(compileExpression('a = 5').language).to.equal('literal');
  });

  it('evaluates comparisons against variables', () => {
    expect(run('= a > 5', { a: 7 })).to.equal(true);
    expect(run('= a > 5', { a: 3 })).to.equal(false);
  });

  it('evaluates if-then-else', () => {
    expect(run('= if x then "y" else "z"', { x: true })).to.equal('y');
    expect(run('= if x then "y" else "z"', { x: false })).to.equal('z');
  });

  it('returns typed values: numbers, strings, lists and contexts', () => {
    expect(run('= 1 + 2')).to.equal(3);
    expect(run('= upper case(name)', { name: 'li' })).to.equal('LI');
    expect(run('= for i in [1, 2, 3] return i * 2')).to.deep.equal([2, 4, 6]);
    expect(run('= {total: a + b}', { a: 1, b: 2 })).to.deep.equal({ total: 3 });
  });

  it('reads nested objects and null values', () => {
    expect(run('= order.customer.name', { order: { customer: { name: 'Li' } } })).to.equal('Li');
    expect(run('= n = null', { n: null })).to.equal(true);
    expect(run('= n', { n: undefined })).to.equal(null);
  });

  it('gives null for a missing context entry, like EL does for a missing key', () => {
    expect(run('= order.missing', { order: {} })).to.equal(null);
  });

  it('computes dates whose text form is ISO 8601', () => {
    const due = run('= date and time("2024-01-01T10:00:00Z") + duration("P1D")');
    expect(String(due)).to.equal('2024-01-02T10:00:00Z');
  });

  it('rejects a FEEL syntax error at compile time with its position', () => {
    // when
    const compile = (): unknown => compileExpression('= a >');
    // then
    expect(compile).to.throw(ExpressionSyntaxError, "Syntax error in expression '= a >' at position 5: unexpected end of expression");
  });

  it('reports the offending token of a FEEL syntax error', () => {
    try {
      compileExpression('=1 +* 2');
      expect.fail('should not compile');
    } catch (error) {
      expect(error).to.be.instanceOf(ExpressionSyntaxError);
      expect((error as ExpressionSyntaxError).position).to.equal(4);
      expect((error as ExpressionSyntaxError).message).to.contain("unexpected '*'");
    }
    expect(() => compileExpression('=')).to.throw(ExpressionSyntaxError, 'unexpected end of expression');
    expect(() => compileExpression('= [1, 2')).to.throw(ExpressionSyntaxError);
  });

  it('fails when an unknown variable makes the result null', () => {
    expect(() => run('= x > 5')).to.throw(
      ExpressionEvaluationError,
      "Cannot evaluate expression: = x > 5. Cause: Variable 'x' not found",
    );
  });

  it('fails on a type error that makes the result null', () => {
    expect(() => run('= 1 + "a"')).to.throw(ExpressionEvaluationError, 'Cannot evaluate expression: = 1 + "a". Cause: ');
  });

  it('keeps a usable result even when a branch saw a missing variable', () => {
    expect(run('= if missing = null then "none" else "some"')).to.equal('none');
  });
});
