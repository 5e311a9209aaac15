import { expect } from 'chai';
import { secretHash, type ApiKeyView, type CreatedApiKey } from '../../identity/index.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startPlatformServer, type ErrorBody, type HttpClient } from '../../testing/rest.js';

const { city, countyA, countyB } = TENANT_TREE;
const KEY_ADMIN = ['api-key:read', 'api-key:write', 'task:read'];

describeOnDatabases('api/platform - API keys for machine clients', (fixture) => {
  let api: HttpClient;
  let rest: HttpClient;
  let close: () => Promise<void>;

  before(async () => {
    const { engine } = fixture();
    ({ api, rest, close } = await startPlatformServer(engine));
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      roles: [
        { tenantId: city, code: 'key-admin', permissions: KEY_ADMIN },
        { tenantId: city, code: 'supervisor', permissions: [...KEY_ADMIN, 'audit:read'], seesDescendants: true },
        { tenantId: city, code: 'clerk', permissions: ['task:read'] },
        { tenantId: city, code: 'overseer', permissions: ['task:read'], seesDescendants: true },
        { tenantId: city, code: 'key-reader', permissions: ['api-key:read'] },
        { tenantId: countyA, code: 'key-admin', permissions: KEY_ADMIN },
        { tenantId: countyB, code: 'key-admin', permissions: KEY_ADMIN },
      ],
      users: [
        { id: 'city-keys', tenantId: city, roles: ['key-admin'] },
        { id: 'city-super', tenantId: city, roles: ['supervisor'] },
        { id: 'city-clerk', tenantId: city, roles: ['clerk'] },
        { id: 'city-overseer', tenantId: city, roles: ['overseer'] },
        { id: 'city-typist', tenantId: city, roles: ['clerk'] },
        { id: 'a-keys', tenantId: countyA, roles: ['key-admin'] },
        { id: 'b-keys', tenantId: countyB, roles: ['key-admin'] },
      ],
    });
  });

  after(async () => {
    await close();
  });

  const bearer = (key: string) => `Bearer ${key}`;
  const create = async (as: string, body: Record<string, unknown>) => api.json<CreatedApiKey>('/admin/api-keys', { auth: await api.signIn(as), body }, 201);
  const failure = async (response: Response, status: number) => {
    expect(response.status, await response.clone().text()).to.equal(status);
    return (await response.json()) as ErrorBody;
  };

  it('creates a key shown once and stored as a hash; the key acts for its user on /engine-rest and /api', async () => {
    // when
    const created = await create('city-keys', { name: 'inspection worker', permissions: ['task:read'] });
    // then
    expect(created).to.include({ name: 'inspection worker', userId: 'city-keys', tenantId: city, expires: null, lastUsed: null });
    expect(created.permissions).to.deep.equal(['task:read']);
    expect(created.key).to.match(/^yw_[A-Za-z0-9_-]{43}$/);
    const [row] = await fixture().engine.database.read((sql) => sql.select('SELECT * FROM api_token WHERE id = $1', [created.id]));
    expect(row?.token_hash).to.equal(secretHash(created.key));
    expect(JSON.stringify(row)).not.to.contain(created.key);
    expect((await rest.request('/version', { auth: bearer(created.key) })).status).to.equal(200);
    const [used] = await fixture().engine.database.read((sql) => sql.select('SELECT last_used FROM api_token WHERE id = $1', [created.id]));
    expect(used?.last_used).not.to.equal(null);
    const listed = await api.json<ApiKeyView[]>('/admin/api-keys', { auth: await api.signIn('city-keys') });
    expect(listed.find((key) => key.id === created.id)).to.include({ name: 'inspection worker' }).and.not.have.property('key');
    expect(JSON.stringify(listed)).not.to.contain(created.key).and.not.to.contain(secretHash(created.key));
  });

  it('narrows a key to its permissions: 403 on a route its user could call', async () => {
    // given a key without api-key:read, and one with all of its user's permissions
    const narrow = await create('city-keys', { name: 'writer only', permissions: ['api-key:write'] });
    const full = await create('city-keys', { name: 'everything', permissions: null });
    // when
    const refused = await api.request('/admin/api-keys', { auth: bearer(narrow.key) });
    // then
    expect((await failure(refused, 403)).message).to.contain("'api-key:read'");
    expect((await api.request('/admin/api-keys', { auth: await api.signIn('city-keys') })).status).to.equal(200);
    expect((await api.request('/admin/api-keys', { auth: bearer(full.key) })).status).to.equal(200);
  });

  it("keeps a tenant's keys to that tenant: county A sees and revokes none of county B's", async () => {
    // given
    const ofA = await create('a-keys', { name: 'county A exchange' });
    const ofB = await create('b-keys', { name: 'county B exchange' });
    // when
    const seenByA = await api.json<ApiKeyView[]>('/admin/api-keys', { auth: bearer(ofA.key) });
    const revokeB = await api.request(`/admin/api-keys/${ofB.id}`, { method: 'DELETE', auth: bearer(ofA.key) });
    const createForB = await api.request('/admin/api-keys', { auth: bearer(ofA.key), body: { name: 'sneaky', userId: 'b-keys' } });
    const createInB = await api.request('/admin/api-keys', { auth: bearer(ofA.key), body: { name: 'sneaky', tenantId: countyB } });
    // then
    expect(seenByA.map((key) => key.tenantId)).to.deep.equal([countyA]);
    expect((await failure(revokeB, 404)).message).to.contain(ofB.id);
    expect((await failure(createForB, 404)).message).to.equal("用户不存在 (user 'b-keys' does not exist)");
    expect((await failure(createInB, 404)).message).to.equal(`租户不存在 (tenant '${countyB}' does not exist)`);
    expect((await rest.request('/version', { auth: bearer(ofB.key) })).status).to.equal(200);
  });

  it('narrows a key to a tenant below its user: it sees that tenant only', async () => {
    // given a city supervisor who sees the counties, and a key of theirs for county A
    const forA = await create('city-super', { name: 'county A feed', tenantId: countyA, permissions: ['api-key:read'] });
    // when
    const seen = await api.json<ApiKeyView[]>('/admin/api-keys', { auth: bearer(forA.key) });
    const seenBySupervisor = await api.json<ApiKeyView[]>('/admin/api-keys', { auth: await api.signIn('city-super') });
    // then
    expect(forA.tenantId).to.equal(countyA);
    expect(new Set(seen.map((key) => key.tenantId))).to.deep.equal(new Set([countyA]));
    expect(new Set(seenBySupervisor.map((key) => key.tenantId))).to.include.members([city, countyA, countyB]);
    // and a user who does not see the county cannot make one for it
    const refused = await api.request('/admin/api-keys', { auth: await api.signIn('city-keys'), body: { name: 'x', tenantId: countyA } });
    expect((await failure(refused, 404)).message).to.contain(countyA);
  });

  it('refuses permissions the user lacks or that do not exist, and keys beyond their creator, writing nothing', async () => {
    const before = await api.json<ApiKeyView[]>('/admin/api-keys');
    const auth = await api.signIn('city-keys');
    const notHeld = await api.request('/admin/api-keys', { auth, body: { name: 'x', permissions: ['task:read', 'audit:read'] } });
    expect((await failure(notHeld, 400)).message).to.contain('audit:read');
    const unknown = await api.request('/admin/api-keys', { auth, body: { name: 'x', permissions: ['no:such-thing'] } });
    expect((await failure(unknown, 400)).message).to.contain('no:such-thing');
    const beyondCreator = await api.request('/admin/api-keys', { auth, body: { name: 'x', userId: 'city-super' } });
    expect((await failure(beyondCreator, 403)).message).to.contain('audit:read');
    const bad = await api.request('/admin/api-keys', { auth, body: { name: '', expiresInDays: 0, colour: 'red' } });
    expect((await failure(bad, 400)).message).to.contain("unknown request body 'colour'");
    expect(await api.json<ApiKeyView[]>('/admin/api-keys')).to.have.length(before.length);
  });

  it('makes no key act as a user who sees more than its creator, whatever permissions it asks for', async () => {
    // given: a user whose one permission the creator holds, but who sees the counties too
    const before = await api.json<ApiKeyView[]>('/admin/api-keys');
    const auth = await api.signIn('city-keys');
    // when
    const all = await api.request('/admin/api-keys', { auth, body: { name: 'x', userId: 'city-overseer' } });
    const narrowed = await api.request('/admin/api-keys', { auth, body: { name: 'x', userId: 'city-overseer', permissions: ['task:read'] } });
    // then
    for (const refused of [all, narrowed]) {
      expect((await failure(refused, 403)).message).to.equal(
        "不能创建以权限高于你的用户身份行事的 API 密钥：该用户数据权限超出你：查看下级租户（seesDescendants），而你只能看到本租户 (you cannot make an API key acting as 'city-overseer', who sees more than you do: seesDescendants: the descendant tenants' rows, while you see your own tenant only)",
      );
    }
    expect(await api.json<ApiKeyView[]>('/admin/api-keys')).to.have.length(before.length);
  });

  it("writes down the permissions of a key made for someone else, so what their user is granted later does not reach it; a key of the platform's follows its user", async () => {
    // given: keys made for another user, with all of their permissions and with those asked for; and one made from the command line
    const forTypist = await create('city-keys', { name: 'typist feed', userId: 'city-typist' });
    const asked = await create('city-keys', { name: 'typist narrow', userId: 'city-typist', permissions: ['task:read'] });
    const ofTypist = await api.authentication.apiKeys.create({ name: 'typist own', userId: 'city-typist' }, null, null);
    // when the typist is given api-key:read afterwards
    const { engine } = fixture();
    await engine.database.transaction((sql) =>
      sql.execute("INSERT INTO user_role (id, user_id, role_id, tenant_id) SELECT 'typist-key-reader', 'city-typist', id, tenant_id FROM role WHERE tenant_id = $1 AND code = 'key-reader'", [city]),
    );
    api.principals.invalidate();
    // then the keys made for them by someone else keep what they had; the one made without a creator follows them
    expect(forTypist.permissions).to.deep.equal(['task:read']);
    expect(asked.permissions).to.deep.equal(['task:read']);
    expect(ofTypist.permissions).to.equal(null);
    for (const key of [forTypist, asked]) expect((await failure(await api.request('/admin/api-keys', { auth: bearer(key.key) }), 403)).message).to.contain("'api-key:read'");
    expect((await api.request('/admin/api-keys', { auth: bearer(ofTypist.key) })).status).to.equal(200);
  });

  it('refuses the API key routes to a user without the permissions', async () => {
    const auth = await api.signIn('city-clerk');
    expect((await api.request('/admin/api-keys', { auth })).status).to.equal(403);
    expect((await api.request('/admin/api-keys', { auth, body: { name: 'x' } })).status).to.equal(403);
    expect((await api.request('/admin/api-keys/whatever', { method: 'DELETE', auth })).status).to.equal(403);
  });

  it('revokes a key: requests with it get 401; create and revoke are audited', async () => {
    // given
    const key = await create('city-keys', { name: 'to revoke' });
    // when
    const revoked = await api.request(`/admin/api-keys/${key.id}`, { method: 'DELETE', auth: await api.signIn('city-keys') });
    // then
    expect(revoked.status).to.equal(204);
    expect((await api.request('/admin/api-keys', { auth: bearer(key.key) })).status).to.equal(401);
    expect((await rest.request('/version', { auth: bearer(key.key) })).status).to.equal(401);
    const audit = await fixture().engine.database.read((sql) => sql.select('SELECT action, user_id, tenant_id FROM audit_log WHERE object_id = $1 ORDER BY time, id', [key.id]));
    expect(audit).to.deep.equal([
      { action: 'api-key.create', user_id: 'city-keys', tenant_id: city },
      { action: 'api-key.revoke', user_id: 'city-keys', tenant_id: city },
    ]);
  });

  it('answers 401 for an unknown or expired key, and for a key whose user was disabled', async () => {
    // given
    const expiring = await create('city-keys', { name: 'nightly', expiresInDays: 1 });
    const ofClerk = await api.authentication.apiKeys.create({ name: 'clerk script', userId: 'city-clerk' }, null, null);
    expect((await rest.request('/version', { auth: bearer(expiring.key) })).status).to.equal(200);
    // when
    fixture().clock.advance(86_400_000 + 1000);
    await fixture().engine.database.transaction((sql) => sql.execute('UPDATE app_user SET enabled = $1 WHERE id = $2', [0, 'city-clerk']));
    // then
    for (const key of [expiring.key, ofClerk.key, 'yw_unknown', `${expiring.key}x`]) {
      const response = await rest.request('/version', { auth: bearer(key) });
      expect(response.status, key).to.equal(401);
      expect(await response.json()).to.include({ type: 'AuthenticationException' });
    }
  });
});
