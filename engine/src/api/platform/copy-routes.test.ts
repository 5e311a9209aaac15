import { expect } from 'chai';
import { bpmn, flow, rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { countyA, countyB } = TENANT_TREE;

interface CopyJson {
  id: string;
  processInstanceId: string;
  processDefinitionName: string | null;
  businessKey: string | null;
  taskId: string | null;
  activityName: string | null;
  senderId: string | null;
  senderName: string | null;
  comment: string | null;
  readTime: string | null;
}

const property = (name: string, value: string) => `<camunda:property name="${name}" value="${value}"/>`;

/** 受理 (a-clerk) offers 抄送; then the copy node 告知 copies to the 督查科 and to `${watcher}`; 复核 offers no 抄送. */
const COPY_PROCESS = bpmn('cp_case', `
  <startEvent id="start"/>${flow('start', 'accept')}
  <userTask id="accept" name="受理" camunda:assignee="a-clerk">
    <extensionElements><camunda:properties>${property('yiwang:operations', 'approve,copy')}</camunda:properties></extensionElements>
  </userTask>${flow('accept', 'inform')}
  <sendTask id="inform" name="告知">
    <extensionElements><camunda:properties>
      ${property('yiwang:copy:departments', 'dcs')}
      ${property('yiwang:copy:users', '${watcher}, nobody-known')}
    </camunda:properties></extensionElements>
  </sendTask>${flow('inform', 'review')}
  <userTask id="review" name="复核" camunda:assignee="a-clerk">
    <extensionElements><camunda:properties>${property('yiwang:operations', 'approve')}</camunda:properties></extensionElements>
  </userTask>${flow('review', 'end')}
  <endEvent id="end"/>`, 'name="案件办理"');

describeOnDatabases('api/platform - 抄送: copies from a task and from a copy node, 抄送我', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    const staff = ['task:read', 'task:handle', 'instance:read', 'process:read', 'process:start'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [{ tenantId: countyA, code: 'dcs', name: '督查科' }, { tenantId: countyA, code: 'empty', name: '空科室' }],
      roles: [
        { tenantId: countyA, code: 'clerk', permissions: staff },
        { tenantId: countyA, code: 'reader', permissions: staff, dataScope: 'self' },
        { tenantId: countyB, code: 'reader', permissions: staff },
        { tenantId: countyB, code: 'inspector', permissions: staff },
      ],
      users: [
        { id: 'a-clerk', tenantId: countyA, name: '张办', roles: ['clerk'] },
        { id: 'a-other', tenantId: countyA, roles: ['clerk'] },
        { id: 'a-dcs1', tenantId: countyA, departments: ['dcs'], roles: ['reader'] },
        { id: 'a-dcs2', tenantId: countyA, departments: ['dcs'], roles: ['reader'] },
        { id: 'a-boss', tenantId: countyA, roles: ['reader'] },
        { id: 'a-watcher', tenantId: countyA, roles: ['reader'] },
        { id: 'b-reader', tenantId: countyB, roles: ['reader'] },
      ],
    });
    await engine.repositoryService.deploy({ name: 'copies', tenantId: countyA, resources: [{ name: 'case.bpmn', content: COPY_PROCESS }] });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  let caseNumber = 0;
  async function startCase(): Promise<{ instanceId: string; taskId: string }> {
    caseNumber += 1;
    const { engine } = fixture();
    const started = await engine.forUser('a-other').runtimeService.startProcessInstanceByKey('cp_case', { businessKey: `CP-${caseNumber}`, tenantId: countyA, variables: { watcher: 'a-watcher' } });
    const [task] = await engine.taskService.listTasks({ processInstanceId: started.id });
    return { instanceId: started.id, taskId: task?.id as string };
  }
  const copy = (taskId: string, as: string, body: object) => api.request(`/tasks/${taskId}/copy`, { as, method: 'POST', body });
  const copiesOf = async (as: string, instanceId: string, query = '') => (await api.json<CopyJson[]>(`/copies${query}`, { as })).filter((c) => c.processInstanceId === instanceId);
  const rows = (instanceId: string) => fixture().engine.database.transaction((sql) => sql.select('SELECT user_id, task_id, sender_id FROM task_copy WHERE process_instance_id = $1 ORDER BY user_id', [instanceId]));

  it('copies a case to a user and a department (each once, the sender never), lists it in 抄送我 with a message, and marks it read', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    // when
    const result = await api.json<{ copied: string[]; alreadyCopied: string[] }>(`/tasks/${taskId}/copy`, {
      as: 'a-clerk', method: 'POST', body: { users: ['a-boss', 'a-clerk'], departments: ['dcs'], comment: '请督办' },
    });
    const again = await api.json<{ copied: string[]; alreadyCopied: string[] }>(`/tasks/${taskId}/copy`, { as: 'a-clerk', method: 'POST', body: { users: ['a-boss'] } });
    const [mine] = await copiesOf('a-boss', instanceId, '?unread=true');
    const unreadBefore = await api.json<{ count: number }>('/copies/count?unread=true', { as: 'a-boss' });
    const read = await api.request(`/copies/${mine?.id}/read`, { as: 'a-boss', method: 'POST' });
    const readAgain = await api.request(`/copies/${mine?.id}/read`, { as: 'a-boss', method: 'POST' });
    const byOther = await api.request(`/copies/${mine?.id}/read`, { as: 'a-dcs1', method: 'POST' });
    const unreadAfter = await api.json<{ count: number }>('/copies/count?unread=true', { as: 'a-boss' });
    const messages = await api.json<{ kind: string; title: string; body: string | null; processInstanceId: string }[]>('/notifications?kind=copy', { as: 'a-dcs1' });
    const entries = await fixture().engine.database.transaction((sql) => sql.select("SELECT user_id, target FROM case_action WHERE process_instance_id = $1 AND operation = 'copy'", [instanceId]));
    // then
    expect(result.copied.sort()).to.deep.equal(['a-boss', 'a-dcs1', 'a-dcs2']);
    expect(again).to.deep.equal({ copied: [], alreadyCopied: ['a-boss'] });
    expect(mine).to.include({ processDefinitionName: '案件办理', businessKey: `CP-${caseNumber}`, taskId, activityName: '受理', senderId: 'a-clerk', senderName: '张办', comment: '请督办', readTime: null });
    expect([read.status, readAgain.status, byOther.status]).to.deep.equal([204, 204, 404]);
    expect(unreadAfter.count).to.equal(unreadBefore.count - 1);
    expect(messages.filter((m) => m.processInstanceId === instanceId).map((m) => [m.title, m.body])).to.deep.equal([['抄送：案件办理（受理）', '请督办']]);
    expect(entries).to.have.length(1);
    expect(entries[0]?.user_id).to.equal('a-clerk');
    expect(JSON.parse(String(entries[0]?.target)).users.sort()).to.deep.equal(['a-boss', 'a-dcs1', 'a-dcs2']);
  });

  it('refuses a copy without recipients, to an unknown department or another tenant\'s role, by who is not the assignee, and where the task does not offer it', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    // when
    const nobody = await copy(taskId, 'a-clerk', { comment: 'x' });
    const unknownDepartment = await copy(taskId, 'a-clerk', { departments: ['no-such-dept'] });
    const otherTenantsRole = await copy(taskId, 'a-clerk', { roles: ['inspector'] });
    const otherTenantsUser = await copy(taskId, 'a-clerk', { users: ['b-reader'] });
    const emptyDepartment = await copy(taskId, 'a-clerk', { departments: ['empty'] });
    const notAssignee = await copy(taskId, 'a-other', { users: ['a-boss'] });
    await fixture().engine.forUser('a-clerk').taskService.complete(taskId);
    const [review] = await fixture().engine.taskService.listTasks({ processInstanceId: instanceId });
    const notOffered = await copy(review?.id as string, 'a-clerk', { users: ['a-boss'] });
    const done = await copy(taskId, 'a-clerk', { users: ['a-boss'] });
    // then
    expect(nobody.status).to.equal(400);
    expect(unknownDepartment.status).to.equal(400);
    expect(await errorMessage(unknownDepartment)).to.contain("department 'no-such-dept'");
    expect(otherTenantsRole.status).to.equal(400);
    expect(await errorMessage(otherTenantsRole)).to.contain("role 'inspector'");
    expect(otherTenantsUser.status).to.equal(400);
    expect(emptyDepartment.status).to.equal(400);
    expect(notAssignee.status).to.equal(403);
    expect(notOffered.status).to.equal(403);
    expect(await errorMessage(notOffered)).to.contain('抄送');
    expect(done.status).to.be.oneOf([404, 409]);
    expect((await rows(instanceId)).filter((row) => row.task_id === taskId)).to.deep.equal([]);
  });

  it('makes one copy of two concurrent copy requests to the same user', async () => {
    // given
    const { instanceId, taskId } = await startCase();
    // when
    const answers = await Promise.all([copy(taskId, 'a-clerk', { users: ['a-boss'] }), copy(taskId, 'a-clerk', { users: ['a-boss'] })]);
    // then
    expect(answers.map((a) => a.status)).to.satisfy((statuses: number[]) => statuses.includes(200) && statuses.every((s) => s === 200 || s === 409));
    expect((await rows(instanceId)).filter((row) => row.task_id === taskId).map((row) => row.user_id)).to.deep.equal(['a-boss']);
  });

  it('copies at a copy node with no sender and an engine entry in the timeline, skipping unknown names, and the token moves on', async () => {
    // given
    const { engine } = fixture();
    const { instanceId, taskId } = await startCase();
    // when
    await engine.forUser('a-clerk').taskService.complete(taskId);
    const open = await engine.taskService.listTasks({ processInstanceId: instanceId });
    const [fromNode] = await copiesOf('a-watcher', instanceId);
    const entries = await engine.database.transaction((sql) => sql.select("SELECT user_id, activity_id FROM case_action WHERE process_instance_id = $1 AND operation = 'copy'", [instanceId]));
    // then
    expect(open.map((task) => task.taskDefinitionKey)).to.deep.equal(['review']);
    expect((await rows(instanceId)).map((row) => [row.user_id, row.task_id, row.sender_id])).to.deep.equal([
      ['a-dcs1', null, null], ['a-dcs2', null, null], ['a-watcher', null, null],
    ]);
    expect(fromNode).to.include({ activityName: '告知', senderId: null, taskId: null, businessKey: `CP-${caseNumber}` });
    expect(entries).to.deep.equal([{ user_id: null, activity_id: 'inform' }]);
  });

  it('lets a recipient whose data scope is only their own cases read a case copied to them, and not another', async () => {
    // given
    const copied = await startCase();
    const other = await startCase();
    await api.json(`/tasks/${copied.taskId}/copy`, { as: 'a-clerk', method: 'POST', body: { users: ['a-boss'] } });
    // when
    const seen = await api.request(`/instances/${copied.instanceId}`, { as: 'a-boss' });
    const hidden = await api.request(`/instances/${other.instanceId}`, { as: 'a-boss' });
    // then
    expect(seen.status).to.equal(200);
    expect(hidden.status).to.equal(404);
  });

  it('fails the deploy of a copy node that is also an external task, or names nobody', async () => {
    const { engine } = fixture();
    const node = (extra: string, properties: string) => bpmn('cp_bad', `
      <startEvent id="start"/>${flow('start', 'inform')}
      <sendTask id="inform"${extra}><extensionElements><camunda:properties>${properties}</camunda:properties></extensionElements></sendTask>${flow('inform', 'end')}
      <endEvent id="end"/>`);
    const deploy = (xml: string) => engine.repositoryService.deploy({ name: 'bad', resources: [{ name: 'bad.bpmn', content: xml }] });
    const external = await rejectionOf(deploy(node(' camunda:type="external" camunda:topic="t"', property('yiwang:copy:users', 'a-boss'))));
    const nobody = await rejectionOf(deploy(node('', property('yiwang:copy:roles', ' '))));
    expect(external.message).to.contain('cannot be an external task too');
    expect(nobody.message).to.contain('name nobody');
  });
});
