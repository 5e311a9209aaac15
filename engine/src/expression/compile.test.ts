import { expect } from 'chai';
import { clearExpressionCache, compileExpression, EXPRESSION_CACHE_SIZE, variablesOf } from './index.js';

describe('expression > compile', () => {
  beforeEach(() => clearExpressionCache());

  it('returns the same compiled object for the same source', () => {
    // when
    const first = compileExpression('${a + 1}');
    const second = compileExpression('${a + 1}');
    // then
    expect(second).to.equal(first);
    expect(compileExpression('${a + 2}')).not.to.equal(first);
  });

  it('caches FEEL and literal expressions too', () => {
    expect(compileExpression('= a')).to.equal(compileExpression('= a'));
    expect(compileExpression('plain')).to.equal(compileExpression('plain'));
  });

  it('evicts the least recently used entry once full', () => {
    // given: a full cache whose oldest entry was just used again
    const kept = compileExpression('${0}');
    const evicted = compileExpression('${1}');
    for (let i = 2; i < EXPRESSION_CACHE_SIZE; i += 1) compileExpression(`\${${i}}`);
    compileExpression('${0}');
    // when: one more entry pushes out the least recently used one
    compileExpression('${overflow}');
    // then
    expect(compileExpression('${0}')).to.equal(kept);
    expect(compileExpression('${1}')).not.to.equal(evicted);
  });

  it('exposes the source and evaluates repeatedly with different variables', () => {
    const expression = compileExpression('${amount > 1000}');
    expect(expression.source).to.equal('${amount > 1000}');
    expect(expression.evaluate(variablesOf({ amount: 5000 }))).to.equal(true);
    expect(expression.evaluate(variablesOf({ amount: 10 }))).to.equal(false);
  });

  it('resolves only own keys of a plain record', () => {
    const variables = variablesOf({ a: 1 });
    expect(variables.has('a')).to.equal(true);
    expect(variables.has('toString')).to.equal(false);
    expect([...variables.names()]).to.deep.equal(['a']);
  });
});
