import type { Actor, Clock, Command, CommandExecutor } from '../command/index.js';
import { NotFoundError } from '../errors/index.js';
import { DbSession, type Database, type RowScope } from '../persistence/index.js';

/** On whose behalf services act: a user id for history, and for requests the actor and the scope of their queries. */
export interface ServiceCaller {
  readonly userId: string | null;
  /** null for the engine itself and embedding code: no audit row, no restriction */
  readonly actor: Actor | null;
  readonly queryScope: RowScope | null;
  /**
   * Set when the caller's data scope narrows which cases they see within their tenants: commands
   * on a case by id (delete, variables, task actions) first check the case is one they can see.
   * Commands themselves run with the tenant scope only, as the engine must read every row of a case.
   */
  readonly casesRestricted: boolean;
}

export const SYSTEM_CALLER: ServiceCaller = { userId: null, actor: null, queryScope: null, casesRestricted: false };

/**
 * What every service holds: the executor for commands, the database for queries, the caller,
 * and the engine's clock, so queries that compare with "now" (is a lock expired?) agree with commands.
 * Every query and command goes through `query` and `run`, which apply the caller's scope.
 */
export abstract class ServiceBase {
  constructor(
    protected readonly executor: CommandExecutor,
    protected readonly database: Database,
    protected readonly caller: ServiceCaller,
    protected readonly clock: Clock,
  ) {}

  protected get userId(): string | null {
    return this.caller.userId;
  }

  protected run<T>(command: Command<T>): Promise<T> {
    return this.executor.execute(command, { userId: this.caller.userId, actor: this.caller.actor });
  }

  /** A case the caller's data scope hides answers as if it did not exist, before any command touches it. */
  protected async requireVisible(table: { readonly name: string }, id: string, noun: string): Promise<void> {
    if (!this.caller.casesRestricted) return;
    if ((await this.query((session) => session.count(table, 'id = $1', [id]))) === 0) throw new NotFoundError(`${noun} '${id}' does not exist`);
  }

  /** Read-only work: a session for row mapping, never flushed, restricted to the rows the caller may see. */
  protected query<T>(work: (session: DbSession) => Promise<T>): Promise<T> {
    return this.database.read((sql) => work(new DbSession(sql, this.caller.queryScope)));
  }
}
