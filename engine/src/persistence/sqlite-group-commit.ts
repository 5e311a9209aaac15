import type { SqlRunner } from './sql.js';

interface Unit {
  readonly work: (sql: SqlRunner) => Promise<unknown>;
  readonly writes: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const MAX_UNITS_PER_COMMIT = 64;

/**
 * Group commit for SQLite's single connection. With synchronous=FULL every COMMIT waits for the
 * disk; commands that arrive while one commits share the next transaction instead of each paying
 * for its own sync. Each command runs inside its own SAVEPOINT, so a failing command rolls back
 * alone, exactly as if it had its own transaction; and no command is answered before the COMMIT
 * that made it durable. Reads join the queue so they never see a command's uncommitted rows
 * from outside — their answers, too, wait for the commit of what they saw.
 */
export class SqliteGroupCommit {
  private readonly queue: Unit[] = [];
  private draining: Promise<void> | null = null;

  constructor(private readonly runner: SqlRunner) {}

  /** Resolves once every submitted unit has been answered. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  submit<T>(work: (sql: SqlRunner) => Promise<T>, writes: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, writes, resolve: resolve as (value: unknown) => void, reject });
      this.draining ??= this.drain();
    });
  }

  /**
   * Each group starts on the next turn of the event loop, not at once: the callers answered by
   * the previous commit resume through a chain of promise callbacks, and starting at once would
   * take only the first of them into the group and leave the others to pay for a commit each.
   */
  private async drain(): Promise<void> {
    try {
      for (;;) {
        await nextTurn();
        if (this.queue.length === 0) return;
        await this.commitGroup(this.queue.splice(0, MAX_UNITS_PER_COMMIT));
      }
    } finally {
      this.draining = null;
    }
  }

  private async commitGroup(units: Unit[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      // a group of reads only needs a consistent snapshot, not the write lock
      await this.runner.execute(units.some((u) => u.writes) ? 'BEGIN IMMEDIATE' : 'BEGIN');
      for (const unit of units) outcomes.push(await this.runUnit(unit));
      await this.runner.execute('COMMIT');
    } catch (failure) {
      // BEGIN or COMMIT failed (disk full, I/O error): nothing of the group is durable
      await this.runner.execute('ROLLBACK').catch(() => undefined);
      for (const unit of units) unit.reject(failure);
      return;
    }
    units.forEach((unit, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }

  private async runUnit(unit: Unit): Promise<Outcome> {
    if (!unit.writes) return settle(unit.work(this.runner));
    await this.runner.execute('SAVEPOINT command');
    const outcome = await settle(unit.work(this.runner));
    await this.runner.execute(outcome.ok ? 'RELEASE command' : 'ROLLBACK TO command');
    if (!outcome.ok) await this.runner.execute('RELEASE command');
    return outcome;
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function settle(promise: Promise<unknown>): Promise<Outcome> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}
