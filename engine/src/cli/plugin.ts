import { parseArgs } from 'node:util';
import type { Command } from '../command/index.js';
import { loadConfig } from '../config/index.js';
import { actorOf, ensurePlatformAdmin, PLATFORM_ADMIN_USER, Principals } from '../identity/index.js';
import { DbSession, TENANT } from '../persistence/index.js';
import {
  discoverPlugins,
  DisablePluginCmd,
  EnablePluginCmd,
  InstallPluginCmd,
  listPlugins,
  UninstallPluginCmd,
  UpgradePluginCmd,
  type PluginCatalogue,
  type PluginChange,
  type PluginStateChange,
} from '../plugins/index.js';
import { ProcessEngine } from '../services/index.js';

export const PLUGIN_USAGE = `usage: yiwang plugin <command>   (in development: npx tsx src/cli/index.ts plugin <command> in engine/)
  list [--tenant ID]                 the plugins of the plugin folders (plugins/ and YIWANG_PLUGINS_DIR) with
                                     their state in each tenant (or in the one named)
  install <name> --tenant ID         installs the plugin (and the dependencies it lacks) into the tenant
  upgrade <name> --tenant ID         upgrades it to the version in the plugin folders
  disable <name> --tenant ID         menus off, no new cases; running cases finish
  enable <name> --tenant ID          reverses disable
  uninstall <name> --tenant ID       removes it (refused while its cases are open)
  Acts as the platform administrator (${PLATFORM_ADMIN_USER}) on the database DATABASE_URL names; every change is audited.`;

/** `yiwang plugin …` on the database the server uses. */
export async function pluginCommand(argv: string[]): Promise<void> {
  const config = loadConfig(process.env, process.env.INIT_CWD ?? process.cwd());
  const engine = await ProcessEngine.open({ database: config.database });
  try {
    await ensurePlatformAdmin(engine, process.env.YIWANG_ADMIN_PASSWORD || undefined, (message) => console.log(message), config.authentication.passwordPolicy);
    process.exitCode = await runPluginCli(engine, argv, discoverPlugins(), (line) => console.log(line));
  } finally {
    await engine.close();
  }
}

/** The command line's work on an open engine, printing through `print`; answers the exit code. */
export async function runPluginCli(engine: ProcessEngine, argv: string[], catalogue: PluginCatalogue, print: (line: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { tenant: { type: 'string' } } });
  const [command, name] = positionals;
  for (const invalid of catalogue.invalid) print(`refused: ${invalid.message}`);
  if (command === 'list') {
    await printList(engine, catalogue, values.tenant, print);
    return 0;
  }
  const lifecycle: Record<string, (name: string, tenant: string) => Command<PluginChange | PluginStateChange>> = {
    install: (plugin, tenant) => new InstallPluginCmd(catalogue, plugin, tenant),
    upgrade: (plugin, tenant) => new UpgradePluginCmd(catalogue, plugin, tenant),
    disable: (plugin, tenant) => new DisablePluginCmd(plugin, tenant),
    enable: (plugin, tenant) => new EnablePluginCmd(plugin, tenant),
    uninstall: (plugin, tenant) => new UninstallPluginCmd(plugin, tenant),
  };
  const make = command ? lifecycle[command] : undefined;
  if (!make || !name || !values.tenant) {
    print(PLUGIN_USAGE);
    return 2;
  }
  const principal = await new Principals(engine.database, engine.environment.clock).load(PLATFORM_ADMIN_USER);
  if (!principal) throw new Error(`the platform administrator '${PLATFORM_ADMIN_USER}' does not exist`);
  const result = await engine.commandExecutor.execute(make(name, values.tenant), { actor: actorOf(principal, null) });
  print(describe(command as string, result));
  return 0;
}

function describe(command: string, result: PluginChange | PluginStateChange): string {
  if (!result.changed) return `${result.plugin}: nothing to ${command} in tenant ${result.tenantId}`;
  if ('applied' in result) {
    const lines = result.applied.map((step) => `${step.plugin} ${step.from ? `${step.from} → ` : ''}${step.to}`);
    return [`${command}ed into tenant ${result.tenantId}: ${lines.join(', ')}`, ...result.notes.map((note) => `  note: ${note}`)].join('\n');
  }
  return `${result.plugin} in tenant ${result.tenantId}: ${result.state}`;
}

async function printList(engine: ProcessEngine, catalogue: PluginCatalogue, tenant: string | undefined, print: (line: string) => void): Promise<void> {
  await engine.database.read(async (sql) => {
    const session = new DbSession(sql);
    const tenants = tenant ? [tenant] : (await session.select(TENANT, '1 = 1', [], 'ORDER BY path')).map((row) => row.id);
    print(['plugin', 'version', 'status', ...tenants].join('\t'));
    const views = await Promise.all(tenants.map((id) => listPlugins(session, catalogue, id)));
    for (const [index, plugin] of (views[0] ?? []).entries()) {
      const states = views.map((list) => {
        const view = list[index];
        if (!view || view.state === 'not-installed') return '-';
        return `${view.state} ${view.installedVersion}${view.upgradeAvailable ? ' (upgrade available)' : ''}`;
      });
      print([plugin.name, plugin.version ?? '-', plugin.status, ...states].join('\t'));
    }
  });
}
