import { timeOrderedId } from '../command/ids.js';
import { hashPassword } from '../identity/authentication/passwords.js';
import {
  DbSession,
  DEPARTMENT,
  GROUP_MEMBER,
  POST,
  ROLE,
  ROLE_DEPARTMENT,
  ROLE_PERMISSION,
  TENANT,
  USER,
  USER_DEPARTMENT,
  USER_GROUP,
  USER_POST,
  USER_ROLE,
  type DataScopeKind,
  type TenantLevel,
} from '../persistence/index.js';
import type { ProcessEngine } from '../services/index.js';

/** The password of every fixture user: meets the default policy. */
export const TEST_USER_PASSWORD = 'Fixture-Passw0rd';

export interface OrganisationFixture {
  readonly tenants?: readonly { id: string; name: string; level: TenantLevel; parentId?: string }[];
  /** departments in creation order; `parent` and `leader` by code and user id */
  readonly departments?: readonly { tenantId: string; code: string; name: string; parent?: string; leader?: string }[];
  readonly posts?: readonly { tenantId: string; code: string; name: string }[];
  readonly roles?: readonly {
    tenantId: string;
    code: string;
    name?: string;
    permissions: readonly string[];
    dataScope?: DataScopeKind;
    seesDescendants?: boolean;
    /** department codes, for chosen-departments */
    departments?: readonly string[];
  }[];
  readonly groups?: readonly { tenantId: string; code: string; name?: string }[];
  /** `departments` by code, the first is the primary one; posts, roles and groups by code in the user's tenant */
  readonly users?: readonly {
    id: string;
    tenantId: string;
    name?: string;
    departments?: readonly string[];
    posts?: readonly string[];
    roles?: readonly string[];
    groups?: readonly string[];
  }[];
}

/** What the fixture created, to look ids up by code. */
export interface BuiltOrganisation {
  departmentId(tenantId: string, code: string): string;
}

/**
 * Writes an organisation straight into the tables in one transaction, for tests that need people,
 * departments and roles to exist (the admin API's own tests go through its commands instead).
 */
export async function buildOrganisation(engine: ProcessEngine, fixture: OrganisationFixture): Promise<BuiltOrganisation> {
  const passwordHash = await hashPassword(TEST_USER_PASSWORD);
  const ids = new Map<string, string>();
  const idOf = (kind: string, tenantId: string, code: string): string => {
    const id = ids.get(`${kind}:${tenantId}:${code}`);
    if (!id) throw new Error(`the fixture names the unknown ${kind} '${code}' in tenant ${tenantId}`);
    return id;
  };
  const created = new Date();
  await engine.database.transaction(async (sql) => {
    const session = new DbSession(sql);
    const existingTenants = await session.select(TENANT, '1 = 1', []);
    const tenantPaths = new Map(existingTenants.map((tenant) => [tenant.id, tenant.path]));
    for (const tenant of fixture.tenants ?? []) {
      if (tenantPaths.has(tenant.id)) continue;
      const parentPath = tenant.parentId ? tenantPaths.get(tenant.parentId) : '/';
      if (parentPath === undefined) throw new Error(`the fixture's tenant ${tenant.id} names the unknown parent ${tenant.parentId}`);
      const path = `${parentPath}${tenant.id}/`;
      tenantPaths.set(tenant.id, path);
      session.insert(TENANT, { id: tenant.id, rev: 1, name: tenant.name, level: tenant.level, regionCode: tenant.id, parentId: tenant.parentId ?? null, path, enabled: true, created });
    }
    const departmentPaths = new Map<string, string>();
    for (const department of fixture.departments ?? []) {
      const id = timeOrderedId();
      const parentId = department.parent ? idOf('department', department.tenantId, department.parent) : null;
      const path = `${parentId ? departmentPaths.get(parentId) : '/'}${id}/`;
      ids.set(`department:${department.tenantId}:${department.code}`, id);
      departmentPaths.set(id, path);
      session.insert(DEPARTMENT, {
        id, rev: 1, tenantId: department.tenantId, parentId, code: department.code, name: department.name, leaderUserId: department.leader ?? null,
        path, sortOrder: 0, created,
      });
    }
    for (const post of fixture.posts ?? []) {
      const id = timeOrderedId();
      ids.set(`post:${post.tenantId}:${post.code}`, id);
      session.insert(POST, { id, rev: 1, tenantId: post.tenantId, code: post.code, name: post.name, created });
    }
    for (const role of fixture.roles ?? []) {
      const id = timeOrderedId();
      ids.set(`role:${role.tenantId}:${role.code}`, id);
      session.insert(ROLE, {
        id, rev: 1, tenantId: role.tenantId, code: role.code, name: role.name ?? role.code, dataScope: role.dataScope ?? 'all',
        seesDescendants: role.seesDescendants ?? false, created,
      });
      for (const permission of role.permissions) session.insert(ROLE_PERMISSION, { id: timeOrderedId(), roleId: id, permission });
      for (const code of role.departments ?? []) {
        session.insert(ROLE_DEPARTMENT, { id: timeOrderedId(), roleId: id, departmentId: idOf('department', role.tenantId, code) });
      }
    }
    for (const group of fixture.groups ?? []) {
      const id = timeOrderedId();
      ids.set(`group:${group.tenantId}:${group.code}`, id);
      session.insert(USER_GROUP, { id, rev: 1, tenantId: group.tenantId, code: group.code, name: group.name ?? group.code, created });
    }
    for (const user of fixture.users ?? []) {
      const { tenantId } = user;
      session.insert(USER, {
        id: user.id, rev: 1, tenantId, displayName: user.name ?? user.id, firstName: null, lastName: null, email: null, phone: null, passwordHash,
        passwordChanged: created, mustChangePassword: false, failedLogins: 0, lockedUntil: null, enabled: true, created,
      });
      (user.departments ?? []).forEach((code, index) => {
        session.insert(USER_DEPARTMENT, { id: timeOrderedId(), userId: user.id, departmentId: idOf('department', tenantId, code), tenantId, primary: index === 0 });
      });
      for (const code of user.posts ?? []) session.insert(USER_POST, { id: timeOrderedId(), userId: user.id, postId: idOf('post', tenantId, code), tenantId });
      for (const code of user.roles ?? []) session.insert(USER_ROLE, { id: timeOrderedId(), userId: user.id, roleId: idOf('role', tenantId, code), tenantId });
      for (const code of user.groups ?? []) session.insert(GROUP_MEMBER, { id: timeOrderedId(), groupId: idOf('group', tenantId, code), userId: user.id });
    }
    await session.flush();
  });
  return { departmentId: (tenantId, code) => idOf('department', tenantId, code) };
}

/**
 * Five tenants to test isolation with: the national root, the region, the city and two of its
 * counties (siblings). Tenants that exist already (the root, made at first start) are skipped.
 */
export const TENANT_TREE = {
  root: '100000',
  region: '450000',
  city: '450200',
  countyA: '450222',
  countyB: '450223',
} as const;

export const TENANT_TREE_FIXTURE: OrganisationFixture['tenants'] = [
  { id: TENANT_TREE.root, name: '全国', level: 'national' },
  { id: TENANT_TREE.region, name: '广西壮族自治区', level: 'regional', parentId: TENANT_TREE.root },
  { id: TENANT_TREE.city, name: '柳州市', level: 'city', parentId: TENANT_TREE.region },
  { id: TENANT_TREE.countyA, name: '柳城县', level: 'county', parentId: TENANT_TREE.city },
  { id: TENANT_TREE.countyB, name: '鹿寨县', level: 'county', parentId: TENANT_TREE.city },
];
