import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Sequelize } from 'sequelize';
import type { DatabaseConfig, DatabaseDialect } from '../config/index.js';
import { MysqlRunner, sqliteRunner, type MysqlConnection } from './drivers.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { SqlRunner } from './sql.js';

/**
 * One database for the engine, on either dialect. Commands run in `transaction`, queries in `read`.
 *
 * sequelize owns the configuration, the connection pool and the migrations; the engine's own
 * statements run on a driver connection (MariaDB: the one sequelize's pool hands out; SQLite: a
 * better-sqlite3 connection of the engine's own), as Camunda runs MyBatis
 * rather than an ORM on its hot path: a command issues a dozen small statements, and the ORM's
 * per-statement and per-transaction work (three round trips just to open and close one) cost more
 * than the database itself.
 *
 * SQLite is single-writer: all work goes through one long-lived connection, one unit at a time;
 * commands that queue up while one commits share the next commit (SqliteGroupCommit). MariaDB
 * runs READ COMMITTED transactions (as Camunda recommends) on pooled connections and relies on
 * revision checks for concurrent commands.
 */
export interface Database {
  readonly dialect: DatabaseDialect;
  readonly sequelize: Sequelize;
  transaction<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
  read<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * WAL lets readers of other processes (backups, the sqlite3 CLI) see committed state while the
 * engine writes; synchronous=FULL makes a committed command survive power loss, which a workflow
 * engine owes its users. A 64 MiB page cache (the default is 2 MiB) keeps the indexes' hot pages
 * in memory as history tables grow, instead of reading them back from the file.
 */
export const SQLITE_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', 'foreign_keys = ON', 'cache_size = -65536'] as const;

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.dialect === 'sqlite' ? openSqlite(config.location) : openMariaDb(config.location);
}

/**
 * sequelize (on node-sqlite3) owns the migrations; the engine's statements run on a
 * better-sqlite3 connection to the same file, which WAL lets the two share. Only that one
 * connection writes once the schema is migrated.
 */
async function openSqlite(file: string): Promise<Database> {
  // `sqlite:./data/yiwang.sqlite` works on a fresh checkout: the folder is created on first start
  mkdirSync(path.dirname(file), { recursive: true });
  const connection = new BetterSqlite3(file);
  const runner = sqliteRunner(connection);
  for (const pragma of SQLITE_PRAGMAS) await runner.select(`PRAGMA ${pragma}`);
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
  const group = new SqliteGroupCommit(runner);
  return {
    dialect: 'sqlite',
    sequelize,
    transaction: (work) => group.submit(work, true),
    read: (work) => group.submit(work, false),
    close: async () => {
      await group.idle();
      await sequelize.close();
      connection.close();
    },
  };
}

async function openMariaDb(url: string): Promise<Database> {
  await createDatabaseIfMissing(url);
  const sequelize = new Sequelize(url, {
    dialect: 'mysql',
    logging: false,
    timezone: '+00:00',
    pool: { max: 20, min: 0, idle: 10_000 },
    // dates come back as the strings we wrote (the row mapper parses them as UTC); mysql2's own
    // type handling instead of sequelize's typeCast hook, which wraps every field of every row;
    // several statements per query for the flush batches (MysqlRunner), whose values are escaped
    dialectOptions: { dateStrings: true, supportBigNumbers: true, bigNumberStrings: false, typeCast: true, multipleStatements: true },
    hooks: {
      // once per connection instead of once per transaction
      afterConnect: (connection: unknown) => prepareSession(connection as MysqlConnection),
    },
  });
  await sequelize.authenticate();
  const withConnection = async <T>(work: (connection: MysqlConnection) => Promise<T>): Promise<T> => {
    const connection = (await sequelize.connectionManager.getConnection({ type: 'write' })) as MysqlConnection;
    try {
      return await work(connection);
    } finally {
      sequelize.connectionManager.releaseConnection(connection as never);
    }
  };
  return {
    dialect: 'mariadb',
    sequelize,
    transaction: (work) => withConnection((connection) => inTransaction(connection, work)),
    read: (work) => withConnection((connection) => work(new MysqlRunner(connection))),
    close: () => sequelize.close(),
  };
}

/**
 * READ COMMITTED, as Camunda recommends. Batches inline values with mysql2's escaping, which
 * escapes quotes with backslashes: NO_BACKSLASH_ESCAPES would turn those into quotes ending the
 * string, so the mode is dropped for the engine's sessions.
 */
async function prepareSession(connection: MysqlConnection): Promise<void> {
  const runner = new MysqlRunner(connection);
  await runner.execute('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  const [mode] = await runner.select('SELECT @@SESSION.sql_mode AS mode');
  const modes = String(mode?.mode ?? '').split(',');
  if (modes.includes('NO_BACKSLASH_ESCAPES')) {
    await runner.execute('SET SESSION sql_mode = $1', [modes.filter((m) => m !== 'NO_BACKSLASH_ESCAPES').join(',')]);
  }
}

/** `START TRANSACTION` travels with the command's first statement; a command that sent none has nothing to end. */
async function inTransaction<T>(connection: MysqlConnection, work: (sql: SqlRunner) => Promise<T>): Promise<T> {
  const runner = new MysqlRunner(connection, 'START TRANSACTION');
  try {
    const result = await work(runner);
    if (runner.opened) await runner.execute('COMMIT');
    return result;
  } catch (error) {
    if (runner.opened) await runner.execute('ROLLBACK');
    throw error;
  }
}

/** `mysql://.../yiwang` works on a fresh server: the database is created on first start. */
async function createDatabaseIfMissing(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) {
    throw new Error(`database name '${name}' in DATABASE_URL must be 1-64 letters, digits or underscores`);
  }
  parsed.pathname = '/';
  const admin = new Sequelize(parsed.toString(), { dialect: 'mysql', logging: false });
  try {
    // an identifier cannot be a bound parameter; the name was checked against a strict pattern above
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.close();
  }
}
