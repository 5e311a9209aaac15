import { expect } from 'chai';
import { compileExpression, variablesOf } from './index.js';

function run(source: string, variables: Record<string, unknown> = {}): unknown {
  return compileExpression(source).evaluate(variablesOf(variables));
}

describe('expression > el > identifiers and property access', () => {
  const order = {
    id: 'A-1',
    customer: { name: 'Li', address: { city: 'Hangzhou' } },
    lines: [{ sku: 'x', qty: 2 }, { sku: 'y', qty: 5 }],
    'odd key': 1,
    nothing: null,
  };

  it('resolves variables with their type', () => {
    const when = new Date('2024-01-01T00:00:00Z');
    expect(run('${starter}', { starter: 'demo' })).to.equal('demo');
    expect(run('${count}', { count: 3 })).to.equal(3);
    expect(run('${order}', { order })).to.equal(order);
    expect(run('${when}', { when })).to.equal(when);
    expect(run('${$x_1}', { $x_1: 'ok' })).to.equal('ok');
  });

  it('turns an undefined variable value into null', () => {
    expect(run('${v}', { v: undefined })).to.equal(null);
  });

  it('reads nested properties with dots and brackets', () => {
    expect(run('${order.customer.address.city}', { order })).to.equal('Hangzhou');
    expect(run("${order['customer'].name}", { order })).to.equal('Li');
    expect(run("${order['odd key']}", { order })).to.equal(1);
    expect(run('${order[key]}', { order, key: 'id' })).to.equal('A-1');
  });

  it('indexes arrays with numbers, numeric strings and expressions', () => {
    expect(run('${order.lines[1].qty}', { order })).to.equal(5);
    expect(run("${order.lines['0'].sku}", { order })).to.equal('x');
    expect(run('${order.lines[i + 1].sku}', { order, i: 0 })).to.equal('y');
    expect(run('${order.lines.length}', { order })).to.equal(2);
  });

  it('gives null for an index out of range or a non-index key', () => {
    expect(run('${order.lines[2]}', { order })).to.equal(null);
    expect(run('${order.lines[-1]}', { order })).to.equal(null);
    expect(run('${order.lines.first}', { order })).to.equal(null);
  });

  it('gives null for a missing key and for any property of null', () => {
    expect(run('${order.missing}', { order })).to.equal(null);
    expect(run('${order.nothing.deeper.still}', { order })).to.equal(null);
    expect(run('${order.missing[0]}', { order })).to.equal(null);
  });

  it('does not evaluate the index once the base is null', () => {
    // given: `unknown` is not a variable, which would fail if it were evaluated
    // when
    const value = run('${order.nothing[unknown]}', { order });
    // then
    expect(value).to.equal(null);
  });

  it('reads Map entries', () => {
    const settings = new Map<unknown, unknown>([['mode', 'fast'], [1, 'one']]);
    expect(run('${settings.mode}', { settings })).to.equal('fast');
    expect(run('${settings[1]}', { settings })).to.equal('one');
    expect(run('${settings.other}', { settings })).to.equal(null);
  });

  it('reads getters of class instances but hides Object.prototype members and methods', () => {
    class Execution {
      get processBusinessKey(): string {
        return 'BK-7';
      }
      getVariable(): string {
        return 'never';
      }
    }
    const execution = new Execution();
    expect(run('${execution.processBusinessKey}', { execution })).to.equal('BK-7');
    expect(run('${execution.getVariable}', { execution })).to.equal(null);
    expect(run('${order.constructor}', { order })).to.equal(null);
    expect(run("${order['__proto__']}", { order })).to.equal(null);
    expect(run('${order.toString}', { order })).to.equal(null);
  });

  it('gives null for properties of primitives', () => {
    expect(run('${s.length}', { s: 'abc' })).to.equal(null);
    expect(run('${n.x}', { n: 5 })).to.equal(null);
  });

  it('allows keywords as property names after a dot', () => {
    expect(run('${task.empty}', { task: { empty: 'yes' } })).to.equal('yes');
  });
});
