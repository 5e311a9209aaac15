import type BetterSqlite3 from 'better-sqlite3';
import type { Row, SqlRunner, SqlValue } from './sql.js';

const SQLITE_STATEMENT_CACHE = 500;

export interface MysqlConnection {
  execute(sql: string, params: readonly SqlValue[], callback: (error: Error | null, result: unknown) => void): void;
  query(sql: string, callback: (error: Error | null, result: unknown) => void): void;
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
 * mysql2 prepared statements (`execute`): values travel separately from the SQL text. mysql2
 * knows only `?`, so each `$n` becomes `?` and the values are lined up in order of appearance.
 * The callback API, because mysql2's promise wrapper captures a stack trace for every statement.
 */
export function mysqlRunner(connection: MysqlConnection): SqlRunner {
  return {
    async select(sql, bind = []) {
      return (await run(connection, sql, bind)) as Row[];
    },
    async execute(sql, bind = []) {
      return ((await run(connection, sql, bind)) as { affectedRows?: number }).affectedRows ?? 0;
    },
  };
}

function run(connection: MysqlConnection, sql: string, bind: readonly SqlValue[]): Promise<unknown> {
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
