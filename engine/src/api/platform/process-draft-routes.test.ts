import { expect } from 'chai';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { city, countyA } = TENANT_TREE;

interface Draft {
  id: string;
  rev: number;
  tenantId: string | null;
  key: string;
  name: string | null;
  updated: string;
  updatedBy: string | null;
  content?: string;
}

/** A process with a user task and no end event: lint would complain, a draft may be unfinished. */
const xml = (key: string, taskName: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="review" name="${taskName}" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
  </bpmn:process>
</bpmn:definitions>`;

describeOnDatabases('api/platform - process drafts', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'designer', permissions: ['process:read', 'process:deploy'] },
        { tenantId: city, code: 'reader', permissions: ['process:read'] },
        { tenantId: countyA, code: 'designer', permissions: ['process:read', 'process:deploy'] },
      ],
      users: [
        { id: 'city-designer', tenantId: city, roles: ['designer'] },
        { id: 'city-designer-2', tenantId: city, roles: ['designer'] },
        { id: 'city-reader', tenantId: city, roles: ['reader'] },
        { id: 'a-designer', tenantId: countyA, roles: ['designer'] },
      ],
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const save = (as: string, key: string, body: Record<string, unknown>) => api.request(`/process-drafts/${key}`, { as, method: 'PUT', body });

  it('saves a draft, lists it without its XML, replaces it at the revision it was loaded at, and deletes it', async () => {
    // when
    const created = await api.json<Draft>('/process-drafts/leave', { as: 'city-designer', method: 'PUT', body: { name: '请假', content: xml('leave', '审批') } });
    const replaced = await api.json<Draft>('/process-drafts/leave', { as: 'city-designer', method: 'PUT', body: { content: xml('leave', '部门审批'), rev: created.rev } });
    const list = await api.json<Draft[]>('/process-drafts', { as: 'city-reader' });
    const count = await api.json<{ count: number }>('/process-drafts/count', { as: 'city-reader' });
    const read = await api.json<Draft>('/process-drafts/leave', { as: 'city-reader' });
    const readerSaves = await save('city-reader', 'leave', { content: xml('leave', 'x'), rev: replaced.rev });
    // then
    expect(created).to.include({ key: 'leave', name: '请假', tenantId: city, updatedBy: 'city-designer', rev: 1 });
    expect(replaced).to.include({ name: '请假', rev: 2 });
    expect(list.map((draft) => [draft.key, draft.rev, draft.content])).to.deep.equal([['leave', 2, undefined]]);
    expect(count.count).to.equal(1);
    expect(read.content).to.contain('部门审批');
    expect(readerSaves.status).to.equal(403);
    // and when
    await api.json('/process-drafts/leave', { as: 'city-designer', method: 'DELETE' }, 204);
    // then
    expect((await api.request('/process-drafts/leave', { as: 'city-reader' })).status).to.equal(404);
  });

  it('refuses a stale revision naming who saved meanwhile, and a second new draft of the same key', async () => {
    // given
    const loaded = await api.json<Draft>('/process-drafts/stale', { as: 'city-designer', method: 'PUT', body: { content: xml('stale', 'a') } });
    await api.json<Draft>('/process-drafts/stale', { as: 'city-designer-2', method: 'PUT', body: { content: xml('stale', 'b'), rev: loaded.rev } });
    // when
    const stale = await save('city-designer', 'stale', { content: xml('stale', 'c'), rev: loaded.rev });
    const duplicate = await save('city-designer', 'stale', { content: xml('stale', 'd') });
    // then
    expect(stale.status).to.equal(409);
    expect(await errorMessage(stale)).to.contain('city-designer-2');
    expect(duplicate.status).to.equal(409);
    expect((await api.json<Draft>('/process-drafts/stale', { as: 'city-designer' })).content).to.contain('name="b"');
  });

  it('refuses malformed XML with the parser\'s message and a draft without the process, but keeps an unfinished one', async () => {
    // when
    const malformed = await save('city-designer', 'broken', { content: '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="broken">' });
    const otherKey = await save('city-designer', 'other', { content: xml('notOther', 'a') });
    const unfinished = await save('city-designer', 'unfinished', { content: xml('unfinished', '') });
    // then
    expect(malformed.status).to.equal(400);
    expect(await errorMessage(malformed)).to.match(/not BPMN XML: .+/);
    expect(otherKey.status).to.equal(400);
    expect(unfinished.status).to.equal(200);
  });

  it('keeps each tenant\'s drafts: another tenant neither sees nor overwrites them', async () => {
    // given
    const ofCity = await api.json<Draft>('/process-drafts/shared-key', { as: 'city-designer', method: 'PUT', body: { content: xml('shared-key', '市') } });
    // when
    const listedInA = await api.json<Draft[]>('/process-drafts?key=shared-key', { as: 'a-designer' });
    const readInA = await api.request('/process-drafts/shared-key', { as: 'a-designer' });
    const overwrite = await save('a-designer', 'shared-key', { content: xml('shared-key', '县'), rev: ofCity.rev });
    const deleteInA = await api.request('/process-drafts/shared-key', { as: 'a-designer', method: 'DELETE' });
    const ownInA = await api.json<Draft>('/process-drafts/shared-key', { as: 'a-designer', method: 'PUT', body: { content: xml('shared-key', '县') } });
    // then
    expect(listedInA).to.deep.equal([]);
    expect(readInA.status).to.equal(404);
    expect(overwrite.status).to.equal(404);
    expect(deleteInA.status).to.equal(404);
    expect(ownInA).to.include({ tenantId: countyA, rev: 1 });
    expect((await api.json<Draft>('/process-drafts/shared-key', { as: 'city-designer' })).content).to.contain('市');
  });
});
