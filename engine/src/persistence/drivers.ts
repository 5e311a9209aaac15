import type { Row, SqlRunner, SqlValue } from './sql.js';

/** The slices of the sqlite3 and mysql2 connection APIs the runners use. */
export interface SqliteConnection {
  all(sql: string, params: readonly SqlValue[], callback: (error: Error | null, rows: Row[]) => void): void;
  run(sql: string, params: readonly SqlValue[], callback: (this: { changes: number }, error: Error | null) => void): void;
}

export interface MysqlConnection {
  promise(): {
    execute(sql: string, params: readonly SqlValue[]): Promise<[unknown, unknown]>;
    query(sql: string): Promise<[unknown, unknown]>;
  };
}

/** SQLite numbers its parameters `?1, ?2`: `$n` becomes `?n`, so any order or repetition binds right. */
export function sqliteRunner(connection: SqliteConnection): SqlRunner {
  return {
    select: (sql, bind = []) =>
      new Promise((resolve, reject) =>
        connection.all(sql.replace(/\$(\d+)/g, '?$1'), [...bind], (error, rows) => (error ? reject(error) : resolve(rows))),
      ),
    execute: (sql, bind = []) =>
      new Promise((resolve, reject) =>
        connection.run(sql.replace(/\$(\d+)/g, '?$1'), [...bind], function (error) {
          if (error) reject(error);
          else resolve(this.changes);
        }),
      ),
  };
}

/**
 * mysql2 prepared statements (`execute`): values travel separately from the SQL text. mysql2
 * knows only `?`, so each `$n` becomes `?` and the values are lined up in order of appearance.
 */
export function mysqlRunner(connection: MysqlConnection): SqlRunner {
  const client = connection.promise();
  return {
    async select(sql, bind = []) {
      const [rows] = await run(client, sql, bind);
      return rows as Row[];
    },
    async execute(sql, bind = []) {
      const [result] = await run(client, sql, bind);
      return (result as { affectedRows?: number }).affectedRows ?? 0;
    },
  };
}

function run(client: ReturnType<MysqlConnection['promise']>, sql: string, bind: readonly SqlValue[]): Promise<[unknown, unknown]> {
  if (bind.length === 0 && !sql.includes('$')) return client.query(sql);
  const values: SqlValue[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, index: string) => {
    values.push(bind[Number(index) - 1] ?? null);
    return '?';
  });
  return client.execute(text, values);
}
