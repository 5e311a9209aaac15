import type { Row, SqlRunner, SqlValue } from './sql.js';

/** The slices of the sqlite3 and mysql2 connection APIs the runners use. */
export interface SqliteConnection {
  prepare(sql: string, callback: (error: Error | null) => void): SqliteStatement;
}

interface SqliteStatement {
  all(params: readonly SqlValue[], callback: (error: Error | null, rows: Row[]) => void): void;
  run(params: readonly SqlValue[], callback: (this: { changes: number }, error: Error | null) => void): void;
  finalize(callback?: () => void): void;
}

const SQLITE_STATEMENT_CACHE = 500;

export interface MysqlConnection {
  execute(sql: string, params: readonly SqlValue[], callback: (error: Error | null, result: unknown) => void): void;
  query(sql: string, callback: (error: Error | null, result: unknown) => void): void;
}

/**
 * SQLite numbers its parameters `?1, ?2`: `$n` becomes `?n`, so any order or repetition binds
 * right. Statements are prepared once and reused: node-sqlite3 would otherwise parse and plan
 * every statement anew, which cost more than running it.
 */
export interface SqliteRunner extends SqlRunner {
  /** finalizes the prepared statements; SQLite refuses to close a connection that has any */
  finalizeAll(): Promise<void>;
}

export function sqliteRunner(connection: SqliteConnection): SqliteRunner {
  const statements = new Map<string, Promise<SqliteStatement>>();
  const prepared = (sql: string): Promise<SqliteStatement> => {
    const cached = statements.get(sql);
    if (cached) {
      // re-insert: the map's order is the eviction order, least recently used first
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const statement = new Promise<SqliteStatement>((resolve, reject) => {
      const created = connection.prepare(sql.replace(/\$(\d+)/g, '?$1'), (error) => (error ? reject(error) : resolve(created)));
    });
    statement.catch(() => statements.delete(sql));
    statements.set(sql, statement);
    if (statements.size > SQLITE_STATEMENT_CACHE) evictOldest(statements);
    return statement;
  };
  return {
    select: async (sql, bind = []) => {
      const statement = await prepared(sql);
      return new Promise((resolve, reject) => statement.all([...bind], (error, rows) => (error ? reject(error) : resolve(rows))));
    },
    execute: async (sql, bind = []) => {
      const statement = await prepared(sql);
      return new Promise((resolve, reject) =>
        statement.run([...bind], function (error) {
          if (error) reject(error);
          else resolve(this.changes);
        }),
      );
    },
    finalizeAll: async () => {
      const all = [...statements.values()];
      statements.clear();
      for (const statement of await Promise.allSettled(all)) {
        if (statement.status === 'fulfilled') await new Promise<void>((done) => statement.value.finalize(done));
      }
    },
  };
}

function evictOldest(statements: Map<string, Promise<SqliteStatement>>): void {
  const [oldest] = statements;
  if (!oldest) return;
  statements.delete(oldest[0]);
  void oldest[1].then((statement) => statement.finalize(), () => undefined);
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
