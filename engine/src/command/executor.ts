import { BadUserRequestError, ConflictError, EngineError, OptimisticLockingError } from '../errors/index.js';
import type { Database } from '../persistence/index.js';
import { CommandContext, type Actor, type EngineEnvironment } from './context.js';

/** A change of engine state: inputs in the constructor, one `execute`. No transaction code inside. */
export interface Command<T> {
  readonly name: string;
  execute(context: CommandContext): Promise<T>;
}

export interface CommandOptions {
  /** the authenticated user on whose behalf the command runs; recorded in history and the operation log */
  readonly userId?: string | null;
  /** the person or client the command runs for: scopes its reads and is written to the audit log */
  readonly actor?: Actor | null;
}

/**
 * Runs each command in its own transaction: the command works against a unit of work, which is
 * flushed and committed once — or nothing is written and the previous wait state stays as it was.
 */
export class CommandExecutor {
  /** told, after the commit, of the earliest job a command created (the job executor wakes for it) */
  onJobScheduled: ((dueDate: Date) => void) | null = null;
  /** told, after the commit, of the topics on which a command made external tasks fetchable (waiting fetches wake) */
  readonly externalTaskListeners = new Set<(topics: ReadonlySet<string>) => void>();

  constructor(
    private readonly database: Database,
    private readonly environment: EngineEnvironment,
  ) {}

  async execute<T>(command: Command<T>, options: CommandOptions = {}): Promise<T> {
    const started = performance.now();
    try {
      let jobDue: Date | null = null;
      let fetchableTopics: ReadonlySet<string> = new Set();
      const result = await this.database.transaction(async (sql) => {
        const context = new CommandContext(sql, this.environment, options.userId ?? null, options.actor ?? null);
        const value = await command.execute(context);
        await context.close(command.name);
        jobDue = context.earliestJobDue;
        fetchableTopics = context.externalTaskTopics;
        return value;
      });
      if (jobDue) this.onJobScheduled?.(jobDue);
      if (fetchableTopics.size > 0) for (const listener of this.externalTaskListeners) listener(fetchableTopics);
      this.environment.logger.debug({ command: command.name, ms: elapsed(started) }, 'command executed');
      return result;
    } catch (error) {
      const mapped = mapDatabaseError(error);
      const level = mapped instanceof EngineError ? 'debug' : 'error';
      this.environment.logger[level]({ command: command.name, ms: elapsed(started), err: mapped }, 'command failed');
      throw mapped;
    }
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

/**
 * Lost races reported by the database itself become the same conflict the revision check raises;
 * a value wider than its column is the caller's to shorten.
 */
function mapDatabaseError(error: unknown): unknown {
  if (error instanceof EngineError || !(error instanceof Error)) return error;
  const code = driverCode(error);
  if (code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT') {
    return new OptimisticLockingError(`a concurrent command holds the same rows (${code}); retry the operation`, { cause: error });
  }
  if (code === 'ER_DUP_ENTRY' || (code?.startsWith('SQLITE_CONSTRAINT') && /UNIQUE|PRIMARY KEY/.test(error.message)) || error.name === 'SequelizeUniqueConstraintError') {
    return new ConflictError(`a concurrent command created the same entry first (${error.message}); retry the operation`, { cause: error });
  }
  if (code === 'ER_DATA_TOO_LONG') {
    return new BadUserRequestError(`A value is too long to be stored: ${error.message}`, { cause: error });
  }
  return error;
}

/**
 * The driver's error code: mysql2 and better-sqlite3 put it on the error itself (better-sqlite3's
 * is the extended code, `SQLITE_CONSTRAINT_PRIMARYKEY`), sequelize on the error it wraps.
 */
function driverCode(error: Error): string | undefined {
  const { code, parent } = error as { code?: unknown; parent?: { code?: unknown } };
  const found = code ?? parent?.code;
  return typeof found === 'string' ? found : undefined;
}
