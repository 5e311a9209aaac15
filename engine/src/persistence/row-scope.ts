import type { SqlValue } from './sql.js';

/** A predicate with `?` markers and the values bound to them, in order. */
export interface Restriction {
  readonly clause: string;
  readonly values: readonly SqlValue[];
}

/**
 * Which rows a caller may read. The DbSession asks it for every read of a table and ANDs the
 * answer into the query, so tenant isolation and data scope live in one place (`identity/`)
 * instead of in each query. Null for a table means the caller sees all of its rows.
 */
export interface RowScope {
  restrict(table: { readonly name: string }): Restriction | null;
}

/** `where` with the scope's restriction of `table` ANDed in, its markers numbered after `bind`. */
export function scopedWhere(scope: RowScope | null, table: { readonly name: string }, where: string, bind: readonly SqlValue[]): { where: string; bind: SqlValue[] } {
  const restriction = scope?.restrict(table) ?? null;
  if (!restriction) return { where, bind: [...bind] };
  let next = bind.length;
  const clause = restriction.clause.replace(/\?/g, () => `$${++next}`);
  return { where: `(${where}) AND (${clause})`, bind: [...bind, ...restriction.values] };
}
