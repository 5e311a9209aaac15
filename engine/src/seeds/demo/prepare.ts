import { ConflictError } from '../../errors/index.js';
import { syncPermissionCatalogue } from '../../identity/index.js';
import { discoverPlugins, InstallPluginCmd, type PluginCatalogue } from '../../plugins/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { loadSeeds } from '../load-seeds.js';
import { seedSettingsFromEnvironment } from '../location.js';

export const CASE_PLUGIN = 'command-coordination';

export interface PreparedTenant {
  /** demo users, roles or dictionaries the seed load created now (0 when the database had them) */
  readonly seededUsers: number;
  /** whether the plugin was installed now */
  readonly installed: boolean;
}

/**
 * What the generator needs before it acts, done as `npm start` does it: the permission catalogue,
 * the Liuzhou seed set (first time only; YIWANG_SEEDS_DIR and YIWANG_DEMO_PASSWORD as at start)
 * with its plugins, then the command-coordination plugin in the tenant through `InstallPluginCmd`
 * if it is still missing there. A plugin installed at another version is left as it is.
 */
export async function prepareTenant(
  engine: ProcessEngine, tenantId: string, announce: (message: string) => void, catalogue: PluginCatalogue = discoverPlugins(), env: NodeJS.ProcessEnv = process.env,
): Promise<PreparedTenant> {
  await syncPermissionCatalogue(engine.commandExecutor);
  let seededUsers = 0;
  const seeds = seedSettingsFromEnvironment(env);
  if (seeds) {
    const summary = await loadSeeds(engine, { ...seeds, announce, firstTimeOnly: true, plugins: catalogue });
    seededUsers = summary.users;
  }
  try {
    const change = await engine.commandExecutor.execute(new InstallPluginCmd(catalogue, CASE_PLUGIN, tenantId));
    return { seededUsers, installed: change.changed };
  } catch (error) {
    if (error instanceof ConflictError) return { seededUsers, installed: false };
    throw error;
  }
}
