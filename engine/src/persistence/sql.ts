/**
 * What the engine needs from a database connection: parameterised statements only.
 * Placeholders are `$1`, `$2`, ... in every dialect; values are bound by the driver, never spliced.
 */
export type SqlValue = string | number | boolean | null | Buffer;
export type Row = Record<string, unknown>;

export interface SqlRunner {
  select(sql: string, bind?: readonly SqlValue[]): Promise<Row[]>;
  /** INSERT/UPDATE/DELETE; resolves to the number of affected rows */
  execute(sql: string, bind?: readonly SqlValue[]): Promise<number>;
  /**
   * Several INSERT/UPDATE/DELETE statements, each one's affected rows in order. A runner whose
   * round trips are what costs (MariaDB) sends them at once; without it they run one by one.
   * The first failing statement rejects the whole batch; the ones after it may not have run.
   */
  batch?(statements: readonly Statement[]): Promise<number[]>;
  /** Several SELECTs, each one's rows in order; like `batch`, one round trip where that is what costs. */
  selectMany?(statements: readonly Statement[]): Promise<Row[][]>;
}

export interface Statement {
  readonly sql: string;
  readonly bind: readonly SqlValue[];
}

/** Runs statements through the runner's `batch` when it has one, otherwise one at a time. */
export async function executeAll(runner: SqlRunner, statements: readonly Statement[]): Promise<number[]> {
  if (statements.length === 0) return [];
  if (runner.batch) return runner.batch(statements);
  const counts: number[] = [];
  for (const { sql, bind } of statements) counts.push(await runner.execute(sql, bind));
  return counts;
}

/** `$1, $2, ...` for `count` values starting after `offset` already used placeholders. */
export function placeholders(count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => `$${offset + i + 1}`).join(', ');
}

/** Runs SELECTs through the runner's `selectMany` when it has one, otherwise one at a time. */
export async function selectAll(runner: SqlRunner, statements: readonly Statement[]): Promise<Row[][]> {
  if (runner.selectMany && statements.length > 1) return runner.selectMany(statements);
  const results: Row[][] = [];
  for (const { sql, bind } of statements) results.push(await runner.select(sql, bind));
  return results;
}
