import type { Row, SqlValue } from './sql.js';

/** How a property is stored; the mapper converts between the entity's JS value and the column. */
export type ColumnKind = 'string' | 'int' | 'double' | 'bool' | 'date' | 'json' | 'bytes';

export interface Table<E extends { id: string }> {
  readonly name: string;
  /** versioned tables carry `rev` and are updated and deleted with a revision check */
  readonly versioned: boolean;
  readonly columns: readonly Column<E>[];
  readonly columnList: string;
}

interface Column<E> {
  readonly property: keyof E & string;
  readonly column: string;
  readonly kind: ColumnKind;
}

/** Columns are the snake_case of their property unless `columnNames` says otherwise (SQL reserved words). */
export function defineTable<E extends { id: string }>(
  name: string,
  columns: { [P in keyof E & string]: ColumnKind },
  columnNames: Partial<Record<keyof E & string, string>> = {},
): Table<E> {
  const list = Object.entries(columns).map(([property, kind]) => ({
    property: property as keyof E & string,
    column: columnNames[property as keyof E & string] ?? snakeCase(property),
    kind: kind as ColumnKind,
  }));
  return { name, versioned: 'rev' in columns, columns: list, columnList: list.map((c) => c.column).join(', ') };
}

function snakeCase(property: string): string {
  return property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function toRow<E extends { id: string }>(table: Table<E>, entity: E): SqlValue[] {
  return table.columns.map((c) => toSql(c.kind, entity[c.property]));
}

export function fromRow<E extends { id: string }>(table: Table<E>, row: Row): E {
  const entity: Record<string, unknown> = {};
  for (const c of table.columns) entity[c.property] = fromSql(c.kind, row[c.column]);
  return entity as E;
}

function toSql(kind: ColumnKind, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'date':
      return formatTimestamp(value as Date);
    case 'bool':
      return value ? 1 : 0;
    case 'json':
      return JSON.stringify(value);
    default:
      return value as SqlValue;
  }
}

function fromSql(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'date':
      return parseTimestamp(value);
    case 'bool':
      return value === true || value === 1 || value === '1';
    case 'int':
    case 'double':
      return Number(value);
    case 'json':
      return JSON.parse(String(value));
    case 'bytes':
      return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
    default:
      return String(value);
  }
}

/** UTC, millisecond precision, a format both SQLite (as text) and MariaDB (DATETIME(3)) order correctly. */
export function formatTimestamp(date: Date): string {
  // a command stamps most of its rows with the same instant: remember the last one formatted
  const time = date.getTime();
  if (time !== lastFormatted.time) {
    lastFormatted.text = date.toISOString().replace('T', ' ').slice(0, 23);
    lastFormatted.time = time;
  }
  return lastFormatted.text;
}

const lastFormatted = { time: Number.NaN, text: '' };

function parseTimestamp(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
}
