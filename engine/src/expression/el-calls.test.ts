import { expect } from 'chai';
import {
  compileExpression,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  hostObject,
  MAX_NESTING_DEPTH,
  variablesOf,
  type HostObject,
} from './index.js';

function run(source: string, variables: Record<string, unknown> = {}): unknown {
  return compileExpression(source).evaluate(variablesOf(variables));
}

function evaluationError(source: string, variables: Record<string, unknown>): ExpressionEvaluationError {
  try {
    run(source, variables);
  } catch (error) {
    expect(error).to.be.instanceOf(ExpressionEvaluationError);
    return error as ExpressionEvaluationError;
  }
  return expect.fail(`expected an evaluation error for ${source}`);
}

function syntaxReason(source: string): string {
  try {
    compileExpression(source);
  } catch (error) {
    expect(error).to.be.instanceOf(ExpressionSyntaxError);
    return (error as ExpressionSyntaxError).reason;
  }
  return expect.fail(`expected a syntax error for ${source}`);
}

/** An `execution` like the engine's: variable writes are collected, to be applied after evaluation. */
function fakeExecution(variables: Record<string, unknown> = {}): { execution: HostObject; writes: [string, unknown][] } {
  const writes: [string, unknown][] = [];
  const execution = hostObject(
    { id: 'exec-1', processBusinessKey: 'BK-7' },
    {
      getVariable: (name) => variables[String(name)],
      setVariable: (name, value) => {
        writes.push([String(name), value]);
      },
      getId: () => 'exec-1',
    },
  );
  return { execution, writes };
}

const NOT_A_HOST = 'only the methods of execution, task and other engine objects can be called';

describe('expression > el > method calls', () => {
  it('calls a method with arguments of any expression', () => {
    // given
    const { execution, writes } = fakeExecution();
    // when
    const result = run("${execution.setVariable('approved', amount < 1000 && !flagged)}", { execution, amount: 500, flagged: false });
    // then: a method without a result gives null, and the side effect was collected
    expect(result).to.equal(null);
    expect(writes).to.deep.equal([['approved', true]]);
  });

  it('calls methods without arguments and with results', () => {
    const { execution } = fakeExecution({ x: 42 });
    expect(run('${execution.getId()}', { execution })).to.equal('exec-1');
    expect(run("${execution.getVariable('x')}", { execution })).to.equal(42);
    expect(run("${execution.getVariable('missing')}", { execution })).to.equal(null);
  });

  it('names the method in brackets as well', () => {
    const { execution } = fakeExecution({ x: 42 });
    expect(run("${execution['getVariable']('x')}", { execution })).to.equal(42);
    expect(run("${execution[name]('x')}", { execution, name: 'getVariable' })).to.equal(42);
  });

  it('uses results anywhere a value can be used', () => {
    const { execution } = fakeExecution({ n: 2, who: 'Li' });
    expect(run("${execution.getVariable('n') * 10 > 15}", { execution })).to.equal(true);
    expect(run("Hello ${execution.getVariable('who')}!", { execution })).to.equal('Hello Li!');
    expect(run("${empty execution.getVariable('none') ? 'none' : 'some'}", { execution })).to.equal('none');
    expect(run("${execution.getVariable(execution.getVariable('who') == 'Li' ? 'n' : 'who')}", { execution })).to.equal(2);
  });

  it('chains calls and property reads', () => {
    // given
    const order = { lines: [{ sku: 'x' }] };
    const task = hostObject(
      { name: 'Review' },
      { getExecution: () => fakeExecution({ order }).execution, getSelf: () => task },
    );
    // then
    expect(run("${task.getExecution().getVariable('order').lines[0].sku}", { task })).to.equal('x');
    expect(run('${task.getSelf().getSelf().name}', { task })).to.equal('Review');
  });

  it('evaluates the target, then the arguments from left to right, then calls', () => {
    // given
    const calls: unknown[] = [];
    const log = hostObject({}, { add: (...args) => calls.push(args) });
    // when
    run('${log.add(log.add(1), log.add(2))}', { log });
    // then
    expect(calls).to.deep.equal([[1], [2], [1, 2]]);
  });

  it('evaluates one compiled expression against different host objects', () => {
    const expression = compileExpression("${execution.getVariable('x')}");
    expect(expression.evaluate(variablesOf({ execution: fakeExecution({ x: 1 }).execution }))).to.equal(1);
    expect(expression.evaluate(variablesOf({ execution: fakeExecution({ x: 2 }).execution }))).to.equal(2);
  });

  it('calls Camunda-style listener expressions', () => {
    // given
    let assignee: unknown = null;
    const task = hostObject({ id: 'task-1' }, { setAssignee: (user) => (assignee = user) });
    // when
    run('${task.setAssignee(initiator)}', { task, initiator: 'demo' });
    // then
    expect(assignee).to.equal('demo');
  });
});

describe('expression > el > host objects', () => {
  it('reads properties, never methods', () => {
    // given: a property and a method that share a name
    const task = hostObject({ id: 'task-1', name: 'property' }, { name: () => 'method', complete: () => null });
    // then
    expect(run('${task.id}', { task })).to.equal('task-1');
    expect(run('${task.name}', { task })).to.equal('property');
    expect(run('${task.name()}', { task })).to.equal('method');
    expect(run('${task.complete}', { task })).to.equal(null);
    expect(run("${task['complete']}", { task })).to.equal(null);
  });

  it('shows only the properties as text and to FEEL', () => {
    const { execution } = fakeExecution();
    expect(run('Execution ${execution}', { execution })).to.equal('Execution {"id":"exec-1","processBusinessKey":"BK-7"}');
    expect(run('= execution.processBusinessKey', { execution })).to.equal('BK-7');
    expect(run('= execution.getId', { execution })).to.equal(null);
  });

  it('keeps getters live', () => {
    // given
    const state = { assignee: 'a' };
    const task = hostObject(
      {
        get assignee() {
          return state.assignee;
        },
      },
      { setAssignee: (user) => (state.assignee = String(user)) },
    );
    // when
    const result = run("${task.setAssignee('b') == 'b' && task.assignee == 'b'}", { task });
    // then
    expect(result).to.equal(true);
  });

  it('is a frozen copy, so neither the properties object nor copies of the host can be called', () => {
    // given
    const properties = { id: 'exec-1' };
    const execution = hostObject(properties, { getId: () => 'exec-1' });
    // then
    expect(execution).not.to.equal(properties);
    expect(Object.isFrozen(execution)).to.equal(true);
    expect(evaluationError('${properties.getId()}', { properties }).message).to.contain(NOT_A_HOST);
    expect(evaluationError('${copy.getId()}', { copy: { ...execution } }).message).to.contain(NOT_A_HOST);
    expect(evaluationError('${copy.getId()}', { copy: JSON.parse(JSON.stringify(execution)) }).message).to.contain(NOT_A_HOST);
  });

  it('rejects a method the host does not have, listing those it has', () => {
    const { execution } = fakeExecution();
    expect(evaluationError("${execution.setVariabel('a', 1)}", { execution }).message).to.equal(
      "Cannot call 'setVariabel' on execution: it has no such method (available: getVariable, setVariable, getId) in expression: ${execution.setVariabel('a', 1)}",
    );
    expect(evaluationError('${bare.x()}', { bare: hostObject({ x: 1 }, {}) }).message).to.contain(
      "Cannot call 'x' on bare: it has no such method (available: none)",
    );
  });

  it('rejects Object.prototype members and functions among the properties', () => {
    // given
    const { execution } = fakeExecution();
    const withFunction = hostObject({ run: () => 'ran' }, {});
    // then
    for (const source of [
      '${execution.toString()}',
      '${execution.constructor()}',
      "${execution['__proto__']()}",
      "${execution.hasOwnProperty('id')}",
      '${execution.valueOf()}',
    ]) {
      expect(evaluationError(source, { execution }).message, source).to.contain('it has no such method');
    }
    expect(evaluationError('${withFunction.run()}', { withFunction }).message).to.contain("Cannot call 'run' on withFunction");
    expect(run('${execution.constructor}', { execution })).to.equal(null);
  });
});

describe('expression > el > calls on ordinary values', () => {
  it('rejects methods of strings, naming the method and the target', () => {
    expect(evaluationError('${name.toUpperCase()}', { name: 'li' }).message).to.equal(
      `Cannot call 'toUpperCase' on name: ${NOT_A_HOST} in expression: \${name.toUpperCase()}`,
    );
    expect(evaluationError("${'a'.toString()}", {}).message).to.contain(`Cannot call 'toString' on 'a': ${NOT_A_HOST}`);
  });

  it('rejects methods of arrays, plain objects, maps, dates and numbers', () => {
    const values = {
      list: [1, 2],
      order: { id: 'A-1' },
      settings: new Map([['mode', 'fast']]),
      when: new Date(0),
      count: 3,
    };
    for (const source of [
      '${list.push(3)}',
      "${list.join(',')}",
      "${order.hasOwnProperty('id')}",
      '${order.constructor()}',
      "${settings.get('mode')}",
      '${when.getTime()}',
      '${count.toFixed(2)}',
      '${true.toString()}',
    ]) {
      expect(evaluationError(source, values).message, source).to.contain(NOT_A_HOST);
    }
    expect(values.list).to.deep.equal([1, 2]);
  });

  it('never calls a function stored in a variable or in a property', () => {
    // given
    let called = false;
    const steal = (): void => {
      called = true;
    };
    class Service {
      run(): void {
        called = true;
      }
    }
    // then
    expect(syntaxReason('${steal()}')).to.contain('function calls are not supported');
    expect(evaluationError('${holder.steal()}', { holder: { steal } }).message).to.contain(NOT_A_HOST);
    expect(evaluationError("${holder['steal']()}", { holder: { steal } }).message).to.contain(NOT_A_HOST);
    expect(evaluationError('${service.run()}', { service: new Service() }).message).to.contain(NOT_A_HOST);
    expect(evaluationError('${steal.call()}', { steal }).message).to.contain(NOT_A_HOST);
    expect(called).to.equal(false);
  });

  it('fails on a null target instead of giving null, as JUEL does', () => {
    const { execution } = fakeExecution();
    expect(evaluationError('${execution.parent.getId()}', { execution }).message).to.equal(
      "Cannot call 'getId' on execution.parent: it is null in expression: ${execution.parent.getId()}",
    );
    expect(evaluationError('${nothing.getId()}', { nothing: null }).message).to.contain("Cannot call 'getId' on nothing: it is null");
  });

  it('does not evaluate the arguments of a call that cannot happen', () => {
    // given
    const { execution, writes } = fakeExecution();
    // when
    evaluationError("${name.concat(execution.setVariable('x', 1))}", { execution, name: 'li' });
    // then
    expect(writes).to.deep.equal([]);
  });
});

describe('expression > el > method call errors', () => {
  it('propagates the message of an error thrown by a method and keeps it as the cause', () => {
    // given
    const refused = new Error('assignee must be text');
    const task = hostObject(
      {},
      {
        setAssignee: () => {
          throw refused;
        },
      },
    );
    // when
    const error = evaluationError('${task.setAssignee(42)}', { task });
    // then
    expect(error.message).to.equal('Cannot evaluate expression: ${task.setAssignee(42)}. Cause: assignee must be text');
    expect(error.cause).to.equal(refused);
  });

  it('rejects bare function calls and calls of anything but a property', () => {
    const reason = "function calls are not supported in expressions, only methods of engine objects such as execution.getVariable('name')";
    expect(syntaxReason('${f(x)}')).to.equal(reason);
    expect(syntaxReason('${f()}')).to.equal(reason);
    expect(syntaxReason('${(a.b)(1)}')).to.equal(reason);
    expect(syntaxReason('${a.b()()}')).to.equal(reason);
    expect(syntaxReason("${'text'(1)}")).to.equal(reason);
  });

  it('reports malformed argument lists', () => {
    expect(syntaxReason('${a.b(1}')).to.equal("unexpected end of expression, expected ',' or ')'");
    expect(syntaxReason('${a.b(1 2)}')).to.equal("unexpected number 2, expected ',' or ')'");
    expect(syntaxReason('${a.b(1,)}')).to.equal("unexpected ')'");
    expect(syntaxReason('${a.b(,)}')).to.equal("unexpected ','");
    expect(syntaxReason('${a.(1)}')).to.equal("unexpected '(', expected a property name after '.'");
  });

  it('keeps the nesting limit for calls inside arguments', () => {
    const source = `\${${'a.f('.repeat(MAX_NESTING_DEPTH)}1${')'.repeat(MAX_NESTING_DEPTH)}}`;
    expect(syntaxReason(source)).to.contain(`nested more than ${MAX_NESTING_DEPTH}`);
  });

  it('evaluates a long chain of calls without overflowing the stack', () => {
    // given: 2,000 chained calls, close to the length limit
    const chain: HostObject = hostObject({ end: 'reached' }, { f: () => chain });
    // when
    const result = run(`\${chain${'.f()'.repeat(2000)}.end}`, { chain });
    // then
    expect(result).to.equal('reached');
  });
});
