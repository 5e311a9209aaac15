import type { Clock, Command, CommandExecutor } from '../command/index.js';
import { DbSession, type Database } from '../persistence/index.js';

/**
 * What every service holds: the executor for commands, the database for queries, the acting user,
 * and the engine's clock, so queries that compare with "now" (is a lock expired?) agree with commands.
 */
export abstract class ServiceBase {
  constructor(
    protected readonly executor: CommandExecutor,
    protected readonly database: Database,
    protected readonly userId: string | null,
    protected readonly clock: Clock,
  ) {}

  protected run<T>(command: Command<T>): Promise<T> {
    return this.executor.execute(command, { userId: this.userId });
  }

  /** Read-only work: a session for row mapping, never flushed. */
  protected query<T>(work: (session: DbSession) => Promise<T>): Promise<T> {
    return this.database.read((sql) => work(new DbSession(sql)));
  }
}
