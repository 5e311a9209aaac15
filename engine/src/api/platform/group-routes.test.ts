import { expect } from 'chai';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { city, countyA, countyB } = TENANT_TREE;

interface Group {
  id: string;
  tenantId: string;
  code: string;
  name: string;
  members: { id: string; displayName: string }[];
}

describeOnDatabases('api/platform - user groups', (fixture) => {
  let api: SignedInClient;

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'group-admin', permissions: ['group:read', 'group:write'] },
        { tenantId: city, code: 'reader', permissions: ['task:read'] },
        { tenantId: city, code: 'supervisor', permissions: ['group:read'], seesDescendants: true },
        { tenantId: countyA, code: 'group-admin', permissions: ['group:read', 'group:write'] },
        { tenantId: countyB, code: 'group-admin', permissions: ['group:read', 'group:write'] },
      ],
      users: [
        { id: 'city-admin', tenantId: city, roles: ['group-admin'] },
        { id: 'city-deputy', tenantId: city, roles: ['group-admin'] },
        { id: 'city-reader', tenantId: city, roles: ['reader'] },
        { id: 'city-super', tenantId: city, roles: ['supervisor'] },
        { id: 'city-li', tenantId: city, name: '李明' },
        { id: 'city-wang', tenantId: city, name: '王芳' },
        { id: 'a-admin', tenantId: countyA, roles: ['group-admin'] },
        { id: 'a-zhao', tenantId: countyA, name: '赵强' },
        { id: 'b-admin', tenantId: countyB, roles: ['group-admin'] },
      ],
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const createGroup = (as: string, body: Record<string, unknown>) => api.json<Group>('/admin/groups', { as, body }, 201);
  const groupCodes = async (as: string, query = '') => (await api.json<Group[]>(`/admin/groups${query}`, { as })).map((group) => `${group.tenantId}/${group.code}`);
  const auditActions = async (objectId: string) =>
    (await fixture().engine.database.read((sql) => sql.select('SELECT action, user_id, detail FROM audit_log WHERE object_id = $1 ORDER BY time, id', [objectId]))).map((row) => ({
      action: row.action,
      userId: row.user_id,
      detail: JSON.parse(String(row.detail)),
    }));

  it('creates a group with members, changes its members and name, deletes it, and audits each change', async () => {
    // when
    const created = await createGroup('city-admin', { code: 'night-shift', name: '夜班', members: ['city-li'] });
    await api.json(`/admin/groups/${created.id}/members`, { as: 'city-admin', method: 'PUT', body: { userIds: ['city-wang', 'city-li'] } }, 204);
    const renamed = await api.json<Group>(`/admin/groups/${created.id}`, { as: 'city-admin', method: 'PUT', body: { code: 'night-shift', name: '夜间值班' } });
    // then
    expect(created).to.include({ tenantId: city, code: 'night-shift', name: '夜班' });
    expect(created.members).to.deep.equal([{ id: 'city-li', displayName: '李明' }]);
    expect(renamed.name).to.equal('夜间值班');
    expect(renamed.members.map((member) => member.id)).to.deep.equal(['city-li', 'city-wang']);
    expect(await groupCodes('city-admin', '?member=city-wang')).to.deep.equal([`${city}/night-shift`]);
    expect(await groupCodes('city-admin', '?nameLike=%25值班')).to.deep.equal([`${city}/night-shift`]);
    expect(await api.json('/admin/groups/count?code=night-shift', { as: 'city-admin' })).to.deep.equal({ count: 1 });
    await api.json(`/admin/groups/${created.id}`, { as: 'city-admin', method: 'DELETE' }, 204);
    expect((await api.request(`/admin/groups/${created.id}`, { as: 'city-admin' })).status).to.equal(404);
    const memberships = await fixture().engine.database.read((sql) => sql.select('SELECT * FROM group_member WHERE group_id = $1', [created.id]));
    expect(memberships).to.deep.equal([]);
    expect(await auditActions(created.id)).to.deep.equal([
      { action: 'group.create', userId: 'city-admin', detail: { tenantId: city, code: 'night-shift', name: '夜班', members: ['city-li'] } },
      { action: 'group.members', userId: 'city-admin', detail: { added: ['city-wang'], removed: [] } },
      { action: 'group.update', userId: 'city-admin', detail: { name: { from: '夜班', to: '夜间值班' } } },
      { action: 'group.delete', userId: 'city-admin', detail: { tenantId: city, code: 'night-shift', name: '夜间值班' } },
    ]);
  });

  it('refuses a member from another tenant, naming them, and changes nothing', async () => {
    // given
    const group = await createGroup('city-admin', { code: 'patrol', name: '巡查组', members: ['city-li'] });
    // when
    const created = await api.request('/admin/groups', { as: 'city-admin', body: { code: 'mixed', name: '混合组', members: ['city-li', 'a-zhao'] } });
    const changed = await api.request(`/admin/groups/${group.id}/members`, { as: 'city-admin', method: 'PUT', body: { userIds: ['a-zhao'] } });
    // then
    for (const response of [created, changed]) {
      expect(response.status).to.equal(400);
      expect(await errorMessage(response)).to.contain("'a-zhao'").and.not.contain("'city-li'");
    }
    expect(await groupCodes('city-admin', '?code=mixed')).to.deep.equal([]);
    expect((await api.json<Group>(`/admin/groups/${group.id}`, { as: 'city-admin' })).members.map((member) => member.id)).to.deep.equal(['city-li']);
    expect((await auditActions(group.id)).map((row) => row.action)).to.deep.equal(['group.create']);
  });

  it('lets nobody add themselves to a group or take themselves out, whether it is new or not', async () => {
    // given: a group the city's administrator is a member of, made by another administrator
    const group = await createGroup('city-deputy', { code: 'duty', name: '值班', members: ['city-admin'] });
    // when
    const created = await api.request('/admin/groups', { as: 'city-admin', body: { code: 'self-made', name: '自建', members: ['city-li', 'city-admin'] } });
    const left = await api.request(`/admin/groups/${group.id}/members`, { as: 'city-admin', method: 'PUT', body: { userIds: ['city-li'] } });
    const othersAdded = await api.request(`/admin/groups/${group.id}/members`, { as: 'city-admin', method: 'PUT', body: { userIds: ['city-admin', 'city-li'] } });
    // then
    for (const refused of [created, left]) {
      expect(refused.status).to.equal(403);
      expect(await errorMessage(refused)).to.equal('不能更改自己的用户组成员身份，须由其他管理员修改 (you cannot add yourself to or remove yourself from a user group: another administrator must)');
    }
    expect(othersAdded.status).to.equal(204);
    expect(await groupCodes('city-admin', '?code=self-made')).to.deep.equal([]);
    expect((await api.json<Group>(`/admin/groups/${group.id}`, { as: 'city-admin' })).members.map((member) => member.id)).to.deep.equal(['city-admin', 'city-li']);
  });

  it('refuses a code the tenant already has', async () => {
    await createGroup('city-admin', { code: 'hotline', name: '热线组' });
    const response = await api.request('/admin/groups', { as: 'city-admin', body: { code: 'HOTLINE', name: '另一个' } });
    expect(response.status).to.equal(409);
    expect(await errorMessage(response)).to.contain('HOTLINE');
    expect((await api.request('/admin/groups', { as: 'a-admin', body: { code: 'hotline', name: '县热线组' } })).status).to.equal(201);
  });

  it('shows each tenant its own groups only, answers 404 for another tenant’s, and leaves it as it was', async () => {
    // given
    const countyGroup = await createGroup('b-admin', { code: 'b-team', name: '鹿寨小组' });
    // when
    const attempts = [
      await api.request(`/admin/groups/${countyGroup.id}`, { as: 'a-admin' }),
      await api.request(`/admin/groups/${countyGroup.id}`, { as: 'city-admin' }),
      await api.request(`/admin/groups/${countyGroup.id}`, { as: 'a-admin', method: 'PUT', body: { code: 'taken', name: 'taken' } }),
      await api.request(`/admin/groups/${countyGroup.id}/members`, { as: 'a-admin', method: 'PUT', body: { userIds: ['a-zhao'] } }),
      await api.request(`/admin/groups/${countyGroup.id}`, { as: 'a-admin', method: 'DELETE' }),
      await api.request('/admin/groups', { as: 'a-admin', body: { tenantId: countyB, code: 'planted', name: 'planted' } }),
    ];
    // then
    expect(attempts.map((response) => response.status)).to.deep.equal([404, 404, 404, 404, 404, 404]);
    expect(await groupCodes('a-admin', `?tenantId=${countyB}`)).to.deep.equal([]);
    expect((await groupCodes('a-admin')).every((code) => code.startsWith(`${countyA}/`))).to.equal(true);
    expect(await groupCodes('b-admin')).to.deep.equal([`${countyB}/b-team`]);
    expect(await groupCodes('city-super', `?tenantId=${countyB}`)).to.deep.equal([`${countyB}/b-team`]);
  });

  it('answers 401 without credentials and 403 without the permission, on every route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/admin/groups'],
      ['GET', '/admin/groups/count'],
      ['GET', '/admin/groups/some-id'],
      ['POST', '/admin/groups', { code: 'x', name: 'x' }],
      ['PUT', '/admin/groups/some-id', { code: 'x', name: 'x' }],
      ['DELETE', '/admin/groups/some-id'],
      ['PUT', '/admin/groups/some-id/members', { userIds: [] }],
    ];
    for (const [method, path, body] of routes) {
      expect((await api.request(path, { as: 'city-reader', method, body })).status, `${method} ${path}`).to.equal(403);
      expect((await api.request(path, { as: null, method, body })).status, `${method} ${path}`).to.equal(401);
    }
    for (const [method, path, body] of routes.filter(([method]) => method !== 'GET')) {
      expect((await api.request(path, { as: 'city-super', method, body })).status, `${method} ${path}`).to.equal(403);
    }
  });

  it('answers 400 to SQL-looking and oversized filters', async () => {
    const injection = encodeURIComponent("x' OR '1'='1");
    for (const parameter of ['tenantId', 'code', 'member', 'nameLike', 'sortBy', 'maxResults']) {
      for (const value of [injection, 'x'.repeat(10_000)]) {
        if (parameter === 'nameLike' && value === injection) continue;
        expect((await api.request(`/admin/groups?${parameter}=${value}`, { as: 'city-admin' })).status, parameter).to.equal(400);
      }
    }
    expect(await api.json(`/admin/groups?nameLike=${injection}`, { as: 'city-admin' })).to.deep.equal([]);
  });
});
