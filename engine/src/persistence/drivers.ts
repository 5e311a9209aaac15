import type BetterSqlite3 from 'better-sqlite3';
import type { Row, SqlRunner, SqlValue, Statement } from './sql.js';

const SQLITE_STATEMENT_CACHE = 500;

/** The slice of mysql2's connection API the runner uses. */
export interface MysqlConnection {
  execute(sql: string, params: readonly SqlValue[], callback: (error: Error | null, result: unknown) => void): void;
  query(sql: string, callback: (error: Error | null, result: unknown) => void): void;
  escape(value: SqlValue): string;
}

/** A prepared statement and, for each `?` in it, the index of the `$n` value it binds. */
interface SqliteStatement {
  readonly statement: BetterSqlite3.Statement;
  readonly order: readonly number[];
  /** `$1, $2, ...` in order: the values can be passed as they come */
  readonly inOrder: boolean;
}

/**
 * SQLite through better-sqlite3: a statement runs synchronously on the calling thread in
 * microseconds. node-sqlite3 ran each one on the libuv thread pool, and the hop there and back
 * cost more than the statement itself (the main thread sat idle half of the time).
 *
 * better-sqlite3 binds `?` by position, so each `$n` becomes `?` and the values are lined up in
 * order of appearance. Statements are prepared once and reused (LRU, 500): parsing and planning
 * cost more than running them.
 */
export function sqliteRunner(connection: BetterSqlite3.Database): SqlRunner {
  const statements = new Map<string, SqliteStatement>();
  const prepared = (sql: string): SqliteStatement => {
    const cached = statements.get(sql);
    if (cached) {
      // re-insert: the map's order is the eviction order, least recently used first
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const created = prepareSqlite(connection, sql);
    statements.set(sql, created);
    // better-sqlite3 finalizes a dropped statement when it is garbage collected
    if (statements.size > SQLITE_STATEMENT_CACHE) statements.delete(statements.keys().next().value as string);
    return created;
  };
  return {
    select: async (sql, bind = []) => {
      const found = prepared(sql);
      const values = sqliteValues(bind, found);
      if (found.statement.reader) return found.statement.all(values) as Row[];
      found.statement.run(values);
      return [];
    },
    execute: async (sql, bind = []) => {
      const found = prepared(sql);
      return found.statement.run(sqliteValues(bind, found)).changes;
    },
    batch: async (batch) =>
      batch.map(({ sql, bind }) => {
        const found = prepared(sql);
        return found.statement.run(sqliteValues(bind, found)).changes;
      }),
  };
}

function prepareSqlite(connection: BetterSqlite3.Database, sql: string): SqliteStatement {
  const order: number[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, index: string) => {
    order.push(Number(index) - 1);
    return '?';
  });
  return { statement: connection.prepare(text), order, inOrder: order.every((position, i) => position === i) };
}

/** SQLite has no boolean: true/false are stored as 1/0, as node-sqlite3 and MariaDB do. */
function sqliteValues(bind: readonly SqlValue[], { order, inOrder }: SqliteStatement): unknown[] {
  const values: unknown[] = inOrder && bind.length === order.length ? [...bind] : order.map((position) => bind[position] ?? null);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (typeof value === 'boolean') values[i] = value ? 1 : 0;
    else if (value === undefined) values[i] = null;
  }
  return values;
}

/**
 * MariaDB/MySQL through mysql2. mysql2 sends one statement and waits for its answer before the
 * next, so a command costs one round trip per statement; on this path the round trips, not the
 * statements, are what costs (CPU in mysql2's packet handling and in the server's network
 * layer on both sides of each).
 *
 * - Single statements are mysql2 prepared statements (`execute`): values travel apart from the
 *   SQL text. mysql2 knows only `?`, so each `$n` becomes `?`, values lined up in order.
 * - A batch (the flush of a command) is one multi-statement text query: one round trip for all
 *   of a command's writes. Values are escaped by mysql2's own escaping (`connection.escape`),
 *   never spliced by hand; `openMariaDb` makes sure the session's sql_mode keeps backslash
 *   escapes, on which that escaping relies.
 * - `opening` (`START TRANSACTION`) is not a round trip of its own: it travels in front of the
 *   first statement the command sends, in the same text query. A command that sends nothing
 *   never opens a transaction (`opened` stays false) and needs no COMMIT.
 *
 * The callback API throughout: mysql2's promise wrapper captures a stack trace per statement.
 */
export class MysqlRunner implements SqlRunner {
  private pendingOpening: string | null;

  constructor(
    private readonly connection: MysqlConnection,
    opening: string | null = null,
  ) {
    this.pendingOpening = opening;
  }

  /** Whether the opening statement was sent (with whatever followed it). */
  get opened(): boolean {
    return this.pendingOpening === null;
  }

  async select(sql: string, bind: readonly SqlValue[] = []): Promise<Row[]> {
    return (await this.single({ sql, bind })) as Row[];
  }

  async execute(sql: string, bind: readonly SqlValue[] = []): Promise<number> {
    return affectedRows(await this.single({ sql, bind }));
  }

  async batch(statements: readonly Statement[]): Promise<number[]> {
    const counts: number[] = [];
    for (const part of batchParts(statements)) {
      if (part.length === 1) counts.push(affectedRows(await this.single(part[0] as Statement)));
      else counts.push(...(await this.textQuery(part)).slice(-part.length).map(affectedRows));
    }
    return counts;
  }

  async selectMany(statements: readonly Statement[]): Promise<Row[][]> {
    if (statements.some(hasLargeValue)) return Promise.all(statements.map((statement) => this.select(statement.sql, statement.bind)));
    return (await this.textQuery(statements)).slice(-statements.length) as Row[][];
  }

  /** The statement's result; the pending opening travels with it unless it carries a large value. */
  private async single(statement: Statement): Promise<unknown> {
    if (this.pendingOpening !== null) {
      if (!hasLargeValue(statement)) return (await this.textQuery([statement])).at(-1);
      await this.textQuery([]);
    }
    return prepared(this.connection, statement.sql, statement.bind);
  }

  /** One round trip: the pending opening, if any, then the statements; one result per statement. */
  private textQuery(statements: readonly Statement[]): Promise<unknown[]> {
    const texts = statements.map(({ sql, bind }) => inline(this.connection, sql, bind));
    if (this.pendingOpening !== null) texts.unshift(this.pendingOpening);
    this.pendingOpening = null;
    return new Promise((resolve, reject) => {
      this.connection.query(texts.join(';\n'), (error, result) => {
        if (error) reject(error);
        else resolve(texts.length === 1 ? [result] : (result as unknown[]));
      });
    });
  }
}

/**
 * A batch is cut where it would grow past 1 MiB of SQL text (max_allowed_packet is 16 MiB by
 * default and escaping can double binary data); a statement carrying a large value goes alone
 * as a prepared statement, whose values are sent in binary.
 */
const MAX_BATCH_TEXT = 1 << 20;
const LARGE_VALUE = 64 << 10;

function batchParts(statements: readonly Statement[]): Statement[][] {
  const parts: Statement[][] = [];
  let current: Statement[] = [];
  let size = 0;
  for (const statement of statements) {
    const weight = statement.sql.length + statement.bind.reduce<number>((sum, value) => sum + valueSize(value), 0);
    const alone = hasLargeValue(statement);
    if (current.length > 0 && (alone || size + weight > MAX_BATCH_TEXT)) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push(statement);
    size += weight;
    if (alone) {
      parts.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

function hasLargeValue(statement: Statement): boolean {
  return statement.bind.some((value) => valueSize(value) > LARGE_VALUE);
}

function valueSize(value: SqlValue): number {
  if (typeof value === 'string') return value.length * 2;
  if (Buffer.isBuffer(value)) return value.length * 2;
  return 8;
}

/** `$n` replaced by mysql2's escaped literal of the n-th value. */
function inline(connection: MysqlConnection, sql: string, bind: readonly SqlValue[]): string {
  return sql.replace(/\$(\d+)/g, (_, index: string) => connection.escape(bind[Number(index) - 1] ?? null));
}

function affectedRows(result: unknown): number {
  return (result as { affectedRows?: number } | undefined)?.affectedRows ?? 0;
}

function prepared(connection: MysqlConnection, sql: string, bind: readonly SqlValue[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result));
    if (bind.length === 0 && !sql.includes('$')) {
      connection.query(sql, done);
      return;
    }
    const values: SqlValue[] = [];
    const text = sql.replace(/\$(\d+)/g, (_, index: string) => {
      values.push(bind[Number(index) - 1] ?? null);
      return '?';
    });
    connection.execute(text, values, done);
  });
}
