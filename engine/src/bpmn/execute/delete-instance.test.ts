import { expect } from 'chai';
import { NotFoundError } from '../../errors/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, completeTask, countRows, deployProcess, flow, openTask, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';

const RUNTIME_TABLES = ['execution', 'task', 'task_candidate', 'external_task', 'variable', 'incident'];

/** Row counts of the runtime tables only: history is meant to grow. */
async function runtimeRows(engine: ProcessEngine): Promise<Record<string, number | undefined>> {
  const counts = await countRows(engine);
  return Object.fromEntries(RUNTIME_TABLES.map((table) => [table, counts[table]]));
}

describeOnDatabases('bpmn/execute - deleting an instance', (fixture) => {
  /** a task with candidates, an external task and a sub-process task, all open at once */
  const busy = (key: string, topic: string) =>
    bpmn(key, `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'review')}${flow('fork', 'geocode')}${flow('fork', 'handle')}
      <userTask id="review" camunda:candidateGroups="dispatch" camunda:candidateUsers="li.si"/>${flow('review', 'join')}
      <serviceTask id="geocode" camunda:type="external" camunda:topic="${topic}"/>${flow('geocode', 'join')}
      <subProcess id="handle">
        <extensionElements><camunda:inputOutput><camunda:inputParameter name="crew">night</camunda:inputParameter></camunda:inputOutput></extensionElements>
        <startEvent id="handleStart"/>${flow('handleStart', 'repair')}
        <userTask id="repair"/>${flow('repair', 'handleEnd')}
        <endEvent id="handleEnd"/>
      </subProcess>${flow('handle', 'join')}
      <parallelGateway id="join"/>${flow('join', 'end')}
      <endEvent id="end"/>`);

  it('removes every runtime row of the instance: executions, tasks, candidates, external tasks, variables', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, busy('del_runtime', 'del-runtime'));
    const before = await runtimeRows(engine);
    const instance = await engine.runtimeService.startProcessInstanceByKey('del_runtime', { variables: { caseNo: 'C-9' } });
    // when
    await engine.runtimeService.deleteProcessInstance(instance.id, 'duplicate report');
    // then
    expect(await runtimeRows(engine)).to.deep.equal(before);
    expect(await engine.taskService.listTasks({ processInstanceId: instance.id })).to.deep.equal([]);
    expect(await engine.externalTaskService.listExternalTasks({ processInstanceId: instance.id })).to.deep.equal([]);
    expect(await engine.runtimeService.listProcessInstances({ processInstanceIds: [instance.id] })).to.deep.equal([]);
    expect(await rejectionOf(engine.runtimeService.getActiveActivityIds(instance.id))).to.be.instanceOf(NotFoundError);
  });

  it('records the instance as EXTERNALLY_TERMINATED with the reason, every open activity as canceled, and who deleted it', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, busy('del_history', 'del-history'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('del_history');
    // when
    await engine.forUser('ops.admin').runtimeService.deleteProcessInstance(instance.id, 'duplicate report');
    // then
    const history = await engine.historyService.getProcessInstance(instance.id);
    expect(history).to.include({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'duplicate report', endActivityId: null });
    expect(history.endTime).to.be.instanceOf(Date);
    const tasks = await engine.historyService.listTasks({ processInstanceId: instance.id });
    expect(tasks.map((t) => [t.taskDefinitionKey, t.deleteReason]).sort()).to.deep.equal([
      ['repair', 'duplicate report'],
      ['review', 'duplicate report'],
    ]);
    expect(tasks.every((t) => t.endTime !== null)).to.equal(true);
    const canceled = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, canceled: true });
    expect(canceled.map((r) => r.activityId).sort()).to.deep.equal(['geocode', 'handle', 'repair', 'review']);
    expect(await engine.historyService.listActivityInstances({ processInstanceId: instance.id, finished: false })).to.deep.equal([]);
    const [entry] = await engine.historyService.listOperationLog({ processInstanceId: instance.id, operationType: 'Delete' });
    expect(entry).to.include({ entityType: 'ProcessInstance', userId: 'ops.admin', newValue: 'duplicate report' });
  });

  it('cancels a token waiting at a join and removes an open incident', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('del_join_incident', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'notify')}${flow('fork', 'approve')}${flow('fork', 'failed')}
      <task id="notify"/>${flow('notify', 'join')}
      <userTask id="approve"/>${flow('approve', 'join')}
      <parallelGateway id="join"/>${flow('join', 'end')}
      <endEvent id="end"/>
      <endEvent id="failed"><errorEventDefinition/></endEvent>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('del_join_incident');
    expect(await engine.managementService.listIncidents({ processInstanceId: instance.id })).to.have.length(1);
    // when
    await engine.runtimeService.deleteProcessInstance(instance.id, 'cleanup');
    // then
    expect(await engine.managementService.listIncidents({ processInstanceId: instance.id })).to.deep.equal([]);
    const canceled = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, canceled: true });
    expect(canceled.map((r) => r.activityId).sort()).to.deep.equal(['approve', 'failed', 'join']);
  });

  it('deletes an instance whose variables were changed in the same session of work before', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, busy('del_after_work', 'del-after-work'));
    const before = await runtimeRows(engine);
    const instance = await engine.runtimeService.startProcessInstanceByKey('del_after_work');
    await completeTask(engine, instance.id, 'repair', { repaired: true });
    await engine.runtimeService.setVariables(instance.id, { note: 'called twice' });
    // when
    await engine.runtimeService.deleteProcessInstance(instance.id, 'withdrawn');
    // then
    expect(await runtimeRows(engine)).to.deep.equal(before);
    expect((await engine.historyService.getProcessInstance(instance.id)).state).to.equal('EXTERNALLY_TERMINATED');
  });

  it('refuses to delete an instance that has already ended, leaving its history as it was', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('del_ended', `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review"/>${flow('review', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('del_ended');
    await engine.taskService.complete((await openTask(engine, instance.id, 'review')).id);
    // when
    const error = await rejectionOf(engine.runtimeService.deleteProcessInstance(instance.id, 'too late'));
    // then
    expect(error).to.be.instanceOf(NotFoundError);
    expect(error.message).to.equal(`Process instance '${instance.id}' does not exist or has ended`);
    expect(await engine.historyService.getProcessInstance(instance.id)).to.include({ state: 'COMPLETED', deleteReason: null });
  });
});
