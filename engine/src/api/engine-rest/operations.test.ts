import { expect } from 'chai';
import { bpmn, deployProcess, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

type Json = Record<string, unknown>;

describeOnDatabases('api/engine-rest - incidents and jobs', (fixture) => {
  let rest: RestClient;

  before(async () => {
    rest = await startRestServer(fixture().engine);
    // an asynchronous continuation whose gateway finds no way on: the job fails every time it runs
    await deployProcess(fixture().engine, bpmn('rest_jobs', `
      <startEvent id="start"/>${flow('start', 'work')}
      <task id="work" camunda:asyncBefore="true"/>${flow('work', 'gw')}
      <exclusiveGateway id="gw"/>${flow('gw', 'end', '${go}')}
      <endEvent id="end"/>`));
    await deployProcess(fixture().engine, bpmn('rest_timer', `
      <startEvent id="start"/>${flow('start', 'wait')}
      <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>${flow('wait', 'end')}
      <endEvent id="end"/>`));
  });

  after(async () => {
    await rest.server.close();
  });

  it('lists jobs with Camunda\'s filters and answers one by id', async () => {
    // given
    const { engine } = fixture();
    const asyncInstance = await engine.runtimeService.startProcessInstanceByKey('rest_jobs', { variables: { go: true } });
    const timerInstance = await engine.runtimeService.startProcessInstanceByKey('rest_timer');
    // when
    const timers = await rest.json<Json[]>(`/job?processInstanceId=${timerInstance.id}&timers=true`);
    const messages = await rest.json<Json[]>(`/job?processInstanceId=${asyncInstance.id}&messages=true`);
    const dueLater = await rest.json<{ count: number }>(`/job/count?processDefinitionKey=rest_timer&dueDates=gt_2000-01-01T00:00:00.000%2B0800`);
    const posted = await rest.json<{ count: number }>('/job/count', { body: { processDefinitionKey: 'rest_timer', executable: true } });
    // then
    expect(timers).to.have.length(1);
    expect(timers[0]).to.include({ processInstanceId: timerInstance.id, processDefinitionKey: 'rest_timer', retries: 3, exceptionMessage: null, suspended: false });
    expect(timers[0]?.dueDate).to.match(/\+0800$/);
    expect(messages.map((j) => j.processInstanceId)).to.deep.equal([asyncInstance.id]);
    expect(dueLater.count).to.equal(1);
    expect(posted.count).to.equal(0);
    expect(await rest.json(`/job/${timers[0]?.id}`)).to.deep.equal(timers[0]);
  });

  it('executes a job (204), answers a failing one with 500 and its exception, and raises an incident at zero retries', async () => {
    // given
    const { engine } = fixture();
    const good = await engine.runtimeService.startProcessInstanceByKey('rest_jobs', { variables: { go: true } });
    const bad = await engine.runtimeService.startProcessInstanceByKey('rest_jobs', { variables: { go: false } });
    const [goodJob] = await rest.json<Json[]>(`/job?processInstanceId=${good.id}`);
    const [badJob] = await rest.json<Json[]>(`/job?processInstanceId=${bad.id}`);
    // when
    const executed = await rest.request(`/job/${goodJob?.id}/execute`, { method: 'POST' });
    const failed = await rest.request(`/job/${badJob?.id}/execute`, { method: 'POST' });
    const retried = await rest.request(`/job/${badJob?.id}/retries`, { method: 'PUT', body: { retries: 1 } });
    await rest.request(`/job/${badJob?.id}/execute`, { method: 'POST' });
    // then
    expect(executed.status).to.equal(204);
    expect(await engine.runtimeService.countProcessInstances({ processInstanceIds: [good.id] })).to.equal(0);
    expect(failed.status).to.equal(500);
    expect(failed.headers.get('content-type')).to.equal('application/json');
    const failure = (await failed.json()) as Json;
    expect(failure.type).to.be.a('string');
    expect(failure.message).to.contain('ENGINE-02004');
    expect(retried.status).to.equal(204);
    const job = await rest.json<Json>(`/job/${badJob?.id}`);
    expect(job).to.include({ retries: 0, failedActivityId: 'work' });
    expect(job.exceptionMessage).to.contain('ENGINE-02004');
    const stacktrace = await rest.request(`/job/${badJob?.id}/stacktrace`);
    expect(stacktrace.headers.get('content-type')).to.match(/^text\/plain/);
    expect(await stacktrace.text()).to.contain('ENGINE-02004');
    expect((await rest.json<{ count: number }>(`/job/count?processInstanceId=${bad.id}&noRetriesLeft=true&withException=true`)).count).to.equal(1);

    const incidents = await rest.json<Json[]>(`/incident?processInstanceId=${bad.id}`);
    expect(incidents).to.have.length(1);
    expect(incidents[0]).to.include({ incidentType: 'failedJob', activityId: 'work', configuration: badJob?.id, processInstanceId: bad.id });
    expect(incidents[0]?.incidentMessage).to.contain('ENGINE-02004');
    expect(incidents[0]?.incidentTimestamp).to.match(/\+0800$/);
    expect(await rest.json(`/incident/${incidents[0]?.id}`)).to.deep.equal(incidents[0]);
    expect(await rest.json(`/incident/count?incidentType=failedJob&processInstanceId=${bad.id}`)).to.deep.equal({ count: 1 });
    // and new retries resolve the incident
    await rest.request(`/job/${badJob?.id}/retries`, { method: 'PUT', body: { retries: 2 } });
    expect(await rest.json(`/incident/count?processInstanceId=${bad.id}`)).to.deep.equal({ count: 0 });
  });

  it('answers 404 for unknown jobs and incidents, 400 for bad input, 401 without credentials', async () => {
    for (const [method, path] of [['GET', '/job/nope'], ['POST', '/job/nope/execute'], ['GET', '/job/nope/stacktrace'], ['GET', '/incident/nope']] as const) {
      const response = await rest.request(path, { method });
      expect(response.status, path).to.equal(404);
      expect(await response.json(), path).to.include({ type: 'NotFoundException' });
    }
    expect((await rest.request('/job/nope/retries', { method: 'PUT', body: { retries: 2 } })).status).to.equal(404);
    for (const [method, path, body] of [
      ['PUT', '/job/any/retries', {}],
      ['PUT', '/job/any/retries', { retries: 'many' }],
      ['GET', '/job?dueDates=soon_2026-01-01T00:00:00.000%2B0800', undefined],
      ['GET', '/job?sortBy=colour&sortOrder=asc', undefined],
      ['GET', '/incident?sortBy=incidentType&sortOrder=up', undefined],
    ] as const) {
      const response = await rest.request(path, { method, body });
      expect(response.status, `${method} ${path}`).to.equal(400);
    }
    expect((await rest.request('/incident', { auth: null })).status).to.equal(401);
    expect((await rest.request('/job/nope/execute', { method: 'POST', auth: null })).status).to.equal(401);
  });
});
