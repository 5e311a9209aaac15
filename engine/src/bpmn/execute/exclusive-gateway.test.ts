import { expect } from 'chai';
import { ProcessEvaluationError } from '../../errors/index.js';
import { bpmn, completeTask, countRows, deployProcess, flow, openTask, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

describeOnDatabases('bpmn/execute - exclusive gateway', (fixture) => {
  /**
   * Both conditions hold for large amounts; the flow listed first in the document is 'z_large',
   * whose id sorts last, so only document order can make it win.
   */
  const triage = (key: string) =>
    bpmn(key, `
      <startEvent id="start"/>${flow('start', 'gw')}
      <exclusiveGateway id="gw" default="toSmall"/>
      ${flow('gw', 'large', '${amount > 1000}', 'z_large')}
      ${flow('gw', 'medium', '${amount > 100}', 'a_medium')}
      <sequenceFlow id="toSmall" sourceRef="gw" targetRef="small"/>
      <userTask id="large"/><userTask id="medium"/><userTask id="small"/>`);

  it('takes the first flow in document order whose condition holds', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, triage('xor_first_wins'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('xor_first_wins', { variables: { amount: 5000 } });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['large']);
    const [gateway] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'gw' });
    expect(gateway).to.include({ activityType: 'exclusiveGateway' });
    expect(gateway?.endTime).to.be.instanceOf(Date);
  });

  it('takes a later flow when only its condition holds', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, triage('xor_second'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('xor_second', { variables: { amount: 500 } });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['medium']);
  });

  it('takes the default flow when no condition holds', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, triage('xor_default'));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('xor_default', { variables: { amount: 5 } });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['small']);
  });

  it('never takes the default flow while a condition holds, even when the default is listed first', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('xor_default_first', `
      <startEvent id="start"/>${flow('start', 'gw')}
      <exclusiveGateway id="gw" default="toOther"/>
      <sequenceFlow id="toOther" sourceRef="gw" targetRef="other"/>
      ${flow('gw', 'matched', '${kind == "noise"}')}
      <userTask id="other"/><userTask id="matched"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('xor_default_first', { variables: { kind: 'noise' } });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['matched']);
  });

  describe('when no flow can be taken', () => {
    const review = (key: string) =>
      bpmn(key, `
        <startEvent id="start"/>${flow('start', 'review')}
        <userTask id="review"/>${flow('review', 'decide')}
        <exclusiveGateway id="decide"/>
        ${flow('decide', 'approved', "${decision == 'approve'}")}
        ${flow('decide', 'rejected', "${decision == 'reject'}")}
        <userTask id="approved"/><endEvent id="rejected"/>`);

    it('fails the command with ENGINE-02004 naming the gateway', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, review('xor_no_match'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('xor_no_match');
      const task = await openTask(engine, instance.id, 'review');
      // when
      const error = await rejectionOf(engine.taskService.complete(task.id, { decision: 'maybe' }));
      // then
      expect(error).to.be.instanceOf(ProcessEvaluationError);
      expect(error.message).to.match(/^ENGINE-02004 /);
      expect(error.message).to.contain("the element with id 'decide'");
    });

    it('leaves the instance as it was: same wait state, task open, no history of the attempt', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, review('xor_rollback'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('xor_rollback');
      const task = await openTask(engine, instance.id, 'review');
      const before = await countRows(engine);
      // when
      await rejectionOf(engine.taskService.complete(task.id, { decision: 'maybe' }));
      // then
      expect(await countRows(engine)).to.deep.equal(before);
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['review']);
      expect((await openTask(engine, instance.id, 'review')).id).to.equal(task.id);
      const [historicTask] = await engine.historyService.listTasks({ processInstanceId: instance.id });
      expect(historicTask).to.include({ endTime: null, deleteReason: null });
      expect(await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'decide' })).to.deep.equal([]);
      expect(await engine.historyService.listVariableUpdates(instance.id, 'decision')).to.deep.equal([]);
      expect((await engine.runtimeService.getVariables(instance.id)).has('decision')).to.equal(false);
    });

    it('lets the same task be completed afterwards with a decision that matches', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, review('xor_retry'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('xor_retry');
      const task = await openTask(engine, instance.id, 'review');
      await rejectionOf(engine.taskService.complete(task.id, { decision: 'maybe' }));
      // when
      await engine.taskService.complete(task.id, { decision: 'approve' });
      // then
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['approved']);
      expect(await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'decide' })).to.have.length(1);
    });
  });

  it('evaluates FEEL conditions written with a leading =', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('xor_feel', `
      <startEvent id="start"/>${flow('start', 'gw')}
      <exclusiveGateway id="gw"/>
      ${flow('gw', 'large', '=amount > 100')}
      ${flow('gw', 'small', '=amount <= 100')}
      <userTask id="large"/><userTask id="small"/>`));
    // when
    const big = await engine.runtimeService.startProcessInstanceByKey('xor_feel', { variables: { amount: 250 } });
    const little = await engine.runtimeService.startProcessInstanceByKey('xor_feel', { variables: { amount: 100 } });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(big.id)).to.deep.equal(['large']);
    expect(await engine.runtimeService.getActiveActivityIds(little.id)).to.deep.equal(['small']);
  });

  it('evaluates a condition declared as language="feel" without the leading =', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('xor_feel_language', `
      <startEvent id="start"/>${flow('start', 'gw')}
      <exclusiveGateway id="gw" default="toOther"/>
      <sequenceFlow id="toPark" sourceRef="gw" targetRef="park">
        <conditionExpression xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="tFormalExpression" language="feel">district = "east" and count(reports) &gt;= 2</conditionExpression>
      </sequenceFlow>
      <sequenceFlow id="toOther" sourceRef="gw" targetRef="other"/>
      <userTask id="park"/><userTask id="other"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('xor_feel_language', {
      variables: { district: 'east', reports: ['r1', 'r2'] },
    });
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['park']);
  });

  it('fails clearly when a condition evaluates to something other than a boolean, and starts nothing', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('xor_not_boolean', `
      <startEvent id="start"/>${flow('start', 'gw')}
      <exclusiveGateway id="gw" default="toOther"/>
      ${flow('gw', 'counted', '${amount}', 'byAmount')}
      <sequenceFlow id="toOther" sourceRef="gw" targetRef="other"/>
      <userTask id="counted"/><userTask id="other"/>`));
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(engine.runtimeService.startProcessInstanceByKey('xor_not_boolean', { variables: { amount: 5 } }));
    // then
    expect(error).to.be.instanceOf(ProcessEvaluationError);
    expect(error.message).to.equal("Condition of sequence flow 'byAmount' (${amount}) evaluated to 5, not a boolean");
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('fails clearly when a condition names a variable that does not exist, keeping the task open', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('xor_unknown_variable', `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review"/>${flow('review', 'gw')}
      <exclusiveGateway id="gw" default="toOther"/>
      ${flow('gw', 'urgent', '${priorty > 3}', 'byPriority')}
      <sequenceFlow id="toOther" sourceRef="gw" targetRef="other"/>
      <userTask id="urgent"/><userTask id="other"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('xor_unknown_variable');
    // when
    const error = await rejectionOf(completeTask(engine, instance.id, 'review', { priority: 5 }));
    // then
    expect(error).to.be.instanceOf(ProcessEvaluationError);
    expect(error.message).to.contain("Condition of sequence flow 'byPriority' failed").and.contain("Cannot resolve identifier 'priorty'");
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['review']);
  });
});
