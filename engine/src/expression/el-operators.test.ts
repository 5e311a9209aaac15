import { expect } from 'chai';
import { compileExpression, ExpressionEvaluationError, variablesOf } from './index.js';

function run(source: string, variables: Record<string, unknown> = {}): unknown {
  return compileExpression(source).evaluate(variablesOf(variables));
}

function failure(source: string, variables: Record<string, unknown> = {}): string {
  expect(() => run(source, variables)).to.throw(ExpressionEvaluationError);
  try {
    run(source, variables);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('unreachable');
}

describe('expression > el > operators > arithmetic', () => {
  it('adds, subtracts, multiplies', () => {
    expect(run('${2 + 3}')).to.equal(5);
    expect(run('${2 - 3}')).to.equal(-1);
    expect(run('${2 * 3.5}')).to.equal(7);
  });

  it('divides with a floating result, by / and div', () => {
    expect(run('${7 / 2}')).to.equal(3.5);
    expect(run('${7 div 2}')).to.equal(3.5);
  });

  it('takes the remainder with % and mod, keeping the sign of the dividend', () => {
    expect(run('${7 % 3}')).to.equal(1);
    expect(run('${7 mod 3}')).to.equal(1);
    expect(run('${-7 % 3}')).to.equal(-1);
  });

  it('coerces numeric strings, null and the empty string', () => {
    expect(run("${'12' + 1}")).to.equal(13);
    expect(run("${' 1.5 ' * 2}")).to.equal(3);
    expect(run('${n + 1}', { n: null })).to.equal(1);
    expect(run('${null + null}')).to.equal(0);
    expect(run("${'' + 4}")).to.equal(4);
  });

  it('does not concatenate strings with +', () => {
    expect(failure("${'a' + 'b'}")).to.equal("Cannot coerce 'a' to a number in expression: ${'a' + 'b'}");
  });

  it('fails on non-numeric strings, booleans and objects', () => {
    expect(failure('${a + 1}', { a: 'abc' })).to.equal("Cannot coerce 'abc' to a number in expression: ${a + 1}");
    expect(failure('${true + 1}')).to.equal('Cannot coerce boolean true to a number in expression: ${true + 1}');
    expect(failure('${o * 2}', { o: {} })).to.equal('Cannot coerce an object to a number in expression: ${o * 2}');
    expect(failure("${'0x10' + 1}")).to.contain("Cannot coerce '0x10' to a number");
  });

  it('fails on division and remainder by zero', () => {
    expect(failure('${1 / 0}')).to.equal('Division by zero in expression: ${1 / 0}');
    expect(failure('${1 div n}', { n: null })).to.equal('Division by zero in expression: ${1 div n}');
    expect(failure('${5 mod 0}')).to.equal('Division by zero in expression: ${5 mod 0}');
  });

  it('negates numbers, numeric strings and null', () => {
    expect(run('${-5}')).to.equal(-5);
    expect(run('${-x}', { x: '2.5' })).to.equal(-2.5);
    expect(run('${-n}', { n: null })).to.equal(0);
    expect(run('${- -3}')).to.equal(3);
    expect(failure('${-flag}', { flag: true })).to.contain('Cannot coerce boolean true to a number');
  });
});

describe('expression > el > operators > equality', () => {
  it('compares numbers, also against numeric strings', () => {
    expect(run('${1 == 1.0}')).to.equal(true);
    expect(run("${5 == '5'}")).to.equal(true);
    expect(run("${'5.0' eq 5}")).to.equal(true);
    expect(run('${1 != 2}')).to.equal(true);
    expect(run('${1 ne 1}')).to.equal(false);
  });

  it('fails like JUEL when a number meets a non-numeric string or a boolean', () => {
    expect(failure("${5 == 'five'}")).to.equal("Cannot coerce 'five' to a number in expression: ${5 == 'five'}");
    expect(failure('${1 == true}')).to.contain('Cannot coerce boolean true to a number');
  });

  it('treats null as equal only to null', () => {
    expect(run('${null == null}')).to.equal(true);
    expect(run('${n == null}', { n: undefined })).to.equal(true);
    expect(run('${0 == null}')).to.equal(false);
    expect(run("${'' == null}")).to.equal(false);
    expect(run('${x != null}', { x: 'a' })).to.equal(true);
  });

  it('compares booleans, coercing the string side', () => {
    expect(run('${true == true}')).to.equal(true);
    expect(run("${flag == 'TRUE'}", { flag: true })).to.equal(true);
    expect(run("${false == 'true'}")).to.equal(false);
    expect(failure("${true == 'yes'}")).to.contain("Cannot coerce 'yes' to a boolean");
  });

  it('compares strings as strings', () => {
    expect(run("${'abc' == 'abc'}")).to.equal(true);
    expect(run('${"abc" == \'ABC\'}')).to.equal(false);
    expect(run("${'5' == '5.0'}")).to.equal(false);
  });

  it('compares dates by time, and against ISO text', () => {
    const a = new Date('2024-05-01T08:00:00.000Z');
    const b = new Date('2024-05-01T08:00:00.000Z');
    expect(run('${a == b}', { a, b })).to.equal(true);
    expect(run('${a == c}', { a, c: new Date(0) })).to.equal(false);
    expect(run("${a == '2024-05-01T08:00:00.000Z'}", { a })).to.equal(true);
  });

  it('compares objects and arrays by identity', () => {
    const o = { x: 1 };
    expect(run('${o == p}', { o, p: o })).to.equal(true);
    expect(run('${o == p}', { o, p: { x: 1 } })).to.equal(false);
    expect(run('${l == m}', { l: [1], m: [1] })).to.equal(false);
  });
});

describe('expression > el > operators > relational', () => {
  it('compares numbers with symbols and words', () => {
    expect(run('${1 < 2}')).to.equal(true);
    expect(run('${2 > 2}')).to.equal(false);
    expect(run('${2 <= 2}')).to.equal(true);
    expect(run('${1 >= 2}')).to.equal(false);
    expect(run('${1 lt 2}')).to.equal(true);
    expect(run('${1 gt 2}')).to.equal(false);
    expect(run('${2 le 2}')).to.equal(true);
    expect(run('${3 ge 2}')).to.equal(true);
  });

  it('compares a number and a numeric string numerically', () => {
    expect(run("${'10' > 9}")).to.equal(true);
    expect(run("${amount > '1000'}", { amount: 5000 })).to.equal(true);
  });

  it('compares two strings lexicographically, even when they look numeric', () => {
    expect(run("${'apple' < 'banana'}")).to.equal(true);
    expect(run("${'10' < '9'}")).to.equal(true);
    expect(run("${'b' ge 'b'}")).to.equal(true);
  });

  it('compares dates by time', () => {
    const early = new Date('2024-01-01T00:00:00Z');
    const late = new Date('2024-06-01T00:00:00Z');
    expect(run('${early < late}', { early, late })).to.equal(true);
    expect(run('${early >= late}', { early, late })).to.equal(false);
  });

  it('is false with one null operand, and null <= null is true', () => {
    expect(run('${n < 1}', { n: null })).to.equal(false);
    expect(run('${n > 1}', { n: null })).to.equal(false);
    expect(run('${1 >= n}', { n: null })).to.equal(false);
    expect(run('${null <= null}')).to.equal(true);
    expect(run('${null < null}')).to.equal(false);
  });

  it('fails for types that cannot be ordered, naming them', () => {
    expect(failure('${true < 1}')).to.equal('Cannot compare boolean with number in expression: ${true < 1}');
    expect(failure('${d < s}', { d: new Date(0), s: 'x' })).to.contain('Cannot compare date with string');
    expect(failure('${o > 1}', { o: {} })).to.contain('Cannot compare object with number');
    expect(failure("${'abc' < 5}")).to.contain("Cannot coerce 'abc' to a number");
  });
});

describe('expression > el > operators > logical', () => {
  it('combines with && and, || or', () => {
    expect(run('${true && false}')).to.equal(false);
    expect(run('${true and true}')).to.equal(true);
    expect(run('${false || true}')).to.equal(true);
    expect(run('${false or false}')).to.equal(false);
  });

  it('negates with ! and not', () => {
    expect(run('${!true}')).to.equal(false);
    expect(run('${not false}')).to.equal(true);
    expect(run('${!!x}', { x: 'TRUE' })).to.equal(true);
  });

  it('coerces null, the empty string and true/false text', () => {
    expect(run('${n || true}', { n: null })).to.equal(true);
    expect(run('${!n}', { n: null })).to.equal(true);
    expect(run("${'' or false}")).to.equal(false);
    expect(run("${'True' && 'false'}")).to.equal(false);
  });

  it('fails on other strings and on numbers', () => {
    expect(failure("${'yes' && true}")).to.equal("Cannot coerce 'yes' to a boolean in expression: ${'yes' && true}");
    expect(failure('${1 || false}')).to.contain('Cannot coerce number 1 to a boolean');
  });

  it('short-circuits, so an unknown right-hand variable is never looked up', () => {
    // given: no variable `x`
    // when / then
    expect(run('${false && x}')).to.equal(false);
    expect(run('${true || x}')).to.equal(true);
    expect(run('${false and x.y[z]}')).to.equal(false);
  });

  it('does evaluate the right side when it decides the result', () => {
    expect(failure('${true && x}')).to.contain("Cannot resolve identifier 'x'");
  });
});

describe('expression > el > operators > empty', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['null', null, true],
    ['undefined', undefined, true],
    ['empty string', '', true],
    ['text', 'a', false],
    ['whitespace', ' ', false],
    ['empty array', [], true],
    ['array', [0], false],
    ['empty object', {}, true],
    ['object', { a: null }, false],
    ['empty map', new Map(), true],
    ['map', new Map([[1, 1]]), false],
    ['empty set', new Set(), true],
    ['zero', 0, false],
    ['false', false, false],
    ['date', new Date(0), false],
  ];
  for (const [label, value, expected] of cases) {
    it(`is ${expected} for ${label}`, () => {
      expect(run('${empty v}', { v: value })).to.equal(expected);
    });
  }

  it('works on a missing property and combines with not', () => {
    expect(run('${empty o.missing}', { o: {} })).to.equal(true);
    expect(run('${not empty list}', { list: [1] })).to.equal(true);
  });
});

describe('expression > el > operators > conditional', () => {
  it('picks a branch by the coerced condition', () => {
    expect(run("${ok ? 'yes' : 'no'}", { ok: true })).to.equal('yes');
    expect(run("${ok ? 'yes' : 'no'}", { ok: 'false' })).to.equal('no');
    expect(run("${n ? 'yes' : 'no'}", { n: null })).to.equal('no');
  });

  it('evaluates only the chosen branch', () => {
    expect(run('${true ? 1 : unknown}')).to.equal(1);
  });

  it('fails on a condition that is not boolean', () => {
    expect(failure("${'maybe' ? 1 : 2}")).to.contain("Cannot coerce 'maybe' to a boolean");
  });
});
