import { expect } from 'chai';
import { rejectionOf } from '../../testing/bpmn.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { city, countyA } = TENANT_TREE;
const HOUR = 3_600_000;

interface Entry {
  id: string;
  time: string;
  userId: string;
  tenantId: string;
  action: string;
  objectType: string;
  objectId: string;
  address: string;
  detail: unknown;
}

describeOnDatabases('api/platform - audit log', (fixture) => {
  let api: SignedInClient;
  /** group ids by code, in the order they were created an hour apart */
  const groups: Record<string, string> = {};
  let firstWrite: Date;

  before(async () => {
    const { engine, clock } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'admin', permissions: ['group:write', 'audit:read'] },
        { tenantId: city, code: 'supervisor', permissions: ['audit:read'], seesDescendants: true },
        { tenantId: city, code: 'manager', permissions: ['group:write', 'audit:read'], seesDescendants: true },
        { tenantId: city, code: 'reader', permissions: ['group:read'] },
        { tenantId: countyA, code: 'admin', permissions: ['group:write', 'audit:read'] },
      ],
      users: [
        { id: 'city-admin', tenantId: city, roles: ['admin'] },
        { id: 'city-admin-2', tenantId: city, roles: ['admin'] },
        { id: 'city-super', tenantId: city, roles: ['supervisor'] },
        { id: 'city-manager', tenantId: city, roles: ['manager'] },
        { id: 'city-reader', tenantId: city, roles: ['reader'] },
        { id: 'a-admin', tenantId: countyA, roles: ['admin'] },
      ],
    });
    api = await startSignedInApi(engine);
    firstWrite = clock.now();
    for (const [as, code] of [['city-admin', 'first'], ['city-admin-2', 'second'], ['a-admin', 'county'], ['city-admin', 'third']] as const) {
      groups[code] = (await api.json<{ id: string }>('/admin/groups', { as, body: { code, name: code } }, 201)).id;
      clock.advance(HOUR);
    }
    await api.json(`/admin/groups/${groups.third}`, { as: 'city-admin', method: 'DELETE' }, 204);
  });

  after(async () => {
    await api?.close();
  });

  const entries = (as: string, query = '') => api.json<Entry[]>(`/admin/audit-log${query}`, { as });
  /** the group entries (signing in is audited too, as `auth.login`) */
  const objects = async (as: string, query = '') =>
    (await entries(as, `${query ? `${query}&` : '?'}objectType=group`)).map((entry) => `${entry.action} ${Object.keys(groups).find((code) => groups[code] === entry.objectId)}`);

  it('records who changed what, when, in which tenant and from where, newest first', async () => {
    // when
    const [latest] = await entries('city-admin', '?maxResults=1&objectType=group');
    // then
    expect(latest).to.include({ userId: 'city-admin', tenantId: city, action: 'group.delete', objectType: 'group', objectId: groups.third });
    expect(latest?.address).to.match(/127\.0\.0\.1/);
    expect(new Date(latest!.time).getTime()).to.be.at.least(firstWrite.getTime() + 3 * HOUR - 1000);
    expect(await objects('city-admin')).to.deep.equal(['group.delete third', 'group.create third', 'group.create second', 'group.create first']);
  });

  it('filters by user, action, object, tenant and time, pages, and counts', async () => {
    const at = (hours: number) => encodeURIComponent(new Date(firstWrite.getTime() + hours * HOUR - 1).toISOString());
    expect(await objects('city-admin', '?userId=city-admin-2')).to.deep.equal(['group.create second']);
    expect(await objects('city-admin', '?action=group.delete')).to.deep.equal(['group.delete third']);
    expect(await objects('city-admin', `?objectId=${groups.first}`)).to.deep.equal(['group.create first']);
    expect(await objects('city-super', `?tenantId=${countyA}`)).to.deep.equal(['group.create county']);
    expect(await objects('city-admin', `?from=${at(1)}&to=${at(3)}`)).to.deep.equal(['group.create second']);
    expect(await objects('city-admin', '?firstResult=1&maxResults=2')).to.deep.equal(['group.create third', 'group.create second']);
    expect(await api.json('/admin/audit-log/count?action=group.create', { as: 'city-admin' })).to.deep.equal({ count: 3 });
    expect(await api.json('/admin/audit-log/count?userId=nobody', { as: 'city-admin' })).to.deep.equal({ count: 0 });
  });

  it('shows each tenant its own entries, and the city its counties’ only where a role grants it', async () => {
    expect(await objects('a-admin')).to.deep.equal(['group.create county']);
    expect(await objects('city-admin', `?tenantId=${countyA}`)).to.deep.equal([]);
    expect(await objects('a-admin', `?userId=city-admin`)).to.deep.equal([]);
    expect(await objects('city-super')).to.have.members(['group.delete third', 'group.create third', 'group.create county', 'group.create second', 'group.create first']);
    expect(await api.json('/admin/audit-log/count?objectType=group', { as: 'a-admin' })).to.deep.equal({ count: 1 });
  });

  it('cannot be changed: the database refuses to update or delete its rows', async () => {
    // given
    const { engine } = fixture();
    const before = await engine.database.read((sql) => sql.select('SELECT id, action FROM audit_log ORDER BY id'));
    // when
    const update = await rejectionOf(engine.database.transaction((sql) => sql.execute("UPDATE audit_log SET action = 'nothing.happened'")));
    const remove = await rejectionOf(engine.database.transaction((sql) => sql.execute('DELETE FROM audit_log WHERE user_id = $1', ['city-admin'])));
    // then
    expect(update.message).to.contain('append-only');
    expect(remove.message).to.contain('append-only');
    expect(await engine.database.read((sql) => sql.select('SELECT id, action FROM audit_log ORDER BY id'))).to.deep.equal(before);
  });

  it('has no route that writes it', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await api.request('/admin/audit-log', { as: 'city-admin', method, body: method === 'DELETE' ? undefined : {} });
      expect(response.status, method).to.equal(405);
    }
  });

  it('answers 401 without credentials and 403 without the permission', async () => {
    for (const path of ['/admin/audit-log', '/admin/audit-log/count']) {
      expect((await api.request(path, { as: 'city-reader' })).status, path).to.equal(403);
      expect((await api.request(path, { as: null })).status, path).to.equal(401);
    }
  });

  it('answers 400 to SQL-looking, oversized and malformed filters', async () => {
    const injection = encodeURIComponent("x' OR '1'='1");
    for (const parameter of ['userId', 'action', 'objectType', 'objectId', 'tenantId', 'from', 'to', 'firstResult']) {
      for (const value of [injection, 'x'.repeat(10_000)]) {
        for (const path of ['/admin/audit-log', '/admin/audit-log/count']) {
          expect((await api.request(`${path}?${parameter}=${value}`, { as: 'city-admin' })).status, `${path} ${parameter}`).to.equal(400);
        }
      }
    }
    expect((await api.request('/admin/audit-log?from=2026-13-45T00:00:00Z', { as: 'city-admin' })).status).to.equal(400);
    expect((await api.request('/admin/audit-log?maxResults=100000', { as: 'city-admin' })).status).to.equal(400);
  });

  it('files a change the city makes in a county under the county, so the county’s administrators see it (runs last: it adds an entry)', async () => {
    // when
    const { id } = await api.json<{ id: string }>('/admin/groups', { as: 'city-manager', body: { tenantId: countyA, code: 'from-city', name: '市里建的组' } }, 201);
    // then
    const [entry] = await entries('a-admin', `?objectId=${id}`);
    expect(entry).to.include({ userId: 'city-manager', tenantId: countyA, action: 'group.create' });
  });
});
