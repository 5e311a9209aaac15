import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../logging/index.js';
import { loadConfig } from '../config/index.js';
import { discoverPlugins, installedPluginNames, installedWorkerModules, pluginDirectories } from '../plugins/index.js';
import { openDatabase } from '../persistence/index.js';
import { DEFAULT_PLUGINS_DIR, findWorkerModules, loadWorkerTopics, startWorkerHost, workerHostConfig, type WorkerModuleFile } from '../workers/index.js';
import type { Logger } from '../logging/index.js';

export const WORKERS_USAGE = `usage: yiwang workers [--plugins <dir>] [--all-plugins]
  runs the external-task handlers (contributes.workers) of the plugins installed in at least one
  tenant of the database DATABASE_URL names, found in the plugin folders (the repository's plugins/
  and YIWANG_PLUGINS_DIR, or <dir>); --all-plugins: every plugin package under the folder with a
  workers/ folder, installed or not, without reading the database; against ENGINE_REST_URL (default http://localhost:\${PORT:-3000}/engine-rest), authenticated with
  ENGINE_REST_TOKEN, or ENGINE_REST_USER and ENGINE_REST_PASSWORD; stops on SIGTERM or SIGINT`;

/** `yiwang workers`: the plugins' handlers in one external-task client, until SIGTERM or SIGINT. */
export async function workersCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { plugins: { type: 'string' }, 'all-plugins': { type: 'boolean' } } });
  const logger = createLogger(process.env.LOG_LEVEL || 'info');
  // relative to where the user typed the command, also when npm changed the working directory
  const pluginsDir = values.plugins ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.plugins) : null;
  const modules = values['all-plugins'] ? findWorkerModules(pluginsDir ?? DEFAULT_PLUGINS_DIR) : await installedModules(pluginsDir, logger);
  const topics = await loadWorkerTopics(modules);
  if (topics.size === 0) {
    logger.error({ pluginsDir }, 'no installed plugin has worker modules (install one: yiwang plugin install <name> --tenant <id>): nothing to run');
    process.exitCode = 1;
    return;
  }
  for (const topic of topics.values()) logger.info({ topic: topic.topic, plugin: topic.plugin, file: topic.file }, 'worker handler loaded');
  const host = startWorkerHost(topics, workerHostConfig(), logger);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for running handlers');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down the worker host');
    void host.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The worker modules of the plugins installed in some tenant of the database DATABASE_URL names. */
async function installedModules(pluginsDir: string | null, logger: Logger): Promise<WorkerModuleFile[]> {
  const config = loadConfig(process.env, process.env.INIT_CWD ?? process.cwd());
  const database = await openDatabase(config.database);
  try {
    const catalogue = discoverPlugins(pluginsDir ? [pluginsDir] : pluginDirectories());
    for (const invalid of catalogue.invalid) logger.warn({ plugin: invalid.plugin, problems: invalid.problems }, 'plugin refused: its manifest is invalid');
    const { modules, missing } = installedWorkerModules(catalogue, await installedPluginNames(database));
    for (const name of missing) logger.warn({ plugin: name }, 'an installed plugin is not in the plugin folders: its workers cannot run');
    return modules;
  } finally {
    await database.close();
  }
}
