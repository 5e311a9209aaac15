import { expect } from 'chai';
import { bpmn, deployProcess, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

interface ActivityInstanceJson {
  id: string;
  activityId: string;
  activityType: string;
  activityName: string | null;
  parentActivityInstanceId: string | null;
  processInstanceId: string;
  childActivityInstances: ActivityInstanceJson[];
  childTransitionInstances: { activityId: string; executionId: string; parentActivityInstanceId: string }[];
  executionIds: string[];
  incidentIds: string[];
}

describeOnDatabases('api/engine-rest - process instances', (fixture) => {
  let rest: RestClient;
  let definitionId: string;

  before(async () => {
    rest = await startRestServer(fixture().engine);
    definitionId = await deployProcess(fixture().engine, bpmn('pi_tree', `
      <startEvent id="start"/>${flow('start', 'fork')}
      <parallelGateway id="fork"/>${flow('fork', 'approve')}${flow('fork', 'sub')}${flow('fork', 'later')}
      <userTask id="approve" name="Approve"/>${flow('approve', 'join')}
      <subProcess id="sub" name="Checks">
        <startEvent id="subStart"/>${flow('subStart', 'check')}
        <userTask id="check"/>${flow('check', 'subEnd')}
        <endEvent id="subEnd"/>
      </subProcess>${flow('sub', 'join')}
      <userTask id="later" camunda:asyncBefore="true"/>${flow('later', 'join')}
      <parallelGateway id="join"/>${flow('join', 'end')}
      <endEvent id="end"/>`, 'name="Tree"'));
  });

  after(async () => {
    await rest.server.close();
  });

  const start = (businessKey: string) => fixture().engine.runtimeService.startProcessInstanceByKey('pi_tree', { businessKey, variables: { amount: 10 } });

  it('lists and counts instances by key, business key, activity and state, on GET and POST', async () => {
    // given
    const first = await start('PI-1');
    const second = await start('PI-2');
    // when
    const byKey = await rest.json<{ id: string; definitionId: string; links: unknown[] }[]>('/process-instance?processDefinitionKey=pi_tree&sortBy=businessKey&sortOrder=asc');
    const like = await rest.json<{ count: number }>('/process-instance/count?businessKeyLike=PI-%25&activityIdIn=check');
    const posted = await rest.json<{ id: string }[]>('/process-instance?maxResults=1', { body: { processInstanceIds: [second.id, first.id], businessKey: 'PI-2' } });
    const postedCount = await rest.json<{ count: number }>('/process-instance/count', { body: { processDefinitionId: definitionId } });
    const suspended = await rest.json<unknown[]>('/process-instance?suspended=true');
    const inactive = await rest.json<unknown[]>('/process-instance?active=false');
    const incidents = await rest.json<unknown[]>('/process-instance?withIncident=true');
    // then
    expect(byKey.map((i) => i.id)).to.include.ordered.members([first.id, second.id]);
    expect(byKey[0]).to.include({ definitionId, businessKey: 'PI-1', caseInstanceId: null, ended: false, suspended: false, tenantId: null });
    expect(like.count).to.be.at.least(2);
    expect(posted.map((i) => i.id)).to.deep.equal([second.id]);
    expect(postedCount.count).to.be.at.least(2);
    expect([suspended, inactive, incidents]).to.deep.equal([[], [], []]);
  });

  it('answers the activity instance tree: tokens, the sub-process scope, and an asynchronous continuation', async () => {
    // given
    const instance = await start('PI-tree');
    // when
    const tree = await rest.json<ActivityInstanceJson>(`/process-instance/${instance.id}/activity-instances`);
    // then
    expect(tree).to.include({ id: instance.id, activityId: definitionId, activityType: 'processDefinition', activityName: 'Tree', parentActivityInstanceId: null });
    expect(tree.executionIds).to.deep.equal([instance.id]);
    const children = Object.fromEntries(tree.childActivityInstances.map((c) => [c.activityId, c]));
    expect(Object.keys(children).sort()).to.deep.equal(['approve', 'sub']);
    expect(children.approve).to.include({ activityType: 'userTask', activityName: 'Approve', parentActivityInstanceId: instance.id });
    expect(children.approve?.executionIds).to.have.length(1);
    expect(children.sub?.activityType).to.equal('subProcess');
    expect(children.sub?.childActivityInstances.map((c) => [c.activityId, c.parentActivityInstanceId])).to.deep.equal([['check', children.sub?.id]]);
    expect(tree.childTransitionInstances.map((t) => [t.activityId, t.parentActivityInstanceId])).to.deep.equal([['later', instance.id]]);
  });

  it('reads, sets, replaces and deletes variables', async () => {
    // given
    const instance = await start('PI-vars');
    const path = `/process-instance/${instance.id}/variables`;
    // when
    const modified = await rest.request(path, {
      body: { modifications: { decided: { type: 'Date', value: '2026-03-01T09:30:00.000+0800' }, meta: { type: 'Json', value: '{"a":1}' } }, deletions: ['amount'] },
    });
    const put = await rest.request(`${path}/level`, { method: 'PUT', body: { type: 'Integer', value: 4 } });
    const all = await rest.json<Record<string, { type: string; value: unknown }>>(path);
    const level = await rest.json<{ type: string; value: unknown }>(`${path}/level`);
    const removed = await rest.request(`${path}/level`, { method: 'DELETE' });
    // then
    expect([modified.status, put.status, removed.status]).to.deep.equal([204, 204, 204]);
    expect(all).to.deep.equal({
      decided: { type: 'Date', value: '2026-03-01T09:30:00.000+0800', valueInfo: {} },
      meta: { type: 'Json', value: '{"a":1}', valueInfo: {} },
      level: { type: 'Integer', value: 4, valueInfo: {} },
    });
    expect(level).to.deep.include({ type: 'Integer', value: 4 });
    expect((await rest.request(`${path}/level`)).status).to.equal(404);
  });

  it('deletes an instance with 204, and answers 404 for it afterwards unless failIfNotExists=false', async () => {
    const instance = await start('PI-delete');
    expect((await rest.request(`/process-instance/${instance.id}`, { method: 'DELETE' })).status).to.equal(204);
    expect((await rest.request(`/process-instance/${instance.id}`)).status).to.equal(404);
    expect((await rest.request(`/process-instance/${instance.id}`, { method: 'DELETE' })).status).to.equal(404);
    expect((await rest.request(`/process-instance/${instance.id}?failIfNotExists=false`, { method: 'DELETE' })).status).to.equal(204);
    const [historic] = await fixture().engine.historyService.listProcessInstances({ processInstanceId: instance.id });
    expect(historic?.state).to.equal('EXTERNALLY_TERMINATED');
  });

  it('answers unknown ids with 404, bad input with 400 and no credentials with 401', async () => {
    const instance = await start('PI-errors');
    for (const path of ['/process-instance/nope', '/process-instance/nope/variables', '/process-instance/nope/variables/x', '/process-instance/nope/activity-instances']) {
      expect((await rest.request(path)).status, path).to.equal(404);
    }
    expect((await rest.request('/process-instance/nope/variables', { body: { modifications: {} } })).status).to.equal(404);
    for (const path of ['/process-instance?withIncident=perhaps', '/process-instance?sortBy=instanceId', '/process-instance?firstResult=x', '/process-instance?active=true&suspended=true']) {
      expect((await rest.request(path)).status, path).to.equal(400);
    }
    const badBodies = [
      { modifications: { n: { type: 'Integer', value: 'x' } } },
      { modifications: { n: { type: 'Date', value: 'tomorrow' } } },
      { modifications: { n: { type: 'Json', value: '{' } } },
      { deletions: 'amount' },
    ];
    for (const body of badBodies) {
      const response = await rest.request(`/process-instance/${instance.id}/variables`, { body });
      expect(response.status, JSON.stringify(body)).to.equal(400);
    }
    expect((await rest.request(`/process-instance/${instance.id}/variables/n`, { method: 'PUT', body: { type: 'Boolean', value: 'yes' } })).status).to.equal(400);
    expect((await rest.request('/process-instance', { auth: null })).status).to.equal(401);
    expect((await rest.request(`/process-instance/${instance.id}`, { method: 'DELETE', auth: null })).status).to.equal(401);
  });
});
