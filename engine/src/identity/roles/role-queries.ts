import { DEPARTMENT, ROLE, ROLE_DEPARTMENT, ROLE_PERMISSION, USER, USER_ROLE, placeholders, type DataScopeKind, type DbSession, type RoleDepartmentEntity, type RoleEntity, type RolePermissionEntity } from '../../persistence/index.js';
import { Filter, orderAndPage, type Page, type Sorting } from '../../services/query.js';
import { NOUNS, requireRow } from '../organisation/rules.js';

export type RoleSortKey = 'code' | 'name' | 'created';

const ROLE_SORT: Record<RoleSortKey, string> = { code: 'code', name: 'name', created: 'created' };

export interface RoleQuery extends Page, Sorting<RoleSortKey> {
  readonly tenantId?: string;
  readonly code?: string;
  /** a LIKE pattern (`%调度%`) */
  readonly nameLike?: string;
  readonly dataScope?: DataScopeKind;
  /** roles granting this permission */
  readonly permission?: string;
}

export type RoleView = Omit<RoleEntity, 'rev'>;

export interface RoleDetail extends RoleView {
  readonly permissions: string[];
  /** the chosen departments of a `chosen-departments` role */
  readonly departments: { id: string; code: string; name: string }[];
  readonly userCount: number;
}

/** Roles of the tenants the session sees. */
export async function listRoles(session: DbSession, query: RoleQuery): Promise<RoleView[]> {
  const filter = roleFilter(query);
  const roles = await session.select(ROLE, filter.where, filter.bindings, orderAndPage(query, ROLE_SORT, 'code', query));
  return roles.map(roleView);
}

export function countRoles(session: DbSession, query: RoleQuery): Promise<number> {
  const filter = roleFilter(query);
  return session.count(ROLE, filter.where, filter.bindings);
}

/** A role with what it grants, its chosen departments and how many hold it. */
export async function getRole(session: DbSession, id: string): Promise<RoleDetail> {
  const role = await requireRow(session, ROLE, id, NOUNS.role);
  const [grants, chosen] = await session.selectMany<[RolePermissionEntity, RoleDepartmentEntity]>([
    { table: ROLE_PERMISSION, where: 'role_id = $1', bind: [id], suffix: 'ORDER BY permission' },
    { table: ROLE_DEPARTMENT, where: 'role_id = $1', bind: [id] },
  ]);
  const departmentIds = chosen.map((row) => row.departmentId);
  const departments = departmentIds.length === 0 ? [] : await session.select(DEPARTMENT, `id IN (${placeholders(departmentIds.length)})`, departmentIds, 'ORDER BY code');
  return {
    ...roleView(role),
    permissions: grants.map((grant) => grant.permission),
    departments: departments.map(({ id: departmentId, code, name }) => ({ id: departmentId, code, name })),
    userCount: await session.count(USER_ROLE, 'role_id = $1', [id]),
  };
}

/** Who holds a role, by id. */
export async function usersOfRole(session: DbSession, id: string): Promise<{ id: string; displayName: string }[]> {
  await requireRow(session, ROLE, id, NOUNS.role);
  const users = await session.select(USER, 'id IN (SELECT user_id FROM user_role WHERE role_id = $1)', [id], 'ORDER BY id');
  return users.map((user) => ({ id: user.id, displayName: user.displayName }));
}

function roleFilter(query: RoleQuery): Filter {
  const filter = new Filter().equals('tenant_id', query.tenantId).equals('code', query.code).like('name', query.nameLike).equals('data_scope', query.dataScope);
  if (query.permission !== undefined) filter.raw('id IN (SELECT role_id FROM role_permission WHERE permission = ?)', query.permission);
  return filter;
}

function roleView({ rev: _rev, ...role }: RoleEntity): RoleView {
  return role;
}
