import { expect } from 'chai';
import type { Command } from '../../command/index.js';
import { BadUserRequestError, OptimisticLockingError } from '../../errors/index.js';
import { actorOf, type Principal } from '../../identity/index.js';
import { CreateDepartmentCmd, CreateTenantCmd, MoveDepartmentCmd, MoveTenantCmd } from '../../identity/organisation/index.js';
import { DbSession, DEPARTMENT, TENANT, USER, type Table } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, countRows, deployProcess, flow } from '../../testing/bpmn.js';
import { runTogether } from '../../testing/concurrent-commands.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE, type BuiltOrganisation } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { root, region, city, countyA, countyB } = TENANT_TREE;

const ORG_PERMISSIONS = ['tenant:read', 'tenant:write', 'department:read', 'department:write', 'post:read', 'post:write', 'user:read', 'user:write', 'user:import'];
const NEW_PASSWORD = 'Initial-Passw0rd';

interface Tenant {
  id: string;
  name: string;
  level: string;
  regionCode: string;
  parentId: string | null;
  enabled: boolean;
}
interface Department {
  id: string;
  tenantId: string;
  parentId: string | null;
  code: string;
  name: string;
  leaderUserId: string | null;
  sortOrder: number;
  children: Department[];
}
interface Post {
  id: string;
  tenantId: string;
  code: string;
  name: string;
}
interface Membership {
  id: string;
  code: string;
  name: string;
  primary?: boolean;
}
interface User {
  id: string;
  tenantId: string;
  displayName: string;
  email: string | null;
  enabled: boolean;
  mustChangePassword: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  departments: Membership[];
  posts: Membership[];
  roles: Membership[];
  groups: Membership[];
}

interface AuditRow {
  action: string;
  user_id: string;
  tenant_id: string;
  detail: string;
}

/** The audit log recorded about an object, oldest first. */
function auditOf(engine: ProcessEngine, objectId: string): Promise<AuditRow[]> {
  return engine.database.read((sql) => sql.select('SELECT action, user_id, tenant_id, detail FROM audit_log WHERE object_id = $1 ORDER BY time, id', [objectId])) as Promise<never>;
}

function departmentRow(engine: ProcessEngine, id: string) {
  return engine.database.read((sql) => new DbSession(sql).findById(DEPARTMENT, id));
}

/** Codes of a department tree, depth first, children indented by their parent's code: `a>b`. */
function treeCodes(nodes: readonly Department[], prefix = ''): string[] {
  return nodes.flatMap((node) => [`${prefix}${node.code}`, ...treeCodes(node.children, `${prefix}${node.code}>`)]);
}

/** Ids of tree rows whose path is not their parent's path followed by their own id: a loop, or a path left behind by a move. */
async function strayPaths<E extends { id: string; parentId: string | null; path: string }>(engine: ProcessEngine, table: Table<E>): Promise<string[]> {
  const rows = await engine.database.read((sql) => new DbSession(sql).select(table, '1 = 1', []));
  const pathOf = new Map(rows.map((row) => [row.id, row.path]));
  return rows.filter((row) => row.path !== `${row.parentId === null ? '/' : (pathOf.get(row.parentId) ?? '?')}${row.id}/`).map((row) => row.id);
}

describeOnDatabases('api/platform - organisation: tenants, departments, posts, users', (fixture) => {
  let api: SignedInClient;
  let org: BuiltOrganisation;
  let engine: ProcessEngine;

  before(async () => {
    engine = fixture().engine;
    org = await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [
        { tenantId: city, code: 'c-office', name: '市城管委' },
        { tenantId: countyA, code: 'a-office', name: '柳城县城管局' },
        { tenantId: countyA, code: 'a-squad', name: '执法大队', parent: 'a-office' },
        { tenantId: countyA, code: 'a-grid', name: '第一网格', parent: 'a-squad' },
        { tenantId: countyA, code: 'a-town', name: '城关镇' },
        { tenantId: countyA, code: 'a-town-grid', name: '城关镇网格', parent: 'a-town' },
        { tenantId: countyB, code: 'b-office', name: '鹿寨县城管局' },
      ],
      posts: [
        { tenantId: countyA, code: 'inspector', name: '网格监督员' },
        { tenantId: countyB, code: 'inspector', name: '网格监督员' },
      ],
      roles: [
        { tenantId: root, code: 'platform-admin', permissions: ['*'], seesDescendants: true },
        { tenantId: city, code: 'org-admin', permissions: ORG_PERMISSIONS, seesDescendants: true },
        { tenantId: countyA, code: 'org-admin', permissions: ORG_PERMISSIONS },
        { tenantId: countyA, code: 'dispatcher', permissions: [] },
        { tenantId: countyA, code: 'reader', permissions: ['task:read'] },
        { tenantId: countyA, code: 'super', permissions: ['*'] },
        { tenantId: countyA, code: 'auditor', permissions: ['audit:read', 'user:read'] },
        { tenantId: countyA, code: 'watcher', permissions: [], seesDescendants: true },
        { tenantId: countyA, code: 'office-admin', permissions: ORG_PERMISSIONS, dataScope: 'department' },
        { tenantId: countyA, code: 'town-admin', permissions: ORG_PERMISSIONS, dataScope: 'department-and-below' },
        { tenantId: countyB, code: 'org-admin', permissions: ORG_PERMISSIONS },
      ],
      users: [
        { id: 'root-admin', tenantId: root, roles: ['platform-admin'] },
        { id: 'city-admin', tenantId: city, departments: ['c-office'], roles: ['org-admin'] },
        { id: 'a-admin', tenantId: countyA, departments: ['a-office'], roles: ['org-admin'] },
        { id: 'a-clerk', tenantId: countyA, name: '张网格', departments: ['a-grid'], posts: ['inspector'], roles: ['dispatcher'] },
        { id: 'a-reader', tenantId: countyA, roles: ['reader'] },
        { id: 'a-watcher', tenantId: countyA, roles: ['watcher'] },
        { id: 'a-office-admin', tenantId: countyA, roles: ['office-admin'] },
        { id: 'a-town-admin', tenantId: countyA, departments: ['a-town'], roles: ['town-admin'] },
        { id: 'a-newcomer', tenantId: countyA },
        { id: 'b-admin', tenantId: countyB, departments: ['b-office'], roles: ['org-admin'] },
        { id: 'b-clerk', tenantId: countyB, departments: ['b-office'], posts: ['inspector'] },
      ],
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  /** The commands run at the same time for the user (see `runTogether`); how each ended. */
  const together = async (userId: string, commands: readonly Command<unknown>[]) => {
    const actor = actorOf((await api.principals.load(userId)) as Principal, null);
    return runTogether(engine, commands.map((command) => ({ command, actor })));
  };

  const idOfPost = async (as: string, tenantId: string, code: string) => {
    const posts = await api.json<Post[]>(`/admin/posts?tenantId=${tenantId}`, { as });
    return (posts.find((post) => post.code === code) as Post).id;
  };

  describe('permissions', () => {
    const ROUTES: [method: string, path: string, permission: string][] = [
      ['GET', '/admin/tenants', 'tenant:read'],
      ['GET', `/admin/tenants/${countyA}`, 'tenant:read'],
      ['POST', '/admin/tenants', 'tenant:write'],
      ['PATCH', `/admin/tenants/${countyA}`, 'tenant:write'],
      ['POST', `/admin/tenants/${countyA}/move`, 'tenant:write'],
      ['DELETE', `/admin/tenants/${countyA}`, 'tenant:write'],
      ['GET', '/admin/departments', 'department:read'],
      ['GET', '/admin/departments/x', 'department:read'],
      ['POST', '/admin/departments', 'department:write'],
      ['PATCH', '/admin/departments/x', 'department:write'],
      ['POST', '/admin/departments/x/move', 'department:write'],
      ['DELETE', '/admin/departments/x', 'department:write'],
      ['GET', '/admin/posts', 'post:read'],
      ['GET', '/admin/posts/x', 'post:read'],
      ['POST', '/admin/posts', 'post:write'],
      ['PATCH', '/admin/posts/x', 'post:write'],
      ['DELETE', '/admin/posts/x', 'post:write'],
      ['GET', '/admin/users', 'user:read'],
      ['GET', '/admin/users/count', 'user:read'],
      ['GET', '/admin/users/a-clerk', 'user:read'],
      ['POST', '/admin/users', 'user:write'],
      ['PATCH', '/admin/users/a-clerk', 'user:write'],
      ['POST', '/admin/users/a-clerk/password', 'user:write'],
      ['POST', '/admin/users/a-clerk/unlock', 'user:write'],
      ['DELETE', '/admin/users/a-clerk', 'user:write'],
      ['POST', '/admin/users/import', 'user:import'],
    ];

    it('answers 403 naming the permission to a caller without it, and 401 to a caller without credentials', async () => {
      // given: a signed-in user whose only permission is task:read (signing in writes a session and an audit row)
      await api.request('/auth/me', { as: 'a-reader' });
      const before = await countRows(engine);
      for (const [method, path, permission] of ROUTES) {
        // when
        const denied = await api.request(path, { as: 'a-reader', method, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
        const anonymous = await api.request(path, { as: null, method });
        // then
        expect(denied.status, `${method} ${path}`).to.equal(403);
        expect(await errorMessage(denied)).to.include(permission);
        expect(anonymous.status, `${method} ${path} without credentials`).to.equal(401);
      }
      expect(await countRows(engine)).to.deep.equal(before);
    });
  });

  describe('tenants', () => {
    it('lists the visible tenants parents first, with level, region code and parent', async () => {
      // when
      const all = await api.json<Tenant[]>('/admin/tenants', { as: 'root-admin' });
      const cityView = await api.json<Tenant[]>('/admin/tenants', { as: 'city-admin' });
      const countyView = await api.json<Tenant[]>('/admin/tenants', { as: 'a-admin' });
      // then
      const fixtureIds: string[] = [root, region, city, countyA, countyB];
      expect(all.map((t) => t.id).filter((id) => fixtureIds.includes(id))).to.deep.equal(fixtureIds);
      expect(all.find((t) => t.id === city)).to.include({ name: '柳州市', level: 'city', regionCode: city, parentId: region, enabled: true });
      expect(cityView.map((t) => t.id)).to.deep.equal([city, countyA, countyB]);
      expect(countyView.map((t) => t.id)).to.deep.equal([countyA]);
    });

    it('creates a tenant under a visible parent at a lower level, refusing a level not below the parent and a parent out of sight', async () => {
      // when
      const created = await api.json<Tenant>('/admin/tenants', { as: 'city-admin', body: { id: '450205', name: '柳北区', level: 'county', parentId: city } }, 201);
      const sameLevel = await api.request('/admin/tenants', { as: 'city-admin', body: { id: '450206', name: '同级', level: 'city', parentId: city } });
      const foreignParent = await api.request('/admin/tenants', { as: 'a-admin', body: { id: '450207', name: '他县', level: 'county', parentId: countyB } });
      const topLevel = await api.request('/admin/tenants', { as: 'city-admin', body: { id: '450208', name: '无上级', level: 'national' } });
      const notARegionCode = await api.request('/admin/tenants', { as: 'root-admin', body: { id: '4502', name: '短码', level: 'county', parentId: city } });
      const taken = await api.request('/admin/tenants', { as: 'root-admin', body: { id: countyA, name: '重复', level: 'county', parentId: city } });
      // then
      expect(created).to.include({ id: '450205', regionCode: '450205', level: 'county', parentId: city });
      expect((await engine.database.read((sql) => new DbSession(sql).findById(TENANT, '450205')))?.path).to.equal(`/${root}/${region}/${city}/450205/`);
      expect((await api.json<Tenant[]>('/admin/tenants', { as: 'city-admin' })).map((t) => t.id)).to.include('450205');
      expect(sameLevel.status).to.equal(400);
      expect(await errorMessage(sameLevel)).to.include(city);
      expect(foreignParent.status).to.equal(404);
      expect(topLevel.status).to.equal(400);
      expect(notARegionCode.status).to.equal(400);
      expect(taken.status).to.equal(409);
      expect((await auditOf(engine, '450205')).map((row) => [row.action, row.user_id, row.tenant_id])).to.deep.equal([['tenant.create', 'city-admin', city]]);
    });

    it('renames and disables a tenant, but nobody disables their own', async () => {
      // given
      await api.json('/admin/tenants', { as: 'city-admin', body: { id: '450211', name: '旧名', level: 'county', parentId: city } }, 201);
      // when
      const renamed = await api.json<Tenant>('/admin/tenants/450211', { as: 'city-admin', method: 'PATCH', body: { name: '新名', enabled: false } });
      const own = await api.request(`/admin/tenants/${countyA}`, { as: 'a-admin', method: 'PATCH', body: { enabled: false } });
      const sibling = await api.request(`/admin/tenants/${countyB}`, { as: 'a-admin', method: 'PATCH', body: { name: '改名' } });
      // then
      expect(renamed).to.include({ name: '新名', enabled: false });
      expect(own.status).to.equal(400);
      expect(sibling.status).to.equal(404);
      const [update] = (await auditOf(engine, '450211')).filter((row) => row.action === 'tenant.update');
      expect(JSON.parse(update?.detail as string)).to.deep.equal({ name: { from: '旧名', to: '新名' }, enabled: { from: true, to: false } });
    });

    it('moves a tenant with its subtree, recomputing every path, and refuses cycles naming both tenants', async () => {
      // given: a region with a city and a county of its own
      await api.json('/admin/tenants', { as: 'root-admin', body: { id: '460000', name: '海南省', level: 'regional', parentId: root } }, 201);
      await api.json('/admin/tenants', { as: 'root-admin', body: { id: '460100', name: '海口市', level: 'city', parentId: '460000' } }, 201);
      await api.json('/admin/tenants', { as: 'root-admin', body: { id: '460105', name: '秀英区', level: 'county', parentId: '460100' } }, 201);
      // when
      const underItself = await api.request('/admin/tenants/460000/move', { as: 'root-admin', body: { parentId: '460000' } });
      const underDescendant = await api.request('/admin/tenants/460000/move', { as: 'root-admin', body: { parentId: '460105' } });
      const moved = await api.json<Tenant>('/admin/tenants/460100/move', { as: 'root-admin', body: { parentId: region } });
      const levelTooHigh = await api.request('/admin/tenants/460000/move', { as: 'root-admin', body: { parentId: region } });
      // then
      expect(underItself.status).to.equal(400);
      expect(underDescendant.status).to.equal(400);
      const message = await errorMessage(underDescendant);
      expect(message).to.include('460000').and.to.include('460105');
      expect(moved.parentId).to.equal(region);
      const paths = await engine.database.read((sql) => new DbSession(sql).select(TENANT, "id IN ('460100', '460105')", [], 'ORDER BY id'));
      expect(paths.map((t) => t.path)).to.deep.equal([`/${root}/${region}/460100/`, `/${root}/${region}/460100/460105/`]);
      expect(levelTooHigh.status).to.equal(400);
      expect((await auditOf(engine, '460100')).map((row) => row.action)).to.deep.equal(['tenant.create', 'tenant.move']);
    });

    it('keeps the path of a tenant created under one that is moving at the same time', async () => {
      // given: a city of Guangxi and the region of Guangdong
      await api.json('/admin/tenants', { as: 'root-admin', body: { id: '440000', name: '广东省', level: 'regional', parentId: root } }, 201);
      await api.json('/admin/tenants', { as: 'root-admin', body: { id: '450300', name: '桂林市', level: 'city', parentId: region } }, 201);
      // when a county is created under the city while the city moves
      const outcomes = await together('root-admin', [new CreateTenantCmd({ id: '450302', name: '秀峰区', level: 'county', parentId: '450300' }), new MoveTenantCmd('450300', '440000')]);
      // then both happened one after the other, or the second to commit was refused as a conflict
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length.of.at.least(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).to.be.instanceOf(OptimisticLockingError);
      expect(await strayPaths(engine, TENANT)).to.deep.equal([]);
    });

    it('deletes a tenant only without child tenants, users or process data, saying what remains; its departments go with it', async () => {
      // given
      await api.json('/admin/tenants', { as: 'root-admin', body: { id: '450221', name: '空县', level: 'county', parentId: city } }, 201);
      await api.json('/admin/departments', { as: 'root-admin', body: { tenantId: '450221', code: 'empty', name: '空部门' } }, 201);
      await api.json('/dictionaries', { as: 'root-admin', body: { tenantId: '450221', code: 'local', name: '本县字典' } }, 201);
      const withDictionary = await api.request('/admin/tenants/450221', { as: 'root-admin', method: 'DELETE' });
      await api.json('/dictionaries/local?tenantId=450221', { as: 'root-admin', method: 'DELETE' }, 204);
      // when
      const withChildren = await api.request(`/admin/tenants/${city}`, { as: 'root-admin', method: 'DELETE' });
      const withUsers = await api.request(`/admin/tenants/${countyB}`, { as: 'root-admin', method: 'DELETE' });
      const invisible = await api.request(`/admin/tenants/${countyB}`, { as: 'a-admin', method: 'DELETE' });
      const deleted = await api.request('/admin/tenants/450221', { as: 'root-admin', method: 'DELETE' });
      // then
      expect(withDictionary.status).to.equal(409);
      expect(await errorMessage(withDictionary)).to.match(/1 dictionaries/);
      expect(withChildren.status).to.equal(409);
      expect(await errorMessage(withChildren)).to.match(/child tenants/);
      expect(withUsers.status).to.equal(409);
      expect(await errorMessage(withUsers)).to.match(/2 users/);
      expect(invisible.status).to.equal(404);
      expect(deleted.status).to.equal(204);
      expect((await api.request('/admin/tenants/450221', { as: 'root-admin' })).status).to.equal(404);
      expect(await engine.database.read((sql) => new DbSession(sql).count(DEPARTMENT, 'tenant_id = $1', ['450221']))).to.equal(0);
      expect((await auditOf(engine, '450221')).map((row) => row.action)).to.deep.equal(['tenant.create', 'tenant.delete']);
    });
  });

  describe('departments', () => {
    it("reads the caller's department tree by default and another visible tenant's by tenantId", async () => {
      // when
      const own = await api.json<Department[]>('/admin/departments', { as: 'a-admin' });
      const fromCity = await api.json<Department[]>(`/admin/departments?tenantId=${countyA}`, { as: 'city-admin' });
      // then
      expect(treeCodes(own)).to.include.members(['a-office', 'a-office>a-squad', 'a-office>a-squad>a-grid']);
      expect(treeCodes(fromCity)).to.deep.equal(treeCodes(own));
    });

    it("never shows another county's departments, nor a county the city's", async () => {
      // given
      const foreign = org.departmentId(countyB, 'b-office');
      const before = await departmentRow(engine, foreign);
      // when
      const tree = await api.request(`/admin/departments?tenantId=${countyB}`, { as: 'a-admin' });
      const cityTree = await api.request(`/admin/departments?tenantId=${city}`, { as: 'a-admin' });
      const single = await api.request(`/admin/departments/${foreign}`, { as: 'a-admin' });
      const update = await api.request(`/admin/departments/${foreign}`, { as: 'a-admin', method: 'PATCH', body: { name: '改名' } });
      const move = await api.request(`/admin/departments/${foreign}/move`, { as: 'a-admin', body: { parentId: null, position: 0 } });
      const remove = await api.request(`/admin/departments/${foreign}`, { as: 'a-admin', method: 'DELETE' });
      // then
      for (const response of [tree, cityTree, single, update, move, remove]) expect(response.status).to.equal(404);
      expect(await departmentRow(engine, foreign)).to.deep.equal(before);
    });

    it('creates departments with a parent and leader of the same tenant only', async () => {
      // given
      const parentId = org.departmentId(countyA, 'a-office');
      // when
      const created = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { parentId, code: 'a-legal', name: '法制科', leaderUserId: 'a-clerk' } }, 201);
      const duplicateCode = await api.request('/admin/departments', { as: 'a-admin', body: { code: 'A-LEGAL', name: '重复' } });
      const foreignParent = await api.request('/admin/departments', { as: 'city-admin', body: { tenantId: city, parentId, code: 'x1', name: '跨租户' } });
      const foreignLeader = await api.request('/admin/departments', { as: 'city-admin', body: { tenantId: city, code: 'x2', name: '跨租户', leaderUserId: 'a-clerk' } });
      const badCode = await api.request('/admin/departments', { as: 'a-admin', body: { code: 'has space', name: '坏编码' } });
      // then
      expect(created).to.include({ tenantId: countyA, parentId, code: 'a-legal', leaderUserId: 'a-clerk' });
      expect(duplicateCode.status).to.equal(409);
      expect(foreignParent.status).to.equal(400);
      expect(await errorMessage(foreignParent)).to.include('a-office').and.to.include(countyA);
      expect(foreignLeader.status).to.equal(400);
      expect(await errorMessage(foreignLeader)).to.include('a-clerk');
      expect(badCode.status).to.equal(400);
      const [audit] = await auditOf(engine, created.id);
      expect(audit).to.include({ action: 'department.create', user_id: 'a-admin', tenant_id: countyA });
    });

    it('updates name, code, leader and sort order, recording what changed', async () => {
      // given
      const department = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'a-old', name: '旧名' } }, 201);
      // when
      const updated = await api.json<Department>(`/admin/departments/${department.id}`, {
        as: 'a-admin', method: 'PATCH', body: { code: 'a-new', name: '新名', leaderUserId: 'a-clerk', sortOrder: 7 },
      });
      const cleared = await api.json<Department>(`/admin/departments/${department.id}`, { as: 'a-admin', method: 'PATCH', body: { leaderUserId: null } });
      // then
      expect(updated).to.include({ code: 'a-new', name: '新名', leaderUserId: 'a-clerk', sortOrder: 7 });
      expect(cleared.leaderUserId).to.equal(null);
      const updates = (await auditOf(engine, department.id)).filter((row) => row.action === 'department.update').map((row) => JSON.parse(row.detail));
      expect(updates[0]).to.deep.equal({
        name: { from: '旧名', to: '新名' }, code: { from: 'a-old', to: 'a-new' }, leaderUserId: { from: null, to: 'a-clerk' }, sortOrder: { from: department.sortOrder, to: 7 },
      });
      expect(updates[1]).to.deep.equal({ leaderUserId: { from: 'a-clerk', to: null } });
    });

    it('moves a department under another parent at a position, recomputing the paths of its subtree', async () => {
      // given: top → left → leaf, and right with children r1, r2
      const create = (code: string, parentId: string | null = null) => api.json<Department>('/admin/departments', { as: 'a-admin', body: { code, name: code, parentId } }, 201);
      const top = await create('m-top');
      const left = await create('m-left', top.id);
      const leaf = await create('m-leaf', left.id);
      const right = await create('m-right', top.id);
      await create('m-r1', right.id);
      await create('m-r2', right.id);
      // when: left (with its leaf) goes first under right
      const moved = await api.json<Department>(`/admin/departments/${left.id}/move`, { as: 'a-admin', body: { parentId: right.id, position: 0 } });
      // then
      expect(moved.parentId).to.equal(right.id);
      const tree = await api.json<Department[]>('/admin/departments', { as: 'a-admin' });
      expect(treeCodes(tree).filter((code) => code.startsWith('m-top'))).to.deep.equal([
        'm-top', 'm-top>m-right', 'm-top>m-right>m-left', 'm-top>m-right>m-left>m-leaf', 'm-top>m-right>m-r1', 'm-top>m-right>m-r2',
      ]);
      expect((await departmentRow(engine, leaf.id))?.path).to.equal(`/${top.id}/${right.id}/${left.id}/${leaf.id}/`);
      const [audit] = (await auditOf(engine, left.id)).filter((row) => row.action === 'department.move');
      expect(JSON.parse(audit?.detail as string)).to.deep.equal({ parentId: { from: top.id, to: right.id }, position: 0 });
    });

    it('refuses to move a department under itself or its own sub-department, naming both', async () => {
      // given
      const outer = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'cy-outer', name: '外层' } }, 201);
      const inner = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'cy-inner', name: '内层', parentId: outer.id } }, 201);
      const before = await countRows(engine);
      // when
      const underItself = await api.request(`/admin/departments/${outer.id}/move`, { as: 'a-admin', body: { parentId: outer.id, position: 0 } });
      const underChild = await api.request(`/admin/departments/${outer.id}/move`, { as: 'a-admin', body: { parentId: inner.id, position: 0 } });
      const toOtherTenant = await api.request(`/admin/departments/${outer.id}/move`, { as: 'city-admin', body: { parentId: org.departmentId(countyB, 'b-office'), position: 0 } });
      // then
      expect(underItself.status).to.equal(400);
      expect(underChild.status).to.equal(400);
      expect(await errorMessage(underChild)).to.include('cy-outer').and.to.include('cy-inner');
      expect(toOtherTenant.status).to.equal(400);
      expect(await countRows(engine)).to.deep.equal(before);
      expect((await departmentRow(engine, outer.id))?.parentId).to.equal(null);
    });

    it('refuses to delete a department with sub-departments, members or open tasks, naming what remains', async () => {
      // given: a department with a member who has an open task, and an empty one offered a task as a candidate group
      const staffed = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'd-staffed', name: '有人' } }, 201);
      await api.json('/admin/users', { as: 'a-admin', body: { id: 'd-member', displayName: '成员', password: NEW_PASSWORD, departmentIds: [staffed.id] } }, 201);
      const empty = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'd-empty', name: '无人' } }, 201);
      const parent = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'd-parent', name: '上级' } }, 201);
      await api.json('/admin/departments', { as: 'a-admin', body: { code: 'd-child', name: '下级', parentId: parent.id } }, 201);
      await deployProcess(engine, bpmn('dept_tasks', `
        <startEvent id="start"/>${flow('start', 'assigned')}${flow('start', 'offered')}
        <userTask id="assigned" camunda:assignee="d-member"/>${flow('assigned', 'end1')}<endEvent id="end1"/>
        <userTask id="offered" camunda:candidateGroups="dept:d-empty"/>${flow('offered', 'end2')}<endEvent id="end2"/>`));
      await engine.runtimeService.startProcessInstanceByKey('dept_tasks');
      // when
      const withMember = await api.request(`/admin/departments/${staffed.id}`, { as: 'a-admin', method: 'DELETE' });
      const withTask = await api.request(`/admin/departments/${empty.id}`, { as: 'a-admin', method: 'DELETE' });
      const withChild = await api.request(`/admin/departments/${parent.id}`, { as: 'a-admin', method: 'DELETE' });
      // then
      expect(withMember.status).to.equal(409);
      expect(await errorMessage(withMember)).to.include('1 members').and.to.include('1 open tasks');
      expect(withTask.status).to.equal(409);
      expect(await errorMessage(withTask)).to.include('1 open tasks').and.not.to.include('members');
      expect(withChild.status).to.equal(409);
      expect(await errorMessage(withChild)).to.include('1 sub-departments');
      for (const id of [staffed.id, empty.id, parent.id]) expect(await departmentRow(engine, id)).to.not.equal(null);
    });

    it('lets only one of two moves that together would make a loop succeed, when they come at the same time', async () => {
      // given two top departments
      const a = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'race-a', name: 'A' } }, 201);
      const b = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'race-b', name: 'B' } }, 201);
      // when A goes under B and B under A at once
      const outcomes = await together('a-admin', [new MoveDepartmentCmd(a.id, { parentId: b.id, position: 0 }), new MoveDepartmentCmd(b.id, { parentId: a.id, position: 0 })]);
      // then one is refused: as a conflict when both read before either wrote, as a loop when one followed the other
      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []));
      expect(refused).to.have.length(1);
      expect(refused[0]).to.satisfy((error: Error) => error instanceof OptimisticLockingError || error instanceof BadUserRequestError);
      expect(await strayPaths(engine, DEPARTMENT)).to.deep.equal([]);
    });

    it('keeps the path of a department created under one that is moving at the same time', async () => {
      // given: a department under one top department, and another top department
      const from = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'race-from', name: '原上级' } }, 201);
      const to = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'race-to', name: '新上级' } }, 201);
      const moving = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'race-moving', name: '移动中', parentId: from.id } }, 201);
      // when a sub-department is created under it while it moves
      const outcomes = await together('a-admin', [new CreateDepartmentCmd({ code: 'race-child', name: '新下级', parentId: moving.id }), new MoveDepartmentCmd(moving.id, { parentId: to.id, position: 0 })]);
      // then both happened one after the other, or the second to commit was refused as a conflict
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length.of.at.least(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).to.be.instanceOf(OptimisticLockingError);
      expect(await strayPaths(engine, DEPARTMENT)).to.deep.equal([]);
    });

    it('deletes an empty department and audits it', async () => {
      // given
      const department = await api.json<Department>('/admin/departments', { as: 'a-admin', body: { code: 'd-gone', name: '撤销' } }, 201);
      // when
      const deleted = await api.request(`/admin/departments/${department.id}`, { as: 'a-admin', method: 'DELETE' });
      // then
      expect(deleted.status).to.equal(204);
      expect(await departmentRow(engine, department.id)).to.equal(null);
      expect((await auditOf(engine, department.id)).map((row) => row.action)).to.deep.equal(['department.create', 'department.delete']);
    });
  });

  describe('posts', () => {
    it("lists, creates, renames and deletes a tenant's posts; a post someone holds stays", async () => {
      // when
      const created = await api.json<Post>('/admin/posts', { as: 'a-admin', body: { code: 'chief', name: '科长' } }, 201);
      const renamed = await api.json<Post>(`/admin/posts/${created.id}`, { as: 'a-admin', method: 'PATCH', body: { name: '副科长' } });
      const listed = await api.json<Post[]>('/admin/posts', { as: 'a-admin' });
      const held = await api.request(`/admin/posts/${await idOfPost('a-admin', countyA, 'inspector')}`, { as: 'a-admin', method: 'DELETE' });
      const deleted = await api.request(`/admin/posts/${created.id}`, { as: 'a-admin', method: 'DELETE' });
      // then
      expect(renamed).to.include({ code: 'chief', name: '副科长', tenantId: countyA });
      expect(listed.map((post) => post.code)).to.include.members(['chief', 'inspector']);
      expect(held.status).to.equal(409);
      expect(await errorMessage(held)).to.include('1 holders');
      expect(deleted.status).to.equal(204);
      expect((await auditOf(engine, created.id)).map((row) => row.action)).to.deep.equal(['post.create', 'post.update', 'post.delete']);
    });

    it("never shows another county's posts", async () => {
      // given
      const foreign = await idOfPost('b-admin', countyB, 'inspector');
      // when
      const list = await api.request(`/admin/posts?tenantId=${countyB}`, { as: 'a-admin' });
      const single = await api.request(`/admin/posts/${foreign}`, { as: 'a-admin' });
      const update = await api.request(`/admin/posts/${foreign}`, { as: 'a-admin', method: 'PATCH', body: { name: 'x' } });
      const create = await api.request('/admin/posts', { as: 'a-admin', body: { tenantId: countyB, code: 'x', name: 'x' } });
      // then
      for (const response of [list, single, update, create]) expect(response.status).to.equal(404);
    });
  });

  describe('users', () => {
    const departmentOf = (code: string) => org.departmentId(countyA, code);

    it("lists and counts users by tenant, department (with sub-departments), role, post, name and state, paged and sorted", async () => {
      // when
      const ids = async (as: string, query: string) => (await api.json<User[]>(`/admin/users${query}`, { as })).map((u) => u.id);
      // then
      expect(await ids('a-admin', `?departmentId=${departmentOf('a-grid')}`)).to.deep.equal(['a-clerk']);
      expect(await ids('a-admin', `?departmentId=${departmentOf('a-office')}`)).to.deep.equal(['a-admin']);
      expect(await ids('a-admin', `?departmentId=${departmentOf('a-office')}&includeSubDepartments=true`)).to.include.members(['a-admin', 'a-clerk']);
      expect(await ids('a-admin', '?roleCode=dispatcher')).to.include('a-clerk');
      expect(await ids('a-admin', '?postCode=inspector')).to.deep.equal(['a-clerk']);
      expect(await ids('a-admin', `?search=${encodeURIComponent('张网')}`)).to.deep.equal(['a-clerk']);
      expect(await ids('a-admin', '?search=clerk')).to.deep.equal(['a-clerk']);
      expect(await ids('a-admin', '?search=%25')).to.deep.equal([]);
      expect(await ids('a-admin', '?enabled=false')).to.deep.equal([]);
      const office = `?departmentId=${departmentOf('a-office')}&includeSubDepartments=true`;
      expect(await ids('a-admin', `${office}&sortBy=id&sortOrder=desc&maxResults=2`)).to.deep.equal(['a-clerk', 'a-admin']);
      expect(await ids('a-admin', `${office}&sortBy=id&firstResult=1&maxResults=1`)).to.deep.equal(['a-clerk']);
      expect(await api.json<{ count: number }>('/admin/users/count?postCode=inspector', { as: 'a-admin' })).to.deep.equal({ count: 1 });
    });


    it("shows a county admin only their county's users and a city admin who sees descendants the counties' too", async () => {
      // when
      const county = (await api.json<User[]>('/admin/users', { as: 'a-admin' })).map((u) => u.tenantId);
      const otherCounty = await api.json<User[]>(`/admin/users?tenantId=${countyB}`, { as: 'a-admin' });
      const countOther = await api.json<{ count: number }>(`/admin/users/count?tenantId=${countyB}`, { as: 'a-admin' });
      const single = await api.request('/admin/users/b-clerk', { as: 'a-admin' });
      const update = await api.request('/admin/users/b-clerk', { as: 'a-admin', method: 'PATCH', body: { displayName: 'x' } });
      const reset = await api.request('/admin/users/b-clerk/password', { as: 'a-admin', body: { password: NEW_PASSWORD } });
      const cityRead = await api.json<User>('/admin/users/b-clerk', { as: 'city-admin' });
      const cityList = (await api.json<User[]>('/admin/users', { as: 'city-admin' })).map((u) => u.id);
      const cityOfCounty = await api.json<User[]>(`/admin/users?tenantId=${countyA}&postCode=inspector`, { as: 'city-admin' });
      // then
      expect(new Set(county)).to.deep.equal(new Set([countyA]));
      expect(otherCounty).to.deep.equal([]);
      expect(countOther.count).to.equal(0);
      for (const response of [single, update, reset]) expect(response.status).to.equal(404);
      expect(cityRead.departments.map((d) => d.code)).to.deep.equal(['b-office']);
      expect(cityList).to.include.members(['city-admin', 'a-clerk', 'b-clerk']).and.not.to.include('root-admin');
      expect(cityOfCounty.map((u) => u.id)).to.deep.equal(['a-clerk']);
    });


    it('creates a user with memberships of their tenant and a password to change at first login; never answers the hash', async () => {
      // given
      const postId = await idOfPost('a-admin', countyA, 'inspector');
      const [dispatcher] = await engine.database.read((sql) => sql.select("SELECT id FROM role WHERE tenant_id = $1 AND code = 'dispatcher'", [countyA]));
      // when
      const response = await api.request('/admin/users', {
        as: 'a-admin',
        body: {
          id: 'wang.wu', displayName: '王五', email: 'wang.wu@example.cn', phone: '13800000000', password: NEW_PASSWORD,
          departmentIds: [departmentOf('a-squad'), departmentOf('a-office')], postIds: [postId], roleIds: [dispatcher?.id],
        },
      });
      // then
      expect(response.status).to.equal(201);
      const text = await response.text();
      expect(text).not.to.match(/argon2|passwordHash|Passw0rd/);
      const user = JSON.parse(text) as User;
      expect(user).to.include({ id: 'wang.wu', tenantId: countyA, displayName: '王五', mustChangePassword: true, enabled: true });
      expect(user.departments.map((d) => [d.code, d.primary])).to.deep.equal([['a-squad', true], ['a-office', false]]);
      expect(user.posts.map((p) => p.code)).to.deep.equal(['inspector']);
      expect(user.roles.map((r) => r.code)).to.deep.equal(['dispatcher']);
      const [audit] = await auditOf(engine, 'wang.wu');
      expect(audit).to.include({ action: 'user.create', user_id: 'a-admin', tenant_id: countyA });
      expect(audit?.detail).not.to.match(/argon2|Passw0rd|password/i);
      expect(JSON.parse(audit?.detail as string)).to.include({ displayName: '王五', email: 'wang.wu@example.cn' });
    });

    it('refuses a department of another tenant naming it, a weak password, a taken login id, and writes nothing', async () => {
      // given
      const before = await countRows(engine);
      const body = { id: 'li.si', displayName: '李四', password: NEW_PASSWORD };
      // when
      const foreignDepartment = await api.request('/admin/users', { as: 'city-admin', body: { ...body, tenantId: countyA, departmentIds: [org.departmentId(countyB, 'b-office')] } });
      const invisibleDepartment = await api.request('/admin/users', { as: 'a-admin', body: { ...body, departmentIds: [org.departmentId(countyB, 'b-office')] } });
      const weak = await api.request('/admin/users', { as: 'a-admin', body: { ...body, password: 'short' } });
      const taken = await api.request('/admin/users', { as: 'a-admin', body: { ...body, id: 'A-CLERK' } });
      const badId = await api.request('/admin/users', { as: 'a-admin', body: { ...body, id: 'li si' } });
      const badEmail = await api.request('/admin/users', { as: 'a-admin', body: { ...body, email: 'not-an-address' } });
      const foreignTenant = await api.request('/admin/users', { as: 'a-admin', body: { ...body, tenantId: countyB } });
      // then
      expect(foreignDepartment.status).to.equal(400);
      expect(await errorMessage(foreignDepartment)).to.include('b-office').and.to.include(countyB);
      expect(invisibleDepartment.status).to.equal(400);
      expect(weak.status).to.equal(400);
      expect(await errorMessage(weak)).to.include('密码');
      expect(taken.status).to.equal(409);
      expect(badId.status).to.equal(400);
      expect(badEmail.status).to.equal(400);
      expect(foreignTenant.status).to.equal(404);
      expect(await countRows(engine)).to.deep.equal(before);
    });

    it('gives no role that grants permissions the administrator does not hold, not even to themselves, nor resets the password of a user who holds one', async () => {
      // given
      const roleId = async (code: string) => String((await engine.database.read((sql) => sql.select('SELECT id FROM role WHERE tenant_id = $1 AND code = $2', [countyA, code])))[0]?.id);
      const [superRole, auditor, dispatcher] = [await roleId('super'), await roleId('auditor'), await roleId('dispatcher')];
      const before = await countRows(engine);
      // when
      const create = await api.request('/admin/users', { as: 'a-admin', body: { id: 'would.be', displayName: '越权', password: NEW_PASSWORD, roleIds: [superRole] } });
      const self = await api.request('/admin/users/a-admin', { as: 'a-admin', method: 'PATCH', body: { roleIds: [superRole] } });
      const partly = await api.request('/admin/users/a-clerk', { as: 'a-admin', method: 'PATCH', body: { roleIds: [dispatcher, auditor] } });
      // then
      expect(create.status).to.equal(403);
      expect(self.status).to.equal(403);
      expect(await errorMessage(self)).to.include("'super'").and.to.include('*');
      expect(partly.status).to.equal(403);
      expect(await errorMessage(partly)).to.include('audit:read').and.not.to.include('user:read');
      expect(await countRows(engine)).to.deep.equal(before);
      expect((await api.json<User>('/admin/users/a-clerk', { as: 'root-admin', method: 'PATCH', body: { roleIds: [dispatcher, superRole] } })).roles.map((r) => r.code)).to.have.members(['dispatcher', 'super']);
      const takeOver = await api.request('/admin/users/a-clerk/password', { as: 'a-admin', body: { password: NEW_PASSWORD } });
      expect(takeOver.status).to.equal(403);
      await api.json('/admin/users/a-clerk', { as: 'root-admin', method: 'PATCH', body: { roleIds: [dispatcher] } });
    });

    it('gives no role that sees more than the administrator (descendant tenants, a wider data scope), nor resets the password of a user holding one', async () => {
      // given: a county administrator who sees their county only, and one whose data scope is their department
      const roleId = async (code: string) => String((await engine.database.read((sql) => sql.select('SELECT id FROM role WHERE tenant_id = $1 AND code = $2', [countyA, code])))[0]?.id);
      const [watcher, dispatcher] = [await roleId('watcher'), await roleId('dispatcher')];
      await api.json('/admin/users/a-reader', { as: 'a-office-admin' }); // signed in before counting
      const before = await countRows(engine);
      // when
      const create = await api.request('/admin/users', { as: 'a-admin', body: { id: 'looks.up', displayName: '越级', password: NEW_PASSWORD, roleIds: [watcher] } });
      const self = await api.request('/admin/users/a-admin', { as: 'a-admin', method: 'PATCH', body: { roleIds: [watcher] } });
      const wider = await api.request('/admin/users/a-newcomer', { as: 'a-office-admin', method: 'PATCH', body: { roleIds: [dispatcher] } });
      const takeOver = await api.request('/admin/users/a-watcher/password', { as: 'a-admin', body: { password: NEW_PASSWORD } });
      // then
      for (const response of [create, self]) {
        expect(response.status).to.equal(403);
        expect(await errorMessage(response)).to.match(/^不能授予角色 watcher\(watcher\)/).and.to.include('seesDescendants');
      }
      expect(wider.status).to.equal(403);
      expect(await errorMessage(wider)).to.include("'dispatcher'").and.to.include("data scope 'all'");
      expect(takeOver.status).to.equal(403);
      expect(await errorMessage(takeOver)).to.include('seesDescendants');
      expect(await countRows(engine)).to.deep.equal(before);
      const given = await api.json<User>('/admin/users/a-newcomer', { as: 'city-admin', method: 'PATCH', body: { roleIds: [watcher] } });
      expect(given.roles.map((role) => role.code)).to.deep.equal(['watcher']);
      await api.json('/admin/users/a-newcomer', { as: 'city-admin', method: 'PATCH', body: { roleIds: [] } });
    });

    it("replaces a user's memberships and profile, recording what changed", async () => {
      // given
      await api.json('/admin/users', { as: 'a-admin', body: { id: 'zhao.liu', displayName: '赵六', password: NEW_PASSWORD, departmentIds: [departmentOf('a-office')] } }, 201);
      // when
      const updated = await api.json<User>('/admin/users/zhao.liu', {
        as: 'a-admin', method: 'PATCH', body: { displayName: '赵六六', email: 'zl@example.cn', departmentIds: [departmentOf('a-grid'), departmentOf('a-office')] },
      });
      const foreign = await api.request('/admin/users/zhao.liu', { as: 'city-admin', method: 'PATCH', body: { departmentIds: [org.departmentId(city, 'c-office')] } });
      // then
      expect(updated).to.include({ displayName: '赵六六', email: 'zl@example.cn' });
      expect(updated.departments.map((d) => [d.code, d.primary])).to.deep.equal([['a-grid', true], ['a-office', false]]);
      expect(foreign.status).to.equal(400);
      expect(await errorMessage(foreign)).to.include('c-office');
      const [update] = (await auditOf(engine, 'zhao.liu')).filter((row) => row.action === 'user.update');
      expect(JSON.parse(update?.detail as string)).to.deep.equal({
        displayName: { from: '赵六', to: '赵六六' }, email: { from: null, to: 'zl@example.cn' }, departments: { from: ['a-office'], to: ['a-grid', 'a-office'] },
      });
    });

    it('resets a password (to be changed at next login) and unlocks a locked account', async () => {
      // given
      await api.json('/admin/users', { as: 'a-admin', body: { id: 'locked.out', displayName: '锁定', password: NEW_PASSWORD } }, 201);
      await engine.database.transaction((sql) => sql.execute("UPDATE app_user SET failed_logins = 5, locked_until = '2099-01-01 00:00:00.000', must_change_password = $1 WHERE id = 'locked.out'", [0]));
      const before = await engine.database.read((sql) => new DbSession(sql).findById(USER, 'locked.out'));
      // when
      const weak = await api.request('/admin/users/locked.out/password', { as: 'a-admin', body: { password: 'weak' } });
      const reset = await api.request('/admin/users/locked.out/password', { as: 'a-admin', body: { password: 'Another-Passw0rd' } });
      const unlocked = await api.request('/admin/users/locked.out/unlock', { as: 'a-admin', method: 'POST' });
      // then
      expect(weak.status).to.equal(400);
      expect(reset.status).to.equal(204);
      expect(unlocked.status).to.equal(204);
      const after = await engine.database.read((sql) => new DbSession(sql).findById(USER, 'locked.out'));
      expect(after).to.include({ mustChangePassword: true, failedLogins: 0, lockedUntil: null });
      expect(after?.passwordHash).to.not.equal(before?.passwordHash);
      const audit = await auditOf(engine, 'locked.out');
      expect(audit.map((row) => row.action)).to.deep.equal(['user.create', 'user.reset-password', 'user.unlock']);
      expect(audit.map((row) => row.detail).join()).not.to.match(/argon2|Passw0rd/);
    });

    it('refuses to disable or delete a user with open tasks; deletes an unused account and refuses one with history', async () => {
      // given: one user with a task assigned, one who only signed up
      await api.json('/admin/users', { as: 'a-admin', body: { id: 'busy.one', displayName: '忙', password: NEW_PASSWORD } }, 201);
      await api.json('/admin/users', { as: 'a-admin', body: { id: 'never.used', displayName: '未用', password: NEW_PASSWORD } }, 201);
      await deployProcess(engine, bpmn('busy_task', `<startEvent id="start"/>${flow('start', 'work')}<userTask id="work" camunda:assignee="busy.one"/>${flow('work', 'end')}<endEvent id="end"/>`));
      await engine.runtimeService.startProcessInstanceByKey('busy_task');
      // when
      const disableBusy = await api.request('/admin/users/busy.one', { as: 'a-admin', method: 'PATCH', body: { enabled: false } });
      const deleteBusy = await api.request('/admin/users/busy.one', { as: 'a-admin', method: 'DELETE' });
      const deleteSelf = await api.request('/admin/users/a-admin', { as: 'a-admin', method: 'DELETE' });
      const deleteAudited = await api.request('/admin/users/a-admin', { as: 'city-admin', method: 'DELETE' });
      const disabled = await api.json<User>('/admin/users/never.used', { as: 'a-admin', method: 'PATCH', body: { enabled: false } });
      const deleteUnused = await api.request('/admin/users/never.used', { as: 'a-admin', method: 'DELETE' });
      // then
      expect(disableBusy.status).to.equal(409);
      expect(await errorMessage(disableBusy)).to.include('1 open tasks');
      expect(deleteBusy.status).to.equal(409);
      expect(deleteSelf.status).to.equal(400);
      expect(deleteAudited.status).to.equal(409);
      expect(await errorMessage(deleteAudited)).to.include('audit entries').and.to.include('disable');
      expect(disabled.enabled).to.equal(false);
      expect(deleteUnused.status).to.equal(204);
      expect((await api.request('/admin/users/never.used', { as: 'a-admin' })).status).to.equal(404);
      expect((await auditOf(engine, 'never.used')).map((row) => row.action)).to.deep.equal(['user.create', 'user.update', 'user.delete']);
    });
  });

  describe('power over users', () => {
    const departmentOf = (code: string) => org.departmentId(countyA, code);
    const userRow = (id: string) => engine.database.read((sql) => new DbSession(sql).findById(USER, id));
    const departmentCodes = async (id: string) => (await api.json<User>(`/admin/users/${id}`, { as: 'root-admin' })).departments.map((department) => department.code);

    it('refuses to change, unlock, delete or reset the password of a user more powerful than the administrator, naming what they hold', async () => {
      // given: a user of county A holding every permission, made by the platform administrator
      const [superRole] = await engine.database.read((sql) => sql.select("SELECT id FROM role WHERE tenant_id = $1 AND code = 'super'", [countyA]));
      await api.json('/admin/users', { as: 'root-admin', body: { id: 'a-chief', tenantId: countyA, displayName: '局长', password: NEW_PASSWORD, roleIds: [superRole?.id] } }, 201);
      const before = await userRow('a-chief');
      // when the county's administrator acts on them
      const refused = [
        await api.request('/admin/users/a-chief', { as: 'a-admin', method: 'PATCH', body: { displayName: '改名', enabled: false } }),
        await api.request('/admin/users/a-chief/unlock', { as: 'a-admin', method: 'POST' }),
        await api.request('/admin/users/a-chief', { as: 'a-admin', method: 'DELETE' }),
        await api.request('/admin/users/a-chief/password', { as: 'a-admin', body: { password: 'Another-Passw0rd' } }),
      ];
      // then
      for (const response of refused) {
        expect(response.status).to.equal(403);
        expect(await errorMessage(response)).to.match(/^不能.+权限高于你的用户.*：该用户持有你没有的权限 \* \(you cannot .+ 'a-chief', who holds permissions you do not: \*\)$/);
      }
      expect(await userRow('a-chief')).to.deep.equal(before);
      // and an administrator who holds as much may
      expect((await api.json<User>('/admin/users/a-chief', { as: 'root-admin', method: 'PATCH', body: { displayName: '改名' } })).displayName).to.equal('改名');
    });

    it('names the reach of a user who sees more than the administrator', async () => {
      // when an administrator whose data scope is their department edits a user whose role sees every case
      const response = await api.request('/admin/users/a-reader', { as: 'a-office-admin', method: 'PATCH', body: { displayName: '改名' } });
      // then
      expect(response.status).to.equal(403);
      expect(await errorMessage(response)).to.include('task:read').and.to.include("the data scope 'all', wider than your own 'department'");
    });

    it('lets nobody change their own departments, posts or roles, but their own profile', async () => {
      // given
      const inspector = await idOfPost('a-admin', countyA, 'inspector');
      const before = await countRows(engine);
      // when
      const department = await api.request('/admin/users/a-admin', { as: 'a-admin', method: 'PATCH', body: { departmentIds: [departmentOf('a-office'), departmentOf('a-town')] } });
      const post = await api.request('/admin/users/a-admin', { as: 'a-admin', method: 'PATCH', body: { postIds: [inspector] } });
      // then
      for (const response of [department, post]) {
        expect(response.status).to.equal(403);
        expect(await errorMessage(response)).to.equal('不能修改自己的部门、岗位或角色，须由其他管理员修改 (you cannot change your own departments, posts or roles: another administrator must)');
      }
      expect(await countRows(engine)).to.deep.equal(before);
      const profile = await api.json<User>('/admin/users/a-admin', { as: 'a-admin', method: 'PATCH', body: { email: 'a-admin@example.cn', departmentIds: [departmentOf('a-office')] } });
      expect(profile.email).to.equal('a-admin@example.cn');
      expect(await departmentCodes('a-admin')).to.deep.equal(['a-office']);
    });

    it('puts users only in departments the administrator’s data scope covers', async () => {
      // given: an administrator whose data scope is the town's office and what lies below it
      await api.json('/admin/users/a-newcomer', { as: 'a-town-admin' }); // signed in before counting
      const before = await countRows(engine);
      // when
      const created = await api.request('/admin/users', { as: 'a-town-admin', body: { id: 'far.away', displayName: '远方', password: NEW_PASSWORD, departmentIds: [departmentOf('a-office')] } });
      const moved = await api.request('/admin/users/a-newcomer', { as: 'a-town-admin', method: 'PATCH', body: { departmentIds: [departmentOf('a-town-grid'), departmentOf('a-grid')] } });
      // then
      expect(created.status).to.equal(403);
      expect(await errorMessage(created)).to.equal('不能把用户加入部门 a-office 不在你的数据范围内 (you cannot put a user in the departments a-office, outside your own data scope)');
      expect(moved.status).to.equal(403);
      expect(await errorMessage(moved)).to.include('a-grid').and.not.to.include('a-town-grid');
      expect(await countRows(engine)).to.deep.equal(before);
      await api.json('/admin/users', { as: 'a-town-admin', body: { id: 'near.by', displayName: '近处', password: NEW_PASSWORD, departmentIds: [departmentOf('a-town-grid')] } }, 201);
      await api.json('/admin/users/a-newcomer', { as: 'a-town-admin', method: 'PATCH', body: { departmentIds: [departmentOf('a-town-grid')] } });
      expect(await departmentCodes('a-newcomer')).to.deep.equal(['a-town-grid']);
      // and a department the user is in already stays, though the administrator does not cover it
      await api.json('/admin/users/a-newcomer', { as: 'a-admin', method: 'PATCH', body: { departmentIds: [departmentOf('a-town-grid'), departmentOf('a-grid')] } });
      await api.json('/admin/users/a-newcomer', { as: 'a-town-admin', method: 'PATCH', body: { displayName: '新人', departmentIds: [departmentOf('a-grid'), departmentOf('a-town')] } });
      expect(await departmentCodes('a-newcomer')).to.deep.equal(['a-grid', 'a-town']);
    });
  });

  describe('hostile filters', () => {
    const HOSTILE = ["' OR '1'='1", "x'; DROP TABLE app_user; --", '%', '\\', 'x'.repeat(10_000)];
    const FILTERS: [path: string, parameter: string][] = [
      ['/admin/departments', 'tenantId'],
      ['/admin/posts', 'tenantId'],
      ...['tenantId', 'departmentId', 'includeSubDepartments', 'roleCode', 'postCode', 'search', 'enabled', 'sortBy', 'sortOrder', 'firstResult', 'maxResults'].flatMap(
        (parameter): [string, string][] => [['/admin/users', parameter], ['/admin/users/count', parameter]],
      ),
      ['/admin/users/import', 'tenantId'],
    ];

    it('answers injection attempts and oversized values in every filter with a 4xx or nothing, never a 500 or data', async () => {
      for (const [path, parameter] of FILTERS) {
        for (const value of HOSTILE) {
          // when
          const response = await api.request(`${path}?${parameter}=${encodeURIComponent(value)}`, { as: 'a-admin', method: path.endsWith('import') ? 'POST' : 'GET' });
          // then
          const where = `${path}?${parameter}=${value.slice(0, 20)}`;
          expect(response.status, where).to.be.within(200, 499);
          if (value.length > 200) expect(response.status, where).to.equal(400);
          const body = await response.json();
          if (response.status === 200) expect(body, where).to.satisfy((answer: unknown) => (Array.isArray(answer) ? answer.length === 0 : (answer as { count: number }).count === 0));
        }
      }
      expect(await engine.database.read((sql) => new DbSession(sql).count(USER, '1 = 1', []))).to.be.greaterThan(5);
    });

    it('answers hostile ids in paths with 404', async () => {
      for (const value of HOSTILE) {
        for (const path of ['/admin/tenants/', '/admin/departments/', '/admin/posts/', '/admin/users/']) {
          const response = await api.request(`${path}${encodeURIComponent(value)}`, { as: 'a-admin' });
          expect(response.status, `${path}${value.slice(0, 20)}`).to.equal(404);
        }
      }
    });
  });
});
