import semver from 'semver';
import { hasPermission, type Principal } from '../identity/index.js';
import type { DbSession } from '../persistence/index.js';
import type { PluginCatalogue } from './catalogue.js';
import type { LocalisedText } from './manifest-types.js';
import { PLUGIN_INSTALLATION, PLUGIN_MENU } from './tables.js';

export type PluginState = 'not-installed' | 'installed' | 'disabled';

/** A plugin as `GET /api/plugins` and `yiwang plugin list` show it, with its state in one tenant. */
export interface PluginView {
  readonly name: string;
  /** the version in the plugin folders; null when an installed plugin's folder is gone */
  readonly version: string | null;
  readonly title: LocalisedText | null;
  readonly description: LocalisedText | null;
  readonly status: 'available' | 'planned' | 'missing';
  readonly engine: string | null;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly contributes: Readonly<Record<string, number>>;
  readonly tenantId: string;
  readonly state: PluginState;
  readonly installedVersion: string | null;
  readonly upgradeAvailable: boolean;
}

/** Every plugin of the folders (and every one installed whose folder is gone) with its state in the tenant, by name. */
export async function listPlugins(session: DbSession, catalogue: PluginCatalogue, tenantId: string): Promise<PluginView[]> {
  const installations = new Map((await session.select(PLUGIN_INSTALLATION, 'tenant_id = $1', [tenantId])).map((row) => [row.plugin, row]));
  const names = [...new Set([...catalogue.plugins.keys(), ...installations.keys()])].sort();
  return names.map((name) => {
    const manifest = catalogue.plugins.get(name)?.manifest;
    const installed = installations.get(name);
    const counts = Object.fromEntries(Object.entries(manifest?.contributes ?? {}).map(([kind, value]) => [kind, Array.isArray(value) ? value.length : 1]));
    return {
      name,
      version: manifest?.version ?? null,
      title: manifest?.title ?? null,
      description: manifest?.description ?? null,
      status: manifest?.status ?? 'missing',
      engine: manifest?.engine ?? null,
      dependencies: manifest?.dependencies ?? {},
      contributes: counts,
      tenantId,
      state: installed?.state ?? 'not-installed',
      installedVersion: installed?.version ?? null,
      upgradeAvailable: Boolean(installed && manifest && semver.gt(manifest.version, installed.version)),
    };
  });
}

/** A menu entry of an app as the caller gets it. */
export interface MenuEntry {
  readonly plugin: string;
  /** the plugin's title from its folder's manifest (the apps' heading of its entries); null when its folder is gone */
  readonly pluginTitle: LocalisedText | null;
  readonly key: string;
  readonly title: LocalisedText;
  readonly path: string;
  readonly icon: string | null;
  readonly order: number;
  readonly permission: string | null;
}

/**
 * The enabled plugins' entries of the app in the caller's own tenant that the caller's permissions
 * admit, in order, each with its plugin's title from the catalogue (the apps group the entries by
 * plugin under it; `plugin_menu` keeps no title of the plugin itself).
 */
export async function menusFor(session: DbSession, principal: Principal, app: 'runtime' | 'designer', catalogue: PluginCatalogue): Promise<MenuEntry[]> {
  const rows = await session.select(PLUGIN_MENU, 'tenant_id = $1 AND app = $2 AND enabled = $3', [principal.tenantId, app, true], 'ORDER BY sort_order, plugin, menu_key');
  return rows
    .filter((row) => row.permission === null || hasPermission(principal, row.permission))
    .map((row) => ({
      plugin: row.plugin, pluginTitle: catalogue.plugins.get(row.plugin)?.manifest.title ?? null, key: row.menuKey, title: { 'zh-CN': row.titleZh, en: row.titleEn },
      path: row.path, icon: row.icon, order: row.sortOrder, permission: row.permission,
    }));
}
