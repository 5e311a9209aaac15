import { createRequire } from 'node:module';
import { startServer } from './api/index.js';
import { loadConfig, redactUrl } from './config/index.js';
import { startIdentity } from './identity/index.js';
import { discoverPlugins } from './plugins/index.js';
import { loadSeeds, seedSettingsFromEnvironment } from './seeds/index.js';
import { createLogger } from './logging/index.js';
import { ProcessEngine } from './services/index.js';

const SHUTDOWN_GRACE_MS = 10_000;

/** `npm start`: the engine on the configured database, served over HTTP until SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
  const where = config.database.dialect === 'sqlite' ? config.database.location : redactUrl(config.database.location);
  logger.info({ dialect: config.database.dialect, database: where }, 'opening database');
  const engine = await ProcessEngine.open({ database: config.database, logger, timeZone: config.timeZone, jobExecutorActivate: true });
  // printed, not logged: generated passwords must not end up in log files
  const announce = (message: string) => console.log(message);
  const identity = await startIdentity(engine, { adminPassword: process.env.YIWANG_ADMIN_PASSWORD || undefined, announce, logger, settings: config.authentication });
  const seeds = seedSettingsFromEnvironment(process.env);
  if (seeds) {
    // the template's plugins (tenants.json) are installed with it, the first time only: later starts leave installations and upgrades to the administrators
    const created = await loadSeeds(engine, { ...seeds, announce, firstTimeOnly: true, passwordPolicy: identity.authentication.settings.passwordPolicy, plugins: discoverPlugins() });
    logger.info({ created }, 'seed organisation loaded');
  }
  const server = await startServer({ engine, logger, port: config.port, version, ...identity, timeZone: config.timeZone, trustProxy: config.trustProxy, files: config.files, publicReports: config.publicReports });
  logger.info({ port: server.port, version }, `yiwang is listening on http://localhost:${server.port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('requests did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    await server.close();
    await engine.close();
    logger.info('stopped');
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('yiwang failed to start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
