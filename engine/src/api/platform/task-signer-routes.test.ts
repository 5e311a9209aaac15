import { expect } from 'chai';
import { bpmn, flow, openTaskKeys } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { countyA, countyB } = TENANT_TREE;

interface SignerJson {
  taskId: string;
  userId: string;
  position: string;
  state: string;
  created: string;
  ended: string | null;
}

const PROCESS = bpmn('sr_review', `
  <startEvent id="start"/>${flow('start', 'review')}
  <userTask id="review" name="审核" camunda:assignee="a-boss"/>${flow('review', 'after')}
  <userTask id="after" camunda:assignee="a-boss"/>${flow('after', 'end')}
  <endEvent id="end"/>`);

describeOnDatabases('api/platform - task signers (加签, 减签)', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    const handler = ['task:read', 'task:handle'];
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: countyA, code: 'handler', permissions: handler },
        { tenantId: countyA, code: 'reader', permissions: ['task:read'] },
        { tenantId: countyB, code: 'handler', permissions: handler },
      ],
      users: [
        ...['a-boss', 'a-ann', 'a-bob'].map((id) => ({ id, tenantId: countyA, roles: ['handler'] })),
        { id: 'a-reader', tenantId: countyA, roles: ['reader'] },
        { id: 'b-dan', tenantId: countyB, roles: ['handler'] },
      ],
    });
    await engine.repositoryService.deploy({ name: 'signers', tenantId: countyA, resources: [{ name: 'review.bpmn', content: PROCESS }] });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const start = async () => {
    const { engine } = fixture();
    const instance = await engine.runtimeService.startProcessInstanceByKey('sr_review', { tenantId: countyA });
    const [task] = await engine.taskService.listTasks({ processInstanceId: instance.id });
    return { id: instance.id, reviewId: task?.id as string };
  };
  const add = (as: string, taskId: string, body: object, status = 201) => api.json<SignerJson[]>(`/tasks/${taskId}/signers`, { as, method: 'POST', body }, status);
  const signers = (as: string, taskId: string) => api.json<SignerJson[]>(`/tasks/${taskId}/signers`, { as });

  it('the assignee adds signers before, one signs, the other is removed; the list shows both with how they ended, and the task is back', async () => {
    // given
    const { id, reviewId } = await start();
    // when
    const added = await add('a-boss', reviewId, { users: ['a-ann', 'a-bob'], position: 'before', comment: '请会签' });
    // then
    expect(added.map((s) => [s.userId, s.position, s.state])).to.deep.equal([['a-ann', 'before', 'open'], ['a-bob', 'before', 'open']]);
    const [ann, bob] = added as [SignerJson, SignerJson];
    // when
    const byOther = await api.request(`/tasks/${ann.taskId}/sign`, { as: 'a-bob', method: 'POST', body: {} });
    // then
    expect(byOther.status).to.equal(403);
    // when
    await api.json(`/tasks/${ann.taskId}/sign`, { as: 'a-ann', method: 'POST', body: { comment: '同意' } }, 204);
    await api.json(`/tasks/${reviewId}/signers/${bob.taskId}`, { as: 'a-boss', method: 'DELETE', body: { comment: '不必了' } }, 204);
    // then
    const listed = await signers('a-reader', reviewId);
    expect(listed.map((s) => [s.userId, s.state])).to.deep.equal([['a-ann', 'signed'], ['a-bob', 'removed']]);
    expect(listed.every((s) => s.ended !== null)).to.equal(true);
    const [task] = await fixture().engine.taskService.listTasks({ processInstanceId: id });
    expect(task).to.include({ id: reviewId, assignee: 'a-boss' });
  });

  it('后加签: the last signer signing moves the case on', async () => {
    // given
    const { id, reviewId } = await start();
    const [ann] = await add('a-boss', reviewId, { users: ['a-ann'], position: 'after' });
    // when
    await api.json(`/tasks/${ann?.taskId}/sign`, { as: 'a-ann', method: 'POST', body: {} }, 204);
    // then
    expect(await openTaskKeys(fixture().engine, id)).to.deep.equal(['after']);
  });

  it('refuses a bad body, users who cannot sign, someone not the assignee, a caller without task:handle, and another tenant', async () => {
    // given
    const { reviewId } = await start();
    // when
    const badPosition = await api.request(`/tasks/${reviewId}/signers`, { as: 'a-boss', method: 'POST', body: { users: ['a-ann'], position: 'beside' } });
    const noUsers = await api.request(`/tasks/${reviewId}/signers`, { as: 'a-boss', method: 'POST', body: { users: [], position: 'after' } });
    const strangers = await api.request(`/tasks/${reviewId}/signers`, { as: 'a-boss', method: 'POST', body: { users: ['b-dan'], position: 'after' } });
    const notAssignee = await api.request(`/tasks/${reviewId}/signers`, { as: 'a-ann', method: 'POST', body: { users: ['a-bob'], position: 'after' } });
    const reader = await api.request(`/tasks/${reviewId}/signers`, { as: 'a-reader', method: 'POST', body: { users: ['a-bob'], position: 'after' } });
    const otherTenant = await api.request(`/tasks/${reviewId}/signers`, { as: 'b-dan', method: 'GET' });
    // then
    expect([badPosition.status, noUsers.status, strangers.status, notAssignee.status, reader.status, otherTenant.status]).to.deep.equal([400, 400, 400, 403, 403, 404]);
    expect(await errorMessage(strangers)).to.contain(`'b-dan' (not a user of tenant ${countyA})`);
    expect(await signers('a-boss', reviewId)).to.deep.equal([]);
  });
});
