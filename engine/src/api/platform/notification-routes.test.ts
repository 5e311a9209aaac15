import { expect } from 'chai';
import { BasicAuthInterceptor, Client } from 'camunda-external-task-client-js';
import { bpmn, flow } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startRestServer, TEST_ADMIN_PASSWORD, type RestClient } from '../../testing/rest.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';
import { until } from '../../testing/until.js';

const { countyA, countyB } = TENANT_TREE;

interface MessageJson {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  processInstanceId: string | null;
  taskId: string | null;
  readTime: string | null;
}

/** 受理 offered to the clerks, then 复核 assigned to `${reviewer}`. */
const MESSAGE_PROCESS = bpmn('nt_case', `
  <startEvent id="start"/>${flow('start', 'accept')}
  <userTask id="accept" name="受理" camunda:candidateGroups="role:clerk"/>${flow('accept', 'review')}
  <userTask id="review" name="复核" camunda:assignee="\${reviewer}"/>${flow('review', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('api/platform - the message centre and notification channels', (fixture) => {
  let api: SignedInClient;
  let rest: RestClient;
  const clients: Client[] = [];

  before(async () => {
    const { engine } = fixture();
    const clerk = ['task:read', 'task:handle', 'instance:read', 'process:read', 'process:start'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'clerk', permissions: clerk },
        { tenantId: countyA, code: 'admin', permissions: ['notification-channel:read', 'notification-channel:write'] },
        { tenantId: countyB, code: 'admin', permissions: ['notification-channel:read', 'notification-channel:write'] },
      ],
      users: [
        { id: 'n-clerk1', tenantId: countyA, name: '李一', roles: ['clerk'] },
        { id: 'n-clerk2', tenantId: countyA, name: '李二', roles: ['clerk'] },
        { id: 'n-reviewer', tenantId: countyA, name: '王审', roles: ['clerk'] },
        { id: 'n-admin', tenantId: countyA, roles: ['admin'] },
        { id: 'n-admin-b', tenantId: countyB, roles: ['admin'] },
      ],
    });
    await engine.repositoryService.deploy({ name: 'messages', tenantId: countyA, resources: [{ name: 'case.bpmn', content: MESSAGE_PROCESS }] });
    api = await startSignedInApi(engine);
    rest = await startRestServer(engine);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.stop();
  });

  after(async () => {
    await api?.close();
    await rest?.server.close();
  });

  const messages = (as: string, query = '') => api.json<MessageJson[]>(`/notifications${query}`, { as });
  const unreadCount = async (as: string) => (await api.json<{ count: number }>('/notifications/count?unread=true', { as })).count;
  const post = (path: string, as: string, body: object = {}) => api.request(path, { as, method: 'POST', body });

  /** A case started by n-admin (no clerk): 受理 waits for the clerks. */
  async function startCase(): Promise<{ instanceId: string; taskId: string }> {
    const { engine } = fixture();
    const started = await engine.forUser('n-admin').runtimeService.startProcessInstanceByKey('nt_case', { tenantId: countyA, variables: { reviewer: 'n-reviewer' } });
    const [task] = await engine.taskService.listTasks({ processInstanceId: started.id });
    return { instanceId: started.id, taskId: task?.id as string };
  }

  it('tells the candidates of a new task (待认领) but not who started it, and the assignee of the next (新待办) but not who completed the step', async () => {
    // given
    const { engine } = fixture();
    const before = { admin: await unreadCount('n-admin'), clerk1: await unreadCount('n-clerk1'), clerk2: await unreadCount('n-clerk2'), reviewer: await unreadCount('n-reviewer') };
    // when
    const { instanceId, taskId } = await startCase();
    await engine.forUser('n-clerk2').taskService.complete(taskId);
    // then
    const offered = (await messages('n-clerk2', '?unread=true&kind=task-offered')).filter((m) => m.processInstanceId === instanceId);
    const assigned = (await messages('n-reviewer', '?kind=task-assigned')).filter((m) => m.processInstanceId === instanceId);
    expect(offered.map((m) => [m.title, m.taskId])).to.deep.equal([['待认领：受理', taskId]]);
    expect(assigned.map((m) => m.title)).to.deep.equal(['新待办：复核']);
    expect(await unreadCount('n-admin')).to.equal(before.admin); // started it themself
    expect(await unreadCount('n-clerk1')).to.equal(before.clerk1 + 1);
    expect(await unreadCount('n-clerk2')).to.equal(before.clerk2 + 1); // the offer, not the next task they caused
    expect(await unreadCount('n-reviewer')).to.equal(before.reviewer + 2); // offered 受理 as a clerk, then 复核
  });

  it("marks one's own message read once (again: 204 and the same time), refuses someone else's as 404, and reads all", async () => {
    // given
    const { instanceId } = await startCase();
    const [message] = (await messages('n-clerk2', '?unread=true')).filter((m) => m.processInstanceId === instanceId);
    // when
    const first = await post(`/notifications/${message?.id}/read`, 'n-clerk2');
    const [read] = (await messages('n-clerk2')).filter((m) => m.id === message?.id);
    const again = await post(`/notifications/${message?.id}/read`, 'n-clerk2');
    const [readAgain] = (await messages('n-clerk2')).filter((m) => m.id === message?.id);
    const byOther = await post(`/notifications/${message?.id}/read`, 'n-reviewer');
    const all = await api.json<{ marked: number }>('/notifications/read-all', { as: 'n-reviewer', method: 'POST' });
    // then
    expect([first.status, again.status]).to.deep.equal([204, 204]);
    expect(read?.readTime).to.be.a('string');
    expect(readAgain?.readTime).to.equal(read?.readTime);
    expect(byOther.status).to.equal(404);
    expect(all.marked).to.be.greaterThan(0);
    expect(await unreadCount('n-reviewer')).to.equal(0);
    expect(await unreadCount('n-clerk1')).to.be.greaterThan(0); // another user's read-all leaves theirs
  });

  it('answers two concurrent reads of one message both with 204', async () => {
    // given
    const { instanceId } = await startCase();
    const [message] = (await messages('n-clerk1', '?unread=true')).filter((m) => m.processInstanceId === instanceId);
    // when
    const answers = await Promise.all([post(`/notifications/${message?.id}/read`, 'n-clerk1'), post(`/notifications/${message?.id}/read`, 'n-clerk1')]);
    // then
    expect(answers.map((a) => a.status)).to.deep.equal([204, 204]);
    expect((await messages('n-clerk1', '?unread=false')).some((m) => m.id === message?.id)).to.equal(true);
  });

  it("keeps each tenant's channels for its administrators and refuses them to others", async () => {
    // when
    const saved = await api.json<Record<string, unknown>>('/notification-channels/wechat', { as: 'n-admin', method: 'PUT', body: { name: '微信模板消息', topic: 'nt-wechat', kinds: ['copy'] } });
    const changed = await api.json<Record<string, unknown>>('/notification-channels/wechat', { as: 'n-admin', method: 'PUT', body: { name: '微信', topic: 'nt-wechat', enabled: false } });
    const listedB = await api.json<unknown[]>('/notification-channels', { as: 'n-admin-b' });
    const readByB = await api.request('/notification-channels/wechat', { as: 'n-admin-b' });
    const otherTenant = await api.request(`/notification-channels/wechat?tenantId=${countyA}`, { as: 'n-admin-b', method: 'PUT', body: { name: 'x', topic: 'x' } });
    const byClerk = await api.request('/notification-channels', { as: 'n-clerk1' });
    const badKind = await api.request('/notification-channels/sms2', { as: 'n-admin', method: 'PUT', body: { name: 'x', topic: 'x', kinds: ['Not A Kind'] } });
    const deleted = await api.request('/notification-channels/wechat', { as: 'n-admin', method: 'DELETE' });
    const gone = await api.request('/notification-channels/wechat', { as: 'n-admin' });
    // then
    expect(saved).to.include({ tenantId: countyA, code: 'wechat', name: '微信模板消息', topic: 'nt-wechat', enabled: true, updatedBy: 'n-admin' });
    expect(saved.kinds).to.deep.equal(['copy']);
    expect(changed).to.include({ name: '微信', enabled: false, kinds: null });
    expect(listedB).to.deep.equal([]);
    expect(readByB.status).to.equal(404);
    expect(otherTenant.status, await errorMessage(otherTenant)).to.equal(404);
    expect(byClerk.status).to.equal(403);
    expect(badKind.status).to.equal(400);
    expect([deleted.status, gone.status]).to.deep.equal([204, 404]);
  });

  it("hands a message to a real worker of the channel's topic, with its text and recipient, who completes it; a failure at zero retries raises an incident", async () => {
    // given an SMS channel for new tasks, and the reviewer's phone
    const { engine } = fixture();
    await api.json('/notification-channels/sms', { as: 'n-admin', method: 'PUT', body: { name: '短信', topic: 'nt-sms', kinds: ['task-assigned'] } });
    await engine.database.transaction((sql) => sql.execute("UPDATE app_user SET phone = '13800000000' WHERE id = $1", ['n-reviewer']));
    const worker = new Client({
      baseUrl: rest.baseUrl, interceptors: new BasicAuthInterceptor({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
      workerId: 'sms-gateway', asyncResponseTimeout: 2000, interval: 20,
    });
    clients.push(worker);
    const sent: { recipient: unknown; recipientName: unknown; phone: unknown; title: unknown; processInstanceId: unknown }[] = [];
    let failNext = false;
    worker.subscribe('nt-sms', async ({ task, taskService }) => {
      if (failNext) {
        await taskService.handleFailure(task, { errorMessage: '短信网关不可用', retries: 0, retryTimeout: 0 });
        return;
      }
      const v = task.variables;
      sent.push({ recipient: v.get('recipient'), recipientName: v.get('recipientName'), phone: v.get('phone'), title: v.get('title'), processInstanceId: v.get('processInstanceId') });
      await taskService.complete(task);
    });
    // when 复核 is assigned to the reviewer
    const first = await startCase();
    await engine.forUser('n-clerk2').taskService.complete(first.taskId);
    await until('the gateway to send the message', async () => sent.length === 1);
    await until('the delivery to be completed', async () => (await engine.externalTaskService.listExternalTasks({ topicName: 'nt-sms' })).length === 0);
    // and a second message the gateway fails to send
    failNext = true;
    const second = await startCase();
    await engine.forUser('n-clerk2').taskService.complete(second.taskId);
    await until('the failed delivery\'s incident', async () => (await engine.managementService.listIncidents({ incidentType: 'failedExternalTask' })).some((i) => i.message === '短信网关不可用'));
    await api.json('/notification-channels/sms', { as: 'n-admin', method: 'DELETE' }, 204);
    // then
    expect(sent).to.deep.equal([{ recipient: 'n-reviewer', recipientName: '王审', phone: '13800000000', title: '新待办：复核', processInstanceId: first.instanceId }]);
    const [failed] = await engine.externalTaskService.listExternalTasks({ topicName: 'nt-sms' });
    expect(failed).to.include({ retries: 0, executionId: null, processInstanceId: null, tenantId: countyA });
  });
});
