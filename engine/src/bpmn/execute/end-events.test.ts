import { expect } from 'chai';
import { NotFoundError } from '../../errors/index.js';
import { bpmn, completeTask, deployProcess, fetchOne, flow, openTask, openTaskKeys, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

/** `bpmn()` with root elements (errors, messages) declared next to the process. */
function withRootElements(xml: string, rootElements: string): string {
  return xml.replace('<process ', `${rootElements}\n  <process `);
}

describeOnDatabases('bpmn/execute - end events', (fixture) => {
  it('completes the instance at a none end event, recording the end activity in history', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('end_none', `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review"/>${flow('review', 'done')}
      <endEvent id="done"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('end_none', { variables: { caseNo: 'C-1' } });
    // when
    await completeTask(engine, instance.id, 'review');
    // then
    const history = await engine.historyService.getProcessInstance(instance.id);
    expect(history).to.include({ state: 'COMPLETED', endActivityId: 'done', deleteReason: null });
    expect(history.endTime).to.be.instanceOf(Date);
    expect(history.durationMs).to.be.at.least(0);
    const [end] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'done' });
    expect(end).to.include({ activityType: 'noneEndEvent', canceled: false });
    const error = await rejectionOf(engine.runtimeService.getActiveActivityIds(instance.id));
    expect(error).to.be.instanceOf(NotFoundError);
    expect(await engine.runtimeService.listProcessInstances({ processInstanceIds: [instance.id] })).to.deep.equal([]);
    expect((await engine.historyService.listVariables(instance.id)).map((v) => v.name), 'history keeps the variables').to.deep.equal(['caseNo']);
  });

  it('completes the instance only when the last of its tokens reached an end event', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('end_last_token', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'a')}${flow('fork', 'b')}
      <userTask id="a"/>${flow('a', 'endA')}
      <userTask id="b"/>${flow('b', 'endB')}
      <endEvent id="endA"/><endEvent id="endB"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('end_last_token');
    // when
    await completeTask(engine, instance.id, 'a');
    // then
    expect(await engine.historyService.getProcessInstance(instance.id)).to.include({ state: 'ACTIVE', endTime: null });
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['b']);
    // when
    await completeTask(engine, instance.id, 'b');
    // then
    expect(await engine.historyService.getProcessInstance(instance.id)).to.include({ state: 'COMPLETED', endActivityId: 'endB' });
  });

  describe('terminate end event at process level', () => {
    const emergency = (key: string, topic: string) =>
      bpmn(key, `
        <startEvent id="start"/>${flow('start', 'fork')}
        <parallelGateway id="fork"/>${flow('fork', 'review')}${flow('fork', 'geocode')}${flow('fork', 'decide')}
        <userTask id="review" camunda:candidateGroups="dispatch"/>${flow('review', 'reviewed')}
        <serviceTask id="geocode" camunda:type="external" camunda:topic="${topic}"/>${flow('geocode', 'located')}
        <userTask id="decide"/>${flow('decide', 'kill')}
        <endEvent id="reviewed"/><endEvent id="located"/>
        <endEvent id="kill"><terminateEventDefinition/></endEvent>`);

    it('cancels the other tokens: their tasks and external tasks disappear', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, emergency('end_terminate_work', 'end-terminate-work'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('end_terminate_work');
      const review = await openTask(engine, instance.id, 'review');
      // when
      await completeTask(engine, instance.id, 'decide');
      // then
      expect(await engine.taskService.listTasks({ processInstanceId: instance.id })).to.deep.equal([]);
      expect(await engine.taskService.getCandidates(review.id)).to.deep.equal([]);
      expect(await engine.externalTaskService.listExternalTasks({ processInstanceId: instance.id })).to.deep.equal([]);
      expect(await engine.runtimeService.listProcessInstances({ processInstanceIds: [instance.id] })).to.deep.equal([]);
    });

    it("records the cancelled work in history: task deleteReason 'terminated', activities canceled, instance COMPLETED", async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, emergency('end_terminate_history', 'end-terminate-history'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('end_terminate_history');
      // when
      await completeTask(engine, instance.id, 'decide');
      // then
      const [review] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'review' });
      expect(review?.deleteReason).to.equal('terminated');
      expect(review?.endTime).to.be.instanceOf(Date);
      const [decide] = await engine.historyService.listTasks({ processInstanceId: instance.id, taskDefinitionKey: 'decide' });
      expect(decide?.deleteReason).to.equal('completed');
      const canceled = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, canceled: true });
      expect(canceled.map((r) => r.activityId).sort()).to.deep.equal(['geocode', 'review']);
      expect(canceled.every((r) => r.endTime !== null)).to.equal(true);
      const [kill] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'kill' });
      expect(kill).to.include({ activityType: 'terminateEndEvent', canceled: false });
      expect(await engine.historyService.listActivityInstances({ processInstanceId: instance.id, finished: false })).to.deep.equal([]);
      const history = await engine.historyService.getProcessInstance(instance.id);
      expect(history).to.include({ state: 'COMPLETED', endActivityId: 'kill' });
    });

    it('cancels a token waiting at a parallel join as well', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('end_terminate_join', `
        <startEvent id="start"/>${flow('start', 'fork')}
        <parallelGateway id="fork"/>${flow('fork', 'notify')}${flow('fork', 'approve')}${flow('fork', 'veto')}
        <task id="notify"/>${flow('notify', 'join')}
        <userTask id="approve"/>${flow('approve', 'join')}
        <parallelGateway id="join"/>${flow('join', 'done')}
        <endEvent id="done"/>
        <userTask id="veto"/>${flow('veto', 'kill')}
        <endEvent id="kill"><terminateEventDefinition/></endEvent>`));
      const instance = await engine.runtimeService.startProcessInstanceByKey('end_terminate_join');
      // when
      await completeTask(engine, instance.id, 'veto');
      // then
      const [join] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'join' });
      expect(join?.canceled).to.equal(true);
      expect(join?.endTime).to.be.instanceOf(Date);
      expect(await engine.historyService.getProcessInstance(instance.id)).to.include({ state: 'COMPLETED', endActivityId: 'kill' });
      expect(await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'done' })).to.deep.equal([]);
    });
  });

  describe('error end event without a catching boundary event', () => {
    const failing = (key: string) =>
      withRootElements(
        bpmn(key, `
          <startEvent id="start"/>${flow('start', 'check')}
          <userTask id="check"/>${flow('check', 'notFound')}
          <endEvent id="notFound"><errorEventDefinition errorRef="addressError"/></endEvent>`),
        '<error id="addressError" errorCode="ADDRESS_NOT_FOUND" name="Address not found"/>',
      );

    it('raises an unhandledBpmnError incident naming the error code', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, failing('end_error_incident'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('end_error_incident');
      const check = await openTask(engine, instance.id, 'check');
      // when
      await engine.taskService.complete(check.id);
      // then
      const incidents = await engine.managementService.listIncidents({ processInstanceId: instance.id });
      expect(incidents).to.have.length(1);
      expect(incidents[0]).to.include({ incidentType: 'unhandledBpmnError', activityId: 'notFound', executionId: check.executionId });
      expect(incidents[0]?.message).to.contain("'ADDRESS_NOT_FOUND'").and.contain('Address not found').and.contain("'notFound'");
    });

    it('keeps the token at the end event: the instance does not end', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, failing('end_error_stays'));
      const instance = await engine.runtimeService.startProcessInstanceByKey('end_error_stays');
      // when
      await completeTask(engine, instance.id, 'check');
      // then
      expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['notFound']);
      expect(await engine.historyService.getProcessInstance(instance.id)).to.include({ state: 'ACTIVE', endTime: null, endActivityId: null });
      const [errorEnd] = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityId: 'notFound' });
      expect(errorEnd).to.include({ activityType: 'errorEndEvent', endTime: null });
    });

    it('says so when the error event names no error', async () => {
      // given
      const { engine } = fixture();
      await deployProcess(engine, bpmn('end_error_no_code', `
        <startEvent id="start"/>${flow('start', 'failed')}
        <endEvent id="failed"><errorEventDefinition/></endEvent>`));
      // when
      const instance = await engine.runtimeService.startProcessInstanceByKey('end_error_no_code');
      // then
      expect(instance.ended).to.equal(false);
      const [incident] = await engine.managementService.listIncidents({ processInstanceId: instance.id });
      expect(incident?.message).to.contain('(no error code)');
    });
  });

  it('keeps the other tokens running when one of them raised an unhandled error', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('end_error_others', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'failed')}${flow('fork', 'geocode')}
      <endEvent id="failed"><errorEventDefinition/></endEvent>
      <serviceTask id="geocode" camunda:type="external" camunda:topic="end-error-others"/>${flow('geocode', 'done')}
      <endEvent id="done"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('end_error_others');
    // when
    const task = await fetchOne(engine, 'end-error-others');
    await engine.externalTaskService.complete(task.id, 'worker-1');
    // then
    expect(await engine.runtimeService.getActiveActivityIds(instance.id)).to.deep.equal(['failed']);
    expect(await openTaskKeys(engine, instance.id)).to.deep.equal([]);
    expect(await engine.managementService.listIncidents({ processInstanceId: instance.id })).to.have.length(1);
  });
});
