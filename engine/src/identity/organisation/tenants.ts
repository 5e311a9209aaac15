import type { Command, CommandContext } from '../../command/index.js';
import { BadUserRequestError, ConflictError } from '../../errors/index.js';
import {
  DEPARTMENT,
  GROUP_MEMBER,
  POST,
  ROLE,
  ROLE_DEPARTMENT,
  ROLE_PERMISSION,
  TENANT,
  USER_GROUP,
  type DbSession,
  type TenantEntity,
  type TenantLevel,
} from '../../persistence/index.js';
import { applyChanges, checkPattern, childPath, countUnscoped, guardRows, remainingParts, idsIn, requireTenant, TENANT_ID_PATTERN, TENANT_LEVELS } from './rules.js';

/** The longest tenant path the column holds: 36 levels of six-digit codes, far deeper than any administration. */
const MAX_TENANT_PATH = 255;

export interface TenantView {
  readonly id: string;
  readonly name: string;
  readonly level: TenantLevel;
  readonly regionCode: string;
  readonly parentId: string | null;
  readonly enabled: boolean;
  readonly created: Date;
}

export function tenantView(tenant: TenantEntity): TenantView {
  const { id, name, level, regionCode, parentId, enabled, created } = tenant;
  return { id, name, level, regionCode, parentId, enabled, created };
}

/**
 * The tenants the session's caller sees, parents before their children (paths sorted: every
 * descendant's path starts with its ancestor's, so a subtree follows its root).
 */
export async function listTenants(session: DbSession): Promise<TenantView[]> {
  const tenants = await session.select(TENANT, '1 = 1', []);
  return tenants.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map(tenantView);
}

export async function getTenant(session: DbSession, id: string): Promise<TenantView> {
  return tenantView(await requireTenant(session, id));
}

export interface NewTenant {
  readonly id: string;
  readonly name: string;
  readonly level: TenantLevel;
  /** required unless the caller sees every tenant (the platform's root administrator) */
  readonly parentId?: string | null;
}

/** A tenant under a parent the caller sees (or at the top, by the platform administrator); the parent is guarded (see `MoveTenantCmd`). */
export class CreateTenantCmd implements Command<TenantView> {
  readonly name = 'CreateTenant';

  constructor(private readonly input: NewTenant) {}

  async execute(context: CommandContext): Promise<TenantView> {
    const { id, name, level, parentId = null } = this.input;
    checkPattern(id, TENANT_ID_PATTERN, 'tenant id', 'a six-digit GB/T 2260 region code');
    const { session } = context;
    if (parentId === null && session.scope !== null) {
      throw new BadUserRequestError('须指定上级租户 (a new tenant needs a parent: only the platform administrator creates top-level tenants)');
    }
    const parent = parentId === null ? null : await requireTenant(session, parentId);
    if (parent) {
      checkLevelBelow(level, parent);
      guardRows([parent]);
    }
    if ((await countUnscoped(session.sql, 'SELECT COUNT(*) AS n FROM tenant WHERE id = $1', [id])) > 0) {
      throw new ConflictError(`租户 ${id} 已存在 (tenant '${id}' already exists)`);
    }
    const tenant = session.insert(TENANT, {
      id, rev: 1, name, level, regionCode: id, parentId, path: checkedPath(childPath(parent?.path ?? null, id)), enabled: true, created: context.now(),
    });
    context.audit({ action: 'tenant.create', objectType: 'tenant', objectId: id, detail: { name, level, parentId } });
    return tenantView(tenant);
  }
}

export interface TenantChanges {
  readonly name?: string;
  readonly enabled?: boolean;
}

export class UpdateTenantCmd implements Command<TenantView> {
  readonly name = 'UpdateTenant';

  constructor(
    private readonly id: string,
    private readonly changes: TenantChanges,
  ) {}

  async execute(context: CommandContext): Promise<TenantView> {
    const tenant = await requireTenant(context.session, this.id);
    if (this.changes.enabled === false && context.actor?.tenantId === tenant.id) {
      throw new BadUserRequestError(`不能停用自己所在的租户 (you cannot disable your own tenant '${tenant.id}')`);
    }
    const changed = applyChanges(tenant, this.changes);
    if (Object.keys(changed).length > 0) context.audit({ action: 'tenant.update', objectType: 'tenant', objectId: tenant.id, detail: changed });
    return tenantView(tenant);
  }
}

/**
 * Moves a tenant and its whole subtree under another parent; the subtree's paths follow in the
 * same command. As with departments, the new parent is guarded and the subtree rewritten, so a
 * concurrent move that would close a loop, or a tenant created under the moving subtree, fails
 * one of the two commands (409) instead of both committing.
 */
export class MoveTenantCmd implements Command<TenantView> {
  readonly name = 'MoveTenant';

  constructor(
    private readonly id: string,
    private readonly parentId: string,
  ) {}

  async execute(context: CommandContext): Promise<TenantView> {
    const { session } = context;
    const tenant = await requireTenant(session, this.id);
    const parent = await requireTenant(session, this.parentId);
    if (parent.path.startsWith(tenant.path)) {
      throw new BadUserRequestError(
        `不能把租户 ${tenant.name}(${tenant.id}) 移到它自己或其下级 ${parent.name}(${parent.id}) 之下 (moving tenant '${tenant.id}' under '${parent.id}' would make a cycle: '${parent.id}' is ${parent.id === tenant.id ? 'the tenant itself' : 'one of its descendants'})`,
      );
    }
    checkLevelBelow(tenant.level, parent);
    if (tenant.parentId === parent.id) return tenantView(tenant);
    const from = tenant.parentId;
    guardRows([parent]);
    // the caller sees whole subtrees (a role's descendants, or everything), so the scoped read finds every descendant
    const subtree = await session.select(TENANT, 'path LIKE $1', [`${tenant.path}%`]);
    const oldPrefix = tenant.path;
    const newPrefix = childPath(parent.path, tenant.id);
    for (const member of subtree) member.path = checkedPath(newPrefix + member.path.slice(oldPrefix.length));
    tenant.parentId = parent.id;
    context.audit({ action: 'tenant.move', objectType: 'tenant', objectId: tenant.id, detail: { parentId: { from, to: parent.id }, subtree: subtree.length } });
    return tenantView(tenant);
  }
}

/**
 * Deletes a tenant that holds nothing of value any more: no child tenants, users or process data.
 * Its organisation scaffolding (departments, posts, roles, groups) goes with it.
 */
export class DeleteTenantCmd implements Command<void> {
  readonly name = 'DeleteTenant';

  constructor(private readonly id: string) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const tenant = await requireTenant(session, this.id);
    const remaining = remainingParts(await whatKeepsTenant(session, tenant.id));
    if (remaining) throw new ConflictError(`租户 ${tenant.name}(${tenant.id}) 不能删除：仍有 ${remaining.zh} (tenant '${tenant.id}' cannot be deleted: ${remaining.en} remain)`);
    const removed = await deleteOrganisationOf(session, tenant.id);
    session.addStatement('DELETE FROM tenant_file_policy WHERE tenant_id = $1', [tenant.id]);
    session.delete(TENANT, tenant);
    context.audit({ action: 'tenant.delete', objectType: 'tenant', objectId: tenant.id, detail: { name: tenant.name, removed } });
  }
}

async function whatKeepsTenant(session: DbSession, tenantId: string) {
  const count = (query: string) => countUnscoped(session.sql, query, [tenantId]);
  return [
    { count: await count('SELECT COUNT(*) AS n FROM tenant WHERE parent_id = $1'), zh: '下级租户', en: 'child tenants' },
    { count: await count('SELECT COUNT(*) AS n FROM app_user WHERE tenant_id = $1'), zh: '用户', en: 'users' },
    { count: await count('SELECT COUNT(*) AS n FROM api_token WHERE tenant_id = $1'), zh: 'API 密钥', en: 'API keys' },
    { count: await count('SELECT COUNT(*) AS n FROM deployment WHERE tenant_id = $1'), zh: '流程部署', en: 'deployments' },
    { count: await count('SELECT COUNT(*) AS n FROM hi_process_instance WHERE tenant_id = $1'), zh: '流程实例', en: 'process instances' },
    // a tenant created again with the same region code must not find these waiting for it
    { count: await count('SELECT COUNT(*) AS n FROM form_definition WHERE tenant_id = $1'), zh: '表单', en: 'forms' },
    { count: await count('SELECT COUNT(*) AS n FROM stored_file WHERE tenant_id = $1'), zh: '上传的文件', en: 'uploaded files' },
    { count: await count('SELECT COUNT(*) AS n FROM dictionary WHERE tenant_id = $1'), zh: '字典', en: 'dictionaries' },
  ];
}

/** Removes the departments, posts, roles and groups of a tenant with their links; how many of each. */
async function deleteOrganisationOf(session: DbSession, tenantId: string): Promise<Record<string, number>> {
  const [departments, posts, roles, groups] = await session.selectMany([
    { table: DEPARTMENT, where: 'tenant_id = $1', bind: [tenantId] },
    { table: POST, where: 'tenant_id = $1', bind: [tenantId] },
    { table: ROLE, where: 'tenant_id = $1', bind: [tenantId] },
    { table: USER_GROUP, where: 'tenant_id = $1', bind: [tenantId] },
  ] as const);
  const roleIds = roles.map((role) => role.id);
  const groupIds = groups.map((group) => group.id);
  const [grants, chosen, members] = await session.selectMany([
    { table: ROLE_PERMISSION, ...idsIn('role_id', roleIds) },
    { table: ROLE_DEPARTMENT, ...idsIn('role_id', roleIds) },
    { table: GROUP_MEMBER, ...idsIn('group_id', groupIds) },
  ] as const);
  for (const row of grants) session.delete(ROLE_PERMISSION, row);
  for (const row of chosen) session.delete(ROLE_DEPARTMENT, row);
  for (const row of members) session.delete(GROUP_MEMBER, row);
  for (const row of departments) session.delete(DEPARTMENT, row);
  for (const row of posts) session.delete(POST, row);
  for (const row of roles) session.delete(ROLE, row);
  for (const row of groups) session.delete(USER_GROUP, row);
  return { departments: departments.length, posts: posts.length, roles: roles.length, groups: groups.length };
}

function checkLevelBelow(level: TenantLevel, parent: TenantEntity): void {
  if (TENANT_LEVELS.indexOf(level) <= TENANT_LEVELS.indexOf(parent.level)) {
    throw new BadUserRequestError(
      `租户级别须低于上级租户 ${parent.name}(${parent.id}) 的级别 (a ${level} tenant cannot sit under the ${parent.level} tenant '${parent.id}': levels go ${TENANT_LEVELS.join(' > ')})`,
    );
  }
}

function checkedPath(path: string): string {
  if (path.length > MAX_TENANT_PATH) throw new BadUserRequestError(`租户层级过深 (the tenant tree would be deeper than its path column holds: ${path})`);
  return path;
}
