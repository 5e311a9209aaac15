import { BadUserRequestError } from '../errors/index.js';
import { formatTimestamp, type SqlValue } from '../persistence/index.js';

export interface Page {
  readonly firstResult?: number;
  readonly maxResults?: number;
}

export interface Sorting<K extends string> {
  readonly sortBy?: K;
  readonly sortOrder?: 'asc' | 'desc';
}

const MAX_PAGE_SIZE = 10_000;

/**
 * Builds the WHERE clause of a list query from optional filters. Every value is a bound
 * parameter; column names and sort keys come from code, never from the caller.
 */
export class Filter {
  private readonly clauses: string[] = [];
  private readonly values: SqlValue[] = [];

  equals(column: string, value: string | number | boolean | null | undefined): this {
    if (value === undefined) return this;
    if (value === null) this.clauses.push(`${column} IS NULL`);
    else this.clauses.push(`${column} = ${this.bind(typeof value === 'boolean' ? Number(value) : value)}`);
    return this;
  }

  in(column: string, values: readonly string[] | undefined): this {
    if (values === undefined) return this;
    if (values.length === 0) this.clauses.push('1 = 0');
    else this.clauses.push(`${column} IN (${values.map((v) => this.bind(v)).join(', ')})`);
    return this;
  }

  like(column: string, pattern: string | undefined): this {
    if (pattern !== undefined) this.clauses.push(`${column} LIKE ${this.bind(pattern)}`);
    return this;
  }

  compare(column: string, operator: '<' | '>' | '<=' | '>=', value: Date | undefined): this {
    if (value !== undefined) this.clauses.push(`${column} ${operator} ${this.bind(formatTimestamp(value))}`);
    return this;
  }

  isNull(column: string, wanted: boolean | undefined): this {
    if (wanted !== undefined) this.clauses.push(`${column} ${wanted ? 'IS NULL' : 'IS NOT NULL'}`);
    return this;
  }

  /** A clause with its own `?` markers, replaced in order by bound parameters. */
  raw(clause: string, ...values: SqlValue[]): this {
    let index = 0;
    this.clauses.push(clause.replace(/\?/g, () => this.bind(values[index++] ?? null)));
    return this;
  }

  get where(): string {
    return this.clauses.length > 0 ? this.clauses.join(' AND ') : '1 = 1';
  }

  get bindings(): SqlValue[] {
    return this.values;
  }

  private bind(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `ORDER BY ... LIMIT ... OFFSET ...` from a whitelist of sort keys; a stable tie-break on id. */
export function orderAndPage<K extends string>(
  sorting: Sorting<K>,
  columns: Record<K, string>,
  defaultSort: K,
  page: Page,
): string {
  const key = sorting.sortBy ?? defaultSort;
  // own keys only: `constructor` or `toString` would otherwise find Object.prototype's members
  const column = Object.hasOwn(columns, key) ? columns[key] : undefined;
  if (!column) throw new BadUserRequestError(`Cannot sort by '${key}': use one of ${Object.keys(columns).join(', ')}`);
  const order = sorting.sortOrder ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new BadUserRequestError(`sortOrder must be asc or desc, got '${String(order)}'`);
  const first = page.firstResult ?? 0;
  const max = page.maxResults ?? MAX_PAGE_SIZE;
  for (const [name, value] of [['firstResult', first], ['maxResults', max]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new BadUserRequestError(`${name} must be a non-negative integer, got ${value}`);
  }
  return `ORDER BY ${column} ${order.toUpperCase()}, id ${order.toUpperCase()} LIMIT ${Math.min(max, MAX_PAGE_SIZE)} OFFSET ${first}`;
}
