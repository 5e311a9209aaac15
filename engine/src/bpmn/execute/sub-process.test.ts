import { expect } from 'chai';
import { ProcessEvaluationError } from '../../errors/index.js';
import { bpmn, completeTask, deployProcess, flow, openTask, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

describeOnDatabases('bpmn/execute - embedded sub-process', (fixture) => {
  it('enters the sub-process, runs its user task and continues after it once it completed', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('sub_basic', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <subProcess id="handle" name="Handle case">
        <startEvent id="handleStart"/>${flow('handleStart', 'fix')}
        <userTask id="fix"/>${flow('fix', 'handleEnd')}
        <endEvent id="handleEnd"/>
      </subProcess>${flow('handle', 'close')}
      <userTask id="close"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('sub_basic');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['fix']);
    const [scope] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'handle' });
    expect(scope).to.include({ activityType: 'subProcess', activityName: 'Handle case', endTime: null, parentActivityInstanceId: instance.id });
    const [inner] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'fix' });
    expect(inner?.parentActivityInstanceId, 'the inner task belongs to the sub-process instance').to.equal(scope?.id);
    // when
    await completeTask(engine, instance.id, 'fix');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['close']);
    const rows = await engine.historyService.listActivityInstances({ processInstanceId: instance.id });
    expect(rows.map((r) => r.activityId)).to.deep.equal(['start', 'handle', 'handleStart', 'fix', 'handleEnd', 'close']);
    expect(rows.filter((r) => r.activityId !== 'close').every((r) => r.endTime !== null && !r.canceled)).to.equal(true);
    expect(rows.find((r) => r.activityId === 'handleEnd')?.parentActivityInstanceId).to.equal(scope?.id);
  });

  it('propagates variables set by completing an inner task to the process instance, unless the sub-process holds them', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('sub_propagation', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <subProcess id="handle">
        <extensionElements><camunda:inputOutput>
          <camunda:inputParameter name="note">draft</camunda:inputParameter>
        </camunda:inputOutput></extensionElements>
        <startEvent id="handleStart"/>${flow('handleStart', 'write')}
        <userTask id="write"/>${flow('write', 'proofread')}
        <userTask id="proofread"/>${flow('proofread', 'handleEnd')}
        <endEvent id="handleEnd"/>
      </subProcess>${flow('handle', 'close')}
      <userTask id="close"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('sub_propagation', { variables: { note: 'original' } });
    // when
    await completeTask(engine, instance.id, 'write', { note: 'revised', verdict: 'ok' });
    // then
    const inside = await engine.taskService.getVariables((await openTask(engine, instance.id, 'proofread')).id);
    expect(inside.get('note')?.value, 'the sub-process keeps its own note').to.equal('revised');
    const outside = await engine.runtimeService.getVariables(instance.id);
    expect(outside.get('note')?.value).to.equal('original');
    expect(outside.get('verdict')?.value).to.equal('ok');
    // when
    await completeTask(engine, instance.id, 'proofread');
    // then
    const after = await engine.taskService.getVariables((await openTask(engine, instance.id, 'close')).id);
    expect(after.get('note')?.value).to.equal('original');
    expect(after.get('verdict')?.value).to.equal('ok');
  });

  describe('an input mapping on the sub-process', () => {
    const mapped = (key: string, afterwards: string) =>
      bpmn(key, `
        <startEvent id="start"/>${flow('start', 'handle')}
        <subProcess id="handle">
          <extensionElements><camunda:inputOutput>
            <camunda:inputParameter name="caseNote">inside</camunda:inputParameter>
          </camunda:inputOutput></extensionElements>
          <startEvent id="handleStart"/>${flow('handleStart', 'fix')}
          <userTask id="fix"/>${flow('fix', 'handleEnd')}
          <endEvent id="handleEnd"/>
        </subProcess>${flow('handle', 'close')}
        ${afterwards}`);

    it('creates a local variable that the activities inside see', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, mapped('sub_input_inside', '<userTask id="close"/>'));
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('sub_input_inside');
      // then
      const inside = await engine.taskService.getVariables((await openTask(engine, instance.id, 'fix')).id);
      expect(inside.get('caseNote')?.value).to.equal('inside');
      expect((await engine.runtimeService.getVariables(instance.id)).has('caseNote'), 'not on the process instance').to.equal(false);
    });

    it('leaves no trace of that variable once the sub-process ended, except in history', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, mapped('sub_input_gone', '<userTask id="close"/>'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('sub_input_gone');
      // when
      await completeTask(engine, instance.id, 'fix');
      // then
      const after = await engine.taskService.getVariables((await openTask(engine, instance.id, 'close')).id);
      expect(after.has('caseNote')).to.equal(false);
      const historic = await engine.historyService.listVariables(instance.id);
      expect(historic.map((v) => v.name)).to.deep.equal(['caseNote']);
    });

    it('does not let an expression after the sub-process read that variable', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, mapped('sub_input_unreadable', '<userTask id="close" camunda:assignee="${caseNote}"/>'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('sub_input_unreadable');
      // when
      const error = await rejectionOf(completeTask(engine, instance.id, 'fix'));
      // then
      expect(error).to.be.instanceOf(ProcessEvaluationError);
      expect(error.message).to.contain("Cannot resolve identifier 'caseNote'");
      expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['fix']);
    });

    it('keeps the input mapping of the activity that follows the sub-process', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, mapped('sub_input_next', `
        <userTask id="close">
          <extensionElements><camunda:inputOutput>
            <camunda:inputParameter name="closingNote">outside</camunda:inputParameter>
          </camunda:inputOutput></extensionElements>
        </userTask>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('sub_input_next');
      // when
      await completeTask(engine, instance.id, 'fix');
      // then
      const after = await engine.taskService.getVariables((await openTask(engine, instance.id, 'close')).id);
      expect(after.get('closingNote')?.value).to.equal('outside');
      expect(after.has('caseNote')).to.equal(false);
    });
  });

  it('ends only the sub-process tokens at a terminate end event inside it, and the instance continues', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('sub_terminate', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'inform')}${flow('fork', 'handle')}
      <userTask id="inform"/>${flow('inform', 'informed')}
      <endEvent id="informed"/>
      <subProcess id="handle">
        <startEvent id="handleStart"/>${flow('handleStart', 'innerFork')}
        <parallelGateway id="innerFork"/>${flow('innerFork', 'repair')}${flow('innerFork', 'cancelCheck')}
        <userTask id="repair"/>${flow('repair', 'repaired')}
        <endEvent id="repaired"/>
        <userTask id="cancelCheck"/>${flow('cancelCheck', 'abort')}
        <endEvent id="abort"><terminateEventDefinition/></endEvent>
      </subProcess>${flow('handle', 'close')}
      <userTask id="close"/>${flow('close', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('sub_terminate');
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['cancelCheck', 'inform', 'repair']);
    const repair = await openTask(engine, instance.id, 'repair');
    // when
    await completeTask(engine, instance.id, 'cancelCheck');
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['close', 'inform']);
    const [historicRepair] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'repair' });
    expect(historicRepair).to.include({ id: repair.id, deleteReason: 'terminated' });
    expect(historicRepair?.endTime).to.be.instanceOf(Date);
    const [repairActivity] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'repair' });
    expect(repairActivity?.canceled).to.equal(true);
    const [scope] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'handle' });
    expect(scope?.endTime).to.be.instanceOf(Date);
    expect(scope?.canceled, 'the sub-process itself completes').to.equal(false);
    const [abort] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'abort' });
    expect(abort).to.include({ activityType: 'terminateEndEvent', canceled: false });
    expect((await engine.historyService.getProcessInstance(instance.id)).state).to.equal('ACTIVE');
  });

  it('completes only after both of its parallel tokens ended', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('sub_parallel', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <subProcess id="handle">
        <startEvent id="handleStart"/>${flow('handleStart', 'innerFork')}
        <parallelGateway id="innerFork"/>${flow('innerFork', 'clean')}${flow('innerFork', 'paint')}
        <userTask id="clean"/>${flow('clean', 'cleaned')}
        <userTask id="paint"/>${flow('paint', 'painted')}
        <endEvent id="cleaned"/><endEvent id="painted"/>
      </subProcess>${flow('handle', 'close')}
      <userTask id="close"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('sub_parallel');
    // when
    await completeTask(engine, instance.id, 'paint');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['clean']);
    const [open] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'handle' });
    expect(open?.endTime).to.equal(null);
    // when
    await completeTask(engine, instance.id, 'clean');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['close']);
    const [ended] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'handle' });
    expect(ended?.endTime).to.be.instanceOf(Date);
  });

  it('runs a sub-process nested in a sub-process and completes both', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('sub_nested', `
      <startEvent id="start"/>${flow('start', 'outer')}
      <subProcess id="outer">
        <startEvent id="outerStart"/>${flow('outerStart', 'inner')}
        <subProcess id="inner">
          <startEvent id="innerStart"/>${flow('innerStart', 'work')}
          <userTask id="work"/>${flow('work', 'innerEnd')}
          <endEvent id="innerEnd"/>
        </subProcess>${flow('inner', 'outerEnd')}
        <endEvent id="outerEnd"/>
      </subProcess>${flow('outer', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('sub_nested');
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['work']);
    // when
    await completeTask(engine, instance.id, 'work');
    // then
    const history = await engine.historyService.getProcessInstance(instance.id);
    expect(history).to.include({ state: 'COMPLETED', endActivityId: 'end' });
    const rows = await engine.historyService.listActivityInstances({ processInstanceId: instance.id });
    const byId = new Map(rows.map((r) => [r.activityId, r]));
    expect(byId.get('work')?.parentActivityInstanceId).to.equal(byId.get('inner')?.id);
    expect(byId.get('inner')?.parentActivityInstanceId).to.equal(byId.get('outer')?.id);
    expect(rows.every((r) => r.endTime !== null)).to.equal(true);
  });
});
