#!/usr/bin/env node
import { PLUGIN_USAGE, pluginCommand } from './plugin.js';
import { TOKEN_USAGE, tokenCommand } from './token.js';
import { TYPES_USAGE, typesCommand } from './types.js';
import { WORKERS_USAGE, workersCommand } from './workers.js';

const USAGE = `usage: yiwang <command>

commands:
  workers   run the installed plugins' external-task workers against /engine-rest
  plugin    list, install, upgrade, disable, enable or uninstall plugins per tenant
  token     create, list or revoke API keys for machine clients (Bearer authentication)
  types     write TypeScript interfaces of every form version (typed variables for plugin workers)
  help      this text

${WORKERS_USAGE}

${PLUGIN_USAGE}

${TOKEN_USAGE}

${TYPES_USAGE}`;

const COMMANDS: Readonly<Record<string, (argv: string[]) => Promise<void>>> = {
  workers: workersCommand,
  plugin: pluginCommand,
  token: tokenCommand,
  types: typesCommand,
  help: async () => console.log(USAGE),
};

/** `yiwang <command> ...`: the platform's command line (`bin` of @yiwang/engine). */
async function main([name, ...argv]: string[]): Promise<void> {
  const command = name === undefined || name === '--help' || name === '-h' ? COMMANDS.help : COMMANDS[name];
  if (!command) {
    console.error(`unknown command '${name}'\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  await command(argv);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
