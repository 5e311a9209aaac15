import { expect } from 'chai';
import { Variables } from '../../variables/index.js';
import { bpmn, deployProcess, flow, openTask } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

/** Camunda's wire format for dates, in the server's zone (Asia/Shanghai in the tests). */
const CAMUNDA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0800$/;

type Json = Record<string, unknown>;

describeOnDatabases('api/engine-rest - history', (fixture) => {
  let rest: RestClient;

  before(async () => {
    rest = await startRestServer(fixture().engine);
    await deployProcess(fixture().engine, bpmn('rest_hist', `
      <startEvent id="start"/>${flow('start', 'review')}
      <userTask id="review" name="审核"/>${flow('review', 'end')}
      <endEvent id="end"/>`, 'name="历史"'));
  });

  after(async () => {
    await rest.server.close();
  });

  /** admin starts an instance with typed variables; `complete` also claims and completes the task as admin. */
  async function startCase(businessKey: string, complete: boolean) {
    const admin = fixture().engine.forUser('admin');
    const instance = await admin.runtimeService.startProcessInstanceByKey('rest_hist', {
      businessKey,
      variables: { amount: Variables.integer(7), details: Variables.json({ street: '解放路' }), reported: new Date('2026-03-01T02:00:00Z') },
    });
    if (complete) {
      const task = await openTask(fixture().engine, instance.id, 'review');
      await admin.taskService.claim(task.id, 'admin');
      await admin.taskService.complete(task.id);
    }
    return instance;
  }

  it('answers a finished historic process instance in Camunda\'s shape, by id and in lists', async () => {
    // given
    const done = await startCase('H-1', true);
    const running = await startCase('H-2', false);
    // when
    const byId = await rest.json<Json>(`/history/process-instance/${done.id}`);
    const finished = await rest.json<Json[]>('/history/process-instance?processDefinitionKey=rest_hist&finished=true');
    const unfinished = await rest.json<Json[]>('/history/process-instance?processDefinitionKey=rest_hist&unfinished=true');
    const active = await rest.json<{ count: number }>('/history/process-instance/count?processDefinitionKey=rest_hist&active=true');
    const posted = await rest.json<Json[]>('/history/process-instance', { body: { processInstanceIds: [done.id, running.id], sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] } });
    // then
    expect(byId).to.include({
      id: done.id, rootProcessInstanceId: done.id, superProcessInstanceId: null, processDefinitionKey: 'rest_hist',
      processDefinitionName: '历史', processDefinitionVersion: 1, processDefinitionId: done.definitionId, businessKey: 'H-1',
      startUserId: 'admin', startActivityId: 'start', deleteReason: null, tenantId: null, state: 'COMPLETED',
    });
    expect(byId.startTime).to.match(CAMUNDA_DATE);
    expect(byId.endTime).to.match(CAMUNDA_DATE);
    expect(byId.durationInMillis).to.be.a('number').at.least(0);
    expect(finished.map((i) => i.id)).to.deep.equal([done.id]);
    expect(unfinished.map((i) => [i.id, i.state, i.endTime])).to.deep.equal([[running.id, 'ACTIVE', null]]);
    expect(active.count).to.equal(1);
    expect(posted.map((i) => i.businessKey)).to.deep.equal(['H-2', 'H-1']);
  });

  it('lists activity instances in the order they ran, filtered like Camunda', async () => {
    // given
    const instance = await startCase('H-3', true);
    // when
    const activities = await rest.json<Json[]>(`/history/activity-instance?processInstanceId=${instance.id}&sortBy=occurrence&sortOrder=asc`);
    const tasks = await rest.json<Json[]>(`/history/activity-instance?processInstanceId=${instance.id}&activityType=userTask`);
    const count = await rest.json<{ count: number }>(`/history/activity-instance/count?processInstanceId=${instance.id}&finished=true`);
    // then
    expect(activities.map((a) => [a.activityId, a.activityType, a.completeScope])).to.deep.equal([
      ['start', 'startEvent', false], ['review', 'userTask', false], ['end', 'noneEndEvent', true],
    ]);
    expect(tasks[0]).to.include({ activityName: '审核', assignee: 'admin', processDefinitionKey: 'rest_hist', canceled: false, rootProcessInstanceId: instance.id });
    expect(tasks[0]?.taskId).to.be.a('string');
    expect(tasks[0]?.endTime).to.match(CAMUNDA_DATE);
    expect(count.count).to.equal(3);
  });

  it('lists historic tasks and variables, the values typed as the REST API writes them', async () => {
    // given
    const instance = await startCase('H-4', true);
    // when
    const [task] = await rest.json<Json[]>(`/history/task?processInstanceId=${instance.id}&finished=true`);
    const variables = await rest.json<Json[]>(`/history/variable-instance?processInstanceId=${instance.id}&sortBy=variableName&sortOrder=asc`);
    const count = await rest.json<{ count: number }>(`/history/variable-instance/count?processInstanceIdIn=${instance.id}&variableNameLike=am%25`);
    // then
    expect(task).to.include({ name: '审核', assignee: 'admin', taskDefinitionKey: 'review', processDefinitionKey: 'rest_hist', deleteReason: 'completed', priority: 50 });
    expect(task?.duration).to.be.a('number');
    expect(variables.map((v) => [v.name, v.type, v.value])).to.deep.equal([
      ['amount', 'Integer', 7],
      ['details', 'Json', '{"street":"解放路"}'],
      ['reported', 'Date', '2026-03-01T10:00:00.000+0800'],
    ]);
    expect(variables[0]).to.include({ state: 'CREATED', processInstanceId: instance.id, processDefinitionKey: 'rest_hist', rootProcessInstanceId: instance.id });
    expect(count.count).to.equal(1);
  });

  it('exposes the operation log of what users did', async () => {
    // given
    const instance = await startCase('H-5', true);
    // when
    const entries = await rest.json<Json[]>(`/history/user-operation?processInstanceId=${instance.id}&userId=admin&sortBy=timestamp&sortOrder=asc`);
    // then
    expect(entries.map((e) => e.operationType)).to.include.members(['Claim', 'Complete']);
    expect(entries[0]?.timestamp).to.match(CAMUNDA_DATE);
  });

  it('answers 404 for an unknown instance, 400 for bad parameters, 401 without credentials', async () => {
    const unknown = await rest.request('/history/process-instance/nope');
    expect(unknown.status).to.equal(404);
    expect(await unknown.json()).to.include({ type: 'NotFoundException' });
    for (const path of [
      '/history/process-instance?sortBy=colour&sortOrder=asc',
      '/history/process-instance?sortBy=startTime',
      '/history/process-instance?startedAfter=yesterday',
      '/history/process-instance?finished=maybe',
      '/history/process-instance?finished=true&unfinished=true',
      '/history/activity-instance?maxResults=-1',
      '/history/task?firstResult=x',
    ]) {
      const response = await rest.request(path);
      expect(response.status, path).to.equal(400);
      expect(await response.json(), path).to.include({ type: 'InvalidRequestException' });
    }
    expect((await rest.request('/history/task', { auth: null })).status).to.equal(401);
  });
});
