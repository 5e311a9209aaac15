import type { Actor, Command, CommandExecutor } from '../../command/index.js';
import { DbSession, type Database } from '../../persistence/index.js';
import { queryScope, type Principal } from '../access.js';
import type { Principals } from '../principals.js';

/** Reads for a request's caller: a session restricted to the rows their principal may see. */
export function readAs<T>(database: Database, principal: Principal, work: (session: DbSession) => Promise<T>): Promise<T> {
  return database.read((sql) => work(new DbSession(sql, queryScope(principal))));
}

/**
 * Runs one change of roles, groups or the permission catalogue for the caller. Cached principals
 * are forgotten afterwards: the change may have altered what someone may do or see.
 */
export async function changeOrganisation<T>(executor: CommandExecutor, command: Command<T>, actor: Actor, principals?: Principals): Promise<T> {
  const result = await executor.execute(command, { actor });
  principals?.invalidate();
  return result;
}
