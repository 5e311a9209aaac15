import { OptimisticLockingError } from '../errors/index.js';
import { executeAll, placeholders, selectAll, type Row, type SqlRunner, type SqlValue, type Statement } from './sql.js';
import { scopedWhere, type RowScope } from './row-scope.js';
import { fromRow, toRow, type Table } from './table.js';

type Entity = { id: string; rev?: number };

/** One query of `selectMany`: rows of `table` matching `where`. */
export interface Query<E extends Entity> {
  readonly table: Table<E>;
  readonly where: string;
  readonly bind: SqlValue[];
  readonly suffix?: string;
}

interface Tracked {
  readonly table: Table<Entity>;
  readonly entity: Entity;
  /** the row as loaded, to detect changes at flush; null for rows inserted by this session */
  readonly loaded: SqlValue[] | null;
  deleted: boolean;
}

const INSERT_CHUNK_ROWS = 200;

/**
 * The unit of work of one command (Camunda's DbSqlSession): an identity map of the rows the
 * command read or created, flushed once at the end. Each row gets at most one statement — a row
 * created and removed within the command (a token passing a gateway) is never written — and
 * updates and deletes of versioned rows check `rev`, so a concurrent change surfaces as an
 * OptimisticLockingError and the whole command rolls back.
 */
export class DbSession {
  private readonly tracked = new Map<string, Tracked>();
  private readonly statements: { sql: string; bind: SqlValue[] }[] = [];
  private readonly blindUpdates = new Map<string, { table: Table<Entity>; id: string; changes: Record<string, unknown> }>();

  /** `scope` restricts every read through this session (`select`, `findById`, `selectMany`, `count`) to the rows its caller may see */
  constructor(
    readonly sql: SqlRunner,
    readonly scope: RowScope | null = null,
  ) {}

  insert<E extends Entity>(table: Table<E>, entity: E): E {
    if (table.versioned) entity.rev = 1;
    this.tracked.set(key(table, entity.id), { table: table as Table<Entity>, entity, loaded: null, deleted: false });
    return entity;
  }

  delete<E extends Entity>(table: Table<E>, entity: E): void {
    const tracked = this.tracked.get(key(table, entity.id));
    if (!tracked) throw new Error(`${table.name} ${entity.id} is not part of this command and cannot be deleted`);
    tracked.deleted = true;
  }

  /**
   * Changes a row without reading it first (history rows: their end time, duration, state).
   * Unversioned tables only. Several updates of one row in a command merge into one statement;
   * a row this command already holds is changed in place instead.
   */
  updateById<E extends Entity>(table: Table<E>, id: string, changes: Partial<E>): void {
    if (table.versioned) throw new Error(`${table.name} is versioned: load the row and change it instead`);
    const tracked = this.tracked.get(key(table, id));
    if (tracked) {
      Object.assign(tracked.entity, changes);
      return;
    }
    const pending = this.blindUpdates.get(key(table, id));
    if (pending) Object.assign(pending.changes, changes);
    else this.blindUpdates.set(key(table, id), { table: table as Table<Entity>, id, changes: { ...changes } });
  }

  /**
   * Claims a loaded versioned row at once: `UPDATE ... WHERE id AND rev`. Answers false, without
   * failing the command, when another command changed the row first — how several workers or
   * engine processes compete for the same external tasks (and jobs) without waiting or skipping.
   */
  async claim<E extends Entity>(table: Table<E>, entity: E, changes: Partial<E>): Promise<boolean> {
    const [won] = await this.claimAll(table, [{ entity, changes }]);
    return won === true;
  }

  /**
   * Several claims in one batch (one round trip on MariaDB), tried in the order given, which is
   * the order their row locks are taken in; whether each was won. (Callers order them so that
   * concurrent commands rarely reach for the same rows: fetch-and-lock's random start. Sorting by
   * key instead made every worker start at the same row, and the more losses, the more rounds
   * and the more deadlocks between rounds.)
   */
  async claimAll<E extends Entity>(table: Table<E>, claims: readonly { readonly entity: E; readonly changes: Partial<E> }[]): Promise<boolean[]> {
    const planned = claims.map(({ entity, changes }) => {
      const tracked = this.tracked.get(key(table, entity.id));
      if (!table.versioned || !tracked?.loaded) throw new Error(`only loaded rows of versioned tables can be claimed (${table.name})`);
      const revision = entity.rev ?? 0;
      const row = toRow(tracked.table, { ...entity, ...changes, rev: revision + 1 });
      const set = assignments(tracked.table, row, (property) => property in changes);
      // the row as it is in the database once the claim is won: the claimed columns and rev; any other change to the entity is still to be flushed
      const loaded = tracked.loaded.map((value, i) => {
        const property = tracked.table.columns[i]?.property ?? '';
        return property in changes || property === 'rev' ? (row[i] ?? null) : value;
      });
      return { entity, changes, revision, tracked, loaded, update: versionedUpdate(tracked.table, entity.id, set, revision, revision + 1) };
    });
    const counts = await executeAll(this.sql, planned.map(({ update }) => update));
    return planned.map(({ entity, changes, revision, tracked, loaded }, index) => {
      if (counts[index] !== 1) return false;
      Object.assign(entity, changes, { rev: revision + 1 });
      this.tracked.set(key(table, entity.id), { ...tracked, loaded });
      return true;
    });
  }

  /** Whether the command has anything to write: a new, changed or deleted row, or a statement. */
  hasChanges(): boolean {
    if (this.statements.length > 0 || this.blindUpdates.size > 0) return true;
    for (const { table, entity, loaded, deleted } of this.tracked.values()) {
      if (loaded === null ? !deleted : deleted || changed(loaded, toRow(table, entity))) return true;
    }
    return false;
  }

  /** Whether this command deleted the row (a row it never touched is not deleted). */
  isDeleted(table: { readonly name: string }, id: string): boolean {
    return this.tracked.get(key(table, id))?.deleted === true;
  }

  /** A statement on rows the command did not load, e.g. a task's candidate rows; runs at flush. */
  addStatement(sql: string, bind: SqlValue[]): void {
    this.statements.push({ sql, bind });
  }

  async findById<E extends Entity>(table: Table<E>, id: string): Promise<E | null> {
    const cached = this.tracked.get(key(table, id));
    if (cached) return cached.deleted ? null : (cached.entity as E);
    const [found] = await this.select(table, 'id = $1', [id]);
    return found ?? null;
  }

  /**
   * Rows matching `where`, merged with the identity map: a row already in this command comes back
   * as the same object, a row it deleted does not come back. Rows it inserted are not searched.
   */
  async select<E extends Entity>(table: Table<E>, where: string, bind: SqlValue[], suffix = ''): Promise<E[]> {
    const scoped = scopedWhere(this.scope, table, where, bind);
    return this.track(table, await this.sql.select(selectSql(table, scoped.where, suffix), scoped.bind));
  }

  /**
   * The ids of the rows matching `where` and the session's scope, in the suffix's order and page:
   * a query an index can answer alone when it holds every column the filter and the order name
   * (MariaDB reads a row per index entry when a query that sorts by the index also needs other
   * columns, even for entries its filter drops).
   */
  async selectIds(table: { readonly name: string }, where: string, bind: SqlValue[], suffix = ''): Promise<string[]> {
    const scoped = scopedWhere(this.scope, table, where, bind);
    return (await this.sql.select(selectSql({ name: table.name, columnList: 'id' }, scoped.where, suffix), scoped.bind)).map((row) => String(row.id));
  }

  /** How many rows of `table` match `where` and the session's scope. */
  async count(table: { readonly name: string }, where: string, bind: SqlValue[]): Promise<number> {
    const scoped = scopedWhere(this.scope, table, where, bind);
    const [row] = await this.sql.select(`SELECT COUNT(*) AS n FROM ${table.name} WHERE ${scoped.where}`, scoped.bind);
    return Number(row?.n ?? 0);
  }

  /** How many rows of `table` match `where` and the session's scope, per value of `column` (a name from code, never from input), in one query. */
  async countBy(table: { readonly name: string }, column: string, where: string, bind: SqlValue[]): Promise<Map<string, number>> {
    const scoped = scopedWhere(this.scope, table, where, bind);
    const rows = await this.sql.select(`SELECT ${column} AS k, COUNT(*) AS n FROM ${table.name} WHERE ${scoped.where} GROUP BY ${column}`, scoped.bind);
    return new Map(rows.map((row) => [String(row.k), Number(row.n)]));
  }

  /** Several `select`s in one round trip (MariaDB); each query's entities in order. */
  async selectMany<R extends readonly Entity[]>(queries: { readonly [I in keyof R]: Query<R[I]> }): Promise<{ -readonly [I in keyof R]: R[I][] }> {
    const list = queries as readonly Query<Entity>[];
    const statements = list.map((q) => {
      const scoped = scopedWhere(this.scope, q.table, q.where, q.bind);
      return { sql: selectSql(q.table, scoped.where, q.suffix ?? ''), bind: scoped.bind };
    });
    const results = await selectAll(this.sql, statements);
    return list.map((q, i) => this.track(q.table, results[i] ?? [])) as { -readonly [I in keyof R]: R[I][] };
  }

  /** Maps rows to entities through the identity map: a row already held comes back as the same object, a deleted one not at all. */
  private track<E extends Entity>(table: Table<E>, rows: readonly Row[]): E[] {
    const result: E[] = [];
    for (const row of rows) {
      const loaded = fromRow(table, row);
      const existing = this.tracked.get(key(table, loaded.id));
      if (existing) {
        if (!existing.deleted) result.push(existing.entity as E);
        continue;
      }
      this.tracked.set(key(table, loaded.id), {
        table: table as Table<Entity>,
        entity: loaded,
        loaded: toRow(table, loaded),
        deleted: false,
      });
      result.push(loaded);
    }
    return result;
  }

  /**
   * Writes every change of the command in one batch (one round trip on MariaDB). Each row gets
   * one statement, so their order does not matter; the affected-row counts of the revision-checked
   * statements are checked once the batch is done.
   */
  async flush(): Promise<void> {
    const planned: Planned[] = [];
    const inserts = new Map<Table<Entity>, SqlValue[][]>();
    for (const tracked of this.tracked.values()) {
      const { table, entity, loaded, deleted } = tracked;
      if (loaded === null) {
        if (deleted) continue;
        const rows = inserts.get(table);
        if (rows) rows.push(toRow(table, entity));
        else inserts.set(table, [toRow(table, entity)]);
      } else if (deleted) {
        planned.push(deleteRow(table, entity, loadedRevision(table, loaded)));
      } else {
        const update = updateRow(table, entity, loaded, toRow(table, entity));
        if (update) planned.push(update);
      }
    }
    for (const [table, rows] of inserts) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) planned.push(insertRows(table, rows.slice(i, i + INSERT_CHUNK_ROWS)));
    }
    for (const { table, id, changes } of this.blindUpdates.values()) {
      const update = updateColumns(table, id, changes);
      if (update) planned.push(update);
    }
    for (const statement of this.statements) planned.push(statement);
    const counts = await executeAll(this.sql, planned);
    planned.forEach((statement, i) => statement.verify?.(counts[i] ?? 0));
  }
}

/** A statement of the flush; `verify` sees its affected rows and throws when a revision check failed. */
interface Planned extends Statement {
  readonly verify?: (affected: number) => void;
}

function insertRows(table: Table<Entity>, rows: SqlValue[][]): Planned {
  return { sql: insertSql(table, rows.length), bind: rows.flat() };
}

/**
 * The INSERT of `count` rows, built once per table and count: a command inserts the same few
 * shapes over and over, and the statement caches look the text up by value.
 */
const insertTexts = new Map<string, string>();

function insertSql(table: Table<Entity>, count: number): string {
  const shape = `${table.name}:${count}`;
  let text = insertTexts.get(shape);
  if (text === undefined) {
    const width = table.columns.length;
    const values = Array.from({ length: count }, (_, i) => `(${placeholders(width, i * width)})`).join(', ');
    insertTexts.set(shape, (text = `INSERT INTO ${table.name} (${table.columnList}) VALUES ${values}`));
  }
  return text;
}

/**
 * The UPDATE of a loaded row, or null when nothing changed. Only the columns that changed are
 * written: SQLite rewrites the entries of every index on a column the statement sets, changed or
 * not (a claim would otherwise rewrite all of a task's indexes). Versioned rows are checked
 * against the revision they were loaded with. The owner may have raised `rev` itself (a variable
 * updated twice in one command numbers both updates); the row is written with that revision, or
 * the loaded one plus one.
 */
function updateRow(table: Table<Entity>, entity: Entity, loaded: readonly SqlValue[], row: readonly SqlValue[]): Planned | null {
  const set = assignments(table, row, (property, i) => property !== 'id' && property !== 'rev' && differs(loaded[i] ?? null, row[i] ?? null));
  if (!table.versioned) {
    return set.values.length === 0 ? null : { sql: `UPDATE ${table.name} SET ${set.sql} WHERE id = $${set.values.length + 1}`, bind: [...set.values, entity.id] };
  }
  const loadedRev = loadedRevision(table, loaded);
  if (set.values.length === 0 && entity.rev === loadedRev) return null;
  const next = Math.max(entity.rev ?? 0, loadedRev + 1);
  return {
    ...versionedUpdate(table, entity.id, set, loadedRev, next),
    verify: (affected) => {
      if (affected !== 1) throw concurrentChange(table, entity, loadedRev, 'updated');
      entity.rev = next;
    },
  };
}

function versionedUpdate(table: Table<Entity>, id: string, set: Assignments, expected: number, next: number): Statement {
  const n = set.values.length;
  const columns = set.sql === '' ? '' : `${set.sql}, `;
  return { sql: `UPDATE ${table.name} SET ${columns}rev = $${n + 1} WHERE id = $${n + 2} AND rev = $${n + 3}`, bind: [...set.values, next, id, expected] };
}

function updateColumns(table: Table<Entity>, id: string, changes: Record<string, unknown>): Planned | null {
  const set = assignments(table, toRow(table, { ...changes, id } as Entity), (property) => property in changes);
  if (set.values.length === 0) return null;
  return { sql: `UPDATE ${table.name} SET ${set.sql} WHERE id = $${set.values.length + 1}`, bind: [...set.values, id] };
}

function deleteRow(table: Table<Entity>, entity: Entity, loadedRev: number): Planned {
  if (!table.versioned) return { sql: `DELETE FROM ${table.name} WHERE id = $1`, bind: [entity.id] };
  return {
    sql: `DELETE FROM ${table.name} WHERE id = $1 AND rev = $2`,
    bind: [entity.id, loadedRev],
    verify: (affected) => {
      if (affected !== 1) throw concurrentChange(table, entity, loadedRev, 'deleted');
    },
  };
}

function selectSql(table: { readonly name: string; readonly columnList: string }, where: string, suffix: string): string {
  return `SELECT ${table.columnList} FROM ${table.name} WHERE ${where} ${suffix}`;
}

function key(table: { readonly name: string }, id: string): string {
  return `${table.name}:${id}`;
}

function changed(before: readonly SqlValue[], after: readonly SqlValue[]): boolean {
  return after.some((value, i) => differs(before[i] ?? null, value));
}

function differs(before: SqlValue, after: SqlValue): boolean {
  if (Buffer.isBuffer(after) && Buffer.isBuffer(before)) return !after.equals(before);
  return after !== before;
}

interface Assignments {
  readonly sql: string;
  readonly values: SqlValue[];
}

/** `column = $1, ...` for the properties `wanted` selects, with their values read from `row` (the entity's `toRow`). */
function assignments(table: Table<Entity>, row: readonly SqlValue[], wanted: (property: string, index: number) => boolean): Assignments {
  const columns = table.columns.flatMap((c, i) => (wanted(c.property, i) ? [{ column: c.column, value: row[i] ?? null }] : []));
  return { sql: columns.map((c, i) => `${c.column} = $${i + 1}`).join(', '), values: columns.map((c) => c.value) };
}

function loadedRevision(table: Table<Entity>, loaded: readonly SqlValue[]): number {
  const index = table.columns.findIndex((c) => c.column === 'rev');
  return index < 0 ? 0 : Number(loaded[index]);
}

function concurrentChange(table: Table<Entity>, entity: Entity, loadedRev: number, verb: string): OptimisticLockingError {
  return new OptimisticLockingError(
    `${table.name} '${entity.id}' was ${verb} by another command after this one read it (revision ${loadedRev}); retry the operation`,
  );
}
