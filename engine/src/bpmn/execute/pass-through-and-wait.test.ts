import { expect } from 'chai';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import { bpmn, deployProcess, flow, openTask, openTaskKeys, rejectionOf, waitingExecutionId } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

describeOnDatabases('bpmn/execute - pass-through and wait elements', (fixture) => {
  const receiveThenReview = (key: string) =>
    bpmn(key, `
      <startEvent id="start"/>${flow('start', 'awaitPayment')}
      <receiveTask id="awaitPayment" name="Await payment"/>${flow('awaitPayment', 'review')}
      <userTask id="review"/>${flow('review', 'end')}
      <endEvent id="end"/>`);

  it('passes a token through none start, manual task, none task and intermediate none throw event to the end', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('pass_through', `
      <startEvent id="start"/>${flow('start', 'callCitizen')}
      <manualTask id="callCitizen" name="Phone the citizen"/>${flow('callCitizen', 'note')}
      <task id="note"/>${flow('note', 'reached')}
      <intermediateThrowEvent id="reached"/>${flow('reached', 'end')}
      <endEvent id="end"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('pass_through');
    // then
    expect(instance.ended).to.equal(true);
    const rows = await engine.historyService.listActivityInstances({ processInstanceId: instance.id });
    expect(rows.map((r) => [r.activityId, r.activityType])).to.deep.equal([
      ['start', 'startEvent'],
      ['callCitizen', 'manualTask'],
      ['note', 'task'],
      ['reached', 'intermediateNoneThrowEvent'],
      ['end', 'noneEndEvent'],
    ]);
    for (const row of rows) {
      expect(row.endTime, `end time of ${row.activityId}`).to.be.instanceOf(Date);
      expect(row.canceled, `canceled flag of ${row.activityId}`).to.equal(false);
      expect(row.parentActivityInstanceId, `parent of ${row.activityId}`).to.equal(instance.id);
    }
    expect(rows.find((r) => r.activityId === 'callCitizen')?.activityName).to.equal('Phone the citizen');
    const history = await engine.historyService.getProcessInstance(instance.id);
    expect(history).to.include({ state: 'COMPLETED', startActivityId: 'start', endActivityId: 'end' });
  });

  it('keeps a token waiting in a receive task until it is triggered', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, receiveThenReview('receive_waits'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('receive_waits');
    // then
    expect(instance.ended).to.equal(false);
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['awaitPayment']);
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal([]);
    const [waiting] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'awaitPayment' });
    expect(waiting).to.include({ activityType: 'receiveTask', endTime: null });
  });

  it('moves a triggered receive task on and stores the variables passed with the trigger', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, receiveThenReview('receive_trigger'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('receive_trigger');
    const executionId = await waitingExecutionId(engine, instance.id, 'awaitPayment');
    // when
    await engine.runtimeService.trigger(executionId, { paid: true, amount: 12.5 });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['review']);
    const variables = await engine.runtimeService.getVariables(instance.id);
    expect(variables.get('paid')?.value).to.equal(true);
    expect(variables.get('amount')?.value).to.equal(12.5);
    const [received] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'awaitPayment' });
    expect(received?.endTime).to.be.instanceOf(Date);
  });

  it('refuses to trigger an execution that waits in a user task, naming the activity, and leaves the task open', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('trigger_user_task', `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review"/>${flow('review', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('trigger_user_task');
    const task = await openTask(engine, instance.id, 'review');
    // when
    const error = await rejectionOf(engine.runtimeService.trigger(task.executionId, { forced: true }));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.equal(`Execution '${task.executionId}' is not waiting in a receive task but in userTask 'review'`);
    expect((await openTask(engine, instance.id, 'review')).id).to.equal(task.id);
    expect((await engine.runtimeService.getVariables(instance.id)).has('forced')).to.equal(false);
  });

  it('refuses a second trigger of a receive task that has already moved on', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, receiveThenReview('receive_twice'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('receive_twice');
    const executionId = await waitingExecutionId(engine, instance.id, 'awaitPayment');
    await engine.runtimeService.trigger(executionId);
    // when
    const error = await rejectionOf(engine.runtimeService.trigger(executionId));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain("is not waiting in a receive task but in userTask 'review'");
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['review']);
  });

  it('refuses to trigger an execution that does not exist', async () => {
    // given
    const { engine } = fixture();
    // when
    const error = await rejectionOf(engine.runtimeService.trigger('no-such-execution'));
    // then
    expect(error).to.be.instanceOf(NotFoundError);
    expect(error.message).to.equal("Execution 'no-such-execution' does not exist or has ended");
  });
});
