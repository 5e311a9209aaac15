import type { Command, CommandContext, CommandExecutor } from '../../command/index.js';
import { BadUserRequestError, ConflictError, NotFoundError } from '../../errors/index.js';
import { PERMISSION, ROLE, ROLE_PERMISSION, placeholders, type DbSession, type PermissionEntity } from '../../persistence/index.js';
import { Filter } from '../../services/query.js';
import { checkPattern } from '../organisation/rules.js';
import { CORE_PERMISSIONS, isCorePermission } from '../permissions.js';

/** `menu:org:role`, `case:close`, `inspection`: lower-case words joined by colons. */
export const PERMISSION_ID_PATTERN = /^[a-z][a-z0-9-]*(:[a-z0-9-]+)*$/;
/** `custom`, a plugin's package name (`@yiwang/plugin-inspection`) */
export const PERMISSION_SOURCE_PATTERN = /^[A-Za-z0-9@/._-]{1,64}$/;

/** The source of the engine's own permissions; plugins' carry the plugin's name. */
export const CORE_SOURCE = 'core';

export type PermissionKind = PermissionEntity['kind'];

export interface PermissionQuery {
  readonly kind?: PermissionKind;
  readonly source?: string;
}

/** The catalogue, menus first, each kind by id. */
export function listPermissions(session: DbSession, query: PermissionQuery): Promise<PermissionEntity[]> {
  const filter = new Filter().equals('kind', query.kind).equals('source', query.source);
  return session.select(PERMISSION, filter.where, filter.bindings, 'ORDER BY kind DESC, id');
}

/**
 * Writes CORE_PERMISSIONS into the catalogue: adds the missing ones and brings names and kinds up
 * to date. Unchanged rows are not written, so running it at every start costs one read.
 */
export class SyncPermissionCatalogueCmd implements Command<void> {
  readonly name = 'SyncPermissionCatalogue';

  async execute(context: CommandContext): Promise<void> {
    const ids = CORE_PERMISSIONS.map((permission) => permission.id);
    const stored = new Map((await context.session.select(PERMISSION, `id IN (${placeholders(ids.length)})`, ids)).map((row) => [row.id, row]));
    for (const permission of CORE_PERMISSIONS) {
      const row = stored.get(permission.id);
      if (row) Object.assign(row, permission, { source: CORE_SOURCE });
      else context.session.insert(PERMISSION, { ...permission, source: CORE_SOURCE });
    }
  }
}

/**
 * Syncs the core catalogue at engine start. Engine processes starting together on one database
 * may both insert a missing row; the one that loses finds the rows written on its second try.
 */
export async function syncPermissionCatalogue(executor: CommandExecutor): Promise<void> {
  try {
    await executor.execute(new SyncPermissionCatalogueCmd());
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    await executor.execute(new SyncPermissionCatalogueCmd());
  }
}

export interface PermissionInput {
  readonly id: string;
  readonly kind: PermissionKind;
  readonly nameZh: string;
  readonly nameEn: string;
  /** who contributes it: a plugin's name, or `custom` for one an administrator added */
  readonly source?: string;
}

/** A permission an administrator or a plugin adds to the catalogue, so roles may grant it. */
export class CreatePermissionCmd implements Command<PermissionEntity> {
  readonly name = 'CreatePermission';

  constructor(private readonly input: PermissionInput) {}

  async execute(context: CommandContext): Promise<PermissionEntity> {
    const { id, kind, nameZh, nameEn } = this.input;
    const source = this.input.source ?? 'custom';
    refuseCore(id);
    checkPattern(id, PERMISSION_ID_PATTERN, 'permission id', "lower-case words of letters, digits and '-', joined by ':'");
    checkPattern(source, PERMISSION_SOURCE_PATTERN, 'permission source', "1-64 letters, digits, '@', '/', '.', '_' or '-'");
    if (source === CORE_SOURCE) throw new BadUserRequestError(`来源 'core' 仅供平台内置权限使用 (the source 'core' is reserved for the engine's own permissions)`);
    if (await context.session.findById(PERMISSION, id)) throw new ConflictError(`权限 '${id}' 已存在 (the permission '${id}' already exists)`);
    const permission = context.session.insert(PERMISSION, { id, kind, nameZh, nameEn, source });
    context.audit({ action: 'permission.create', objectType: 'permission', objectId: id, detail: { kind, nameZh, nameEn, source } });
    return permission;
  }
}

/** Renames a permission or changes its kind; its id and source stay. */
export class UpdatePermissionCmd implements Command<PermissionEntity> {
  readonly name = 'UpdatePermission';

  constructor(
    private readonly id: string,
    private readonly changes: Pick<PermissionInput, 'kind' | 'nameZh' | 'nameEn'>,
  ) {}

  async execute(context: CommandContext): Promise<PermissionEntity> {
    refuseCore(this.id);
    const permission = await findPermission(context.session, this.id);
    Object.assign(permission, this.changes);
    context.audit({ action: 'permission.update', objectType: 'permission', objectId: this.id, detail: this.changes });
    return permission;
  }
}

/** Removes a permission no role grants any more. */
export class DeletePermissionCmd implements Command<void> {
  readonly name = 'DeletePermission';

  constructor(private readonly id: string) {}

  async execute(context: CommandContext): Promise<void> {
    refuseCore(this.id);
    const permission = await findPermission(context.session, this.id);
    await refuseWhileGranted(context.session, this.id);
    context.session.delete(PERMISSION, permission);
    context.audit({ action: 'permission.delete', objectType: 'permission', objectId: this.id });
  }
}

function refuseCore(id: string): void {
  if (isCorePermission(id)) throw new BadUserRequestError(`'${id}' 是平台内置权限，不能修改或删除 (the core permission '${id}' cannot be changed or deleted)`);
}

async function findPermission(session: DbSession, id: string): Promise<PermissionEntity> {
  const permission = await session.findById(PERMISSION, id);
  if (!permission) throw new NotFoundError(`权限不存在 (permission '${id}' does not exist)`);
  return permission;
}

/**
 * Names the roles still granting the permission. The caller sees the roles of their own tenants
 * by code; other tenants' roles are only counted, their codes are not the caller's to read.
 */
async function refuseWhileGranted(session: DbSession, id: string): Promise<void> {
  const grants = await session.select(ROLE_PERMISSION, 'permission = $1', [id]);
  if (grants.length === 0) return;
  const roleIds = grants.map((grant) => grant.roleId);
  const visible = await session.select(ROLE, `id IN (${placeholders(roleIds.length)})`, roleIds, 'ORDER BY code');
  const hidden = roleIds.length - visible.length;
  const zh = [...visible.map((role) => role.code), ...(hidden > 0 ? [`其他租户的 ${hidden} 个角色`] : [])].join('、');
  const en = [...visible.map((role) => role.code), ...(hidden > 0 ? [`${hidden} roles of other tenants`] : [])].join(', ');
  throw new ConflictError(`权限 '${id}' 仍被角色 ${zh} 使用 (the permission '${id}' is still granted by the roles ${en})`);
}
