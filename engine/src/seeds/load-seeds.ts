import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../command/index.js';
import { ConflictError } from '../errors/index.js';
import { checkPasswordPolicy, hashPassword } from '../identity/authentication/passwords.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../identity/authentication/settings.js';
import type { PluginCatalogue } from '../plugins/index.js';
import type { ProcessEngine } from '../services/index.js';
import { LoadSeedsCmd, type SeedSummary } from './load-seeds-cmd.js';
import { readSeedData, SeedDataError, type SeedData } from './seed-data.js';

export interface LoadSeedsOptions {
  /** the seed set: `tenants.json`, `organisation-*.json`, `users.json` */
  readonly directory: string;
  /** the password of the demo users created now; undefined: one is generated and announced */
  readonly demoPassword: string | undefined;
  /** shows a generated password to the person starting the platform; it must not go to a log */
  readonly announce: (message: string) => void;
  /** the platform administrator loading seeds by request: the load is then audited as `seed.<name>` */
  readonly actor?: Actor;
  /** at start: load only a seed set never loaded before (deleted seeded rows stay deleted); by request: fill in what is missing */
  readonly firstTimeOnly?: boolean;
  /** the platform's password policy, which the demo password must meet (default: the built-in one) */
  readonly passwordPolicy?: PasswordPolicy;
  /**
   * the plugin folders (`discoverPlugins()`) the plugins `tenants.json` names are installed from,
   * after the organisation, in the same transaction; omitted: the set's plugins are not installed
   */
  readonly plugins?: PluginCatalogue;
}

/**
 * Reads and checks a seed set, then creates what of it is missing in one transaction. Loading again
 * creates nothing; a seed set with a mistake writes nothing and throws a `SeedDataError` naming the
 * file and entry. When this load creates demo users and no password was configured, one password
 * is generated for all of them and announced once.
 */
export async function loadSeeds(engine: ProcessEngine, options: LoadSeedsOptions): Promise<SeedSummary> {
  const data = await readSeedData(options.directory);
  if (options.plugins) checkPlugins(data, options.directory, options.plugins);
  const policy = options.passwordPolicy ?? DEFAULT_PASSWORD_POLICY;
  if (options.demoPassword !== undefined) checkDemoPassword(options.demoPassword, policy);
  const password = new DemoPassword(options.demoPassword, policy);
  const command = new LoadSeedsCmd(data, () => password.hash(), options.firstTimeOnly ?? false, options.plugins ?? null);
  const summary = await executeOnceMore(engine, command, options.actor);
  if (summary.users > 0) options.announce(demoLogins(data));
  if (summary.users > 0 && password.generated) {
    options.announce(
      `演示账号的初始密码 (the demo accounts' password): ${password.generated}  — 只显示这一次 (shown only this once; set YIWANG_DEMO_PASSWORD to choose it)`,
    );
  }
  return summary;
}

/** The demo accounts, one line each: login id, name, roles and tenant (names as the seed set gives them). */
function demoLogins(data: SeedData): string {
  const tenantNames = new Map(data.tenants.map((tenant) => [tenant.id, tenant.name]));
  const roleNames = new Map(data.organisations.flatMap((organisation) => organisation.tenants.flatMap((tenant) => organisation.roles.map((role) => [`${tenant}/${role.code}`, role.name] as const))));
  const width = Math.max(...data.users.map((user) => user.id.length));
  const lines = data.users.map((user) => {
    const roles = user.roles.map((code) => roleNames.get(`${user.tenant}/${code}`) ?? code).join('、');
    return `  ${user.id.padEnd(width)}  ${user.name}  ${roles}  ${tenantNames.get(user.tenant) ?? user.tenant} ${user.tenant}`;
  });
  return [`演示账号 (demo logins; the staff app at /runtime/, the designer at /designer/):`, ...lines].join('\n');
}

/** Every plugin the seed set names is in the plugin folders, valid and installable — checked before anything is written. */
function checkPlugins(data: SeedData, directory: string, catalogue: PluginCatalogue): void {
  const problems: string[] = [];
  for (const tenant of data.tenants) {
    for (const name of tenant.plugins ?? []) {
      const where = `${path.join(directory, 'tenants.json')}: tenant '${tenant.id}' names the plugin '${name}'`;
      const plugin = catalogue.plugins.get(name);
      const refused = catalogue.invalid.find((error) => error.plugin === name);
      if (plugin?.manifest.status === 'available') continue;
      if (plugin) problems.push(`${where}, which is planned and cannot be installed yet`);
      else if (refused) problems.push(`${where}, whose manifest is refused: ${refused.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
      else problems.push(`${where}, which is not in the plugin folders`);
    }
  }
  if (problems.length > 0) throw new SeedDataError(problems);
}

/** Engine processes starting together on one database may both insert a missing row; the one that loses finds it on its second try. */
async function executeOnceMore(engine: ProcessEngine, command: LoadSeedsCmd, actor: Actor | undefined): Promise<SeedSummary> {
  try {
    return await engine.commandExecutor.execute(command, { actor });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return engine.commandExecutor.execute(command, { actor });
  }
}

function checkDemoPassword(password: string, policy: PasswordPolicy): void {
  try {
    checkPasswordPolicy(password, policy);
  } catch (error) {
    throw new Error(`YIWANG_DEMO_PASSWORD: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The configured password, or one generated on first use; hashed once (argon2 is slow on purpose) and the hash reused. */
class DemoPassword {
  generated: string | null = null;
  private hashed: Promise<string> | null = null;

  constructor(
    private readonly configured: string | undefined,
    private readonly policy: PasswordPolicy,
  ) {}

  hash(): Promise<string> {
    this.hashed ??= hashPassword(this.configured ?? (this.generated = generatePassword(this.policy)));
    return this.hashed;
  }
}

/** At least 16 random characters that meet the password policy (a draw lacking a character class is drawn again). */
function generatePassword(policy: PasswordPolicy): string {
  // base64url mixes four classes at most, and three ('-' and '_' are rare): a policy asking for all four takes a few more draws
  const bytes = Math.ceil((Math.max(16, policy.minLength) * 3) / 4);
  for (;;) {
    const candidate = randomBytes(bytes).toString('base64url');
    try {
      checkPasswordPolicy(candidate, policy);
      return candidate;
    } catch {
      // about one draw in fifteen has no digit or no capital: draw again
    }
  }
}
