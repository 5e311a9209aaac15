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
}

/** `$1, $2, ...` for `count` values starting after `offset` already used placeholders. */
export function placeholders(count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => `$${offset + i + 1}`).join(', ');
}
