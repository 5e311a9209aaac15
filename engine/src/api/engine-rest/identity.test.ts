import { expect } from 'chai';
import { describeOnDatabases } from '../../testing/databases.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';
import { ApiTokens, hashToken } from './api-tokens.js';

describeOnDatabases('api/engine-rest - identity for tooling, and API tokens', (fixture) => {
  let rest: RestClient;

  before(async () => {
    rest = await startRestServer(fixture().engine);
  });

  after(async () => {
    await rest.server.close();
  });

  it('knows the seeded admin account and nothing else: no groups, no tenants', async () => {
    expect(await rest.json('/user')).to.deep.equal([{ id: 'admin', firstName: null, lastName: null, email: null }]);
    expect(await rest.json('/user?idIn=admin,bob')).to.have.length(1);
    expect(await rest.json('/user?id=bob')).to.deep.equal([]);
    expect(await rest.json('/user?memberOfGroup=camunda-admin')).to.deep.equal([]);
    expect(await rest.json('/user?firstResult=1')).to.deep.equal([]);
    expect(await rest.json('/user/count')).to.deep.equal({ count: 1 });
    expect(await rest.json('/user/admin/profile')).to.deep.equal({ id: 'admin', firstName: null, lastName: null, email: null });
    expect(await rest.json('/group?member=admin')).to.deep.equal([]);
    expect(await rest.json('/group/count')).to.deep.equal({ count: 0 });
    expect(await rest.json('/tenant?userMember=admin')).to.deep.equal([]);
    expect(await rest.json('/tenant/count')).to.deep.equal({ count: 0 });
    expect(await rest.json('/identity/groups?userId=admin')).to.deep.equal({ groups: [], groupUsers: [] });
  });

  it('answers 404 for unknown users, groups and tenants, 400 without a userId, 401 without credentials', async () => {
    for (const path of ['/user/bob/profile', '/group/staff', '/tenant/liuzhou']) {
      const response = await rest.request(path);
      expect(response.status, path).to.equal(404);
      expect(await response.json()).to.include({ type: 'NotFoundException' });
    }
    expect((await rest.request('/identity/groups')).status).to.equal(400);
    expect((await rest.request('/user?maxResults=many')).status).to.equal(400);
    expect((await rest.request('/user', { auth: null })).status).to.equal(401);
  });

  it('authenticates a Bearer API token as its user and stores only its hash', async () => {
    // given
    const { engine } = fixture();
    const created = await new ApiTokens(engine).create('worker-1', 'admin');
    // when
    const response = await rest.request('/version', { auth: `Bearer ${created.token}` });
    // then
    expect(response.status).to.equal(200);
    const [row] = await engine.database.read((sql) => sql.select('SELECT * FROM api_token WHERE id = $1', [created.id]));
    expect(row?.token_hash).to.equal(hashToken(created.token)).and.not.equal(created.token);
    expect(JSON.stringify(row)).not.to.contain(created.token);
    expect(row?.last_used).to.not.equal(null);
  });

  it('answers 401 for an unknown, expired or revoked token', async () => {
    // given
    const { engine, clock } = fixture();
    const tokens = new ApiTokens(engine);
    const expiring = await tokens.create('nightly', 'admin', 1);
    const revoked = await tokens.create('old', 'admin');
    await tokens.revoke(revoked.id);
    expect((await rest.request('/version', { auth: `Bearer ${expiring.token}` })).status).to.equal(200);
    // when
    clock.advance(86_400_000 + 1000);
    // then
    for (const token of [expiring.token, revoked.token, 'yw_unknown', `${expiring.token}x`]) {
      const response = await rest.request('/version', { auth: `Bearer ${token}` });
      expect(response.status).to.equal(401);
      expect(await response.json()).to.include({ type: 'AuthenticationException' });
    }
  });
});
