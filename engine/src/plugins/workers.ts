import type { Database } from '../persistence/index.js';
import { declaredWorkerModules, type WorkerModuleFile } from '../workers/index.js';
import type { PluginCatalogue } from './catalogue.js';

/** The plugins installed (enabled or disabled: a disabled plugin's running cases still need its workers) in at least one tenant. */
export async function installedPluginNames(database: Database): Promise<string[]> {
  const rows = await database.read((sql) => sql.select('SELECT DISTINCT plugin FROM plugin_installation ORDER BY plugin'));
  return rows.map((row) => String(row.plugin));
}

/** The worker modules of those plugins, as their manifests declare them; an installed plugin whose folder is gone is named in `missing`. */
export function installedWorkerModules(catalogue: PluginCatalogue, installed: readonly string[]): { modules: WorkerModuleFile[]; missing: string[] } {
  const found = installed.flatMap((name) => {
    const plugin = catalogue.plugins.get(name);
    return plugin ? [{ plugin: plugin.packageName, dir: plugin.dir, workers: plugin.manifest.contributes?.workers ?? [] }] : [];
  });
  return { modules: declaredWorkerModules(found), missing: installed.filter((name) => !catalogue.plugins.has(name)) };
}
