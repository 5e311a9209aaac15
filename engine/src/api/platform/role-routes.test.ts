import { expect } from 'chai';
import { actorOf, CORE_PERMISSIONS, type Principal } from '../../identity/index.js';
import { UpdateUserCmd } from '../../identity/organisation/index.js';
import { SetRoleUsersCmd, syncPermissionCatalogue, UpdateRoleCmd } from '../../identity/roles/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { bpmn, flow } from '../../testing/bpmn.js';
import { runTogether } from '../../testing/concurrent-commands.js';
import { describeOnDatabases } from '../../testing/databases.js';
import { buildOrganisation, TENANT_TREE, TENANT_TREE_FIXTURE, type BuiltOrganisation } from '../../testing/organisation.js';
import { errorMessage, startSignedInApi, type SignedInClient } from '../../testing/signed-in-app.js';

const { city, countyA, countyB } = TENANT_TREE;

interface Role {
  id: string;
  tenantId: string;
  code: string;
  name: string;
  dataScope: string;
  seesDescendants: boolean;
  permissions: string[];
  departments: { id: string; code: string; name: string }[];
  userCount: number;
}

/** Writes the audit log recorded about an object, oldest first. */
function auditOf(engine: ProcessEngine, objectId: string): Promise<{ action: string; user_id: string; tenant_id: string; detail: string }[]> {
  return engine.database.read((sql) => sql.select('SELECT action, user_id, tenant_id, detail FROM audit_log WHERE object_id = $1 ORDER BY time, id', [objectId])) as never;
}

const ORG_ADMIN_PERMISSIONS = ['role:read', 'role:write', 'permission:read', 'permission:write', 'task:read'];

describeOnDatabases('api/platform - roles and the permission catalogue', (fixture) => {
  let api: SignedInClient;
  let org: BuiltOrganisation;

  before(async () => {
    const { engine } = fixture();
    await syncPermissionCatalogue(engine.commandExecutor);
    org = await buildOrganisation(engine, {
      tenants: TENANT_TREE_FIXTURE,
      departments: [
        { tenantId: city, code: 'cgj', name: '市城管执法局' },
        { tenantId: city, code: 'sjj', name: '市大数据发展局' },
        { tenantId: countyA, code: 'cgj', name: '柳城县城管局' },
      ],
      roles: [
        { tenantId: city, code: 'admin', permissions: ['*'] },
        { tenantId: city, code: 'supervisor', permissions: ['*'], seesDescendants: true },
        { tenantId: city, code: 'org-admin', permissions: ORG_ADMIN_PERMISSIONS },
        { tenantId: city, code: 'department-admin', permissions: ORG_ADMIN_PERMISSIONS, dataScope: 'department' },
        { tenantId: city, code: 'bureau-admin', permissions: ORG_ADMIN_PERMISSIONS, dataScope: 'department-and-below' },
        { tenantId: city, code: 'reader', permissions: ['task:read'] },
        { tenantId: countyA, code: 'admin', permissions: ['*'] },
        { tenantId: countyB, code: 'admin', permissions: ['*'] },
      ],
      users: [
        { id: 'city-admin', tenantId: city, roles: ['admin'] },
        { id: 'city-super', tenantId: city, roles: ['supervisor'] },
        { id: 'city-org', tenantId: city, roles: ['org-admin'] },
        { id: 'city-department-org', tenantId: city, roles: ['department-admin'] },
        { id: 'city-bureau-org', tenantId: city, departments: ['cgj'], roles: ['bureau-admin'] },
        { id: 'city-reader', tenantId: city, roles: ['reader'] },
        { id: 'city-clerk', tenantId: city },
        { id: 'city-clerk-2', tenantId: city },
        { id: 'a-admin', tenantId: countyA, roles: ['admin'] },
        { id: 'a-clerk', tenantId: countyA },
        { id: 'b-admin', tenantId: countyB, roles: ['admin'] },
      ],
    });
    api = await startSignedInApi(engine);
  });

  after(async () => {
    await api?.close();
  });

  const roleBody = (code: string, permissions: string[], extra: Record<string, unknown> = {}) => ({ code, name: `角色 ${code}`, dataScope: 'all', permissions, ...extra });
  const createRole = (as: string, body: Record<string, unknown>) => api.json<Role>('/admin/roles', { as, body }, 201);
  const roleCodes = async (as: string, query = '') => (await api.json<Role[]>(`/admin/roles${query}`, { as })).map((role) => `${role.tenantId}/${role.code}`);

  describe('permission catalogue', () => {
    it('syncs the core permissions idempotently, restoring names changed in the table', async () => {
      // given
      const { engine } = fixture();
      await engine.database.transaction((sql) => sql.execute("UPDATE permission SET name_zh = 'x' WHERE id = 'role:read'"));
      // when
      await syncPermissionCatalogue(engine.commandExecutor);
      await syncPermissionCatalogue(engine.commandExecutor);
      // then
      const core = await api.json<{ id: string; nameZh: string; source: string }[]>('/admin/permissions?source=core', { as: 'city-admin' });
      expect(core.map((p) => p.id).sort()).to.deep.equal(CORE_PERMISSIONS.map((p) => p.id).sort());
      expect(core.find((p) => p.id === 'role:read')?.nameZh).to.equal('查看角色');
      const menus = await api.json<{ kind: string }[]>('/admin/permissions?kind=menu', { as: 'city-admin' });
      expect(menus.length).to.be.greaterThan(0);
      expect(menus.every((p) => p.kind === 'menu')).to.equal(true);
    });

    it('adds, renames and removes a permission of its own, and audits each change', async () => {
      // when
      const created = await api.json('/admin/permissions', { as: 'city-admin', body: { id: 'case:close', kind: 'action', nameZh: '结案', nameEn: 'Close cases' } }, 201);
      const renamed = await api.json('/admin/permissions/case:close', { as: 'city-admin', method: 'PUT', body: { kind: 'action', nameZh: '办结', nameEn: 'Close a case' } });
      // then
      expect(created).to.deep.equal({ id: 'case:close', kind: 'action', nameZh: '结案', nameEn: 'Close cases', source: 'custom' });
      expect(renamed).to.include({ nameZh: '办结', source: 'custom' });
      await api.json('/admin/permissions/case:close', { as: 'city-admin', method: 'DELETE' }, 204);
      expect((await api.request('/admin/permissions/case:close', { as: 'city-admin', method: 'DELETE' })).status).to.equal(404);
      const audit = await auditOf(fixture().engine, 'case:close');
      expect(audit.map((row) => row.action)).to.deep.equal(['permission.create', 'permission.update', 'permission.delete']);
      expect(audit[0]).to.include({ user_id: 'city-admin', tenant_id: city });
    });

    it('refuses to change or delete a core permission, a bad id, a taken id and the core source', async () => {
      const cases: [string, { method?: string; body?: unknown }, number, string][] = [
        ['/admin/permissions/role:read', { method: 'PUT', body: { kind: 'action', nameZh: 'x', nameEn: 'x' } }, 400, 'role:read'],
        ['/admin/permissions/role:read', { method: 'DELETE' }, 400, 'role:read'],
        ['/admin/permissions', { body: { id: 'Case Close', kind: 'action', nameZh: 'x', nameEn: 'x' } }, 400, 'id'],
        ['/admin/permissions', { body: { id: 'task:read', kind: 'action', nameZh: 'x', nameEn: 'x' } }, 400, 'task:read'],
        ['/admin/permissions', { body: { id: 'case:open', kind: 'action', nameZh: 'x', nameEn: 'x', source: 'core' } }, 400, 'core'],
      ];
      for (const [path, init, status, named] of cases) {
        const response = await api.request(path, { as: 'city-admin', ...init });
        expect(response.status, `${init.method ?? 'POST'} ${path}`).to.equal(status);
        expect(await errorMessage(response)).to.contain(named);
      }
      await api.json('/admin/permissions', { as: 'city-admin', body: { id: 'case:open', kind: 'action', nameZh: '立案', nameEn: 'Open cases' } }, 201);
      expect((await api.request('/admin/permissions', { as: 'city-admin', body: { id: 'case:open', kind: 'action', nameZh: 'x', nameEn: 'x' } })).status).to.equal(409);
      expect(await auditOf(fixture().engine, 'role:read')).to.deep.equal([]);
    });

    it('refuses to delete a permission a role still grants, naming the role, and deletes it once none does', async () => {
      // given
      await api.json('/admin/permissions', { as: 'city-admin', body: { id: 'case:archive', kind: 'action', nameZh: '归档', nameEn: 'Archive' } }, 201);
      const role = await createRole('city-admin', roleBody('archivist', ['case:archive']));
      const countyRole = await createRole('a-admin', roleBody('archivist', ['case:archive']));
      // when
      const refused = await api.request('/admin/permissions/case:archive', { as: 'city-admin', method: 'DELETE' });
      // then: the city's role by code, the county's only counted
      expect(refused.status).to.equal(409);
      const message = await errorMessage(refused);
      expect(message).to.contain('archivist').and.contain('1 roles of other tenants');
      await api.json(`/admin/roles/${role.id}`, { as: 'city-admin', method: 'PUT', body: roleBody('archivist', []) });
      expect((await api.request('/admin/permissions/case:archive', { as: 'city-admin', method: 'DELETE' })).status).to.equal(409);
      await api.json(`/admin/roles/${countyRole.id}`, { as: 'a-admin', method: 'PUT', body: roleBody('archivist', []) });
      await api.json('/admin/permissions/case:archive', { as: 'city-admin', method: 'DELETE' }, 204);
    });
  });

  describe('roles', () => {
    it('creates a role with its permissions and chosen departments, lists, counts and reads it, and audits it', async () => {
      // when
      const cgj = org.departmentId(city, 'cgj');
      const created = await createRole('city-admin', roleBody('dispatcher', ['task:read', 'task:handle'], { dataScope: 'chosen-departments', departmentIds: [cgj] }));
      // then
      expect(created).to.include({ tenantId: city, code: 'dispatcher', dataScope: 'chosen-departments', seesDescendants: false, userCount: 0 });
      expect(created.permissions).to.deep.equal(['task:handle', 'task:read']);
      expect(created.departments).to.deep.equal([{ id: cgj, code: 'cgj', name: '市城管执法局' }]);
      expect(await api.json(`/admin/roles/${created.id}`, { as: 'city-org' })).to.deep.equal(created);
      expect(await roleCodes('city-admin', '?dataScope=chosen-departments')).to.deep.equal([`${city}/dispatcher`]);
      expect(await roleCodes('city-admin', '?permission=task:handle')).to.deep.equal([`${city}/dispatcher`]);
      expect(await roleCodes('city-admin', '?nameLike=%25dispatch%25')).to.deep.equal([`${city}/dispatcher`]);
      expect(await api.json('/admin/roles/count?code=dispatcher', { as: 'city-admin' })).to.deep.equal({ count: 1 });
      const [audit] = await auditOf(fixture().engine, created.id);
      expect(audit).to.include({ action: 'role.create', user_id: 'city-admin', tenant_id: city });
      expect(JSON.parse(audit!.detail)).to.include({ code: 'dispatcher', dataScope: 'chosen-departments' });
    });

    it('pages and sorts the list', async () => {
      const all = await roleCodes('city-admin', '?sortBy=code&sortOrder=desc');
      expect(await roleCodes('city-admin', '?sortBy=code&sortOrder=desc&firstResult=1&maxResults=2')).to.deep.equal(all.slice(1, 3));
      expect([...all].sort().reverse()).to.deep.equal(all);
    });

    it('updates a role and records what changed', async () => {
      // given
      const role = await createRole('city-admin', roleBody('night-shift', ['task:read']));
      // when
      const updated = await api.json<Role>(`/admin/roles/${role.id}`, { as: 'city-super', method: 'PUT', body: roleBody('night-shift', ['task:read', 'task:assign'], { name: '夜班', seesDescendants: true }) });
      // then
      expect(updated).to.include({ name: '夜班', seesDescendants: true });
      expect(updated.permissions).to.deep.equal(['task:assign', 'task:read']);
      const [, audit] = await auditOf(fixture().engine, role.id);
      expect(audit?.action).to.equal('role.update');
      expect(JSON.parse(audit!.detail)).to.deep.include({ name: { from: '角色 night-shift', to: '夜班' }, permissions: { added: ['task:assign'], removed: [] } });
    });

    it('refuses a permission that is not in the catalogue, naming it, and changes nothing', async () => {
      // given
      const before = await api.json<{ count: number }>('/admin/roles/count', { as: 'city-admin' });
      const role = await createRole('city-admin', roleBody('clerk', ['task:read']));
      // when
      const created = await api.request('/admin/roles', { as: 'city-admin', body: roleBody('typo', ['task:read', 'task:raed']) });
      const updated = await api.request(`/admin/roles/${role.id}`, { as: 'city-admin', method: 'PUT', body: roleBody('clerk-renamed', ['task:handle', 'menu:nowhere']) });
      // then
      for (const response of [created, updated]) {
        expect(response.status).to.equal(400);
        expect(await errorMessage(response)).to.match(/task:raed|menu:nowhere/);
      }
      expect(await api.json('/admin/roles/count', { as: 'city-admin' })).to.deep.equal({ count: before.count + 1 });
      expect(await api.json<Role>(`/admin/roles/${role.id}`, { as: 'city-admin' })).to.include({ code: 'clerk' }).and.deep.include({ permissions: ['task:read'] });
      expect((await auditOf(fixture().engine, role.id)).map((row) => row.action)).to.deep.equal(['role.create']);
    });

    it('refuses chosen departments of another tenant, and departments without that data scope', async () => {
      const foreign = org.departmentId(countyA, 'cgj');
      const wrong = await api.request('/admin/roles', { as: 'city-admin', body: roleBody('foreign', [], { dataScope: 'chosen-departments', departmentIds: [foreign] }) });
      expect(wrong.status).to.equal(400);
      expect(await errorMessage(wrong)).to.contain(foreign);
      const misplaced = await api.request('/admin/roles', { as: 'city-admin', body: roleBody('misplaced', [], { departmentIds: [org.departmentId(city, 'cgj')] }) });
      expect(misplaced.status).to.equal(400);
      expect((await api.request('/admin/roles', { as: 'city-admin', body: roleBody('none', [], { dataScope: 'chosen-departments' }) })).status).to.equal(400);
    });

    it('refuses a code the tenant already has, but not one another tenant has', async () => {
      const taken = await api.request('/admin/roles', { as: 'city-admin', body: roleBody('ADMIN', []) });
      expect(taken.status).to.equal(409);
      expect(await errorMessage(taken)).to.contain('ADMIN');
      expect((await api.request('/admin/roles', { as: 'a-admin', body: roleBody('reader', []) })).status).to.equal(201);
    });
  });

  describe('privilege escalation', () => {
    it('lets an administrator grant only what they hold themselves, and `*` only with `*`', async () => {
      // when
      const beyond = await api.request('/admin/roles', { as: 'city-org', body: roleBody('mighty', ['role:read', 'user:write']) });
      const everything = await api.request('/admin/roles', { as: 'city-org', body: roleBody('almighty', ['*']) });
      const within = await api.request('/admin/roles', { as: 'city-org', body: roleBody('helper', ['role:read', 'task:read']) });
      // then
      expect(beyond.status).to.equal(403);
      expect(await errorMessage(beyond)).to.contain('user:write').and.not.contain('role:read');
      expect(everything.status).to.equal(403);
      expect(await errorMessage(everything)).to.contain('*');
      expect(within.status).to.equal(201);
      expect(await roleCodes('city-admin', '?code=mighty')).to.deep.equal([]);
      expect(await roleCodes('city-admin', '?code=almighty')).to.deep.equal([]);
    });

    it('lets them keep what a role grants beyond their own permissions, but not add to it or hand the role out', async () => {
      // given: a role the administrator with `*` made
      const role = await createRole('city-admin', roleBody('auditor', ['audit:read', 'task:read']));
      // when
      const renamed = await api.request(`/admin/roles/${role.id}`, { as: 'city-org', method: 'PUT', body: { ...roleBody('auditor', ['audit:read', 'task:read']), name: '审计员' } });
      const widened = await api.request(`/admin/roles/${role.id}`, { as: 'city-org', method: 'PUT', body: roleBody('auditor', ['audit:read', 'task:read', 'user:write']) });
      const handedOut = await api.request(`/admin/roles/${role.id}/users`, { as: 'city-org', method: 'PUT', body: { userIds: ['city-org'] } });
      // then
      expect(renamed.status).to.equal(200);
      expect(widened.status).to.equal(403);
      expect(handedOut.status).to.equal(403);
      expect(await errorMessage(handedOut)).to.contain('audit:read');
      expect(await api.json(`/admin/roles/${role.id}/users`, { as: 'city-admin' })).to.deep.equal([]);
    });
  });

  describe('reach beyond the caller', () => {
    it('refuses a role that sees descendant tenants from a caller who sees their own tenant only, even with `*`', async () => {
      // when
      const byOrgAdmin = await api.request('/admin/roles', { as: 'city-org', body: roleBody('overseer', ['task:read'], { seesDescendants: true }) });
      const byAdmin = await api.request('/admin/roles', { as: 'city-admin', body: roleBody('overseer', ['task:read'], { seesDescendants: true }) });
      const bySupervisor = await api.request('/admin/roles', { as: 'city-super', body: roleBody('overseer', ['task:read'], { seesDescendants: true }) });
      // then
      for (const refused of [byOrgAdmin, byAdmin]) {
        expect(refused.status).to.equal(403);
        const message = await errorMessage(refused);
        expect(message).to.match(/^角色 overseer 不能超出你自己的数据权限/).and.contain('seesDescendants').and.contain('(the role');
      }
      expect(bySupervisor.status).to.equal(201);
      expect(await roleCodes('city-admin', '?code=overseer')).to.deep.equal([`${city}/overseer`]);
    });

    it('refuses a data scope wider than the caller’s own, naming both, and allows their own or a narrower one', async () => {
      // when
      const wider = await Promise.all(
        ['all', 'department-and-below', 'chosen-departments'].map((dataScope) =>
          api.request('/admin/roles', {
            as: 'city-department-org',
            body: roleBody(`wide-${dataScope}`, ['task:read'], { dataScope, departmentIds: dataScope === 'chosen-departments' ? [org.departmentId(city, 'cgj')] : undefined }),
          }),
        ),
      );
      const same = await api.request('/admin/roles', { as: 'city-department-org', body: roleBody('same-scope', ['task:read'], { dataScope: 'department' }) });
      const narrower = await api.request('/admin/roles', { as: 'city-department-org', body: roleBody('narrower-scope', ['task:read'], { dataScope: 'self' }) });
      // then
      for (const [index, refused] of wider.entries()) {
        expect(refused.status).to.equal(403);
        expect(await errorMessage(refused)).to.contain(['all', 'department-and-below', 'chosen-departments'][index]).and.contain("your own 'department'");
      }
      expect([same.status, narrower.status]).to.deep.equal([201, 201]);
      expect(await roleCodes('city-admin', '?code=wide-all')).to.deep.equal([]);
    });

    it('lets a caller keep the reach a role has beyond their own when editing it, but not widen it or hand the role out', async () => {
      // given: roles made by administrators who see more
      const overseer = await createRole('city-super', roleBody('district-overseer', ['task:read'], { seesDescendants: true }));
      const everything = await createRole('city-admin', roleBody('case-reader', ['task:read'], { dataScope: 'all' }));
      const ownScope = await createRole('city-department-org', roleBody('office-reader', ['task:read'], { dataScope: 'department' }));
      // when
      const kept = await api.request(`/admin/roles/${overseer.id}`, { as: 'city-org', method: 'PUT', body: roleBody('district-overseer', ['task:read'], { name: '巡查', seesDescendants: true }) });
      const narrowed = await api.request(`/admin/roles/${everything.id}`, { as: 'city-department-org', method: 'PUT', body: roleBody('case-reader', ['task:read'], { dataScope: 'department-and-below' }) });
      const widened = await api.request(`/admin/roles/${ownScope.id}`, { as: 'city-department-org', method: 'PUT', body: roleBody('office-reader', ['task:read'], { dataScope: 'all' }) });
      const madeToSeeDown = await api.request(`/admin/roles/${ownScope.id}`, { as: 'city-org', method: 'PUT', body: roleBody('office-reader', ['task:read'], { dataScope: 'department', seesDescendants: true }) });
      const handedToSelf = await api.request(`/admin/roles/${overseer.id}/users`, { as: 'city-org', method: 'PUT', body: { userIds: ['city-org'] } });
      const scopeToSelf = await api.request(`/admin/roles/${everything.id}/users`, { as: 'city-department-org', method: 'PUT', body: { userIds: ['city-department-org'] } });
      // then
      expect([kept.status, narrowed.status]).to.deep.equal([200, 200]);
      expect(widened.status).to.equal(403);
      expect(await errorMessage(widened)).to.contain("'all'");
      expect(madeToSeeDown.status).to.equal(403);
      expect(await errorMessage(madeToSeeDown)).to.contain('seesDescendants');
      expect(handedToSelf.status).to.equal(403);
      expect(await errorMessage(handedToSelf)).to.contain('seesDescendants');
      expect(scopeToSelf.status).to.equal(403);
      expect(await errorMessage(scopeToSelf)).to.contain("'department-and-below'");
      expect(await api.json<Role>(`/admin/roles/${ownScope.id}`, { as: 'city-admin' })).to.include({ dataScope: 'department', seesDescendants: false });
      expect(await api.json(`/admin/roles/${overseer.id}/users`, { as: 'city-admin' })).to.deep.equal([]);
      expect(await api.json(`/admin/roles/${everything.id}/users`, { as: 'city-admin' })).to.deep.equal([]);
    });
  });

  describe('departments beyond the caller', () => {
    it('lets a caller choose for a role only departments their own data scope covers, keep those it had, and hand out no role choosing others', async () => {
      // given: an administrator whose data scope is the bureau cgj and what lies below it, and a role choosing another bureau
      const chosen = (code: string) => ({ dataScope: 'chosen-departments', departmentIds: [org.departmentId(city, code)] });
      const elsewhere = await createRole('city-admin', roleBody('sjj-reader', ['task:read'], chosen('sjj')));
      // when
      const created = await api.request('/admin/roles', { as: 'city-bureau-org', body: roleBody('sjj-watcher', ['task:read'], chosen('sjj')) });
      const kept = await api.request(`/admin/roles/${elsewhere.id}`, { as: 'city-bureau-org', method: 'PUT', body: roleBody('sjj-reader', ['task:read'], { ...chosen('sjj'), name: '改名' }) });
      const handedOut = await api.request(`/admin/roles/${elsewhere.id}/users`, { as: 'city-bureau-org', method: 'PUT', body: { userIds: ['city-clerk'] } });
      // then
      expect(created.status).to.equal(403);
      expect(await errorMessage(created)).to.equal(
        "角色 sjj-watcher 不能超出你自己的数据权限：部门 sjj 不在你的数据范围内 (the role 'sjj-watcher' cannot see more than you do: the departments sjj, outside your own data scope)",
      );
      expect(kept.status).to.equal(200);
      expect(handedOut.status).to.equal(403);
      expect(await errorMessage(handedOut)).to.contain('the departments sjj');
      expect(await api.json(`/admin/roles/${elsewhere.id}/users`, { as: 'city-admin' })).to.deep.equal([]);
      expect((await createRole('city-bureau-org', roleBody('cgj-watcher', ['task:read'], chosen('cgj')))).departments.map((d) => d.code)).to.deep.equal(['cgj']);
    });
  });

  describe('holders', () => {
    it('lets nobody add themselves to a role or take themselves out', async () => {
      // given
      const role = await createRole('city-admin', roleBody('shift-reader', ['task:read']));
      await api.json(`/admin/roles/${role.id}/users`, { as: 'city-admin', method: 'PUT', body: { userIds: ['city-org'] } }, 204);
      // when
      const added = await api.request(`/admin/roles/${role.id}/users`, { as: 'city-admin', method: 'PUT', body: { userIds: ['city-org', 'city-admin'] } });
      const left = await api.request(`/admin/roles/${role.id}/users`, { as: 'city-org', method: 'PUT', body: { userIds: ['city-clerk'] } });
      const othersChanged = await api.request(`/admin/roles/${role.id}/users`, { as: 'city-org', method: 'PUT', body: { userIds: ['city-org', 'city-clerk'] } });
      // then
      for (const refused of [added, left]) {
        expect(refused.status).to.equal(403);
        expect(await errorMessage(refused)).to.equal('不能更改自己的角色成员身份，须由其他管理员修改 (you cannot add yourself to or remove yourself from a role: another administrator must)');
      }
      expect(othersChanged.status).to.equal(204);
      expect((await api.json<{ id: string }[]>(`/admin/roles/${role.id}/users`, { as: 'city-admin' })).map((user) => user.id)).to.deep.equal(['city-clerk', 'city-org']);
    });

    it('hands out no permission the grantor lacks when the role gains it at the same time', async () => {
      // given: city-org, who lacks audit:read
      const { engine } = fixture();
      const admin = (await api.principals.load('city-admin')) as Principal;
      const grantor = (await api.principals.load('city-org')) as Principal;
      const ways = [
        { holder: 'city-clerk', handOut: (roleId: string) => new SetRoleUsersCmd(grantor, roleId, ['city-clerk']) },
        { holder: 'city-clerk-2', handOut: (roleId: string) => new UpdateUserCmd(grantor, 'city-clerk-2', { roleIds: [roleId] }) },
      ];
      for (const [index, { holder, handOut }] of ways.entries()) {
        // and a role whose one permission city-org holds
        const role = await createRole('city-admin', roleBody(`growing-${index}`, ['task:read']));
        // when the role gains audit:read while city-org hands it out
        const outcomes = await runTogether(engine, [
          { command: new UpdateRoleCmd(admin, role.id, { code: role.code, name: role.name, dataScope: 'all', permissions: ['task:read', 'audit:read'] }), actor: actorOf(admin, null) },
          { command: handOut(role.id), actor: actorOf(grantor, null) },
        ]);
        // then one of them is refused: a conflict when both read the role before either wrote, else the grant rule
        expect(outcomes.filter((outcome) => outcome.status === 'rejected'), holder).to.have.length(1);
        const [granted] = await engine.database.read((sql) =>
          sql.select("SELECT COUNT(*) AS n FROM user_role ur JOIN role_permission rp ON rp.role_id = ur.role_id WHERE ur.user_id = $1 AND rp.permission = 'audit:read'", [holder]),
        );
        expect(Number(granted?.n), holder).to.equal(0);
      }
    });

    it('sets who holds a role, takes effect at once, and refuses to delete the role while anyone holds it', async () => {
      // given
      const role = await createRole('city-admin', roleBody('role-reader', ['role:read']));
      expect((await api.request('/admin/roles', { as: 'city-clerk' })).status).to.equal(403);
      // when
      await api.json(`/admin/roles/${role.id}/users`, { as: 'city-admin', method: 'PUT', body: { userIds: ['city-clerk', 'city-clerk-2'] } }, 204);
      // then: the principals were reloaded, not served from the cache
      expect((await api.request('/admin/roles', { as: 'city-clerk' })).status).to.equal(200);
      expect(await api.json(`/admin/roles/${role.id}/users`, { as: 'city-admin' })).to.deep.equal([
        { id: 'city-clerk', displayName: 'city-clerk' },
        { id: 'city-clerk-2', displayName: 'city-clerk-2' },
      ]);
      const refused = await api.request(`/admin/roles/${role.id}`, { as: 'city-admin', method: 'DELETE' });
      expect(refused.status).to.equal(409);
      expect(await errorMessage(refused)).to.contain('2 holders');
      await api.json(`/admin/roles/${role.id}/users`, { as: 'city-admin', method: 'PUT', body: { userIds: ['city-clerk'] } }, 204);
      await api.json(`/admin/roles/${role.id}/users`, { as: 'city-admin', method: 'PUT', body: { userIds: [] } }, 204);
      await api.json(`/admin/roles/${role.id}`, { as: 'city-admin', method: 'DELETE' }, 204);
      expect((await api.request(`/admin/roles/${role.id}`, { as: 'city-admin' })).status).to.equal(404);
      const grants = await fixture().engine.database.read((sql) => sql.select('SELECT * FROM role_permission WHERE role_id = $1', [role.id]));
      expect(grants).to.deep.equal([]);
      const audit = await auditOf(fixture().engine, role.id);
      expect(audit.map((row) => row.action)).to.deep.equal(['role.create', 'role.users', 'role.users', 'role.users', 'role.delete']);
      expect(JSON.parse(audit[2]!.detail)).to.deep.equal({ added: [], removed: ['city-clerk-2'] });
    });

    it('refuses holders from another tenant, naming them', async () => {
      const role = await createRole('city-admin', roleBody('inspector', ['task:read']));
      const response = await api.request(`/admin/roles/${role.id}/users`, { as: 'city-admin', method: 'PUT', body: { userIds: ['city-clerk', 'a-clerk'] } });
      expect(response.status).to.equal(400);
      expect(await errorMessage(response)).to.contain("'a-clerk'").and.not.contain("'city-clerk'");
      expect(await api.json(`/admin/roles/${role.id}/users`, { as: 'city-admin' })).to.deep.equal([]);
    });

    it('refuses to delete a role open tasks are offered to', async () => {
      // given
      const { engine } = fixture();
      const role = await createRole('city-admin', roleBody('shift-leader', ['task:read']));
      const xml = bpmn('offered_to_role', `<startEvent id="start"/>${flow('start', 'review')}<userTask id="review" camunda:candidateGroups="role:shift-leader"/>`);
      await engine.repositoryService.deploy({ name: 'offered', tenantId: city, resources: [{ name: 'offered.bpmn', content: xml }] });
      await engine.runtimeService.startProcessInstanceByKey('offered_to_role', { tenantId: city });
      // when
      const response = await api.request(`/admin/roles/${role.id}`, { as: 'city-admin', method: 'DELETE' });
      // then
      expect(response.status).to.equal(409);
      expect(await errorMessage(response)).to.contain('1 open tasks');
    });
  });

  describe('tenants', () => {
    it('shows each tenant only its own roles, and the city its counties’ only where a role grants it', async () => {
      expect((await roleCodes('a-admin')).every((code) => code.startsWith(`${countyA}/`))).to.equal(true);
      expect((await roleCodes('city-admin')).every((code) => code.startsWith(`${city}/`))).to.equal(true);
      const seenBySupervisor = await roleCodes('city-super');
      expect(seenBySupervisor).to.include.members([`${city}/admin`, `${countyA}/admin`, `${countyB}/admin`]);
      expect(await roleCodes('a-admin', `?tenantId=${countyB}`)).to.deep.equal([]);
    });

    it('answers 404 for another tenant’s role and leaves it as it was', async () => {
      // given
      const [countyBAdmin] = await api.json<Role[]>('/admin/roles?code=admin', { as: 'b-admin' });
      const id = countyBAdmin!.id;
      // when
      const attempts = [
        await api.request(`/admin/roles/${id}`, { as: 'a-admin' }),
        await api.request(`/admin/roles/${id}/users`, { as: 'a-admin' }),
        await api.request(`/admin/roles/${id}`, { as: 'city-admin', method: 'PUT', body: roleBody('hijacked', ['*']) }),
        await api.request(`/admin/roles/${id}/users`, { as: 'a-admin', method: 'PUT', body: { userIds: ['a-admin'] } }),
        await api.request(`/admin/roles/${id}`, { as: 'a-admin', method: 'DELETE' }),
        await api.request('/admin/roles', { as: 'a-admin', body: roleBody('planted', [], { tenantId: countyB }) }),
      ];
      // then
      expect(attempts.map((response) => response.status)).to.deep.equal([404, 404, 404, 404, 404, 404]);
      expect(await api.json<Role>(`/admin/roles/${id}`, { as: 'b-admin' })).to.include({ code: 'admin', userCount: 1 });
      expect(await roleCodes('b-admin', '?code=planted')).to.deep.equal([]);
    });

    it('lets a supervisor who sees the counties create a role in one', async () => {
      const role = await createRole('city-super', roleBody('county-helper', ['task:read'], { tenantId: countyA }));
      expect(role.tenantId).to.equal(countyA);
      expect(await roleCodes('a-admin', '?code=county-helper')).to.deep.equal([`${countyA}/county-helper`]);
    });
  });

  describe('bad requests', () => {
    it('answers 401 without credentials and 403 without the permission, on every route', async () => {
      const routes: [string, string, unknown?][] = [
        ['GET', '/admin/permissions'],
        ['POST', '/admin/permissions', { id: 'x:y', kind: 'action', nameZh: 'x', nameEn: 'x' }],
        ['PUT', '/admin/permissions/x:y', { kind: 'action', nameZh: 'x', nameEn: 'x' }],
        ['DELETE', '/admin/permissions/x:y'],
        ['GET', '/admin/roles'],
        ['GET', '/admin/roles/count'],
        ['GET', '/admin/roles/some-id'],
        ['POST', '/admin/roles', roleBody('x', [])],
        ['PUT', '/admin/roles/some-id', roleBody('x', [])],
        ['DELETE', '/admin/roles/some-id'],
        ['GET', '/admin/roles/some-id/users'],
        ['PUT', '/admin/roles/some-id/users', { userIds: [] }],
      ];
      for (const [method, path, body] of routes) {
        expect((await api.request(path, { as: 'city-reader', method, body })).status, `${method} ${path}`).to.equal(403);
        expect((await api.request(path, { as: null, method, body })).status, `${method} ${path}`).to.equal(401);
      }
    });

    it('answers 400 to SQL-looking and oversized filters, and to unknown ones', async () => {
      const injection = encodeURIComponent("x' OR '1'='1");
      const huge = 'x'.repeat(10_000);
      for (const parameter of ['tenantId', 'code', 'nameLike', 'dataScope', 'permission', 'sortBy', 'firstResult']) {
        for (const value of [injection, huge]) {
          if (parameter === 'nameLike' && value === injection) continue;
          const response = await api.request(`/admin/roles?${parameter}=${value}`, { as: 'city-admin' });
          expect(response.status, `${parameter}=${value.slice(0, 20)}`).to.equal(400);
        }
      }
      // a name filter is free text: bound as a value, it matches nothing
      expect(await api.json(`/admin/roles?nameLike=${injection}`, { as: 'city-admin' })).to.deep.equal([]);
      expect((await api.request('/admin/roles?where=1', { as: 'city-admin' })).status).to.equal(400);
      expect((await api.request(`/admin/permissions?source=${injection}`, { as: 'city-admin' })).status).to.equal(400);
    });
  });
});
