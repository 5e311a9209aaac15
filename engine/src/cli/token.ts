import { parseArgs } from 'node:util';
import { ADMIN_USER } from '../api/engine-rest/auth.js';
import { ApiTokens } from '../api/engine-rest/api-tokens.js';
import { loadConfig } from '../config/index.js';
import { ProcessEngine } from '../services/index.js';

export const TOKEN_USAGE = `usage: yiwang token <command>   (in development: npm run token -w @yiwang/engine -- <command>)
  create <name> [--expires-days N] [--user ID]   prints a new API token once (default user: ${ADMIN_USER})
  list                                            id, name, user, created, expires, last used
  revoke <id>                                     deletes a token; requests with it get 401 from then on`;

/**
 * API tokens for `/engine-rest` (`Authorization: Bearer <token>`), on the database the server uses
 * (`DATABASE_URL`, relative SQLite paths read from where npm was started).
 */
export async function tokenCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'expires-days': { type: 'string' }, user: { type: 'string' } },
  });
  const [command, argument] = positionals;
  const engine = await ProcessEngine.open({ database: loadConfig(process.env, process.env.INIT_CWD ?? process.cwd()).database });
  try {
    const tokens = new ApiTokens(engine);
    if (command === 'create' && argument) {
      const created = await tokens.create(argument, values.user ?? ADMIN_USER, expiresDays(values['expires-days']));
      console.log(`token '${argument}' (id ${created.id})${created.expires ? `, expires ${created.expires.toISOString()}` : ', never expires'}:`);
      console.log(created.token);
      console.log('It is shown only now; send it as "Authorization: Bearer <token>".');
    } else if (command === 'list') {
      for (const token of await tokens.list()) {
        console.log([token.id, token.name, token.userId, token.created.toISOString(), token.expires?.toISOString() ?? 'never', token.lastUsed?.toISOString() ?? 'unused'].join('\t'));
      }
    } else if (command === 'revoke' && argument) {
      await tokens.revoke(argument);
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
