import { expect } from 'chai';
import { bpmn, completeTask, deployProcess, fetchOne, flow, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { until } from '../../testing/until.js';

const HOUR = 3_600_000;

function withDeclarations(xml: string, declarations: string): string {
  return xml.replace('</definitions>', `${declarations}\n</definitions>`);
}

describeOnDatabases('bpmn/execute - error boundary events', (fixture) => {
  const errors = '<error id="errRejected" errorCode="REJECTED" name="rejected"/><error id="errOther" errorCode="OTHER"/>';

  it('catches an external task worker\'s BPMN error on the task, with code and message variables', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, withDeclarations(bpmn('err_ext', `
      <startEvent id="start"/>${flow('start', 'verify')}
      <serviceTask id="verify" camunda:type="external" camunda:topic="err_ext_verify"/>${flow('verify', 'end')}
      <boundaryEvent id="rejected" attachedToRef="verify">
        <errorEventDefinition errorRef="errRejected" camunda:errorCodeVariable="code" camunda:errorMessageVariable="reason"/>
      </boundaryEvent>${flow('rejected', 'rework')}
      <userTask id="rework"/>${flow('rework', 'end2')}
      <endEvent id="end"/><endEvent id="end2"/>`), errors));
    const instance = await engine.runtimeService.startProcessInstanceByKey('err_ext');
    const task = await fetchOne(engine, 'err_ext_verify');
    // when
    await engine.externalTaskService.handleBpmnError(task.id, { workerId: 'worker-1', errorCode: 'REJECTED', errorMessage: 'photo unclear', variables: { checkedBy: 'ocr' } });
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['rework']);
    expect(await engine.runtimeService.getVariable(instance.id, 'code')).to.equal('REJECTED');
    expect(await engine.runtimeService.getVariable(instance.id, 'reason')).to.equal('photo unclear');
    expect(await engine.runtimeService.getVariable(instance.id, 'checkedBy')).to.equal('ocr');
    expect(await engine.externalTaskService.listExternalTasks({ processInstanceId: instance.id })).to.deep.equal([]);
  });

  it('catches an error end event of a sub-process on the sub-process, preferring the boundary for its code', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, withDeclarations(bpmn('err_sub', `
      <startEvent id="start"/>${flow('start', 'sub')}
      <subProcess id="sub">
        <startEvent id="subStart"/>${flow('subStart', 'fork')}
        <parallelGateway id="fork"/>${flow('fork', 'check')}${flow('fork', 'other')}
        <userTask id="other"/>${flow('other', 'subEnd')}
        <userTask id="check"/>${flow('check', 'fail')}
        <endEvent id="fail"><errorEventDefinition errorRef="errRejected"/></endEvent>
        <endEvent id="subEnd"/>
      </subProcess>${flow('sub', 'end')}
      <boundaryEvent id="anyError" attachedToRef="sub"><errorEventDefinition/></boundaryEvent>${flow('anyError', 'generic')}
      <boundaryEvent id="rejected" attachedToRef="sub"><errorEventDefinition errorRef="errRejected"/></boundaryEvent>${flow('rejected', 'specific')}
      <userTask id="generic"/>${flow('generic', 'end2')}
      <userTask id="specific"/>${flow('specific', 'end3')}
      <endEvent id="end"/><endEvent id="end2"/><endEvent id="end3"/>`), errors));
    const instance = await engine.runtimeService.startProcessInstanceByKey('err_sub');
    // when
    await completeTask(engine, instance.id, 'check');
    // then: the whole sub-process, with its other branch, is cancelled
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['specific']);
    const [other] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'other' });
    expect(other?.endTime).to.not.equal(null);
    const [sub] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'sub' });
    expect(sub?.canceled).to.equal(true);
  });

  it('raises an incident for an error nothing catches, and the token stays', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, withDeclarations(bpmn('err_uncaught', `
      <startEvent id="start"/>${flow('start', 'verify')}
      <serviceTask id="verify" camunda:type="external" camunda:topic="err_uncaught_verify"/>${flow('verify', 'end')}
      <boundaryEvent id="other" attachedToRef="verify"><errorEventDefinition errorRef="errOther"/></boundaryEvent>${flow('other', 'end2')}
      <endEvent id="end"/><endEvent id="end2"/>`), errors));
    const instance = await engine.runtimeService.startProcessInstanceByKey('err_uncaught');
    const task = await fetchOne(engine, 'err_uncaught_verify');
    // when
    await engine.externalTaskService.handleBpmnError(task.id, { workerId: 'worker-1', errorCode: 'REJECTED' });
    // then
    const [incident] = await engine.managementService.listIncidents({ processInstanceId: instance.id });
    expect(incident).to.include({ incidentType: 'unhandledBpmnError', activityId: 'verify' });
    expect(incident?.message).to.contain("'REJECTED'").and.to.contain("external task 'verify'");
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['verify']);
  });

  it('refuses a BPMN error from a worker that does not hold the task', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('err_foreign', `
      <startEvent id="start"/>${flow('start', 'verify')}
      <serviceTask id="verify" camunda:type="external" camunda:topic="err_foreign_verify"/>${flow('verify', 'end')}
      <endEvent id="end"/>`));
    await engine.runtimeService.startProcessInstanceByKey('err_foreign');
    const task = await fetchOne(engine, 'err_foreign_verify');
    // when
    const error = await rejectionOf(engine.externalTaskService.handleBpmnError(task.id, { workerId: 'intruder', errorCode: 'X' }));
    // then
    expect(error.message).to.contain("locked by worker 'worker-1'");
  });
});

describeOnDatabases('bpmn/execute - event-based gateway', (fixture) => {
  /** After dispatch, the case waits for the field report (a message) or a four-hour deadline, whichever comes first. */
  async function startRace(key: string): Promise<string> {
    const { engine } = fixture();
    await deployProcess(engine, withDeclarations(bpmn(key, `
      <startEvent id="start"/>${flow('start', 'race')}
      <eventBasedGateway id="race"/>${flow('race', 'report')}${flow('race', 'deadline')}
      <intermediateCatchEvent id="report"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>${flow('report', 'verify')}
      <intermediateCatchEvent id="deadline"><timerEventDefinition><timeDuration>PT4H</timeDuration></timerEventDefinition></intermediateCatchEvent>${flow('deadline', 'escalate')}
      <userTask id="verify"/>${flow('verify', 'end')}
      <userTask id="escalate"/>${flow('escalate', 'end2')}
      <endEvent id="end"/><endEvent id="end2"/>`), `<message id="m" name="${key}_report"/>`));
    return (await engine.runtimeService.startProcessInstanceByKey(key, { businessKey: key })).id;
  }

  it('follows the message when it comes first and drops the timer', async () => {
    // given
    const { engine } = fixture();
    const instanceId = await startRace('ebg_message');
    expect(await engine.managementService.listJobs({ processInstanceId: instanceId })).to.have.length(1);
    // when
    await engine.runtimeService.correlateMessage({ messageName: 'ebg_message_report', businessKey: 'ebg_message' });
    // then
    expect(await openTaskKeys(engine, instanceId)).to.deep.equal(['verify']);
    expect(await engine.managementService.listJobs({ processInstanceId: instanceId })).to.deep.equal([]);
    const visited = await engine.historyService.listActivityInstances({ processInstanceId: instanceId, finished: true });
    expect(visited.map((a) => a.activityId)).to.include.members(['race', 'report']).and.not.include('deadline');
  });

  it('follows the timer when it fires first and drops the message subscription', async () => {
    // given
    const { engine, clock } = fixture();
    const instanceId = await startRace('ebg_timer');
    // when
    clock.advance(4 * HOUR + 1000);
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await openTaskKeys(engine, instanceId)).to.deep.equal(['escalate']);
    const error = await rejectionOf(engine.runtimeService.correlateMessage({ messageName: 'ebg_timer_report', businessKey: 'ebg_timer' }));
    expect(error.message).to.contain('No process definition or execution matches');
  });
});

describeOnDatabases('bpmn/execute - asynchronous continuations', (fixture) => {
  it('commits before an asyncBefore activity and runs it in a job', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('async_before', `
      <startEvent id="start"/>${flow('start', 'archive')}
      <userTask id="archive" camunda:asyncBefore="true"/>${flow('archive', 'end')}
      <endEvent id="end"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('async_before');
    // then: the token waits in front of the task, in a job
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal([]);
    const [job] = await engine.managementService.listJobs({ processInstanceId: instance.id });
    expect(job).to.include({ handlerType: 'async-continuation', activityId: 'archive', exclusive: true, retries: 3 });
    expect(await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'archive' })).to.deep.equal([]);
    // when
    await engine.jobExecutor.runDueJobs();
    // then
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal(['archive']);
  });

  it('keeps the completed step when what follows an asyncAfter activity fails', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('async_after', `
      <startEvent id="start"/>${flow('start', 'approve')}
      <userTask id="approve" camunda:asyncAfter="true"/>${flow('approve', 'decide')}
      <exclusiveGateway id="decide"/>${flow('decide', 'end', '${approved}')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('async_after');
    // when: the task completes without the variable the gateway needs
    await completeTask(engine, instance.id, 'approve');
    await engine.jobExecutor.runDueJobs();
    // then: the completion stands; the job failed and became an incident
    const [approve] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'approve' });
    expect(approve?.deleteReason).to.equal('completed');
    const [incident] = await engine.managementService.listIncidents({ processInstanceId: instance.id });
    expect(incident).to.include({ incidentType: 'failedJob', activityId: 'approve' });
    // when the data is fixed and the job retried
    await engine.runtimeService.setVariables(instance.id, { approved: true });
    const [job] = await engine.managementService.listJobs({ processInstanceId: instance.id });
    await engine.managementService.setJobRetries(job?.id as string, 1);
    await engine.jobExecutor.runDueJobs();
    // then
    const [historic] = await engine.historyService.listProcessInstances({ processInstanceId: instance.id });
    expect(historic?.state).to.equal('COMPLETED');
  });

  it('runs asynchronous jobs in the background when the job executor is active', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('async_background', `
      <startEvent id="start" camunda:asyncAfter="true"/>${flow('start', 'end')}
      <endEvent id="end"/>`));
    engine.jobExecutor.start();
    try {
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('async_background');
      // then: the executor wakes for the new job without waiting for its idle period
      const completed = await until('the instance to complete in the background', async () => {
        const [historic] = await engine.historyService.listProcessInstances({ processInstanceId: instance.id });
        return historic?.state === 'COMPLETED';
      }, 5000);
      expect(completed).to.equal(true);
    } finally {
      await engine.jobExecutor.stop();
    }
  });
});
