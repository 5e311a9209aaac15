import { expect } from 'chai';
import { bpmn, flow, openTask, openTaskKeys } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { countyA, countyB } = TENANT_TREE;

interface ReturnTargetJson {
  activityId: string;
  activityName: string | null;
  userId: string | null;
  completedAt: string;
  taskId: string;
}

/** 受理 (a-ann) → 审核 (a-bob, may also reject) → 办结 (a-cai) */
const PROCESS = bpmn('mv_case', `
  <startEvent id="start"/>${flow('start', 'accept')}
  <userTask id="accept" name="受理" camunda:assignee="a-ann"/>${flow('accept', 'review')}
  <userTask id="review" name="审核" camunda:assignee="a-bob">
    <extensionElements><camunda:properties><camunda:property name="yiwang:operations" value="approve,return,reject"/></camunda:properties></extensionElements>
  </userTask>${flow('review', 'close')}
  <userTask id="close" name="办结" camunda:assignee="a-cai"/>${flow('close', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('api/platform - 退回, 撤回 and 不通过 routes', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    const handler = ['task:read', 'task:handle', 'instance:read', 'process:read'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'handler', permissions: handler },
        { tenantId: countyA, code: 'reader', permissions: ['task:read'] },
        { tenantId: countyB, code: 'handler', permissions: handler },
      ],
      users: [
        ...['a-ann', 'a-bob', 'a-cai'].map((id) => ({ id, tenantId: countyA, roles: ['handler'] })),
        { id: 'a-reader', tenantId: countyA, roles: ['reader'] },
        { id: 'b-dan', tenantId: countyB, roles: ['handler'] },
      ],
    });
    await engine.repositoryService.deploy({ name: 'moves', tenantId: countyA, resources: [{ name: 'moves.bpmn', content: PROCESS }] });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  /** A case whose 受理 a-ann has completed: it waits at 审核 for a-bob. */
  async function atReview(): Promise<{ id: string; accepted: string; review: string }> {
    const { engine } = fixture();
    const id = (await engine.forUser('a-ann').runtimeService.startProcessInstanceByKey('mv_case', { tenantId: countyA })).id;
    const accepted = (await openTask(engine, id, 'accept')).id;
    await engine.forUser('a-ann').taskService.complete(accepted);
    return { id, accepted, review: (await openTask(engine, id, 'review')).id };
  }
  const post = (path: string, as: string, body: object = {}) => api.request(path, { as, method: 'POST', body });

  it('lists the return targets and sends the task back to one: the step is re-created for its last handler', async () => {
    const { id, review } = await atReview();
    const targets = await api.json<ReturnTargetJson[]>(`/tasks/${review}/return-targets`, { as: 'a-bob' });
    expect(targets.map((t) => [t.activityId, t.activityName, t.userId])).to.deep.equal([['accept', '受理', 'a-ann']]);
    expect((await post(`/tasks/${review}/return`, 'a-bob', { activityId: 'accept', comment: '请补充材料' })).status).to.equal(204);
    expect(await openTaskKeys(fixture().engine, id)).to.deep.equal(['accept']);
    expect((await openTask(fixture().engine, id, 'accept')).assignee).to.equal('a-ann');
  });

  it('answers 400 naming the valid targets for another step, and 403 to whoever is not the assignee', async () => {
    const { review } = await atReview();
    const wrong = await post(`/tasks/${review}/return`, 'a-bob', { activityId: 'close' });
    expect(wrong.status).to.equal(400);
    expect(((await wrong.json()) as { message: string }).message).to.contain("'accept' (受理)");
    expect((await post(`/tasks/${review}/return`, 'a-cai', { activityId: 'accept' })).status).to.equal(403);
    expect((await post(`/tasks/${review}/return`, 'a-reader', { activityId: 'accept' })).status).to.equal(403);
  });

  it('withdraws a completed task for its handler only', async () => {
    const { id, accepted } = await atReview();
    expect((await post(`/tasks/${accepted}/withdraw`, 'a-bob')).status).to.equal(403);
    expect((await post(`/tasks/${accepted}/withdraw`, 'a-ann', { comment: '撤回修改' })).status).to.equal(204);
    expect(await openTaskKeys(fixture().engine, id)).to.deep.equal(['accept']);
    expect((await post(`/tasks/${accepted}/withdraw`, 'a-ann')).status).to.equal(409);
  });

  it('rejects the case: it ends as rejected', async () => {
    const { id, review } = await atReview();
    expect((await post(`/tasks/${review}/reject`, 'a-bob', { comment: '不予受理' })).status).to.equal(204);
    const [instance] = await fixture().engine.historyService.listProcessInstances({ processInstanceId: id });
    expect(instance).to.include({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'rejected' });
  });

  it('answers 404 for a task of a case the caller cannot see', async () => {
    const { review, accepted } = await atReview();
    expect((await api.request(`/tasks/${review}/return-targets`, { as: 'b-dan' })).status).to.equal(404);
    expect((await post(`/tasks/${review}/reject`, 'b-dan')).status).to.equal(404);
    expect((await post(`/tasks/${accepted}/withdraw`, 'b-dan')).status).to.equal(404);
  });
});
