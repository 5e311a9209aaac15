import { expect } from 'chai';
import { ApiKeys } from '../identity/authentication/api-keys.js';
import { bpmn, flow } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../testing/signed-in-app.js';
import type { AssignmentStatus } from './index.js';

const { city, countyA } = TENANT_TREE;
/** The shape of cc_case's upper-level path: message start → 处置 → 回报上级 (external task) → end. */
const ASSIGNED_CASE = bpmn('upper_case', `
  <startEvent id="assigned"><messageEventDefinition messageRef="upper"/></startEvent>${flow('assigned', 'handle')}
  <userTask id="handle" name="处置"/>${flow('handle', 'report_back')}
  <sendTask id="report_back" camunda:type="external" camunda:topic="cc-report-back"/>${flow('report_back', 'end')}
  <endEvent id="end"/>`).replace('</definitions>', '<message id="upper" name="cc_upper_assignment"/>\n</definitions>');

const assignment = (externalId: string, extra: Record<string, unknown> = {}) => ({
  externalId, category: 'BJ01003', description: '自治区督办：雨水井盖缺失',
  location: { longitude: 109.41, latitude: 24.31, address: '柳南区航银路' }, ...extra,
});

/**
 * The exchange partners' API over HTTP with API keys: a supervision platform assigns a task
 * (message start in the key's tenant, business key = its id), repeats it without a second case,
 * reads its state and, once closed, the report-back record; keys without the permission, of
 * another tenant, or a tenant without the process are refused.
 */
describeOnDatabases('exchange - assignments by exchange partners', (fixture) => {
  let api: SignedInClient;
  let cityKey: string;
  let countyKey: string;
  let readerKey: string;

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'exchange', permissions: ['exchange:assign', 'instance:read'] },
        { tenantId: city, code: 'reader', permissions: ['instance:read'] },
        { tenantId: countyA, code: 'exchange', permissions: ['exchange:assign'] },
      ],
      users: [
        { id: 'gx-platform', tenantId: city, roles: ['exchange'] },
        { id: 'city-reader', tenantId: city, roles: ['reader'] },
        { id: 'county-platform', tenantId: countyA, roles: ['exchange'] },
      ],
    });
    await engine.repositoryService.deploy({ name: 'upper', tenantId: city, resources: [{ name: 'upper.bpmn', content: ASSIGNED_CASE }] });
    api = await startSignedInApi(engine);
    const keys = new ApiKeys(engine, api.principals);
    cityKey = (await keys.create({ name: '自治区数字城管平台', userId: 'gx-platform', permissions: ['exchange:assign'] }, null, null)).key;
    countyKey = (await keys.create({ name: '县交换', userId: 'county-platform' }, null, null)).key;
    readerKey = (await keys.create({ name: 'reader', userId: 'city-reader' }, null, null)).key;
  });

  after(async () => {
    await api?.close();
  });

  const call = (key: string | null, path: string, method = 'GET', body?: unknown) =>
    api.request(path, { as: null, method, body, headers: key ? { Authorization: `Bearer ${key}` } : {} });
  async function json<T>(response: Response, status: number): Promise<T> {
    const text = await response.text();
    expect(response.status, text).to.equal(status);
    return JSON.parse(text) as T;
  }

  it('starts the case of a new task (201), answers a repeat with the same case (200), and reports its state', async () => {
    const { engine } = fixture();
    const deadline = '2026-04-01T09:00:00.000Z';
    const attachments = [{ name: '现场照片.jpg', url: 'https://supervision.gx.example/files/77' }];
    const first = await json<AssignmentStatus>(await call(cityKey, '/exchange/assignments', 'POST', assignment('GX-DB-0001', { urgency: 'A', deadline, attachments })), 201);
    expect(first).to.include({ externalId: 'GX-DB-0001', caseNumber: 'GX-DB-0001', state: 'open', caseCode: null, reportBack: null });
    const repeat = await json<AssignmentStatus>(await call(cityKey, '/exchange/assignments', 'POST', assignment('GX-DB-0001', { description: '重复推送' })), 200);
    expect(repeat.processInstanceId).to.equal(first.processInstanceId);
    expect(await engine.runtimeService.listProcessInstances({ businessKey: 'GX-DB-0001' })).to.have.length(1);
    const instance = await engine.historyService.getProcessInstance(first.processInstanceId);
    expect(instance).to.include({ tenantId: city, businessKey: 'GX-DB-0001', startUserId: 'gx-platform' });
    const variables = Object.fromEntries([...(await engine.runtimeService.getVariables(first.processInstanceId))].map(([name, value]) => [name, value.value]));
    expect(variables).to.deep.include({
      upperTaskId: 'GX-DB-0001', category: 'BJ01003', description: '自治区督办：雨水井盖缺失', urgency: 'A', upperDeadline: deadline, upperAttachments: attachments,
      location: { longitude: 109.41, latitude: 24.31, address: '柳南区航银路' }, address: '柳南区航银路',
    });
    const status = await json<AssignmentStatus>(await call(cityKey, '/exchange/assignments/GX-DB-0001'), 200);
    expect(status).to.include({ state: 'open', processInstanceId: first.processInstanceId });
  });

  it('answers, once the case is closed, the report-back record the cc-report-back worker wrote', async () => {
    const { engine } = fixture();
    const { processInstanceId } = await json<AssignmentStatus>(await call(cityKey, '/exchange/assignments', 'POST', assignment('GX-DB-0002')), 201);
    const [task] = await engine.taskService.listTasks({ processInstanceId });
    await engine.taskService.complete(task!.id, { caseCode: 'BJ01003GX-DB-0002' });
    const [locked] = await engine.externalTaskService.fetchAndLock({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'cc-report-back', lockDuration: 60_000 }] });
    expect((await json<AssignmentStatus>(await call(cityKey, '/exchange/assignments/GX-DB-0002'), 200)).state, 'while reporting back').to.equal('open');
    const reportBack = { upperTaskId: 'GX-DB-0002', caseCode: 'BJ01003GX-DB-0002', closeNote: '按期办结', rework: 0 };
    await engine.externalTaskService.complete(locked!.id, 'w', { reportedBackAt: '2026-03-20T08:00:00.000Z', reportBack });
    const closed = await json<AssignmentStatus>(await call(cityKey, '/exchange/assignments/GX-DB-0002'), 200);
    expect(closed).to.deep.include({ state: 'closed', caseCode: 'BJ01003GX-DB-0002', reportedBackAt: '2026-03-20T08:00:00.000Z', reportBack });
    expect(closed.endedAt).to.be.a('string');
  });

  it('starts one case for the same new id sent five times at once', async () => {
    const { engine } = fixture();
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(cityKey, '/exchange/assignments', 'POST', assignment('GX-DB-RACE'))));
    const bodies = await Promise.all(answers.map(async (response) => ({ status: response.status, body: (await response.json()) as AssignmentStatus })));
    expect(bodies.map((b) => b.status).sort(), JSON.stringify(bodies)).to.deep.equal([200, 200, 200, 200, 201]);
    expect(new Set(bodies.map((b) => b.body.processInstanceId)).size).to.equal(1);
    expect(await engine.historyService.listProcessInstances({ businessKey: 'GX-DB-RACE' })).to.have.length(1);
  });

  it('refuses a key without exchange:assign (403), no key (401), a bad body (400), an unknown id (404), and a tenant without the process (409)', async () => {
    expect((await call(readerKey, '/exchange/assignments', 'POST', assignment('GX-DB-0003'))).status).to.equal(403);
    expect((await call(null, '/exchange/assignments', 'POST', assignment('GX-DB-0003'))).status).to.equal(401);
    const bad = await json<{ message: string }>(await call(cityKey, '/exchange/assignments', 'POST', { ...assignment('GX DB 0003'), location: { latitude: 95 } }), 400);
    expect(bad.message).to.match(/externalId|location/);
    expect((await call(cityKey, '/exchange/assignments/NOT-SENT')).status).to.equal(404);
    // the county has no process starting on the message; the city's tasks are not the county's
    const none = await json<{ message: string }>(await call(countyKey, '/exchange/assignments', 'POST', assignment('GX-DB-0004')), 409);
    expect(none.message).to.include('cc_upper_assignment');
    expect((await call(countyKey, '/exchange/assignments/GX-DB-0001')).status).to.equal(404);
  });
});
