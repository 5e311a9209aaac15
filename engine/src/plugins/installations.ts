import type { CommandContext } from '../command/index.js';
import { PLUGIN_INSTALLATION, type PluginInstallationEntity } from './tables.js';

/** The name deployments of a plugin carry: `plugin:<name>@<version>`. */
export const deploymentName = (plugin: string, version: string): string => `plugin:${plugin}@${version}`;

/** The plugin's installation in the tenant, if any (through the caller's scope). */
export async function findInstallation(context: Pick<CommandContext, 'session'>, tenantId: string, plugin: string): Promise<PluginInstallationEntity | null> {
  const [row] = await context.session.select(PLUGIN_INSTALLATION, 'tenant_id = $1 AND plugin = $2', [tenantId, plugin]);
  return row ?? null;
}
