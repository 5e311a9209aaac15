import { expect } from 'chai';
import { describeOnDatabases } from '../../testing/databases.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

describeOnDatabases('api/engine-rest - identity for tooling', (fixture) => {
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
});
