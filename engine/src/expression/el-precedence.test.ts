import { expect } from 'chai';
import { compileExpression, variablesOf } from './index.js';

function run(source: string, variables: Record<string, unknown> = {}): unknown {
  return compileExpression(source).evaluate(variablesOf(variables));
}

describe('expression > el > precedence and associativity', () => {
  it('binds * / % tighter than + -', () => {
    expect(run('${2 + 3 * 4}')).to.equal(14);
    expect(run('${10 - 6 / 2}')).to.equal(7);
    expect(run('${1 + 7 mod 4}')).to.equal(4);
  });

  it('associates + - * / to the left', () => {
    expect(run('${1 - 2 - 3}')).to.equal(-4);
    expect(run('${64 / 4 / 2}')).to.equal(8);
    expect(run('${10 - 2 + 3}')).to.equal(11);
    expect(run('${2 * 6 % 5}')).to.equal(2);
  });

  it('lets parentheses override precedence', () => {
    expect(run('${(2 + 3) * 4}')).to.equal(20);
    expect(run('${1 - (2 - 3)}')).to.equal(2);
  });

  it('binds unary minus tighter than binary operators and looser than property access', () => {
    expect(run('${-2 * 3}')).to.equal(-6);
    expect(run('${-o.v + 1}', { o: { v: 4 } })).to.equal(-3);
  });

  it('applies ! and empty before comparisons and logic', () => {
    expect(run('${!false == true}')).to.equal(true);
    expect(run('${empty list && true}', { list: [] })).to.equal(true);
    expect(run('${not empty list or false}', { list: [] })).to.equal(false);
  });

  it('compares after arithmetic, and relational binds tighter than equality', () => {
    expect(run('${1 + 1 == 2}')).to.equal(true);
    expect(run('${1 < 2 == true}')).to.equal(true);
    expect(run('${2 * 3 > 5}')).to.equal(true);
  });

  it('binds && tighter than ||', () => {
    expect(run('${true || false && false}')).to.equal(true);
    expect(run('${(true || false) && false}')).to.equal(false);
    expect(run('${false && true || true}')).to.equal(true);
  });

  it('gives the ternary the lowest precedence', () => {
    expect(run('${1 > 0 && true ? 1 + 1 : 0}')).to.equal(2);
  });

  it('nests ternaries to the right', () => {
    const grade = '${score >= 90 ? "A" : score >= 80 ? "B" : score >= 70 ? "C" : "F"}';
    expect(run(grade, { score: 95 })).to.equal('A');
    expect(run(grade, { score: 85 })).to.equal('B');
    expect(run(grade, { score: 75 })).to.equal('C');
    expect(run(grade, { score: 10 })).to.equal('F');
  });

  it('accepts a ternary in the middle branch', () => {
    expect(run("${a ? b ? 'ab' : 'a' : 'none'}", { a: true, b: false })).to.equal('a');
  });

  it('evaluates long operator chains without recursion trouble', () => {
    // given: 2,000 additions, a left-deep tree far deeper than the nesting guard
    const source = `\${${Array.from({ length: 2000 }, () => '1').join('+')}}`;
    // when / then
    expect(run(source)).to.equal(2000);
  });

  it('evaluates long property chains', () => {
    const source = `\${o${'.a'.repeat(1500)}}`;
    expect(run(source, { o: { a: null } })).to.equal(null);
  });
});
