import { expect } from 'chai';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE } from '../../testing/organisation.js';
import { startRestServer, type RestClient } from '../../testing/rest.js';

const { city, countyA, countyB } = TENANT_TREE;

interface Ids {
  id: string;
}

describeOnDatabases('api/engine-rest - identity for Camunda tooling', (fixture) => {
  let rest: RestClient;
  const sessions = new Map<string, string>();

  before(async () => {
    const { engine } = fixture();
    await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [
        { tenantId: city, code: 'cgj', name: '市城管执法局' },
        { tenantId: city, code: 'sjj', name: '市大数据发展局' },
        { tenantId: countyA, code: 'cgj', name: '柳城县城管局' },
        { tenantId: countyB, code: 'cgj', name: '鹿寨县城管局' },
      ],
      posts: [{ tenantId: city, code: 'inspector', name: '网格监督员' }],
      roles: [
        { tenantId: city, code: 'dispatcher', name: '派遣员', permissions: ['identity:read'] },
        { tenantId: city, code: 'supervisor', name: '值班长', permissions: ['identity:read'], seesDescendants: true },
        { tenantId: city, code: 'clerk', name: '受理员', permissions: ['task:read'] },
        { tenantId: countyA, code: 'dispatcher', name: '派遣员', permissions: ['identity:read'] },
      ],
      groups: [{ tenantId: city, code: 'night-shift', name: '夜班' }],
      users: [
        { id: 'city-li', tenantId: city, name: '李明', departments: ['cgj'], posts: ['inspector'], roles: ['dispatcher'], groups: ['night-shift'] },
        { id: 'city-wang', tenantId: city, name: '王芳', departments: ['cgj'], roles: ['dispatcher'] },
        { id: 'city-zhang', tenantId: city, name: '张伟', departments: ['sjj'], roles: ['supervisor'] },
        { id: 'city-chen', tenantId: city, name: '陈静', roles: ['clerk'] },
        { id: 'a-zhao', tenantId: countyA, name: '赵强', departments: ['cgj'], roles: ['dispatcher'] },
        { id: 'b-sun', tenantId: countyB, name: '孙丽', departments: ['cgj'] },
      ],
    });
    await engine.database.transaction((sql) =>
      sql.execute("UPDATE app_user SET first_name = 'Fang', last_name = 'Wang', email = 'wang.fang@example.org' WHERE id = 'city-wang'"),
    );
    rest = await startRestServer(engine);
  });

  after(async () => {
    await rest?.server.close();
  });

  async function as(userId: string): Promise<string> {
    if (!sessions.has(userId)) sessions.set(userId, await rest.signIn(userId));
    return sessions.get(userId) as string;
  }

  const get = async <T = unknown>(userId: string, path: string): Promise<T> => rest.json<T>(path, { auth: await as(userId) });
  const ids = async (userId: string, path: string): Promise<string[]> => (await get<Ids[]>(userId, path)).map((item) => item.id);
  const status = async (userId: string, path: string): Promise<number> => (await rest.request(path, { auth: await as(userId) })).status;

  describe('users', () => {
    it('lists the people of the caller’s tenant with Camunda’s fields', async () => {
      expect(await ids('city-li', '/user')).to.deep.equal(['city-chen', 'city-li', 'city-wang', 'city-zhang']);
      expect(await get('city-li', '/user?id=city-li')).to.deep.equal([{ id: 'city-li', firstName: '李明', lastName: '', email: null }]);
      expect(await get('city-li', '/user/city-wang/profile')).to.deep.equal({ id: 'city-wang', firstName: 'Fang', lastName: 'Wang', email: 'wang.fang@example.org' });
      expect(await get('city-li', '/user/count')).to.deep.equal({ count: 4 });
    });

    it('filters by name, e-mail, id and tenant, pages and sorts', async () => {
      expect(await ids('city-li', '/user?idIn=city-li,city-zhang,a-zhao')).to.deep.equal(['city-li', 'city-zhang']);
      expect(await ids('city-li', '/user?firstName=王芳')).to.deep.equal([]);
      expect(await ids('city-li', '/user?firstName=Fang&lastName=Wang')).to.deep.equal(['city-wang']);
      expect(await ids('city-li', `/user?firstNameLike=${encodeURIComponent('张%')}`)).to.deep.equal(['city-zhang']);
      expect(await ids('city-li', '/user?emailLike=%25example.org')).to.deep.equal(['city-wang']);
      expect(await ids('city-li', `/user?memberOfTenant=${city}&firstResult=1&maxResults=2`)).to.deep.equal(['city-li', 'city-wang']);
      expect(await ids('city-li', `/user?memberOfTenant=${countyA}`)).to.deep.equal([]);
      expect(await ids('city-li', '/user?sortBy=userId&sortOrder=desc&maxResults=1')).to.deep.equal(['city-zhang']);
      expect(await get('city-li', '/user/count?idIn=city-li,city-wang')).to.deep.equal({ count: 2 });
    });

    it('finds the members of each kind of candidate group', async () => {
      expect(await ids('city-li', '/user?memberOfGroup=role:dispatcher')).to.deep.equal(['city-li', 'city-wang']);
      expect(await ids('city-li', '/user?memberOfGroup=dept:cgj')).to.deep.equal(['city-li', 'city-wang']);
      expect(await ids('city-li', '/user?memberOfGroup=post:inspector')).to.deep.equal(['city-li']);
      expect(await ids('city-li', '/user?memberOfGroup=group:night-shift')).to.deep.equal(['city-li']);
      expect(await ids('city-li', '/user?memberOfGroup=camunda-admin')).to.deep.equal([]);
      expect(await get('city-li', '/user/count?memberOfGroup=dept:cgj')).to.deep.equal({ count: 2 });
    });

    it('never shows another tenant’s people, and shows a city its counties’ only where a role grants it', async () => {
      expect(await ids('a-zhao', '/user')).to.deep.equal(['a-zhao']);
      expect(await ids('a-zhao', '/user?memberOfGroup=dept:cgj')).to.deep.equal(['a-zhao']);
      expect(await status('a-zhao', '/user/city-li/profile')).to.equal(404);
      expect(await status('city-li', '/user/a-zhao/profile')).to.equal(404);
      expect(await ids('city-zhang', '/user?memberOfGroup=dept:cgj')).to.deep.equal(['a-zhao', 'b-sun', 'city-li', 'city-wang']);
      expect(await get('city-zhang', '/user/a-zhao/profile')).to.include({ id: 'a-zhao', firstName: '赵强' });
    });
  });

  describe('groups', () => {
    it('lists departments, user groups, posts and roles as Camunda groups', async () => {
      expect(await get('city-li', '/group')).to.deep.equal([
        { id: 'dept:cgj', name: '市城管执法局', type: 'DEPARTMENT' },
        { id: 'dept:sjj', name: '市大数据发展局', type: 'DEPARTMENT' },
        { id: 'group:night-shift', name: '夜班', type: 'GROUP' },
        { id: 'post:inspector', name: '网格监督员', type: 'POST' },
        { id: 'role:clerk', name: '受理员', type: 'ROLE' },
        { id: 'role:dispatcher', name: '派遣员', type: 'ROLE' },
        { id: 'role:supervisor', name: '值班长', type: 'ROLE' },
      ]);
      expect(await get('city-li', '/group/count')).to.deep.equal({ count: 7 });
      expect(await get('city-li', '/group/post:inspector')).to.deep.equal({ id: 'post:inspector', name: '网格监督员', type: 'POST' });
    });

    it('filters by member, type, name, id and tenant, pages and sorts', async () => {
      expect(await ids('city-li', '/group?member=city-li')).to.deep.equal(['dept:cgj', 'group:night-shift', 'post:inspector', 'role:dispatcher']);
      expect(await ids('city-li', '/group?type=ROLE&member=city-wang')).to.deep.equal(['role:dispatcher']);
      expect(await ids('city-li', `/group?name=${encodeURIComponent('夜班')}`)).to.deep.equal(['group:night-shift']);
      expect(await ids('city-li', `/group?nameLike=${encodeURIComponent('%局')}`)).to.deep.equal(['dept:cgj', 'dept:sjj']);
      expect(await ids('city-li', '/group?idIn=role:clerk,dept:sjj,unknown:x')).to.deep.equal(['dept:sjj', 'role:clerk']);
      expect(await ids('city-li', `/group?memberOfTenant=${city}&firstResult=2&maxResults=2`)).to.deep.equal(['group:night-shift', 'post:inspector']);
      expect(await ids('city-li', `/group?memberOfTenant=${countyA}`)).to.deep.equal([]);
      expect(await ids('city-li', '/group?type=DEPARTMENT&sortBy=id&sortOrder=desc')).to.deep.equal(['dept:sjj', 'dept:cgj']);
      expect(await get('city-li', '/group/count?type=ROLE')).to.deep.equal({ count: 3 });
    });

    it('never shows another tenant’s groups, and merges a code several visible tenants use into one group', async () => {
      expect(await ids('a-zhao', '/group')).to.deep.equal(['dept:cgj', 'role:dispatcher']);
      expect(await get('a-zhao', '/group/dept:cgj')).to.deep.equal({ id: 'dept:cgj', name: '柳城县城管局', type: 'DEPARTMENT' });
      expect(await status('a-zhao', '/group/post:inspector')).to.equal(404);
      expect(await ids('a-zhao', '/group?member=city-li')).to.deep.equal([]);
      expect(await ids('city-zhang', '/group?type=DEPARTMENT')).to.deep.equal(['dept:cgj', 'dept:sjj']);
      expect(await ids('city-zhang', '/group?member=a-zhao')).to.deep.equal(['dept:cgj', 'role:dispatcher']);
    });

    it('answers a user’s groups and the people who share them', async () => {
      expect(await get('city-li', '/identity/groups?userId=city-wang')).to.deep.equal({
        groups: [
          { id: 'role:dispatcher', name: '派遣员' },
          { id: 'dept:cgj', name: '市城管执法局' },
        ].sort((a, b) => a.name.localeCompare(b.name)),
        groupUsers: [{ id: 'city-li', firstName: '李明', lastName: '', displayName: '李明' }],
      });
      expect(await get('a-zhao', '/identity/groups?userId=city-wang')).to.deep.equal({ groups: [], groupUsers: [] });
      expect(await status('city-li', '/identity/groups')).to.equal(400);
    });
  });

  describe('tenants', () => {
    it('lists the tenants the caller sees, by region code', async () => {
      expect(await get('city-li', '/tenant')).to.deep.equal([{ id: city, name: '柳州市' }]);
      expect(await ids('city-zhang', '/tenant')).to.deep.equal([city, countyA, countyB]);
      expect(await ids('a-zhao', '/tenant')).to.deep.equal([countyA]);
      expect(await get('city-zhang', `/tenant/${countyB}`)).to.deep.equal({ id: countyB, name: '鹿寨县' });
      expect(await status('a-zhao', `/tenant/${countyB}`)).to.equal(404);
      expect(await status('a-zhao', `/tenant/${city}`)).to.equal(404);
      expect(await get('city-zhang', '/tenant/count')).to.deep.equal({ count: 3 });
    });

    it('filters by member, group, name, and pages', async () => {
      expect(await ids('city-zhang', '/tenant?userMember=a-zhao')).to.deep.equal([countyA]);
      expect(await ids('city-zhang', '/tenant?groupMember=role:dispatcher')).to.deep.equal([city, countyA]);
      expect(await ids('city-zhang', '/tenant?groupMember=dept:cgj')).to.deep.equal([city, countyA, countyB]);
      expect(await ids('city-zhang', `/tenant?nameLike=${encodeURIComponent('%县')}`)).to.deep.equal([countyA, countyB]);
      expect(await ids('city-zhang', `/tenant?name=${encodeURIComponent('柳州市')}`)).to.deep.equal([city]);
      expect(await ids('city-zhang', '/tenant?sortBy=id&sortOrder=desc&firstResult=1&maxResults=1')).to.deep.equal([countyA]);
      expect(await ids('a-zhao', '/tenant?userMember=city-li')).to.deep.equal([]);
    });
  });

  describe('bad requests', () => {
    const routes = ['/user', '/user/count', '/user/city-li/profile', '/group', '/group/count', '/group/role:dispatcher', '/tenant', '/tenant/count', `/tenant/${city}`, '/identity/groups?userId=city-li'];

    it('answers 403 without identity:read and 401 without credentials, on every route', async () => {
      for (const path of routes) {
        expect(await status('city-chen', path), path).to.equal(403);
        expect((await rest.request(path, { auth: null })).status, path).to.equal(401);
      }
    });

    it('answers 400 to SQL-looking ids and oversized filters, and finds nothing for SQL-looking names', async () => {
      const injection = encodeURIComponent("x' OR '1'='1");
      const huge = 'x'.repeat(10_000);
      const filters: [string, string[]][] = [
        ['/user', ['id', 'idIn', 'firstName', 'firstNameLike', 'lastName', 'lastNameLike', 'email', 'emailLike', 'memberOfGroup', 'memberOfTenant']],
        ['/group', ['id', 'idIn', 'name', 'nameLike', 'type', 'member', 'memberOfTenant']],
        ['/tenant', ['id', 'name', 'nameLike', 'userMember', 'groupMember']],
        ['/identity/groups', ['userId']],
      ];
      for (const [path, parameters] of filters) {
        for (const parameter of parameters) {
          expect(await status('city-li', `${path}?${parameter}=${huge}`), `${path} ${parameter}`).to.equal(400);
          const free = /name|Name|email|type/.test(parameter);
          const answer = await rest.request(`${path}?${parameter}=${injection}`, { auth: await as('city-li') });
          if (free) expect(await answer.json(), `${path} ${parameter}`).to.deep.equal(path === '/identity/groups' ? { groups: [], groupUsers: [] } : []);
          else expect(answer.status, `${path} ${parameter}`).to.equal(400);
        }
      }
      expect(await status('city-li', '/user?maxResults=many')).to.equal(400);
      expect(await status('city-li', '/group?sortBy=secret')).to.equal(400);
    });
  });
});
