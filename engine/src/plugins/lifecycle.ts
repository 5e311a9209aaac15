import { takeOverStartEvents } from '../bpmn/execute/index.js';
import type { Command, CommandContext } from '../command/index.js';
import { ConflictError, NotFoundError } from '../errors/index.js';
import { targetTenant } from '../identity/organisation/rules.js';
import { DEPLOYMENT, EVENT_SUBSCRIPTION, JOB, PROCESS_DEFINITION, placeholders, type ProcessDefinitionEntity } from '../persistence/index.js';
import { deploymentName, findInstallation } from './installations.js';
import { PLUGIN_INSTALLATION, PLUGIN_MENU, type PluginInstallationEntity } from './tables.js';

/** What disable, enable or uninstall did. */
export interface PluginStateChange {
  readonly plugin: string;
  readonly tenantId: string;
  readonly state: 'installed' | 'disabled' | 'not-installed';
  readonly changed: boolean;
}

async function requireInstallation(context: CommandContext, plugin: string, tenantId: string | undefined): Promise<PluginInstallationEntity> {
  const tenant = (await targetTenant(context, tenantId)).id;
  const installation = await findInstallation(context, tenant, plugin);
  if (!installation) throw new NotFoundError(`插件 ${plugin} 未安装在租户 ${tenant} (the plugin '${plugin}' is not installed in tenant ${tenant})`);
  return installation;
}

/** Disable, enable or uninstall: a plugin installed in the actor's tenant or in one they name and see (another is a 404). */
abstract class PluginStateCmd implements Command<PluginStateChange> {
  abstract readonly name: string;

  constructor(
    protected readonly plugin: string,
    private readonly tenantId?: string,
  ) {}

  async execute(context: CommandContext): Promise<PluginStateChange> {
    return this.change(context, await requireInstallation(context, this.plugin, this.tenantId));
  }

  protected abstract change(context: CommandContext, installation: PluginInstallationEntity): Promise<PluginStateChange>;
}

/**
 * Every version of the processes the plugin deployed into the tenant: the keys its deployments
 * (`plugin:<name>@…`) brought, with all their definitions in the tenant.
 */
export async function pluginDefinitions(context: Pick<CommandContext, 'session'>, plugin: string, tenantId: string): Promise<ProcessDefinitionEntity[]> {
  const { session } = context;
  const deployments = (await session.select(DEPLOYMENT, 'tenant_id = $1 AND name LIKE $2', [tenantId, `${deploymentName(plugin, '')}%`])).filter((row) => row.name?.startsWith(deploymentName(plugin, '')));
  if (deployments.length === 0) return [];
  const ids = deployments.map((row) => row.id);
  const keys = [...new Set((await session.select(PROCESS_DEFINITION, `deployment_id IN (${placeholders(ids.length)})`, ids)).map((row) => row.key))];
  return session.select(PROCESS_DEFINITION, `tenant_id = $1 AND key_ IN (${placeholders(keys.length, 1)})`, [tenantId, ...keys], 'ORDER BY key_, version');
}

/**
 * Switches a plugin off in a tenant: its menu entries disappear, and its processes start no new
 * cases — their definitions are suspended (a start by the API, a call activity or the public
 * channel is refused) and their timer start jobs and message and signal start subscriptions are
 * removed — while running cases go on to their end (a suspended definition holds its running
 * instances back in nothing).
 */
export class DisablePluginCmd extends PluginStateCmd {
  readonly name = 'DisablePlugin';

  protected async change(context: CommandContext, installation: PluginInstallationEntity): Promise<PluginStateChange> {
    const { tenantId } = installation;
    if (installation.state === 'disabled') return { plugin: this.plugin, tenantId, state: 'disabled', changed: false };
    const definitions = await pluginDefinitions(context, this.plugin, tenantId);
    for (const definition of definitions) definition.suspended = true;
    const ids = definitions.map((definition) => definition.id);
    if (ids.length > 0) {
      const jobs = await context.session.select(JOB, `handler_type = 'timer-start' AND process_definition_id IN (${placeholders(ids.length)})`, ids);
      for (const job of jobs) context.session.delete(JOB, job);
      const subscriptions = await context.session.select(EVENT_SUBSCRIPTION, `execution_id IS NULL AND process_definition_id IN (${placeholders(ids.length)})`, ids);
      for (const subscription of subscriptions) context.session.delete(EVENT_SUBSCRIPTION, subscription);
    }
    await setMenus(context, this.plugin, tenantId, false);
    Object.assign(installation, { state: 'disabled', updated: context.now(), updatedBy: context.userId });
    context.audit({ action: 'plugin.disable', objectType: 'plugin', objectId: this.plugin, tenantId, detail: { suspendedDefinitions: ids.length } });
    return { plugin: this.plugin, tenantId, state: 'disabled', changed: true };
  }
}

/** Reverses a disable: menus back, definitions resumed, the latest version of each process takes its timer, message and signal starts again. */
export class EnablePluginCmd extends PluginStateCmd {
  readonly name = 'EnablePlugin';

  protected async change(context: CommandContext, installation: PluginInstallationEntity): Promise<PluginStateChange> {
    const { tenantId } = installation;
    if (installation.state === 'installed') return { plugin: this.plugin, tenantId, state: 'installed', changed: false };
    const resumed = await resumeProcesses(context, this.plugin, tenantId);
    await setMenus(context, this.plugin, tenantId, true);
    Object.assign(installation, { state: 'installed', updated: context.now(), updatedBy: context.userId });
    context.audit({ action: 'plugin.enable', objectType: 'plugin', objectId: this.plugin, tenantId, detail: { resumedDefinitions: resumed } });
    return { plugin: this.plugin, tenantId, state: 'installed', changed: true };
  }
}

/**
 * Removes a plugin from a tenant: refused (409, naming the count) while cases of its processes are
 * open. Its menu entries and installation record go; what the tenant may still need stays — the
 * deployments (the history of finished cases points at them; the definitions stay suspended), the
 * dictionaries (forms and past cases hold their codes; administrators may have edited them), the
 * roles and their holders, the permissions, the statistics definitions, the calendar and the
 * public channel. Installing again later finds them and merges as an upgrade would.
 */
export class UninstallPluginCmd extends PluginStateCmd {
  readonly name = 'UninstallPlugin';

  protected async change(context: CommandContext, installation: PluginInstallationEntity): Promise<PluginStateChange> {
    const { tenantId } = installation;
    const definitions = await pluginDefinitions(context, this.plugin, tenantId);
    const ids = definitions.map((definition) => definition.id);
    const open = ids.length === 0 ? 0 : await context.session.count({ name: 'hi_process_instance' }, `end_time IS NULL AND process_definition_id IN (${placeholders(ids.length)})`, ids);
    if (open > 0) {
      throw new ConflictError(`插件 ${this.plugin} 仍有 ${open} 个未结案件，不能卸载 (the plugin '${this.plugin}' cannot be uninstalled from tenant ${tenantId}: ${open} of its cases are open; disable it and let them finish)`);
    }
    // definitions stay suspended and without start events: nothing starts a plugin that is gone
    if (installation.state !== 'disabled') await new DisablePluginCmd(this.plugin, tenantId).execute(context);
    for (const menu of await context.session.select(PLUGIN_MENU, 'tenant_id = $1 AND plugin = $2', [tenantId, this.plugin])) context.session.delete(PLUGIN_MENU, menu);
    context.session.delete(PLUGIN_INSTALLATION, installation);
    context.audit({ action: 'plugin.uninstall', objectType: 'plugin', objectId: this.plugin, tenantId, detail: { version: installation.version } });
    return { plugin: this.plugin, tenantId, state: 'not-installed', changed: true };
  }
}

/**
 * Resumes the plugin's suspended definitions in the tenant; the latest version of each process
 * that was suspended takes its timer, message and signal starts again. Answers how many resumed.
 */
export async function resumeProcesses(context: CommandContext, plugin: string, tenantId: string): Promise<number> {
  const definitions = await pluginDefinitions(context, plugin, tenantId);
  const latest = new Map<string, ProcessDefinitionEntity>();
  for (const definition of definitions) latest.set(definition.key, definition);
  const suspended = definitions.filter((definition) => definition.suspended);
  for (const definition of suspended) definition.suspended = false;
  for (const definition of latest.values()) {
    if (!suspended.includes(definition)) continue;
    const process = await context.environment.deployments.get(context.session, definition.id);
    await takeOverStartEvents(context, { definition, model: process.model }, null);
  }
  return suspended.length;
}

async function setMenus(context: CommandContext, plugin: string, tenantId: string, enabled: boolean): Promise<void> {
  for (const menu of await context.session.select(PLUGIN_MENU, 'tenant_id = $1 AND plugin = $2', [tenantId, plugin])) menu.enabled = enabled;
}
