import type { Command } from '../../command/index.js';
import { NotFoundError } from '../../errors/index.js';
import type { Principal } from '../../identity/index.js';
import { TENANT, type DbSession } from '../../persistence/index.js';
import {
  discoverPlugins,
  DisablePluginCmd,
  EnablePluginCmd,
  InstallPluginCmd,
  listPlugins,
  menusFor,
  requirePlugin,
  UninstallPluginCmd,
  UpgradePluginCmd,
  type PluginCatalogue,
} from '../../plugins/index.js';
import { adminCalls, type AdminRouteDeps } from './admin-calls.js';
import { TENANT_ID } from './admin-schemas.js';
import { SIGNED_IN, type ApiCall, type ApiRoutes, type JsonSchema } from './routes.js';

export interface PluginRouteDeps extends AdminRouteDeps {
  /** the plugins found at start; default: the repository's plugins/ and YIWANG_PLUGINS_DIR */
  readonly plugins?: PluginCatalogue;
}

const TEXT: JsonSchema = { type: 'object', nullable: true, properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } } };
const PLUGIN: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' }, version: { type: 'string', nullable: true }, title: TEXT, description: TEXT,
    status: { type: 'string', enum: ['available', 'planned', 'missing'], description: 'missing: installed, but its folder is gone' },
    engine: { type: 'string', nullable: true }, dependencies: { type: 'object', additionalProperties: { type: 'string' } },
    contributes: { type: 'object', additionalProperties: { type: 'integer' }, description: 'how many of each kind it contributes' },
    tenantId: { type: 'string' }, state: { type: 'string', enum: ['not-installed', 'installed', 'disabled'] }, installedVersion: { type: 'string', nullable: true },
    upgradeAvailable: { type: 'boolean' },
  },
};
const CHANGE: JsonSchema = {
  type: 'object',
  properties: {
    plugin: { type: 'string' }, tenantId: { type: 'string' }, version: { type: 'string' }, changed: { type: 'boolean', description: 'false: the tenant had this version already' },
    applied: { type: 'array', items: { type: 'object', properties: { plugin: { type: 'string' }, from: { type: 'string', nullable: true }, to: { type: 'string' } } } },
    notes: { type: 'array', items: { type: 'string' }, description: "what was kept instead of applied as shipped (administrators' edits, deleted items)" },
  },
};
const STATE_CHANGE: JsonSchema = {
  type: 'object',
  properties: { plugin: { type: 'string' }, tenantId: { type: 'string' }, state: { type: 'string', enum: ['not-installed', 'installed', 'disabled'] }, changed: { type: 'boolean' } },
};
const MENU: JsonSchema = {
  type: 'object',
  properties: {
    plugin: { type: 'string' }, pluginTitle: { ...TEXT, description: "the plugin's title (the apps' heading of its entries); null when its folder is gone" },
    key: { type: 'string' }, title: TEXT, path: { type: 'string', description: "the app's route, with its query (e.g. `/start?process=cc_case`)" }, icon: { type: 'string', nullable: true }, order: { type: 'integer' },
    permission: { type: 'string', nullable: true },
  },
};
const TENANT_QUERY: JsonSchema = { type: 'object', properties: { tenantId: TENANT_ID } };
const TENANT_BODY: JsonSchema = { type: 'object', additionalProperties: false, properties: { tenantId: TENANT_ID } };

/**
 * `/api/plugins`: the plugins of the plugin folders with their state in a tenant (the caller's, or
 * one they see), and their lifecycle there — install, upgrade, disable, enable, uninstall — each
 * one audited command. `/api/menus` answers the apps' menu entries of the enabled plugins.
 */
export function registerPluginRoutes(routes: ApiRoutes, deps: PluginRouteDeps): void {
  const calls = adminCalls(deps);
  const catalogue = deps.plugins ?? discoverPlugins();
  const tag = 'plugins';
  const tenantOf = (call: ApiCall<unknown, unknown>): string | undefined =>
    (call.body as { tenantId?: string } | undefined)?.tenantId ?? (call.query as { tenantId?: string }).tenantId;
  const nameOf = (call: ApiCall<unknown, unknown>): string => call.params.name as string;
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/plugins', tag, permission: 'plugin:read',
    summary: 'list the plugins of the plugin folders with their state in the tenant (the caller\'s, or `tenantId`)',
    query: TENANT_QUERY,
    response: { type: 'array', items: PLUGIN },
    handle: (call) => calls.read(call, async (session) => listPlugins(session, catalogue, await visibleTenant(session, call.principal, call.query.tenantId))),
  });
  routes.add<{ tenantId?: string }, unknown>({
    method: 'get', path: '/plugins/problems', tag, permission: 'plugin:read', summary: 'the plugin folders refused at start, each with every problem of its manifest',
    response: { type: 'array', items: { type: 'object', properties: { plugin: { type: 'string' }, message: { type: 'string' }, problems: { type: 'array', items: { type: 'object' } } } } },
    handle: async () => catalogue.invalid.map((error) => ({ plugin: error.plugin, message: error.message, problems: error.problems })),
  });
  routes.add<Record<string, never>, unknown>({
    method: 'get', path: '/plugins/{name}/manifest', tag, permission: 'plugin:read',
    summary: "the plugin's manifest as its folder holds it (plugin.json: what it contributes, its dependencies and migrations); 404 for a plugin the folders lack",
    response: { type: 'object', additionalProperties: true },
    handle: async (call) => requirePlugin(catalogue, nameOf(call)).manifest,
  });
  const lifecycle = [
    { path: 'install', summary: 'install the plugin into the tenant (its missing dependencies first), in one transaction; the same version again changes nothing', response: CHANGE, command: (name: string, tenant?: string) => new InstallPluginCmd(catalogue, name, tenant) },
    { path: 'upgrade', summary: 'upgrade the plugin to the newer version of the plugin folders: new process versions, merged dictionaries, its migration steps once', response: CHANGE, command: (name: string, tenant?: string) => new UpgradePluginCmd(catalogue, name, tenant) },
    { path: 'disable', summary: 'switch the plugin off: menus hidden, no new cases of its processes; running cases finish', response: STATE_CHANGE, command: (name: string, tenant?: string) => new DisablePluginCmd(name, tenant) },
    { path: 'enable', summary: 'switch a disabled plugin on again', response: STATE_CHANGE, command: (name: string, tenant?: string) => new EnablePluginCmd(name, tenant) },
  ] as const;
  for (const { path, summary, response, command } of lifecycle) {
    routes.add<{ tenantId?: string }, { tenantId?: string }>({
      method: 'post', path: `/plugins/{name}/${path}`, tag, permission: 'plugin:write', summary, body: TENANT_BODY, response, idempotent: true,
      handle: (call) => calls.change<unknown>(call, command(nameOf(call), tenantOf(call)) as Command<unknown>),
    });
  }
  routes.add<{ tenantId?: string }, unknown>({
    method: 'delete', path: '/plugins/{name}', tag, permission: 'plugin:write',
    summary: 'uninstall the plugin from the tenant (409 while its cases are open); deployments, dictionaries and roles stay',
    query: TENANT_QUERY, response: STATE_CHANGE,
    handle: (call) => calls.change(call, new UninstallPluginCmd(nameOf(call), call.query.tenantId)),
  });
  routes.add<{ app: 'runtime' | 'designer' }, unknown>({
    method: 'get', path: '/menus', tag, permission: SIGNED_IN,
    summary: "the menu entries of the enabled plugins of the caller's tenant for the app, those the caller's permissions admit, in order",
    query: { type: 'object', required: ['app'], properties: { app: { type: 'string', enum: ['runtime', 'designer'] } } },
    response: { type: 'array', items: MENU },
    handle: (call) => calls.read(call, (session) => menusFor(session, call.principal, call.query.app, catalogue)),
  });
}

/** The tenant named, when the caller sees it (else a 404 as if it did not exist), or the caller's own. */
async function visibleTenant(session: DbSession, principal: Principal, tenantId: string | undefined): Promise<string> {
  if (tenantId === undefined) return principal.tenantId;
  if (!(await session.findById(TENANT, tenantId))) throw new NotFoundError(`租户 ${tenantId} 不存在 (tenant ${tenantId} does not exist)`);
  return tenantId;
}
