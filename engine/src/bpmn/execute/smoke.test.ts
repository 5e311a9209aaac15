import { expect } from 'chai';
import { bpmn, deployProcess, flow, openTask } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

describeOnDatabases('bpmn/execute - smoke', (fixture) => {
  it('runs start → user task → exclusive gateway → external task → end', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('smoke', `
      <startEvent id="start"/>${flow('start', 'register')}
      <userTask id="register" name="立案" camunda:candidateGroups="shift_leader"/>${flow('register', 'gw')}
      <exclusiveGateway id="gw" default="toEnd"/>
      ${flow('gw', 'handle', '${valid}')}
      <sequenceFlow id="toEnd" sourceRef="gw" targetRef="voided"/>
      <serviceTask id="handle" camunda:type="external" camunda:topic="case-handle"/>${flow('handle', 'closed')}
      <endEvent id="closed"/><endEvent id="voided"/>`));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('smoke', { businessKey: 'C-1' });
    const task = await openTask(engine, instance.id, 'register');
    await engine.taskService.complete(task.id, { valid: true });
    const [locked] = await engine.externalTaskService.fetchAndLock({ workerId: 'w1', maxTasks: 5, topics: [{ topicName: 'case-handle', lockDuration: 10_000 }] });
    // then
    expect(locked?.variables.get('valid')?.value).to.equal(true);
    await engine.externalTaskService.complete(locked!.id, 'w1', { result: 'done' });
    const history = await engine.historyService.getProcessInstance(instance.id);
    expect(history.state).to.equal('COMPLETED');
    expect(history.endActivityId).to.equal('closed');
  });
});
