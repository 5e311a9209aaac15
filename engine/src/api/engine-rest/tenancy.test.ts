import { expect } from 'chai';
import type { OpenAPIV3 } from 'openapi-types';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE, TEST_USER_PASSWORD } from '../../testing/organisation.js';
import { basicAuth, startRestServer, type RestClient } from '../../testing/rest.js';

const { city, countyA, countyB } = TENANT_TREE;
const IDENTITY_ROUTES = ['/user', '/group', '/tenant'];
const READ_ALL = ['process:read', 'instance:read', 'task:read', 'external-task:read', 'external-task:work', 'history:read', 'instance:manage', 'identity:read'];

/** A case in county B that leaves a row in every runtime and history table: a task, an external task with an incident, a timer job, variables. */
const COUNTY_CASE = bpmn('county_case', `
  <startEvent id="start"/>${flow('start', 'fork')}
  <parallelGateway id="fork"/>${flow('fork', 'review')}${flow('fork', 'notify')}${flow('fork', 'wait')}
  <userTask id="review"/>${flow('review', 'end1')}<endEvent id="end1"/>
  <serviceTask id="notify" camunda:type="external" camunda:topic="county-notify"/>${flow('notify', 'end2')}<endEvent id="end2"/>
  <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>${flow('wait', 'end3')}<endEvent id="end3"/>`);

describeOnDatabases('api/engine-rest - tenant isolation on every list and get', (fixture) => {
  let rest: RestClient;
  /** ids of county B's rows, by the `{id}` route that answers them */
  const countyBIds = new Map<string, string>();
  /** ids of the city's own case, which no county may see */
  const cityIds = new Map<string, string>();
  const as = (userId: string) => basicAuth(userId, TEST_USER_PASSWORD);

  before(async () => {
    const { engine } = fixture();
    rest = await startRestServer(engine);
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'reader', permissions: READ_ALL },
        { tenantId: city, code: 'supervisor', permissions: READ_ALL, seesDescendants: true },
        { tenantId: countyA, code: 'reader', permissions: READ_ALL },
        { tenantId: countyB, code: 'reader', permissions: READ_ALL },
      ],
      users: [
        { id: 'city-reader', tenantId: city, roles: ['reader'] },
        { id: 'city-supervisor', tenantId: city, roles: ['supervisor'] },
        { id: 'a-reader', tenantId: countyA, roles: ['reader'] },
        { id: 'b-reader', tenantId: countyB, roles: ['reader'] },
      ],
    });
    const cityDeployment = await engine.repositoryService.deploy({ name: 'city', tenantId: city, resources: [{ name: 'city.bpmn', content: COUNTY_CASE }] });
    const cityInstance = await engine.runtimeService.startProcessInstanceByKey('county_case', { tenantId: city });
    const [cityTask] = await engine.taskService.listTasks({ processInstanceId: cityInstance.id });
    cityIds.set('/deployment/{id}', cityDeployment.deployment.id).set('/process-instance/{id}', cityInstance.id).set('/task/{id}', cityTask!.id);
    const deployment = await engine.repositoryService.deploy({ name: 'county', tenantId: countyB, resources: [{ name: 'county.bpmn', content: COUNTY_CASE }] });
    const instance = await engine.runtimeService.startProcessInstanceByKey('county_case', { tenantId: countyB, variables: { street: '迎宾路' } });
    const definition = deployment.deployedProcessDefinitions[0]!;
    // the city's case waits on the same topic: take county B's task
    const [locked] = await engine.externalTaskService.fetchAndLock({
      workerId: 'w', maxTasks: 1, topics: [{ topicName: 'county-notify', lockDuration: 60_000, processDefinitionId: definition.id }],
    });
    await engine.externalTaskService.handleFailure(locked!.id, { workerId: 'w', errorMessage: 'down', retries: 0 });
    const [task] = await engine.taskService.listTasks({ processInstanceId: instance.id });
    const [job] = await engine.managementService.listJobs({ processInstanceId: instance.id });
    const [incident] = await engine.managementService.listIncidents({ processInstanceId: instance.id });
    for (const [route, id] of Object.entries({
      '/process-definition/{id}': definition.id,
      '/process-definition/{id}/xml': definition.id,
      '/deployment/{id}': deployment.deployment.id,
      '/deployment/{id}/resources': deployment.deployment.id,
      '/process-instance/{id}': instance.id,
      '/process-instance/{id}/variables': instance.id,
      '/process-instance/{id}/activity-instances': instance.id,
      '/history/process-instance/{id}': instance.id,
      '/task/{id}': task!.id,
      '/task/{id}/variables': task!.id,
      '/external-task/{id}': locked!.id,
      '/incident/{id}': incident!.id,
      '/job/{id}': job!.id,
      '/execution/{id}/localVariables': instance.id,
    })) {
      countyBIds.set(route, id);
    }
  });

  after(async () => {
    await rest.server.close();
  });

  /** Every GET list route of the OpenAPI document (no path parameter), with its paging-free query. */
  async function listRoutes(): Promise<string[]> {
    const document = await rest.json<OpenAPIV3.Document>('/openapi.json');
    return Object.entries(document.paths)
      .filter(([path, item]) => item?.get && !path.includes('{') && !['/version', '/openapi.json', '/identity/groups'].includes(path))
      .map(([path]) => path);
  }

  /** Every id of county B's (and the city's, when asked) in the JSON answer of a route, wherever it sits. */
  function leaked(body: unknown, hidden: readonly Map<string, string>[] = [countyBIds]): string[] {
    const text = JSON.stringify(body);
    return [...new Set(hidden.flatMap((ids) => [...ids.values()]))].filter((id) => text.includes(id));
  }

  it('shows a county none of a sibling county’s or the city’s rows on any list, and 0 on every count', async () => {
    const routes = await listRoutes();
    expect(routes).to.include.members(['/task', '/process-instance', '/external-task', '/history/task', '/job', '/incident', '/deployment']);
    for (const path of routes) {
      const response = await rest.request(path, { auth: as('a-reader') });
      expect(response.status, path).to.equal(200);
      const body = await response.json();
      expect(leaked(body, [countyBIds, cityIds]), path).to.deep.equal([]);
      // people, groups and tenants: county A sees its own, so only the case data must be empty
      if (path.endsWith('/count') && !IDENTITY_ROUTES.some((prefix) => path.startsWith(prefix))) expect(body, path).to.deep.equal({ count: 0 });
    }
  });

  it('answers 404 for each of county B’s rows by id to the sibling county and to the city without the grant', async () => {
    for (const user of ['a-reader', 'city-reader']) {
      for (const [route, id] of countyBIds) {
        const response = await rest.request(route.replace('{id}', id), { auth: as(user) });
        expect(response.status, `${user} ${route}`).to.equal(404);
        // the message may repeat the id asked for, and nothing else of county B
        expect(leaked(await response.json()).filter((other) => other !== id), route).to.deep.equal([]);
      }
    }
  });

  it('answers 404 for the city’s rows by id to a county', async () => {
    for (const [route, id] of cityIds) {
      const response = await rest.request(route.replace('{id}', id), { auth: as('a-reader') });
      expect(response.status, route).to.equal(404);
    }
    expect((await rest.request(`/task/${cityIds.get('/task/{id}')}`, { auth: as('city-reader') })).status).to.equal(200);
  });

  it('answers the same routes to county B itself and to the city supervisor with the 上下级 grant', async () => {
    for (const user of ['b-reader', 'city-supervisor']) {
      for (const [route, id] of countyBIds) {
        const response = await rest.request(route.replace('{id}', id), { auth: as(user) });
        expect(response.status, `${user} ${route}`).to.equal(200);
      }
      const tasks = await rest.request('/task', { auth: as(user) });
      expect(leaked(await tasks.json())).to.include(countyBIds.get('/task/{id}'));
    }
  });

  it('never hands county B’s external tasks to a worker of county A, and lets it not complete them', async () => {
    const fetched = await rest.request('/external-task/fetchAndLock', {
      auth: as('a-reader'),
      body: { workerId: 'a-worker', maxTasks: 10, topics: [{ topicName: 'county-notify', lockDuration: 1000 }] },
    });
    expect(await fetched.json()).to.deep.equal([]);
    const completed = await rest.request(`/external-task/${countyBIds.get('/external-task/{id}')}/complete`, { auth: as('a-reader'), body: { workerId: 'w' } });
    expect(completed.status).to.equal(404);
  });

  it('does not let a sibling county correlate a message to or delete county B’s instance', async () => {
    const instanceId = countyBIds.get('/process-instance/{id}') as string;
    const correlated = await rest.request('/message', { auth: as('a-reader'), body: { messageName: 'anything', processInstanceId: instanceId } });
    expect(correlated.status).to.equal(400);
    expect(leaked(await correlated.json())).to.deep.equal([]);
    const deleted = await rest.request(`/process-instance/${instanceId}`, { auth: as('a-reader'), method: 'DELETE' });
    expect(deleted.status).to.equal(404);
    expect(await fixture().engine.runtimeService.countProcessInstances({ processInstanceIds: [instanceId] })).to.equal(1);
  });

  it('answers injection attempts and oversized values in every filter parameter with a 4xx or an empty answer, never a 500 or a leak', async () => {
    const document = await rest.json<OpenAPIV3.Document>('/openapi.json');
    const attacks = ["' OR '1'='1", "1; DROP TABLE task; --", `x${'%'.repeat(3)}' UNION SELECT id FROM app_user --`, 'x'.repeat(10_000)];
    let checked = 0;
    for (const path of await listRoutes()) {
      const parameters = (document.paths[path]?.get?.parameters ?? []) as OpenAPIV3.ParameterObject[];
      for (const parameter of parameters.filter((p) => p.in === 'query')) {
        for (const attack of attacks) {
          const response = await rest.request(`${path}?${new URLSearchParams({ [parameter.name]: attack })}`, { auth: as('a-reader') });
          const body: unknown = await response.json();
          const where = `${path}?${parameter.name}=${attack.slice(0, 20)}`;
          expect(response.status, where).to.be.oneOf([200, 400]);
          expect(leaked(body), where).to.deep.equal([]);
          if (response.status === 200 && Array.isArray(body)) expect(body, where).to.deep.equal([]);
          if (attack.length > 4000) expect(response.status, where).to.equal(400);
          checked += 1;
        }
      }
    }
    expect(checked).to.be.greaterThan(200);
  });
});
