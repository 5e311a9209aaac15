import semver from 'semver';
import { ReplaceCalendarDaysCmd, SaveCalendarCmd, findOwnCalendar } from '../calendar/index.js';
import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError, NotFoundError } from '../errors/index.js';
import { ALL_PERMISSIONS, CORE_PERMISSIONS, CreatePermissionCmd, CreateRoleCmd, UpdateRoleCmd, type Principal } from '../identity/index.js';
import { targetTenant } from '../identity/organisation/rules.js';
import { PERMISSION, ROLE, ROLE_DEPARTMENT, ROLE_PERMISSION } from '../persistence/index.js';
import { PUBLIC_CHANNEL, SetPublicChannelCmd } from '../public-reports/index.js';
import { DeployCmd } from '../services/commands/deploy.js';
import { ENGINE_VERSION, readContent, type DiscoveredPlugin, type PluginCatalogue, type PluginContent } from './catalogue.js';
import { mergeDictionaries, patchDictionaryItem, type Notes } from './dictionary-merge.js';
import { inStep } from './phases.js';
import { deploymentName, findInstallation } from './installations.js';
import { resumeProcesses } from './lifecycle.js';
import { PLUGIN_INSTALLATION, PLUGIN_MENU, PLUGIN_MIGRATION, PLUGIN_ROLE_GRANT, PLUGIN_STATISTIC } from './tables.js';

/** What an install or upgrade did in the tenant. */
export interface PluginChange {
  readonly plugin: string;
  readonly tenantId: string;
  readonly version: string;
  /** false: the tenant had this version already, nothing was written */
  readonly changed: boolean;
  /** every plugin installed or upgraded by the command, dependencies first */
  readonly applied: readonly { readonly plugin: string; readonly from: string | null; readonly to: string }[];
  /** what was kept or skipped instead of applied as shipped (administrators' edits, deleted items) */
  readonly notes: readonly string[];
}


/**
 * Who grants a plugin's roles their permissions. A plugin comes from the server's plugin folders,
 * put there by whoever runs the platform, so its roles are created as it declares them — checked
 * at install to grant only the engine's permissions, the plugin's own and its dependencies' (never
 * `*`) and created without holders; handing a role out later follows the grant rule as usual.
 */
const PLUGIN_GRANTOR: Principal = {
  userId: 'plugin', tenantId: '', visibleTenantIds: 'all', permissions: new Set([ALL_PERMISSIONS]), dataScope: { kind: 'all' }, departmentIds: [],
  candidateGroupIds: [], passwordChangeRequired: false,
};

export function requirePlugin(catalogue: PluginCatalogue, name: string): DiscoveredPlugin {
  const plugin = catalogue.plugins.get(name);
  if (plugin) return plugin;
  const invalid = catalogue.invalid.find((error) => error.plugin === name);
  if (invalid) throw invalid;
  throw new NotFoundError(`插件 ${name} 不存在 (there is no plugin '${name}' in the plugin folders)`);
}

/**
 * Installs a plugin into a tenant (the actor's own, or one they see) in one transaction: its
 * dependencies first (those not installed yet, when the plugin folders have a version their range
 * admits), then its permissions, dictionaries, processes and forms (one deployment named
 * `plugin:<name>@<version>`), roles, menus, statistics definitions, calendar defaults and public
 * channel. The same version installed again changes nothing; another version installed is a 409
 * (upgrade instead).
 */
export class InstallPluginCmd implements Command<PluginChange> {
  readonly name = 'InstallPlugin';

  constructor(
    private readonly catalogue: PluginCatalogue,
    private readonly plugin: string,
    private readonly tenantId?: string,
  ) {}

  async execute(context: CommandContext): Promise<PluginChange> {
    const { tenantId, plugin, existing, result } = await target(context, this.catalogue, this.plugin, this.tenantId);
    if (existing) {
      if (existing.version === plugin.manifest.version) return { ...result, changed: false };
      throw new ConflictError(
        `插件 ${plugin.name} 已安装版本 ${existing.version}，请使用升级 (the plugin '${plugin.name}' is installed at version ${existing.version} in tenant ${tenantId}; upgrade it to ${plugin.manifest.version} instead)`,
      );
    }
    await install(context, this.catalogue, plugin, tenantId, [], result);
    return { ...result, changed: true };
  }
}

/**
 * Upgrades a plugin installed in a tenant to the newer version in the plugin folders, in one
 * transaction: new process versions deploy (running cases keep theirs), dictionaries merge
 * (`dictionary-merge.ts`), new permissions, roles, menus and statistics are added, and the
 * plugin's own migration steps not yet run in the tenant run once. The same version changes
 * nothing; an older one on disk is refused (no downgrades), as is a disabled plugin.
 */
export class UpgradePluginCmd implements Command<PluginChange> {
  readonly name = 'UpgradePlugin';

  constructor(
    private readonly catalogue: PluginCatalogue,
    private readonly plugin: string,
    private readonly tenantId?: string,
  ) {}

  async execute(context: CommandContext): Promise<PluginChange> {
    const { tenantId, plugin, existing, result } = await target(context, this.catalogue, this.plugin, this.tenantId);
    const { version } = plugin.manifest;
    if (!existing) throw new NotFoundError(`插件 ${plugin.name} 未安装在租户 ${tenantId} (the plugin '${plugin.name}' is not installed in tenant ${tenantId})`);
    const order = semver.compare(version, existing.version);
    if (order === 0) return { ...result, changed: false };
    if (order < 0) {
      throw new ConflictError(`插件 ${plugin.name} 不能降级：已安装 ${existing.version}，目录中为 ${version} (the plugin '${plugin.name}' cannot be downgraded from ${existing.version} to ${version})`);
    }
    if (existing.state === 'disabled') throw new ConflictError(`插件 ${plugin.name} 已停用，请先启用再升级 (the plugin '${plugin.name}' is disabled in tenant ${tenantId}: enable it before upgrading)`);
    checkInstallable(plugin);
    for (const [dependency, range] of Object.entries(plugin.manifest.dependencies ?? {})) {
      const installed = await findInstallation(context, tenantId, dependency);
      if (!installed || !semver.satisfies(installed.version, range)) {
        throw new BadUserRequestError(
          `插件 ${plugin.name} ${version} 依赖 ${dependency} ${range}，租户中为 ${installed?.version ?? '未安装'} (the plugin '${plugin.name}' ${version} needs '${dependency}' ${range}; tenant ${tenantId} has ${installed ? `version ${installed.version}` : 'none'}: install or upgrade it first)`,
        );
      }
    }
    const from = existing.version;
    await applyContributions(context, this.catalogue, plugin, tenantId, from, result.notes);
    Object.assign(existing, { version, updated: context.now(), updatedBy: context.userId });
    context.audit({ action: 'plugin.upgrade', objectType: 'plugin', objectId: plugin.name, tenantId, detail: { from, to: version, notes: result.notes } });
    return { ...result, applied: [{ plugin: plugin.name, from, to: version }], changed: true };
  }
}

/** The tenant (one the actor sees), the plugin, its installation there, and the answer to fill in. */
async function target(context: CommandContext, catalogue: PluginCatalogue, name: string, tenant: string | undefined) {
  const tenantId = (await targetTenant(context, tenant)).id;
  const plugin = requirePlugin(catalogue, name);
  const existing = await findInstallation(context, tenantId, plugin.name);
  const result = { plugin: plugin.name, tenantId, version: plugin.manifest.version, applied: [] as PluginChange['applied'][number][], notes: [] as string[] };
  return { tenantId, plugin, existing, result };
}

async function install(context: CommandContext, catalogue: PluginCatalogue, plugin: DiscoveredPlugin, tenantId: string, chain: readonly string[], result: { applied: PluginChange['applied'][number][]; notes: string[] }): Promise<void> {
  checkInstallable(plugin);
  const path = [...chain, plugin.name];
  for (const [name, range] of Object.entries(plugin.manifest.dependencies ?? {})) {
    if (path.includes(name)) throw new BadUserRequestError(`插件依赖成环 (the plugins depend on each other in a cycle: ${[...path, name].join(' → ')})`);
    const installed = await findInstallation(context, tenantId, name);
    if (installed) {
      if (!semver.satisfies(installed.version, range)) {
        throw new BadUserRequestError(
          `插件 ${plugin.name} 依赖 ${name} ${range}，租户中已安装 ${installed.version} (the plugin '${plugin.name}' needs '${name}' ${range}, and tenant ${tenantId} has version ${installed.version}: upgrade it first)`,
        );
      }
      continue;
    }
    const available = catalogue.plugins.get(name);
    if (!available || !semver.satisfies(available.manifest.version, range)) {
      throw new BadUserRequestError(
        `插件 ${plugin.name} 依赖 ${name} ${range}，但插件目录中${available ? `只有版本 ${available.manifest.version}` : '没有该插件'} (the plugin '${plugin.name}' needs '${name}' ${range}, and the plugin folders ${available ? `hold version ${available.manifest.version} only` : 'have no such plugin'})`,
      );
    }
    await install(context, catalogue, available, tenantId, path, result);
  }
  await applyContributions(context, catalogue, plugin, tenantId, null, result.notes);
  // installed again after an uninstall: the processes it left suspended start cases again
  await inStep(context, 'PluginResume', (step) => resumeProcesses(step, plugin.name, tenantId));
  context.session.insert(PLUGIN_INSTALLATION, {
    id: context.newId(), rev: 1, tenantId, plugin: plugin.name, version: plugin.manifest.version, state: 'installed', installed: context.now(), installedBy: context.userId,
    updated: context.now(), updatedBy: context.userId,
  });
  result.applied.push({ plugin: plugin.name, from: null, to: plugin.manifest.version });
  context.audit({ action: 'plugin.install', objectType: 'plugin', objectId: plugin.name, tenantId, detail: { version: plugin.manifest.version, dependencyOf: chain.at(-1) ?? null } });
}

/** A planned plugin is a description only; the engine must be in the range the plugin was written for. */
function checkInstallable(plugin: DiscoveredPlugin): void {
  const { manifest } = plugin;
  if (manifest.status !== 'available') throw new BadUserRequestError(`插件 ${plugin.name} 尚在规划中，不能安装 (the plugin '${plugin.name}' is planned, not available: it cannot be installed yet)`);
  if (!semver.satisfies(ENGINE_VERSION, manifest.engine)) {
    throw new BadUserRequestError(`插件 ${plugin.name} 需要引擎 ${manifest.engine}，当前为 ${ENGINE_VERSION} (the plugin '${plugin.name}' needs engine ${manifest.engine}; this engine is ${ENGINE_VERSION})`);
  }
}

/**
 * Writes what the plugin contributes into the tenant, each kind through the module that owns it,
 * each step flushed before the next (a role grants the permission the step before created; the
 * public channel names the process the deployment step deployed). `previous`: the version being
 * upgraded from, null for a fresh install.
 */
async function applyContributions(context: CommandContext, catalogue: PluginCatalogue, plugin: DiscoveredPlugin, tenantId: string, previous: string | null, notes: Notes): Promise<void> {
  const { manifest, name } = plugin;
  const contributes = manifest.contributes ?? {};
  checkRolePermissions(catalogue, plugin);
  const content = readContent(plugin);
  await inStep(context, 'PluginPermissions', async (step) => {
    for (const permission of contributes.permissions ?? []) {
      if (await step.session.findById(PERMISSION, permission.code)) continue;
      const kind = permission.kind ?? (permission.code.startsWith('menu:') ? 'menu' : 'action');
      await new CreatePermissionCmd({ id: permission.code, kind, nameZh: permission.name, nameEn: permission.nameEn ?? permission.name, source: plugin.packageName }).execute(step);
    }
  });
  await inStep(context, 'PluginDictionaries', (step) => mergeDictionaries(step, name, tenantId, content.dictionaries, notes));
  if (content.resources.length > 0) {
    await inStep(context, 'PluginDeployment', (step) =>
      new DeployCmd({ name: deploymentName(name, manifest.version), source: plugin.packageName, tenantId, resources: content.resources, enableDuplicateFiltering: true }).execute(step),
    );
  }
  await inStep(context, 'PluginRoles', (step) => ensureRoles(step, plugin, tenantId, notes));
  await inStep(context, 'PluginMigrations', (step) => runMigrations(step, plugin, tenantId, content, previous, notes));
  if (content.calendar) await applyCalendar(context, tenantId, content.calendar);
  if (contributes.publicChannel) {
    const channel = contributes.publicChannel;
    const [existing] = await context.session.select(PUBLIC_CHANNEL, 'tenant_id = $1', [tenantId]);
    if (existing) notes.push(`租户已配置公众上报渠道 (${existing.processKey})，未修改 (the tenant's public channel is configured already, to '${existing.processKey}': left as it is)`);
    else {
      await inStep(context, 'PluginPublicChannel', (step) =>
        new SetPublicChannelCmd({ tenantId, processKey: channel.processKey, categoryDictionary: channel.categoryDictionary, enabled: true }).execute(step),
      );
    }
  }
  await writeMenus(context, plugin, tenantId);
  await writeStatistics(context, plugin, tenantId, content);
}

/** Roles may grant the engine's permissions, the plugin's own and its dependencies' (transitively) — never `*`. */
function checkRolePermissions(catalogue: PluginCatalogue, plugin: DiscoveredPlugin): void {
  const allowed = new Set(CORE_PERMISSIONS.map((permission) => permission.id));
  const visit = (current: DiscoveredPlugin, seen: Set<string>) => {
    if (seen.has(current.name)) return;
    seen.add(current.name);
    for (const permission of current.manifest.contributes?.permissions ?? []) allowed.add(permission.code);
    for (const dependency of Object.keys(current.manifest.dependencies ?? {})) {
      const found = catalogue.plugins.get(dependency);
      if (found) visit(found, seen);
    }
  };
  visit(plugin, new Set());
  const refused = (plugin.manifest.contributes?.roles ?? []).flatMap((role) => role.permissions.filter((permission) => !allowed.has(permission)).map((permission) => `${role.code}: ${permission}`));
  if (refused.length > 0) {
    throw new BadUserRequestError(
      `插件 ${plugin.name} 的角色授予了未知的权限 (the roles of the plugin '${plugin.name}' grant permissions that are neither the engine's, nor the plugin's, nor its dependencies': ${refused.join(', ')})`,
    );
  }
}

/**
 * Grants what the plugin's roles declare, each permission once per tenant and role: a role the
 * tenant lacks is created with its permissions; to a role it has (by code — the seeds' 系统管理员,
 * a dependency's 受理员) the declared permissions it lacks are added, none removed. What was
 * granted is recorded (`plugin_role_grant`), and only declarations without a record are granted,
 * so an upgrade or a reinstall brings what a new version declares but not what an administrator
 * has since taken from the role, nor a role they deleted (both noted) — as the dictionary merge
 * keeps their edits. A tenant that installed the plugin before these records existed has none:
 * its first upgrade grants as a fresh install does and records from then on.
 */
async function ensureRoles(context: CommandContext, plugin: DiscoveredPlugin, tenantId: string, notes: Notes): Promise<void> {
  const { session } = context;
  const records = await session.select(PLUGIN_ROLE_GRANT, 'tenant_id = $1 AND plugin = $2', [tenantId, plugin.name]);
  const recorded = new Set(records.map((record) => `${record.roleCode} ${record.permission}`));
  for (const role of plugin.manifest.contributes?.roles ?? []) {
    const code = role.code.toLowerCase();
    const fresh = role.permissions.filter((permission) => !recorded.has(`${code} ${permission}`));
    const [existing] = await session.select(ROLE, 'tenant_id = $1 AND LOWER(code) = $2', [tenantId, code]);
    if (!existing) {
      if (fresh.length < role.permissions.length) {
        notes.push(`角色 ${role.code} 已被管理员删除，未重新创建 (the role '${role.code}' was deleted by an administrator: not created again)`);
        continue;
      }
      await new CreateRoleCmd(PLUGIN_GRANTOR, { tenantId, code: role.code, name: role.name, dataScope: role.dataScope ?? 'self', permissions: role.permissions }).execute(context);
    } else {
      const granted = (await session.select(ROLE_PERMISSION, 'role_id = $1', [existing.id])).map((grant) => grant.permission);
      const taken = role.permissions.filter((permission) => !fresh.includes(permission) && !granted.includes(permission));
      if (taken.length > 0) notes.push(`角色 ${existing.code} 的权限 ${taken.join(', ')} 已被管理员移除，未重新授予 (kept the administrator's removal of ${taken.join(', ')} from the role '${existing.code}')`);
      const missing = fresh.filter((permission) => !granted.includes(permission));
      if (missing.length > 0) {
        const departmentIds = (await session.select(ROLE_DEPARTMENT, 'role_id = $1', [existing.id])).map((row) => row.departmentId);
        await new UpdateRoleCmd(PLUGIN_GRANTOR, existing.id, {
          code: existing.code, name: existing.name, dataScope: existing.dataScope, seesDescendants: existing.seesDescendants, permissions: [...granted, ...missing], departmentIds,
        }).execute(context);
      }
    }
    for (const permission of fresh) {
      session.insert(PLUGIN_ROLE_GRANT, { id: context.newId(), tenantId, plugin: plugin.name, roleCode: code, permission, granted: context.now() });
      recorded.add(`${code} ${permission}`);
    }
  }
}

/**
 * The plugin's own migration steps not yet recorded in the tenant: on an upgrade they run, in the
 * manifest's order; a fresh install records them without running (its data is of the new shape already).
 */
async function runMigrations(context: CommandContext, plugin: DiscoveredPlugin, tenantId: string, content: PluginContent, previous: string | null, notes: Notes): Promise<void> {
  const done = new Set((await context.session.select(PLUGIN_MIGRATION, 'tenant_id = $1 AND plugin = $2', [tenantId, plugin.name])).map((row) => row.migrationId));
  for (const migration of content.migrations) {
    if (done.has(migration.id)) continue;
    if (previous !== null) for (const step of migration.steps) await patchDictionaryItem(context, plugin.name, tenantId, step, notes);
    context.session.insert(PLUGIN_MIGRATION, {
      id: context.newId(), tenantId, plugin: plugin.name, migrationId: migration.id, version: plugin.manifest.version, ran: context.now(), executed: previous !== null,
    });
    if (previous !== null) context.audit({ action: 'plugin.migration', objectType: 'plugin', objectId: plugin.name, tenantId, detail: { migration: migration.id, steps: migration.steps.length } });
  }
}

/** The calendar defaults, for a tenant without a calendar of its own only: the rule, then each year's holidays and make-up days. */
async function applyCalendar(context: CommandContext, tenantId: string, calendar: NonNullable<PluginContent['calendar']>): Promise<void> {
  const owner = { kind: 'tenant', tenantId } as const;
  if (await findOwnCalendar(context.session, owner)) return;
  await inStep(context, 'PluginCalendar', (step) => new SaveCalendarCmd(owner, calendar).execute(step));
  const years = [...new Set((calendar.days ?? []).map((day) => Number(day.day.slice(0, 4))))];
  for (const year of years) {
    const days = (calendar.days ?? []).filter((day) => day.day.startsWith(`${year}-`));
    await inStep(context, 'PluginCalendarDays', (step) => new ReplaceCalendarDaysCmd(owner, year, days).execute(step));
  }
}

/** The plugin's menu entries in the tenant, as the manifest lists them now (entries it dropped go). */
async function writeMenus(context: CommandContext, plugin: DiscoveredPlugin, tenantId: string): Promise<void> {
  const { session } = context;
  const rows = new Map((await session.select(PLUGIN_MENU, 'tenant_id = $1 AND plugin = $2', [tenantId, plugin.name])).map((row) => [row.menuKey, row]));
  for (const menu of plugin.manifest.contributes?.menus ?? []) {
    const fields = {
      app: menu.app, titleZh: menu.title['zh-CN'], titleEn: menu.title.en, path: menu.path, permission: menu.permission ?? null, icon: menu.icon ?? null, sortOrder: menu.order ?? 0,
    };
    const row = rows.get(menu.key);
    rows.delete(menu.key);
    if (row) Object.assign(row, fields);
    else session.insert(PLUGIN_MENU, { id: context.newId(), tenantId, plugin: plugin.name, menuKey: menu.key, enabled: true, ...fields });
  }
  for (const gone of rows.values()) session.delete(PLUGIN_MENU, gone);
}

/** The statistics definitions, stored as the files say them, per file. */
async function writeStatistics(context: CommandContext, plugin: DiscoveredPlugin, tenantId: string, content: PluginContent): Promise<void> {
  const { session } = context;
  const rows = new Map((await session.select(PLUGIN_STATISTIC, 'tenant_id = $1 AND plugin = $2', [tenantId, plugin.name])).map((row) => [row.path, row]));
  for (const { path, definition } of content.statistics) {
    const row = rows.get(path);
    if (row) {
      if (JSON.stringify(row.definition) !== JSON.stringify(definition) || row.version !== plugin.manifest.version) Object.assign(row, { definition, version: plugin.manifest.version, updated: context.now() });
    } else {
      session.insert(PLUGIN_STATISTIC, { id: context.newId(), tenantId, plugin: plugin.name, path, version: plugin.manifest.version, definition, updated: context.now() });
    }
  }
}
