import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../logging/index.js';
import { DEFAULT_PLUGINS_DIR, discoverWorkerTopics, startWorkerHost, workerHostConfig } from '../workers/index.js';

export const WORKERS_USAGE = `usage: yiwang workers [--plugins <dir>]
  runs the external-task handlers of every plugin under <dir> (default: the repository's plugins/)
  against ENGINE_REST_URL (default http://localhost:\${PORT:-3000}/engine-rest), authenticated with
  ENGINE_REST_TOKEN, or ENGINE_REST_USER and ENGINE_REST_PASSWORD; stops on SIGTERM or SIGINT`;

/** `yiwang workers`: the plugins' handlers in one external-task client, until SIGTERM or SIGINT. */
export async function workersCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { plugins: { type: 'string' } } });
  const logger = createLogger(process.env.LOG_LEVEL || 'info');
  // relative to where the user typed the command, also when npm changed the working directory
  const pluginsDir = values.plugins ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.plugins) : DEFAULT_PLUGINS_DIR;
  const topics = await discoverWorkerTopics(pluginsDir);
  if (topics.size === 0) {
    logger.error({ pluginsDir }, 'no plugin has worker modules (a package under the plugins folder with workers/*.ts or workers/*.js): nothing to run');
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
