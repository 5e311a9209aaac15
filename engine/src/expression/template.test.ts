import { expect } from 'chai';
import { compileExpression, variablesOf } from './index.js';

function run(source: string, variables: Record<string, unknown> = {}): unknown {
  return compileExpression(source).evaluate(variablesOf(variables));
}

describe('expression > composite and literal text', () => {
  it('concatenates literal parts and expressions into a string', () => {
    // given
    const variables = { caseNo: 12, dept: { name: 'Ops' } };
    // when
    const text = run('Case ${caseNo} for ${dept.name}', variables);
    // then
    expect(text).to.equal('Case 12 for Ops');
  });

  it('renders null as nothing and numbers and booleans via String()', () => {
    expect(run('[${n}] [${1.5}] [${ok}] [${1 < 2}]', { n: null, ok: false })).to.equal('[] [1.5] [false] [true]');
  });

  it('renders dates as ISO text and plain objects as JSON', () => {
    const when = new Date('2024-03-01T12:00:00.000Z');
    expect(run('at ${when}', { when })).to.equal('at 2024-03-01T12:00:00.000Z');
    expect(run('data ${d}', { d: { a: [1, 2] } })).to.equal('data {"a":[1,2]}');
  });

  it('gives a string, not the typed value, when there is any text around the expression', () => {
    expect(run('${count} ', { count: 3 })).to.equal('3 ');
    expect(run('${a}${b}', { a: 1, b: 2 })).to.equal('12');
  });

  it('keeps the typed value of a single expression', () => {
    expect(run('${count}', { count: 3 })).to.equal(3);
    expect(compileExpression('${count}').language).to.equal('el');
    expect(compileExpression('x ${count}').language).to.equal('el');
  });

  it('treats text without ${ or #{ as a literal string', () => {
    const expression = compileExpression('approved by $ manager {soon} #1');
    expect(expression.language).to.equal('literal');
    expect(expression.evaluate(variablesOf({}))).to.equal('approved by $ manager {soon} #1');
  });

  it('returns the empty string for empty source', () => {
    expect(run('')).to.equal('');
  });

  it('gives no special meaning to a backslash before ${', () => {
    expect(run('\\${x}', { x: 'v' })).to.equal('\\v');
  });
});
