import { expect } from 'chai';
import { NotFoundError } from '../errors/index.js';
import { bpmn, deployProcess, flow, openTask, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';

/** start → 立案 (user task) → decide → 处置 (external task) → end; a rejected case ends at `voided`. */
function caseProcess(key: string): string {
  return bpmn(key, `
      <startEvent id="start" name="上报"/>${flow('start', 'register')}
      <userTask id="register" name="立案" camunda:candidateGroups="shift_leader"/>${flow('register', 'decide')}
      <exclusiveGateway id="decide" default="toVoided"/>
      ${flow('decide', 'handle', '${valid}')}
      <sequenceFlow id="toVoided" sourceRef="decide" targetRef="voided"/>
      <serviceTask id="handle" name="处置" camunda:type="external" camunda:topic="${key}-handle"/>${flow('handle', 'closed')}
      <endEvent id="closed" name="结案"/><endEvent id="voided"/>`, 'name="案件处置"');
}

describeOnDatabases('services - history', (fixture) => {
  /** Runs one case through: alice starts, claims and registers it, a worker handles it. */
  async function runCase(key: string, businessKey: string) {
    const { engine, clock } = fixture();
    const alice = engine.forUser('alice');
    const instance = await alice.runtimeService.startProcessInstanceByKey(key, { businessKey, variables: { reporter: '王五' } });
    const task = await openTask(engine, instance.id, 'register');
    await alice.taskService.claim(task.id, 'alice');
    clock.advance(5_000);
    await alice.taskService.complete(task.id, { valid: true });
    const [work] = await engine.externalTaskService.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: `${key}-handle`, lockDuration: 60_000 }] });
    await engine.externalTaskService.complete(work!.id, 'w1', { result: '已处置' });
    return { instance, task };
  }

  it('records the finished process instance: who started it, where it began and ended, how long it took', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, caseProcess('hs_instance'), 'hs_instance.bpmn');
    // when
    const { instance } = await runCase('hs_instance', 'C-100');
    // then
    const history = await engine.historyService.getProcessInstance(instance.id);
    expect({
      key: history.processDefinitionKey,
      definition: history.processDefinitionId,
      businessKey: history.businessKey,
      startUserId: history.startUserId,
      startActivityId: history.startActivityId,
      endActivityId: history.endActivityId,
      state: history.state,
      deleteReason: history.deleteReason,
    }).to.deep.equal({
      key: 'hs_instance',
      definition: instance.definitionId,
      businessKey: 'C-100',
      startUserId: 'alice',
      startActivityId: 'start',
      endActivityId: 'closed',
      state: 'COMPLETED',
      deleteReason: null,
    });
    expect(history.durationMs).to.equal(history.endTime!.getTime() - history.startTime.getTime());
    expect(history.durationMs).to.be.within(5_000, 15_000);
    expect(await rejectionOf(engine.runtimeService.getProcessInstance(instance.id))).to.be.instanceOf(NotFoundError);
    const leftovers = await engine.database.read((sql) =>
      Promise.all(['execution', 'task', 'task_candidate', 'external_task', 'variable'].map(async (table) =>
        Number((await sql.select(`SELECT COUNT(*) AS n FROM ${table} WHERE process_instance_id = $1`, [instance.id]))[0]?.n))),
    );
    expect(leftovers).to.deep.equal([0, 0, 0, 0, 0]);
  });

  it('records every activity instance in the order the token passed them', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, caseProcess('hs_activities'), 'hs_activities.bpmn');
    // when
    const { instance, task } = await runCase('hs_activities', 'C-200');
    // then
    const activities = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, sortBy: 'sequence' });
    expect(activities.map((a) => [a.activityId, a.activityType, a.activityName, a.endTime !== null, a.canceled])).to.deep.equal([
      ['start', 'startEvent', '上报', true, false],
      ['register', 'userTask', '立案', true, false],
      ['decide', 'exclusiveGateway', null, true, false],
      ['handle', 'serviceTask', '处置', true, false],
      ['closed', 'noneEndEvent', '结案', true, false],
    ]);
    const register = activities[1]!;
    expect([register.taskId, register.assignee, register.parentActivityInstanceId]).to.deep.equal([task.id, 'alice', instance.id]);
    expect(register.durationMs).to.be.within(5_000, 15_000);
    const sequence = activities.map((a) => a.sequenceCounter);
    expect(sequence).to.deep.equal([...sequence].sort((a, b) => a - b));
    const descending = await engine.historyService.listActivityInstances({ processInstanceId: instance.id, sortBy: 'sequence', sortOrder: 'desc' });
    expect(descending.map((a) => a.activityId)).to.deep.equal(['closed', 'handle', 'decide', 'register', 'start']);
    expect((await engine.historyService.listActivityInstances({ processInstanceId: instance.id, activityType: 'userTask' })).map((a) => a.activityId)).to.deep.equal(['register']);
  });

  it('records the task with its assignee, times and reason, and finds it by its filters', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, caseProcess('hs_tasks'), 'hs_tasks.bpmn');
    const open = await engine.runtimeService.startProcessInstanceByKey('hs_tasks', { businessKey: 'C-301' });
    // when
    const { instance, task } = await runCase('hs_tasks', 'C-300');
    // then
    const [historic] = await engine.historyService.listTasks({ processInstanceId: instance.id });
    expect({
      id: historic?.id,
      name: historic?.name,
      assignee: historic?.assignee,
      key: historic?.taskDefinitionKey,
      reason: historic?.deleteReason,
      priority: historic?.priority,
    }).to.deep.equal({ id: task.id, name: '立案', assignee: 'alice', key: 'register', reason: 'completed', priority: 50 });
    expect(historic?.durationMs).to.equal(historic!.endTime!.getTime() - historic!.startTime.getTime());
    expect(historic?.durationMs).to.be.within(5_000, 15_000);
    expect((await engine.historyService.listTasks({ processInstanceId: open.id, finished: false })).map((t) => t.endTime)).to.deep.equal([null]);
    expect(await engine.historyService.listTasks({ processInstanceId: open.id, finished: true })).to.deep.equal([]);
    expect((await engine.historyService.listTasks({ assignee: 'alice', taskDefinitionKey: 'register', finished: true })).map((t) => t.id)).to.include(task.id);
  });

  it('keeps the last value of every variable and each of its updates', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, caseProcess('hs_variables'), 'hs_variables.bpmn');
    // when
    const { instance } = await runCase('hs_variables', 'C-400');
    // then
    const variables = await engine.historyService.listVariables(instance.id);
    expect(variables.map((v) => [v.name, v.type, v.state, v.textValue ?? v.longValue])).to.deep.equal([
      ['reporter', 'string', 'CREATED', '王五'],
      ['result', 'string', 'CREATED', '已处置'],
      ['valid', 'boolean', 'CREATED', 1],
    ]);
    const updates = await engine.historyService.listVariableUpdates(instance.id);
    expect(updates.map((u) => [u.name, u.revision])).to.have.deep.members([['reporter', 1], ['valid', 1], ['result', 1]]);
    expect(updates.find((u) => u.name === 'result')?.activityInstanceId).to.be.a('string');
  });

  it('logs what a user did, with who and what changed, and nothing for the system', async () => {
    // given
    const { engine } = fixture();
    const { deployedProcessDefinitions: [definition], deployment } = await engine.forUser('admin').repositoryService.deploy({
      name: 'hs-log',
      resources: [{ name: 'hs_log.bpmn', content: caseProcess('hs_log') }],
    });
    // when
    const { instance, task } = await runCase('hs_log', 'C-500');
    await engine.runtimeService.startProcessInstanceByKey('hs_log', { businessKey: 'by-system' });
    // then
    const log = await engine.historyService.listOperationLog({ processInstanceId: instance.id });
    expect(log.map((e) => [e.userId, e.entityType, e.operationType, e.property, e.orgValue, e.newValue, e.taskId])).to.have.deep.members([
      ['alice', 'ProcessInstance', 'Create', null, null, null, null],
      ['alice', 'Task', 'Claim', 'assignee', null, 'alice', task.id],
      ['alice', 'Task', 'Complete', null, null, null, task.id],
    ]);
    expect(log.every((e) => e.processDefinitionId === definition!.id)).to.equal(true);
    const [deployed] = await engine.historyService.listOperationLog({ userId: 'admin' });
    expect([deployed?.entityType, deployed?.operationType, deployed?.deploymentId]).to.deep.equal(['Deployment', 'Create', deployment.id]);
    const system = await engine.historyService.listProcessInstances({ businessKey: 'by-system' });
    expect(await engine.historyService.listOperationLog({ processInstanceId: system[0]!.id })).to.deep.equal([]);
    const byAlice = await engine.historyService.listOperationLog({ userId: 'alice', processInstanceId: instance.id, operationType: 'Claim' });
    expect(byAlice).to.have.length(1);
  });

  it('finds historic process instances by key, business key, state and whether they finished', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, caseProcess('hs_query'), 'hs_query.bpmn');
    const { instance: done } = await runCase('hs_query', 'Q-1');
    const running = await engine.runtimeService.startProcessInstanceByKey('hs_query', { businessKey: 'Q-2' });
    const deleted = await engine.runtimeService.startProcessInstanceByKey('hs_query', { businessKey: 'Q-3' });
    await engine.runtimeService.deleteProcessInstance(deleted.id, 'withdrawn');
    const ids = async (query: Parameters<typeof engine.historyService.listProcessInstances>[0]) =>
      (await engine.historyService.listProcessInstances({ processDefinitionKey: 'hs_query', sortBy: 'businessKey', ...query })).map((i) => i.id);
    // when / then
    expect(await ids({})).to.deep.equal([done.id, running.id, deleted.id]);
    expect(await ids({ finished: true })).to.deep.equal([done.id, deleted.id]);
    expect(await ids({ finished: false })).to.deep.equal([running.id]);
    expect(await ids({ state: 'COMPLETED' })).to.deep.equal([done.id]);
    expect(await ids({ state: 'EXTERNALLY_TERMINATED' })).to.deep.equal([deleted.id]);
    expect(await ids({ businessKey: 'Q-2' })).to.deep.equal([running.id]);
    expect(await ids({ sortOrder: 'desc', maxResults: 1 })).to.deep.equal([deleted.id]);
    expect(await rejectionOf(engine.historyService.getProcessInstance('never-started'))).to.be.instanceOf(NotFoundError);
  });
});
