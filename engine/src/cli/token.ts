import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { ApiKeys, ensurePlatformAdmin, PLATFORM_ADMIN_USER, Principals } from '../identity/index.js';
import { ProcessEngine } from '../services/index.js';

export const TOKEN_USAGE = `usage: yiwang token <command>   (in development: npm run token -w @yiwang/engine -- <command>)
  create <name> [--expires-days N] [--user ID] [--tenant ID] [--permissions P,Q]
        prints a new API key once; it acts for the user (default: ${PLATFORM_ADMIN_USER}), in the tenant
        (default: the user's own, or one below it that the user sees), with the permissions listed
        (default: all of the user's)
  list  id, name, user, tenant, permissions, created, expires, last used
  revoke <id>   deletes a key; requests with it get 401 from then on`;

/**
 * API keys for `/engine-rest` and `/api` (`Authorization: Bearer <key>`), on the database the
 * server uses (`DATABASE_URL`, relative SQLite paths read from where npm was started). The command
 * line acts for the platform: it sees every tenant's keys. On a database no server has started on
 * yet, it first sets up the platform administrator as a server's first start does.
 */
export async function tokenCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'expires-days': { type: 'string' }, user: { type: 'string' }, tenant: { type: 'string' }, permissions: { type: 'string' } },
  });
  const [command, argument] = positionals;
  const config = loadConfig(process.env, process.env.INIT_CWD ?? process.cwd());
  const engine = await ProcessEngine.open({ database: config.database });
  try {
    await ensurePlatformAdmin(engine, process.env.YIWANG_ADMIN_PASSWORD || undefined, (message) => console.log(message), config.authentication.passwordPolicy);
    const keys = new ApiKeys(engine, new Principals(engine.database, engine.environment.clock));
    if (command === 'create' && argument) {
      const created = await keys.create(
        {
          name: argument,
          userId: values.user ?? PLATFORM_ADMIN_USER,
          tenantId: values.tenant,
          permissions: values.permissions?.split(',').map((permission) => permission.trim()),
          expiresInDays: expiresDays(values['expires-days']),
        },
        null,
        null,
      );
      console.log(`API key '${argument}' (id ${created.id}) for ${created.userId} in tenant ${created.tenantId}${created.expires ? `, expires ${created.expires.toISOString()}` : ', never expires'}:`);
      console.log(created.key);
      console.log('It is shown only now; send it as "Authorization: Bearer <key>".');
    } else if (command === 'list') {
      for (const key of await keys.list(null)) {
        console.log(
          [key.id, key.name, key.userId, key.tenantId ?? '-', key.permissions?.join(',') ?? 'all', key.created.toISOString(), key.expires?.toISOString() ?? 'never', key.lastUsed?.toISOString() ?? 'unused'].join('\t'),
        );
      }
    } else if (command === 'revoke' && argument) {
      await keys.revoke(argument, null);
      console.log(`revoked ${argument}`);
    } else {
      console.error(TOKEN_USAGE);
      process.exitCode = 2;
    }
  } finally {
    await engine.close();
  }
}

function expiresDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!Number.isFinite(days) || days <= 0) throw new Error(`--expires-days must be a positive number of days, got '${value}'`);
  return days;
}
