import type { Command, CommandContext } from '../../command/index.js';
import { BadUserRequestError, ConflictError, ForbiddenError } from '../../errors/index.js';
import { DEPARTMENT, PERMISSION, ROLE, ROLE_DEPARTMENT, ROLE_PERMISSION, USER_ROLE, placeholders, type DataScopeKind, type DbSession, type DepartmentEntity, type RoleEntity } from '../../persistence/index.js';
import { ALL_PERMISSIONS, type Principal } from '../access.js';
import { joinEn, joinZh, permissionsBeyond, reachBeyond, type RoleReach } from '../grants.js';
import { applyChanges, checkCode, checkCodeFree, countUnscoped, describeRemaining, guardRows, idsIn, NOUNS, openTasksOfferedTo, requireRow, targetTenant } from '../organisation/rules.js';
import { difference, refuseOwnMembership, replaceRows, usersOfTenant } from './memberships.js';

export const DATA_SCOPES: readonly DataScopeKind[] = ['all', 'department-and-below', 'department', 'self', 'chosen-departments'];

/** What an administrator sets on a role; `departmentIds` only with the data scope `chosen-departments`. */
export interface RoleInput {
  readonly code: string;
  readonly name: string;
  readonly dataScope: DataScopeKind;
  readonly seesDescendants?: boolean;
  readonly permissions: readonly string[];
  readonly departmentIds?: readonly string[];
}

/**
 * A new role in the caller's tenant or one they see. Its permissions must be in the catalogue and
 * held by the caller (`grantor`), and it sees no more than they do (`identity/grants.ts`): nobody
 * hands out more than they may do themselves.
 */
export class CreateRoleCmd implements Command<RoleEntity> {
  readonly name = 'CreateRole';

  constructor(
    private readonly grantor: Principal,
    private readonly input: RoleInput & { readonly tenantId?: string },
  ) {}

  async execute(context: CommandContext): Promise<RoleEntity> {
    const { session } = context;
    const { code, name, dataScope, seesDescendants = false } = this.input;
    const tenantId = (await targetTenant(context, this.input.tenantId)).id;
    checkCode(code, NOUNS.role);
    await checkCodeFree(session, ROLE, NOUNS.role, tenantId, code, null);
    const permissions = await checkGrants(session, this.grantor, this.input.permissions, []);
    const departments = await chosenDepartments(session, tenantId, this.input);
    refuseWiderReach(this.grantor, code, { dataScope, seesDescendants, departments });
    const departmentIds = departments.map((department) => department.id);
    const role = session.insert(ROLE, { id: context.newId(), rev: 1, tenantId, code, name, dataScope, seesDescendants, created: context.now() });
    for (const permission of permissions) session.insert(ROLE_PERMISSION, { id: context.newId(), roleId: role.id, permission });
    for (const departmentId of departmentIds) session.insert(ROLE_DEPARTMENT, { id: context.newId(), roleId: role.id, departmentId });
    context.audit({ action: 'role.create', objectType: 'role', objectId: role.id, tenantId: role.tenantId, detail: { tenantId, code, name, dataScope, seesDescendants, permissions, departmentIds } });
    return role;
  }
}

/**
 * Replaces what a role is: code, name, data scope, permissions, chosen departments; its tenant
 * stays. The code cannot change while open tasks are offered to `role:<code>`: they would be
 * offered to nobody. The role's row changes with every edit, so an edit and a concurrent hand-out
 * of the role (which changes the row too) cannot both commit: the hand-out was checked against the
 * role as it was.
 */
export class UpdateRoleCmd implements Command<RoleEntity> {
  readonly name = 'UpdateRole';

  constructor(
    private readonly grantor: Principal,
    private readonly roleId: string,
    private readonly input: RoleInput,
  ) {}

  async execute(context: CommandContext): Promise<RoleEntity> {
    const { session } = context;
    const { code, name, dataScope, seesDescendants = false } = this.input;
    const role = await requireRow(session, ROLE, this.roleId, NOUNS.role);
    if (code !== role.code) await checkNewCode(session, role, code);
    const grants = await session.select(ROLE_PERMISSION, 'role_id = $1', [role.id]);
    const permissions = await checkGrants(session, this.grantor, this.input.permissions, grants.map((grant) => grant.permission));
    const chosen = await session.select(ROLE_DEPARTMENT, 'role_id = $1', [role.id]);
    const departments = await chosenDepartments(session, role.tenantId, this.input);
    refuseWiderReach(this.grantor, code, { dataScope, seesDescendants, departments }, { ...role, departments: await departmentsChosenBy(session, role) });
    const departmentIds = departments.map((department) => department.id);
    const changed = applyChanges(role, { code, name, dataScope, seesDescendants });
    guardRows([role]);
    const permissionChanges = replaceRows(grants.map((grant) => ({ row: grant, key: grant.permission })), permissions, {
      add: (permission) => session.insert(ROLE_PERMISSION, { id: context.newId(), roleId: role.id, permission }),
      remove: (grant) => session.delete(ROLE_PERMISSION, grant),
    });
    const departmentChanges = replaceRows(chosen.map((row) => ({ row, key: row.departmentId })), departmentIds, {
      add: (departmentId) => session.insert(ROLE_DEPARTMENT, { id: context.newId(), roleId: role.id, departmentId }),
      remove: (row) => session.delete(ROLE_DEPARTMENT, row),
    });
    context.audit({ action: 'role.update', objectType: 'role', objectId: role.id, tenantId: role.tenantId, detail: { ...changed, permissions: permissionChanges, departments: departmentChanges } });
    return role;
  }
}

/** Removes a role that nobody holds and no open task is offered to, with its grants and chosen departments. */
export class DeleteRoleCmd implements Command<void> {
  readonly name = 'DeleteRole';

  constructor(private readonly roleId: string) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const role = await requireRow(session, ROLE, this.roleId, NOUNS.role);
    const remaining = describeRemaining([
      { count: await countUnscoped(session.sql, 'SELECT COUNT(*) AS n FROM user_role WHERE role_id = $1', [role.id]), zh: '用户', en: 'holders' },
      { count: await openTasksOfferedTo(session.sql, `role:${role.code}`, role.tenantId), zh: '待办任务', en: 'open tasks' },
    ]);
    if (remaining) throw new ConflictError(`角色 ${role.name}(${role.code}) 不能删除：${remaining}`);
    session.delete(ROLE, role);
    session.addStatement('DELETE FROM role_permission WHERE role_id = $1', [role.id]);
    session.addStatement('DELETE FROM role_department WHERE role_id = $1', [role.id]);
    context.audit({ action: 'role.delete', objectType: 'role', objectId: role.id, tenantId: role.tenantId, detail: { tenantId: role.tenantId, code: role.code, name: role.name } });
  }
}

/**
 * Sets who holds a role: users of the role's tenant only, the caller's own holding left as it is.
 * Handing a role out grants its permissions and its reach, so the caller must hold every one of
 * them and see as far; the role's row is guarded, so an edit of the role meanwhile fails one of
 * the two commands.
 */
export class SetRoleUsersCmd implements Command<void> {
  readonly name = 'SetRoleUsers';

  constructor(
    private readonly grantor: Principal,
    private readonly roleId: string,
    private readonly userIds: readonly string[],
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const role = await requireRow(session, ROLE, this.roleId, NOUNS.role);
    const grants = await session.select(ROLE_PERMISSION, 'role_id = $1', [role.id]);
    refuseEscalation(this.grantor, grants.map((grant) => grant.permission));
    refuseWiderReach(this.grantor, role.code, { ...role, departments: await departmentsChosenBy(session, role) });
    const users = await usersOfTenant(session, role.tenantId, this.userIds);
    const holders = await session.select(USER_ROLE, 'role_id = $1', [role.id]);
    refuseOwnMembership(this.grantor.userId, difference(holders.map((row) => row.userId), users.map((user) => user.id)), NOUNS.role);
    guardRows([role]);
    const changes = replaceRows(holders.map((row) => ({ row, key: row.userId })), users.map((user) => user.id), {
      add: (userId) => session.insert(USER_ROLE, { id: context.newId(), userId, roleId: role.id, tenantId: role.tenantId }),
      remove: (row) => session.delete(USER_ROLE, row),
    });
    context.audit({ action: 'role.users', objectType: 'role', objectId: role.id, tenantId: role.tenantId, detail: changes });
  }
}

async function checkNewCode(session: DbSession, role: RoleEntity, code: string): Promise<void> {
  checkCode(code, NOUNS.role);
  await checkCodeFree(session, ROLE, NOUNS.role, role.tenantId, code, role.id);
  const tasks = await openTasksOfferedTo(session.sql, `role:${role.code}`, role.tenantId);
  if (tasks > 0) {
    throw new ConflictError(`角色 ${role.name}(${role.code}) 仍有 ${tasks} 个待办任务，编码不能修改 (${tasks} open tasks are offered to 'role:${role.code}'; its code cannot change until they are done)`);
  }
}

/**
 * The permissions a role is to grant, checked: each in the catalogue (a typo is a 400, not a
 * silently useless grant), and each one it did not grant before held by the grantor — `*` only
 * by a holder of `*` — so no administrator can make a role more powerful than themselves.
 */
async function checkGrants(session: DbSession, grantor: Principal, wanted: readonly string[], current: readonly string[]): Promise<string[]> {
  const permissions = [...new Set(wanted)];
  const named = permissions.filter((permission) => permission !== ALL_PERMISSIONS);
  const known = new Set(named.length === 0 ? [] : (await session.select(PERMISSION, `id IN (${placeholders(named.length)})`, named)).map((row) => row.id));
  const unknown = named.filter((permission) => !known.has(permission)).join(', ');
  if (unknown) throw new BadUserRequestError(`权限不存在：${unknown} (unknown permissions: ${unknown})`);
  refuseEscalation(grantor, difference(current, permissions).added);
  return permissions;
}

function refuseEscalation(grantor: Principal, granted: readonly string[]): void {
  const beyond = permissionsBeyond(grantor, granted).join(', ');
  if (beyond) throw new ForbiddenError(`不能授予自己没有的权限：${beyond} (you cannot grant permissions you do not hold: ${beyond})`);
}

/** A role may not let its holders see more than its grantor sees: neither descendant tenants they do not see, nor a wider data scope, nor departments outside their own. */
function refuseWiderReach(grantor: Principal, code: string, reach: RoleReach, current?: RoleReach): void {
  const beyond = reachBeyond(grantor, reach, current);
  if (beyond.length > 0) {
    throw new ForbiddenError(`角色 ${code} 不能超出你自己的数据权限：${joinZh(beyond)} (the role '${code}' cannot see more than you do: ${joinEn(beyond)})`);
  }
}

/** The chosen departments of a `chosen-departments` role: at least one, each a department of the role's tenant. */
async function chosenDepartments(session: DbSession, tenantId: string, input: RoleInput): Promise<DepartmentEntity[]> {
  const wanted = [...new Set(input.departmentIds ?? [])];
  if (input.dataScope !== 'chosen-departments') {
    if (wanted.length > 0) {
      throw new BadUserRequestError(`只有数据范围为 chosen-departments 的角色才能指定部门 (departments are chosen only with the data scope 'chosen-departments', not '${input.dataScope}')`);
    }
    return [];
  }
  if (wanted.length === 0) throw new BadUserRequestError('数据范围 chosen-departments 须至少指定一个部门 (the data scope chosen-departments needs at least one department)');
  const found = new Map((await session.select(DEPARTMENT, `tenant_id = $1 AND id IN (${placeholders(wanted.length, 1)})`, [tenantId, ...wanted])).map((department) => [department.id, department]));
  const strangers = wanted.filter((id) => !found.has(id)).join(', ');
  if (strangers) throw new BadUserRequestError(`部门 ${strangers} 不是租户 ${tenantId} 的部门 (departments ${strangers} do not exist in tenant ${tenantId})`);
  return wanted.map((id) => found.get(id) as DepartmentEntity);
}

/** The departments a role has chosen now. */
async function departmentsChosenBy(session: DbSession, role: RoleEntity): Promise<DepartmentEntity[]> {
  const { where, bind } = idsIn('id', (await session.select(ROLE_DEPARTMENT, 'role_id = $1', [role.id])).map((row) => row.departmentId));
  return session.select(DEPARTMENT, where, bind);
}
