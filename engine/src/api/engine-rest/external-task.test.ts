import { expect } from 'chai';
import { BasicAuthInterceptor, Client, File, Variables, type ClientOptions, type Task } from 'camunda-external-task-client-js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bpmn, deployProcess, flow, openTaskKeys } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { startRestServer, TEST_ADMIN_PASSWORD, type RestClient } from '../../testing/rest.js';
import { ProcessEngine } from '../../services/index.js';
import { TypedValue } from '../../variables/index.js';
import { until } from '../../testing/until.js';

const externalTask = (id: string, topic: string, extra = '') => `<serviceTask id="${id}" camunda:type="external" camunda:topic="${topic}"${extra}/>`;

/** start → one external task → end */
const oneTaskProcess = (processId: string, topic: string, attributes = '', taskExtra = '') =>
  bpmn(processId, `
    <startEvent id="start"/>${flow('start', 'work')}
    ${externalTask('work', topic, taskExtra)}${flow('work', 'end')}
    <endEvent id="end"/>`, attributes);

interface LockedTaskJson {
  id: string;
  workerId: string;
  processInstanceId: string;
  variables: Record<string, { type: string; value: unknown; valueInfo: Record<string, unknown> }>;
  extensionProperties: Record<string, string>;
  [field: string]: unknown;
}

describeOnDatabases('api/engine-rest - external tasks with camunda-external-task-client-js', (fixture) => {
  let rest: RestClient;
  const clients: Client[] = [];

  before(async () => {
    rest = await startRestServer(fixture().engine);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.stop();
  });

  after(async () => {
    await rest.server.close();
  });

  /** A real client against the server, stopped after the test. */
  function client(options: Partial<ClientOptions> = {}): Client {
    const created = new Client({
      baseUrl: rest.baseUrl,
      interceptors: new BasicAuthInterceptor({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
      workerId: 'worker-1',
      asyncResponseTimeout: 2000,
      interval: 20,
      ...options,
    });
    clients.push(created);
    return created;
  }

  const fetchAndLock = (body: Record<string, unknown>) =>
    rest.json<LockedTaskJson[]>('/external-task/fetchAndLock', { body: { workerId: 'raw-worker', maxTasks: 10, ...body } });

  it('hands typed variables to a worker and takes them back, a file uploaded by one worker and downloaded by the next', async () => {
    // given a process with two external tasks, started with typed variables
    const { engine } = fixture();
    await deployProcess(engine, bpmn('et_typed', `
      <startEvent id="start"/>${flow('start', 'produce')}
      ${externalTask('produce', 'et_produce')}${flow('produce', 'consume')}
      ${externalTask('consume', 'et_consume')}${flow('consume', 'end')}
      <endEvent id="end"/>`));
    const instance = await engine.runtimeService.startProcessInstanceByKey('et_typed', { businessKey: 'B-1', variables: { applicant: '张三', amount: 1200 } });
    const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-et-'));
    writeFileSync(path.join(dir, 'report.txt'), '核查报告 ok');
    // when the first worker reads the input and completes with one variable of every type
    const seenByProducer = new Promise<{ applicant: unknown; amount: unknown; task: Task }>((resolve) => {
      client().subscribe('et_produce', async ({ task, taskService }) => {
        const file = await new File({ localPath: path.join(dir, 'report.txt'), filename: '报告.txt', mimetype: 'text/plain' }).load();
        const variables = new Variables()
          .set('text', '已受理')
          .set('small', 42)
          .set('big', 2 ** 40)
          .set('ratio', 0.75)
          .set('approved', true)
          .set('decidedAt', new Date('2026-11-23T08:34:42.000Z'))
          .set('details', { level: 2, tags: ['a', 'b'] })
          .set('report', file);
        resolve({ applicant: task.variables.get('applicant'), amount: task.variables.getTyped('amount'), task });
        await taskService.complete(task, variables);
      });
    });
    // and a second worker downloads the file
    const seenByConsumer = new Promise<{ typed: Record<string, unknown>; values: Record<string, unknown>; file: Buffer; fileName: string }>((resolve) => {
      client({ workerId: 'worker-2' }).subscribe('et_consume', async ({ task, taskService }) => {
        const file = task.variables.get('report') as File;
        await file.load();
        resolve({ typed: task.variables.getAllTyped(), values: task.variables.getAll(), file: file.content as Buffer, fileName: file.filename });
        await taskService.complete(task);
      });
    });
    // then
    const produced = await seenByProducer;
    expect(produced.applicant).to.equal('张三');
    expect(produced.amount).to.deep.include({ type: 'integer', value: 1200 });
    expect(produced.task).to.include({ topicName: 'et_produce', workerId: 'worker-1', businessKey: 'B-1', activityId: 'produce', processInstanceId: instance.id });
    const consumed = await seenByConsumer;
    expect(consumed.values).to.deep.include({ text: '已受理', small: 42, big: 2 ** 40, ratio: 0.75, approved: true, details: { level: 2, tags: ['a', 'b'] } });
    expect((consumed.values.decidedAt as Date).toISOString()).to.equal('2026-11-23T08:34:42.000Z');
    const types = Object.fromEntries(Object.entries(consumed.typed).map(([name, typed]) => [name, (typed as { type: string }).type]));
    expect(types).to.deep.include({ text: 'string', small: 'integer', big: 'long', ratio: 'double', approved: 'boolean', decidedAt: 'date', details: 'json', report: 'file' });
    expect(consumed.file.toString('utf8')).to.equal('核查报告 ok');
    expect(consumed.fileName).to.equal('报告.txt');
    await until('the instance to end', async () => (await engine.historyService.getProcessInstance(instance.id)).endTime);
  });

  it('serves a file variable raw, with its mime type and file name, and the execution\'s own variables', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, oneTaskProcess('et_file', 'et_file'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('et_file', {
      variables: { scan: new TypedValue('file', Buffer.from('%PDF-1.4'), { filename: '受理单.pdf', mimeType: 'application/pdf' }), note: 'x' },
    });
    // when
    const data = await rest.request(`/execution/${instance.id}/localVariables/scan/data`);
    const twin = await rest.request(`/process-instance/${instance.id}/variables/scan/data`);
    const variables = await rest.json<Record<string, { type: string; value: unknown; valueInfo: Record<string, unknown> }>>(`/execution/${instance.id}/localVariables`);
    // then
    expect(data.status).to.equal(200);
    expect(data.headers.get('content-type')).to.equal('application/pdf');
    expect(data.headers.get('content-disposition')).to.equal(`attachment; filename="___.pdf"; filename*=UTF-8''${encodeURIComponent('受理单.pdf')}`);
    expect(Buffer.from(await data.arrayBuffer()).toString()).to.equal('%PDF-1.4');
    expect(twin.status).to.equal(200);
    expect(variables.scan).to.deep.include({ type: 'File', value: null });
    expect(variables.scan?.valueInfo).to.include({ filename: '受理单.pdf', mimetype: 'application/pdf' });
    expect(variables.note).to.deep.include({ type: 'String', value: 'x' });
    expect((await rest.request(`/execution/${instance.id}/localVariables/note/data`)).status).to.equal(400);
    expect((await rest.request(`/execution/${instance.id}/localVariables/nope/data`)).status).to.equal(404);
    expect((await rest.request('/execution/nope/localVariables')).status).to.equal(404);
  });

  it('counts failures down to an incident, and new retries resolve it', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, oneTaskProcess('et_fail', 'et_fail'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('et_fail');
    // when a worker fails the task three times
    const attempts: (number | null)[] = [];
    client().subscribe('et_fail', async ({ task, taskService }) => {
      // after the third failure the task is the test's: a later fetch leaves it alone
      if (attempts.length === 3) return;
      attempts.push(task.retries);
      await taskService.handleFailure(task, { errorMessage: `attempt ${attempts.length} failed`, errorDetails: 'stack trace', retries: (task.retries ?? 3) - 1, retryTimeout: 0 });
    });
    const [incident] = await until('an incident', async () => {
      const incidents = await engine.managementService.listIncidents({ processInstanceId: instance.id });
      return incidents.length > 0 && incidents;
    });
    // then
    expect(attempts).to.deep.equal([null, 2, 1]);
    expect(incident).to.include({ incidentType: 'failedExternalTask', message: 'attempt 3 failed', activityId: 'work' });
    const [failed] = await rest.json<{ id: string; retries: number; errorMessage: string }[]>(`/external-task?processInstanceId=${instance.id}&noRetriesLeft=true`);
    expect(failed).to.include({ retries: 0, errorMessage: 'attempt 3 failed' });
    // and new retries resolve the incident and make the task fetchable again
    expect((await rest.request(`/external-task/${failed?.id}/retries`, { method: 'PUT', body: { retries: 1 } })).status).to.equal(204);
    expect(await engine.managementService.listIncidents({ processInstanceId: instance.id })).to.deep.equal([]);
    expect(await rest.json(`/external-task/count?processInstanceId=${instance.id}&withRetriesLeft=true`)).to.deep.equal({ count: 1 });
    expect((await rest.request(`/external-task/${failed?.id}/retries`, { method: 'PUT', body: { retries: -1 } })).status).to.equal(400);
    expect((await rest.request('/external-task/nope/retries', { method: 'PUT', body: { retries: 1 } })).status).to.equal(404);
  });

  it('lets a worker report a BPMN error that a boundary event catches, with its variables', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, bpmn('et_error', `
      <startEvent id="start"/>${flow('start', 'check')}
      ${externalTask('check', 'et_check')}${flow('check', 'end')}
      <boundaryEvent id="rejected" attachedToRef="check"><errorEventDefinition errorRef="err"/></boundaryEvent>${flow('rejected', 'review')}
      <userTask id="review"/>${flow('review', 'end2')}
      <endEvent id="end"/><endEvent id="end2"/>`).replace('</definitions>', '<error id="err" errorCode="REJECTED"/></definitions>'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('et_error');
    // when
    client().subscribe('et_check', async ({ task, taskService }) => {
      await taskService.handleBpmnError(task, 'REJECTED', 'documents missing', new Variables().set('reason', '材料不全'));
    });
    // then
    await until('the boundary path', async () => (await openTaskKeys(engine, instance.id)).includes('review'));
    expect(await engine.runtimeService.getVariable(instance.id, 'reason')).to.equal('材料不全');
  });

  it('extends and releases locks for the worker that holds them, and refuses every other worker', async () => {
    // given a task locked by worker-1 for one second
    const { engine } = fixture();
    await deployProcess(engine, oneTaskProcess('et_lock', 'et_lock'));
    const instance = await engine.runtimeService.startProcessInstanceByKey('et_lock');
    const extended = new Promise<string>((resolve) => {
      const first = client({ lockDuration: 1000 });
      first.subscribe('et_lock', async ({ task, taskService }) => {
        first.stop();
        // when it extends its lock, then gives the task back
        await taskService.extendLock(task, 60_000);
        const [locked] = await rest.json<{ lockExpirationTime: string; workerId: string }[]>(`/external-task?processInstanceId=${instance.id}`);
        await taskService.unlock(task);
        resolve(`${locked?.workerId} ${locked?.lockExpirationTime}`);
      });
    });
    const [workerId, lockExpiration] = (await extended).split(' ');
    // then the lock reached a minute ahead, and another worker takes the released task
    expect(workerId).to.equal('worker-1');
    expect(Date.parse((lockExpiration as string).replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) - Date.now()).to.be.greaterThan(30_000);
    const [task] = await fetchAndLock({ workerId: 'worker-2', topics: [{ topicName: 'et_lock', lockDuration: 60_000 }] });
    expect(task?.workerId).to.equal('worker-2');
    const id = task?.id as string;
    // and a foreign worker can neither complete, fail, extend, lock nor raise an error on it
    for (const [action, body] of [
      ['complete', {}],
      ['failure', { retries: 1 }],
      ['extendLock', { newDuration: 1000 }],
      ['lock', { lockDuration: 1000 }],
      ['bpmnError', { errorCode: 'X' }],
    ] as const) {
      const response = await rest.request(`/external-task/${id}/${action}`, { body: { workerId: 'intruder', ...body } });
      expect(response.status, action).to.equal(400);
      expect(await response.json(), action).to.have.property('message').that.contains('intruder');
    }
    // and unknown tasks are 404s, missing fields 400s
    expect((await rest.request('/external-task/nope/complete', { body: { workerId: 'worker-2' } })).status).to.equal(404);
    expect((await rest.request(`/external-task/${id}/complete`, { body: {} })).status).to.equal(400);
    expect((await rest.request(`/external-task/${id}/complete`, { body: { workerId: 'worker-2', variables: { n: { type: 'Integer', value: 'abc' } } } })).status).to.equal(400);
    expect((await rest.request(`/external-task/${id}/complete`, { body: { workerId: 'worker-2' }, auth: null })).status).to.equal(401);
    expect((await rest.request(`/external-task/${id}/complete`, { body: { workerId: 'worker-2' } })).status).to.equal(204);
  });

  it('answers a waiting fetch as soon as a task of its topic appears, and an empty list at the timeout', async () => {
    // given a worker waiting up to 20 s
    const { engine } = fixture();
    await deployProcess(engine, oneTaskProcess('et_poll', 'et_poll'));
    const started = Date.now();
    const pending = fetchAndLock({ asyncResponseTimeout: 20_000, topics: [{ topicName: 'et_poll', lockDuration: 10_000 }] });
    // when a task appears 300 ms later
    await new Promise((resolve) => setTimeout(resolve, 300));
    const instance = await engine.runtimeService.startProcessInstanceByKey('et_poll');
    // then the fetch answers well before its timeout
    const tasks = await pending;
    expect(Date.now() - started).to.be.lessThan(10_000);
    expect(tasks.map((t) => t.processInstanceId)).to.deep.equal([instance.id]);
    // and a fetch with nothing to find answers [] when its time is up
    const empty = Date.now();
    expect(await fetchAndLock({ asyncResponseTimeout: 500, topics: [{ topicName: 'et_nothing', lockDuration: 1000 }] })).to.deep.equal([]);
    expect(Date.now() - empty).to.be.at.least(450);
    // and more than half an hour is refused
    const tooLong = await rest.request('/external-task/fetchAndLock', { body: { workerId: 'w', maxTasks: 1, asyncResponseTimeout: 1_800_001, topics: [] } });
    expect(tooLong.status).to.equal(400);
  });

  it('wakes a real client\'s long poll for a new task', async () => {
    // given a client polling with a 20 s response timeout
    const { engine } = fixture();
    await deployProcess(engine, oneTaskProcess('et_client_poll', 'et_client_poll'));
    let pollStarted = 0;
    const received = new Promise<number>((resolve) => {
      const worker = client({ asyncResponseTimeout: 20_000 });
      worker.once('poll:start', () => (pollStarted = Date.now()));
      worker.subscribe('et_client_poll', async ({ task, taskService }) => {
        resolve(Date.now());
        await taskService.complete(task);
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // when
    const instance = await engine.runtimeService.startProcessInstanceByKey('et_client_poll');
    // then
    expect((await received) - pollStarted).to.be.lessThan(10_000);
    await until('the instance to end', async () => (await engine.historyService.getProcessInstance(instance.id)).endTime);
  });

  it('stops waiting when the client goes away, so the task goes to the next worker', async () => {
    // given a waiting fetch whose client disconnects
    const { engine } = fixture();
    await deployProcess(engine, oneTaskProcess('et_gone', 'et_gone'));
    const abort = new AbortController();
    const gone = fetch(`${rest.baseUrl}/external-task/fetchAndLock`, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString('base64')}` },
      body: JSON.stringify({ workerId: 'gone', maxTasks: 1, asyncResponseTimeout: 20_000, topics: [{ topicName: 'et_gone', lockDuration: 60_000 }] }),
    }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 200));
    abort.abort();
    expect(await gone).to.equal('aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // when a task appears
    await engine.runtimeService.startProcessInstanceByKey('et_gone');
    // then nobody locked it
    const [task] = await fetchAndLock({ workerId: 'next', topics: [{ topicName: 'et_gone', lockDuration: 1000 }] });
    expect(task?.workerId).to.equal('next');
  });

  it('filters fetched tasks by business key, definition, version tag, tenant and process variables, and returns what the topic asks for', async () => {
    // given two versions of a process, one tagged, and instances with different variables
    const { engine } = fixture();
    const properties = '<extensionElements><camunda:properties><camunda:property name="channel" value="sms"/><camunda:property name="区域" value="柳州"/></camunda:properties></extensionElements>';
    const xml = (tag: string) => oneTaskProcess('et_filter', 'et_filter', `camunda:versionTag="${tag}"`).replace(`${externalTask('work', 'et_filter')}`, `<serviceTask id="work" camunda:type="external" camunda:topic="et_filter">${properties}</serviceTask>`);
    const v1 = await deployProcess(engine, xml('v1'));
    const v2 = await deployProcess(engine, xml('v2').replace('<endEvent id="end"/>', '<endEvent id="end"/><!-- v2 -->'));
    const start = (definitionId: string, businessKey: string, variables: Record<string, unknown>) =>
      engine.runtimeService.startProcessInstanceById(definitionId, { businessKey, variables });
    const a = await start(v1, 'A', { district: '城中区', level: 2, secret: 's' });
    const b = await start(v2, 'B', { district: '鱼峰区', level: 3 });
    const topic = (filters: Record<string, unknown>) => ({ topics: [{ topicName: 'et_filter', lockDuration: 1000, ...filters }] });
    const ids = async (filters: Record<string, unknown>) => {
      const tasks = await fetchAndLock(topic(filters));
      // give them back, so the next filter sees them again
      for (const task of tasks) await rest.request(`/external-task/${task.id}/unlock`, { method: 'POST' });
      return tasks.map((task) => task.processInstanceId).sort();
    };
    // then
    expect(await ids({ businessKey: 'A' })).to.deep.equal([a.id]);
    expect(await ids({ processDefinitionId: v2 })).to.deep.equal([b.id]);
    expect(await ids({ processDefinitionIdIn: [v1, v2] })).to.have.length(2);
    expect(await ids({ processDefinitionKey: 'et_filter' })).to.have.length(2);
    expect(await ids({ processDefinitionKeyIn: ['other'] })).to.deep.equal([]);
    expect(await ids({ processDefinitionVersionTag: 'v2' })).to.deep.equal([b.id]);
    expect(await ids({ processVariables: { district: '鱼峰区' } })).to.deep.equal([b.id]);
    expect(await ids({ processVariables: { district: '城中区', level: 2 } })).to.deep.equal([a.id]);
    expect(await ids({ processVariables: { level: 5 } })).to.deep.equal([]);
    expect(await ids({ withoutTenantId: true })).to.have.length(2);
    expect(await ids({ tenantIdIn: ['t1'] })).to.deep.equal([]);
    // and the locked task carries every field a worker reads, only the variables asked for, and the extension properties
    const [locked] = await fetchAndLock(topic({ businessKey: 'A', variables: ['district', 'level'], includeExtensionProperties: true }));
    expect(locked).to.have.all.keys(
      'id', 'topicName', 'workerId', 'lockExpirationTime', 'createTime', 'retries', 'errorMessage', 'errorDetails', 'priority', 'activityId',
      'activityInstanceId', 'executionId', 'processInstanceId', 'processDefinitionId', 'processDefinitionKey', 'processDefinitionVersionTag',
      'tenantId', 'businessKey', 'variables', 'extensionProperties',
    );
    expect(locked).to.include({ processDefinitionVersionTag: 'v1', businessKey: 'A', workerId: 'raw-worker', activityId: 'work', tenantId: null });
    expect(locked?.lockExpirationTime).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0800$/);
    expect(Object.keys(locked?.variables ?? {}).sort()).to.deep.equal(['district', 'level']);
    expect(locked?.variables.level).to.deep.equal({ type: 'Integer', value: 2, valueInfo: {} });
    expect(locked?.extensionProperties).to.deep.equal({ channel: 'sms', 区域: '柳州' });
    await rest.request(`/external-task/${locked?.id}/unlock`, { method: 'POST' });
    const [withoutProperties] = await fetchAndLock(topic({ businessKey: 'B', localVariables: true }));
    expect(withoutProperties?.extensionProperties).to.deep.equal({});
    expect(withoutProperties?.variables).to.deep.equal({});
  });

  it('lists external tasks with Camunda\'s filters, paging, sorting and count, and answers one by id', async () => {
    // given
    const { engine } = fixture();
    await deployProcess(engine, oneTaskProcess('et_list', 'et_list', '', ' camunda:taskPriority="7"'));
    const first = await engine.runtimeService.startProcessInstanceByKey('et_list');
    const second = await engine.runtimeService.startProcessInstanceByKey('et_list');
    const [locked] = await fetchAndLock({ maxTasks: 1, topics: [{ topicName: 'et_list', lockDuration: 60_000 }] });
    // when
    const all = await rest.json<{ id: string; processInstanceId: string }[]>('/external-task?topicName=et_list&sortBy=createTime&sortOrder=asc');
    const lockedOnes = await rest.json<{ id: string }[]>('/external-task?topicName=et_list&locked=true');
    const notLocked = await rest.json<{ id: string }[]>('/external-task?topicName=et_list&notLocked=true');
    const page = await rest.json<unknown[]>('/external-task?topicName=et_list&firstResult=1&maxResults=5');
    const one = await rest.json<Record<string, unknown>>(`/external-task/${locked?.id}`);
    // then
    expect(all.map((t) => t.processInstanceId).sort()).to.deep.equal([first.id, second.id].sort());
    expect(lockedOnes.map((t) => t.id)).to.deep.equal([locked?.id]);
    expect(notLocked).to.have.length(1);
    expect(page).to.have.length(1);
    expect(await rest.json('/external-task/count?topicName=et_list&priorityHigherThanOrEquals=7')).to.deep.equal({ count: 2 });
    expect(await rest.json('/external-task/count?topicName=et_list&priorityLowerThanOrEquals=6')).to.deep.equal({ count: 0 });
    expect(await rest.json(`/external-task/count?topicName=et_list&workerId=raw-worker`)).to.deep.equal({ count: 1 });
    expect(one).to.include({ id: locked?.id, topicName: 'et_list', workerId: 'raw-worker', priority: 7, suspended: false, retries: null, processDefinitionKey: 'et_list' });
    expect(one).to.have.property('processDefinitionVersionTag', null);
    expect((await rest.request('/external-task/nope')).status).to.equal(404);
    expect((await rest.request('/external-task?sortBy=nonsense&sortOrder=asc')).status).to.equal(400);
    expect((await rest.request('/external-task?maxResults=x')).status).to.equal(400);
    expect((await rest.request('/external-task', { auth: null })).status).to.equal(401);
  });
});

describeOnDatabases('api/engine-rest - long polling across engine nodes', (fixture) => {
  let rest: RestClient;
  let otherNode: ProcessEngine;

  before(async () => {
    rest = await startRestServer(fixture().engine);
    otherNode = await ProcessEngine.open({ database: fixture().databaseConfig });
  });

  after(async () => {
    await rest.server.close();
    await otherNode.close();
  });

  it('answers a waiting fetch within a few seconds when another node creates the task', async () => {
    // given a fetch waiting on this node
    await deployProcess(otherNode, oneTaskProcess('et_nodes', 'et_nodes'));
    const started = Date.now();
    const pending = rest.json<{ processInstanceId: string }[]>('/external-task/fetchAndLock', {
      body: { workerId: 'node-worker', maxTasks: 1, asyncResponseTimeout: 20_000, topics: [{ topicName: 'et_nodes', lockDuration: 10_000 }] },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // when the other node starts an instance
    const instance = await otherNode.runtimeService.startProcessInstanceByKey('et_nodes');
    // then
    const tasks = await pending;
    expect(tasks.map((t) => t.processInstanceId)).to.deep.equal([instance.id]);
    expect(Date.now() - started).to.be.lessThan(5_000);
  });
}, ['mariadb']);
