import { expect } from 'chai';
import { bpmn, completeTask, deployProcess, flow, openTaskKeys } from '../../testing/bpmn.js';
import type { ProcessEngine } from '../../services/index.js';
import { describeOnDatabases } from '../../testing/databases.js';

/** History rows of one activity: how many tokens visited it and how many of those visits are still open. */
async function visits(engine: ProcessEngine, processInstanceId: string, activityId: string) {
  const rows = await engine.historyService.listActivityInstances({ processInstanceId, activityId });
  return { total: rows.length, open: rows.filter((r) => r.endTime === null).length, rows };
}

describeOnDatabases('bpmn/execute - parallel gateway', (fixture) => {
  const threeWay = (key: string) =>
    bpmn(key, `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'a')}${flow('fork', 'b')}${flow('fork', 'c')}
      <userTask id="a"/>${flow('a', 'join')}
      <userTask id="b"/>${flow('b', 'join')}
      <userTask id="c"/>${flow('c', 'join')}
      <parallelGateway id="join"/>${flow('join', 'after')}
      <userTask id="after"/>${flow('after', 'end')}
      <endEvent id="end"/>`);

  it('forks a token onto every outgoing flow', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, threeWay('and_fork'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('and_fork');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['a', 'b', 'c']);
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['a', 'b', 'c']);
    const tasks = await engine.taskService.listTasks({ processInstanceId: instance.id });
    expect(new Set(tasks.map((t) => t.executionId)).size, 'one token per branch').to.equal(3);
  });

  it('joins only after a token arrived on every incoming flow', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, threeWay('and_join_waits'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('and_join_waits');
    // when
    await completeTask(engine, instance.id, 'a');
    await completeTask(engine, instance.id, 'c');
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['b']);
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.include('b').and.not.include('after');
    expect((await visits(engine, instance.id, 'join')).open, 'tokens waiting at the join').to.equal(2);
    // when
    await completeTask(engine, instance.id, 'b');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['after']);
  });

  it('continues with a single token after the join, so what follows runs once', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, threeWay('and_single_token'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('and_single_token');
    // when
    for (const branch of ['b', 'a', 'c']) await completeTask(engine, instance.id, branch);
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['after']);
    await completeTask(engine, instance.id, 'after');
    const history = await engine.historyService.getProcessInstance(instance.id);
    expect(history).to.include({ state: 'COMPLETED', endActivityId: 'end' });
    expect((await visits(engine, instance.id, 'after')).total).to.equal(1);
    expect((await visits(engine, instance.id, 'end')).total).to.equal(1);
  });

  it('records one ended join activity instance per arriving token', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, threeWay('and_join_history'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('and_join_history');
    // when
    for (const branch of ['c', 'b', 'a']) await completeTask(engine, instance.id, branch);
    // then
    const join = await visits(engine, instance.id, 'join');
    expect(join.total).to.equal(3);
    expect(join.open).to.equal(0);
    expect(join.rows.every((r) => r.activityType === 'parallelGateway' && r.canceled === false)).to.equal(true);
    const fork = await visits(engine, instance.id, 'fork');
    expect(fork.total, 'the fork is entered by one token').to.equal(1);
  });

  it('joins a fork nested inside a branch before the outer join', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('and_nested', `
      <startEvent id="start"/>${flow('start', 'outerFork')}
      <parallelGateway id="outerFork"/>${flow('outerFork', 'inspect')}${flow('outerFork', 'innerFork')}
      <userTask id="inspect"/>${flow('inspect', 'outerJoin')}
      <parallelGateway id="innerFork"/>${flow('innerFork', 'photo')}${flow('innerFork', 'measure')}
      <userTask id="photo"/>${flow('photo', 'innerJoin')}
      <userTask id="measure"/>${flow('measure', 'innerJoin')}
      <parallelGateway id="innerJoin"/>${flow('innerJoin', 'report')}
      <userTask id="report"/>${flow('report', 'outerJoin')}
      <parallelGateway id="outerJoin"/>${flow('outerJoin', 'close')}
      <userTask id="close"/>${flow('close', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('and_nested');
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['inspect', 'measure', 'photo']);
    // when
    await completeTask(engine, instance.id, 'photo');
    await completeTask(engine, instance.id, 'inspect');
    // then: the inspect token waits at the outer join, the inner join still waits for measure
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['measure']);
    // when
    await completeTask(engine, instance.id, 'measure');
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['report']);
    // when
    await completeTask(engine, instance.id, 'report');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['close']);
    expect((await visits(engine, instance.id, 'innerJoin')).total).to.equal(2);
    expect((await visits(engine, instance.id, 'outerJoin')).total).to.equal(2);
  });

  it('waits at the join for a branch whose user task is completed later, though the other branch arrived at once', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('and_late_branch', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'notify')}${flow('fork', 'approve')}
      <task id="notify"/>${flow('notify', 'join')}
      <userTask id="approve"/>${flow('approve', 'join')}
      <parallelGateway id="join"/>${flow('join', 'end')}
      <endEvent id="end"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('and_late_branch');
    // then
    expect(instance.ended).to.equal(false);
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['approve']);
    expect(await visits(engine, instance.id, 'join')).to.include({ total: 1, open: 1 });
    // when
    await completeTask(engine, instance.id, 'approve');
    // then
    const history = await engine.historyService.getProcessInstance(instance.id);
    expect(history).to.include({ state: 'COMPLETED', endActivityId: 'end' });
    expect(await visits(engine, instance.id, 'join')).to.include({ total: 2, open: 0 });
  });

  it('passes a token straight through a gateway with one incoming and one outgoing flow', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('and_pass', `
      <startEvent id="start"/>${flow('start', 'gw')}
      <parallelGateway id="gw"/>${flow('gw', 'next')}
      <userTask id="next"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('and_pass');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['next']);
  });
});
