import { expect } from 'chai';
import { BadUserRequestError, MismatchingMessageCorrelationError } from '../../errors/index.js';
import { bpmn, completeTask, countRows, deployProcess, flow, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

/** Wraps a process with the message and signal declarations its events reference. */
function withDeclarations(xml: string, declarations: string): string {
  return xml.replace('</definitions>', `${declarations}\n</definitions>`);
}

const message = (id: string, name: string) => `<message id="${id}" name="${name}"/>`;
const signal = (id: string, name: string) => `<signal id="${id}" name="${name}"/>`;

describeOnDatabases('services - message correlation', (fixture) => {
  /** Case intake that waits for the regional platform's supervision notice (督办) after registration. */
  async function deploySupervisedCase(key: string): Promise<void> {
    await deployProcess(fixture().engine, withDeclarations(bpmn(key, `
      <startEvent id="start"/>${flow('start', 'notice')}
      <intermediateCatchEvent id="notice"><messageEventDefinition messageRef="msgNotice"/></intermediateCatchEvent>${flow('notice', 'handle')}
      <userTask id="handle"/>${flow('handle', 'end')}
      <endEvent id="end"/>`), message('msgNotice', `${key}_notice`)));
  }

  it('moves the one instance waiting with the business key on, with the message variables', async () => {
    // given
    const { engine } = fixture();
    await deploySupervisedCase('msg_catch');
    const target = await engine.runtimeService.startProcessInstanceByKey('msg_catch', { businessKey: 'LZ-2026-0001' });
    const other = await engine.runtimeService.startProcessInstanceByKey('msg_catch', { businessKey: 'LZ-2026-0002' });
    // when
    const results = await engine.runtimeService.correlateMessage({
      messageName: 'msg_catch_notice',
      businessKey: 'LZ-2026-0001',
      processVariables: { supervisor: 'region' },
    });
    // then
    expect(results).to.deep.equal([{ resultType: 'Execution', processInstanceId: target.id, executionId: results[0]?.executionId, processDefinitionId: target.definitionId }]);
    expect(await openTaskKeys(engine, target.id)).to.deep.equal(['handle']);
    expect(await openTaskKeys(engine, other.id)).to.deep.equal([]);
    expect(await engine.runtimeService.getVariable(target.id, 'supervisor')).to.equal('region');
    const [notice] = await engine.historyService.listActivityInstances({ processInstanceId: target.id, activityId: 'notice' });
    expect(notice).to.include({ activityType: 'intermediateMessageCatch', canceled: false });
  });

  it('correlates by process variables and by process instance id', async () => {
    // given
    const { engine } = fixture();
    await deploySupervisedCase('msg_keys');
    const manhole = await engine.runtimeService.startProcessInstanceByKey('msg_keys', { variables: { category: 'manhole', grid: 7 } });
    const lamp = await engine.runtimeService.startProcessInstanceByKey('msg_keys', { variables: { category: 'lamp', grid: 7 } });
    // when
    await engine.runtimeService.correlateMessage({ messageName: 'msg_keys_notice', correlationKeys: { category: 'manhole', grid: 7 } });
    await engine.runtimeService.correlateMessage({ messageName: 'msg_keys_notice', processInstanceId: lamp.id });
    // then
    expect(await openTaskKeys(engine, manhole.id)).to.deep.equal(['handle']);
    expect(await openTaskKeys(engine, lamp.id)).to.deep.equal(['handle']);
  });

  it('refuses a message that matches several instances without all, and reaches each with all', async () => {
    // given
    const { engine } = fixture();
    await deploySupervisedCase('msg_all');
    const first = await engine.runtimeService.startProcessInstanceByKey('msg_all', { variables: { grid: 3 } });
    const second = await engine.runtimeService.startProcessInstanceByKey('msg_all', { variables: { grid: 3 } });
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(engine.runtimeService.correlateMessage({ messageName: 'msg_all_notice', correlationKeys: { grid: 3 } }));
    // then
    expect(error).to.be.instanceOf(MismatchingMessageCorrelationError);
    expect(error.message).to.contain("'msg_all_notice'").and.to.contain('2 executions');
    expect(await countRows(engine)).to.deep.equal(before);
    // when
    const results = await engine.runtimeService.correlateMessage({ messageName: 'msg_all_notice', correlationKeys: { grid: 3 }, all: true });
    // then
    expect(results.map((r) => r.processInstanceId).sort()).to.deep.equal([first.id, second.id].sort());
  });

  it('reports a message that nothing waits for instead of dropping it', async () => {
    // given
    const { engine } = fixture();
    await deploySupervisedCase('msg_none');
    await engine.runtimeService.startProcessInstanceByKey('msg_none', { businessKey: 'A' });
    // when
    const error = await rejectionOf(engine.runtimeService.correlateMessage({ messageName: 'msg_none_notice', businessKey: 'B' }));
    // then
    expect(error).to.be.instanceOf(MismatchingMessageCorrelationError);
    expect(error.message).to.equal("Cannot correlate message 'msg_none_notice': No process definition or execution matches the parameters");
  });

  it('starts an instance at a message start event with the business key and variables', async () => {
    // given
    const { engine } = fixture();
    const definitionId = await deployProcess(engine, withDeclarations(bpmn('msg_start', `
      <startEvent id="reported"><messageEventDefinition messageRef="msgReported"/></startEvent>${flow('reported', 'register')}
      <userTask id="register"/>${flow('register', 'end')}
      <endEvent id="end"/>`), message('msgReported', 'sensor_alarm')));
    // when
    const [result] = await engine.runtimeService.correlateMessage({ messageName: 'sensor_alarm', businessKey: 'ALARM-9', processVariables: { sensor: 'well-12' } });
    // then
    expect(result).to.include({ resultType: 'ProcessDefinition', processDefinitionId: definitionId, executionId: null });
    const instanceId = result?.processInstanceId as string;
    expect(await openTaskKeys(engine, instanceId)).to.deep.equal(['register']);
    expect(await engine.runtimeService.getVariable(instanceId, 'sensor')).to.equal('well-12');
    const [historic] = await engine.historyService.listProcessInstances({ processInstanceId: instanceId });
    expect(historic).to.include({ businessKey: 'ALARM-9', startActivityId: 'reported' });
  });

  it('refuses to deploy a second process that starts on the same message', async () => {
    // given
    const { engine } = fixture();
    const starter = (key: string) => withDeclarations(bpmn(key, `
      <startEvent id="s"><messageEventDefinition messageRef="m"/></startEvent>${flow('s', 'e')}
      <endEvent id="e"/>`), message('m', 'duplicate_start'));
    await deployProcess(engine, starter('msg_dup_a'));
    // when
    const error = await rejectionOf(deployProcess(engine, starter('msg_dup_b')));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain("'duplicate_start'");
    // a new version of the same process may keep its message
    await deployProcess(engine, starter('msg_dup_a'));
  });

  it('moves a receive task on by its message and interrupts a task through a message boundary event', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, withDeclarations(bpmn('msg_receive', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'receipt')}${flow('fork', 'inspect')}
      <receiveTask id="receipt" messageRef="mReceipt"/>${flow('receipt', 'endA')}
      <userTask id="inspect"/>${flow('inspect', 'endB')}
      <boundaryEvent id="withdrawn" attachedToRef="inspect"><messageEventDefinition messageRef="mWithdrawn"/></boundaryEvent>${flow('withdrawn', 'endC')}
      <endEvent id="endA"/><endEvent id="endB"/><endEvent id="endC"/>`),
      `${message('mReceipt', 'receipt')}${message('mWithdrawn', 'withdrawn')}`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('msg_receive', { businessKey: 'R-1' });
    // when
    await engine.runtimeService.correlateMessage({ messageName: 'receipt', businessKey: 'R-1' });
    await engine.runtimeService.correlateMessage({ messageName: 'withdrawn', businessKey: 'R-1' });
    // then
    const [historic] = await engine.historyService.listProcessInstances({ processInstanceId: instance.id });
    expect(historic?.state).to.equal('COMPLETED');
    const ended = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityType: 'noneEndEvent' });
    expect(ended.map((a) => a.activityId).sort()).to.deep.equal(['endA', 'endC']);
    const [inspect] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'inspect' });
    expect(inspect?.deleteReason).to.contain('withdrawn');
  });

  it('keeps a task open when a non-interrupting message boundary event fires', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, withDeclarations(bpmn('msg_nonint', `
      <startEvent id="start"/>${flow('start', 'handle')}
      <userTask id="handle"/>${flow('handle', 'end')}
      <boundaryEvent id="urged" attachedToRef="handle" cancelActivity="false"><messageEventDefinition messageRef="mUrge"/></boundaryEvent>${flow('urged', 'note')}
      <userTask id="note"/>${flow('note', 'noted')}
      <endEvent id="end"/><endEvent id="noted"/>`), message('mUrge', 'urge')));
    const instance = await engine.runtimeService.startProcessInstanceByKey('msg_nonint', { businessKey: 'U-1' });
    // when: urged twice
    await engine.runtimeService.correlateMessage({ messageName: 'urge', businessKey: 'U-1' });
    await engine.runtimeService.correlateMessage({ messageName: 'urge', businessKey: 'U-1' });
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['handle', 'note', 'note']);
    // when the task completes, its boundary subscription goes with it
    await completeTask(engine, instance.id, 'handle');
    const error = await rejectionOf(engine.runtimeService.correlateMessage({ messageName: 'urge', businessKey: 'U-1' }));
    expect(error).to.be.instanceOf(MismatchingMessageCorrelationError);
  });
});

describeOnDatabases('services - signals', (fixture) => {
  it('reaches every waiting catch event and boundary event, and starts processes with a signal start event', async () => {
    // given: a typhoon warning (台风预警) stops field work and starts an emergency process
    const { engine } = fixture();
    await deployProcess(engine, withDeclarations(bpmn('sig_field', `
      <startEvent id="start"/>${flow('start', 'patrol')}
      <userTask id="patrol"/>${flow('patrol', 'end')}
      <boundaryEvent id="typhoon" attachedToRef="patrol"><signalEventDefinition signalRef="s"/></boundaryEvent>${flow('typhoon', 'shelter')}
      <userTask id="shelter"/>${flow('shelter', 'end2')}
      <endEvent id="end"/><endEvent id="end2"/>`), signal('s', 'typhoon_warning')));
    await deployProcess(engine, withDeclarations(bpmn('sig_wait', `
      <startEvent id="start"/>${flow('start', 'waitAllClear')}
      <intermediateCatchEvent id="waitAllClear"><signalEventDefinition signalRef="s"/></intermediateCatchEvent>${flow('waitAllClear', 'resume')}
      <userTask id="resume"/>${flow('resume', 'end')}
      <endEvent id="end"/>`), signal('s', 'typhoon_warning')));
    const emergencyDefinition = await deployProcess(engine, withDeclarations(bpmn('sig_emergency', `
      <startEvent id="warned"><signalEventDefinition signalRef="s"/></startEvent>${flow('warned', 'command')}
      <userTask id="command"/>${flow('command', 'end')}
      <endEvent id="end"/>`), signal('s', 'typhoon_warning')));
    const field = await engine.runtimeService.startProcessInstanceByKey('sig_field');
    const waiting = await engine.runtimeService.startProcessInstanceByKey('sig_wait');
    // when
    const reached = await engine.runtimeService.signalEventReceived({ name: 'typhoon_warning', variables: { level: 'red' } });
    // then
    expect(reached).to.equal(3);
    expect(await openTaskKeys(engine, field.id)).to.deep.equal(['shelter']);
    expect(await openTaskKeys(engine, waiting.id)).to.deep.equal(['resume']);
    const [emergency] = await engine.runtimeService.listProcessInstances({ processDefinitionId: emergencyDefinition });
    expect(await engine.runtimeService.getVariable(emergency?.id as string, 'level')).to.equal('red');
  });

  it('is thrown by an intermediate throw event and an end event to catchers in other instances and the same one', async () => {
    // given
    const { engine } = fixture();
    const declarations = `${signal('done', 'inspection_done')}${signal('closed', 'case_closed')}`;
    await deployProcess(engine, withDeclarations(bpmn('sig_throw', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'announce')}${flow('fork', 'listen')}
      <intermediateCatchEvent id="listen"><signalEventDefinition signalRef="done"/></intermediateCatchEvent>${flow('listen', 'heard')}
      <userTask id="heard"/>${flow('heard', 'endHeard')}
      <task id="announce"/>${flow('announce', 'throw')}
      <intermediateThrowEvent id="throw"><signalEventDefinition signalRef="done"/></intermediateThrowEvent>${flow('throw', 'finish')}
      <endEvent id="finish"><signalEventDefinition signalRef="closed"/></endEvent>
      <endEvent id="endHeard"/>`), declarations));
    await deployProcess(engine, withDeclarations(bpmn('sig_listener', `
      <startEvent id="start"/>${flow('start', 'waitClosed')}
      <intermediateCatchEvent id="waitClosed"><signalEventDefinition signalRef="closed"/></intermediateCatchEvent>${flow('waitClosed', 'archive')}
      <userTask id="archive"/>${flow('archive', 'end')}
      <endEvent id="end"/>`), declarations));
    const listener = await engine.runtimeService.startProcessInstanceByKey('sig_listener');
    // when
    const thrower = await engine.runtimeService.startProcessInstanceByKey('sig_throw');
    // then: the catch event in the thrower's own parallel branch heard it within the same command
    expect(await openTaskKeys(engine, thrower.id)).to.deep.equal(['heard']);
    expect(await openTaskKeys(engine, listener.id)).to.deep.equal(['archive']);
    const throws = await engine.historyService.listActivityInstances({ processInstanceId: thrower.id, activityType: 'intermediateSignalThrow' });
    expect(throws).to.have.length(1);
  });

  it('is not an error when nothing waits for it', async () => {
    // when
    const reached = await fixture().engine.runtimeService.signalEventReceived({ name: 'nobody_listens' });
    // then
    expect(reached).to.equal(0);
  });
});
