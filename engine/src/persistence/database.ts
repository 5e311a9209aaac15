import { Mutex } from 'async-mutex';
import { QueryTypes, Sequelize, Transaction } from 'sequelize';
import type { DatabaseConfig, DatabaseDialect } from '../config/index.js';
import type { Row, SqlRunner, SqlValue } from './sql.js';

/**
 * One database for the engine, on either dialect. Commands run in `transaction`, queries in `read`.
 *
 * SQLite is single-writer: sequelize would open and close a new file connection for every
 * transaction, so instead all work goes through one long-lived connection, one unit at a time,
 * with `BEGIN IMMEDIATE` for commands. MariaDB uses sequelize's pool with READ COMMITTED
 * transactions, as Camunda recommends, and relies on revision checks for concurrent commands.
 */
export interface Database {
  readonly dialect: DatabaseDialect;
  readonly sequelize: Sequelize;
  transaction<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
  read<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.dialect === 'sqlite' ? openSqlite(config.location) : openMariaDb(config.location);
}

function runnerFor(sequelize: Sequelize, transaction?: Transaction): SqlRunner {
  return {
    async select(sql: string, bind: readonly SqlValue[] = []): Promise<Row[]> {
      return sequelize.query<Row>(sql, { bind: [...bind], type: QueryTypes.SELECT, raw: true, transaction });
    },
    async execute(sql: string, bind: readonly SqlValue[] = []): Promise<number> {
      // the UPDATE query type makes both drivers report the affected row count for any DML
      const [, affected] = await sequelize.query(sql, { bind: [...bind], raw: true, type: QueryTypes.UPDATE, transaction });
      return typeof affected === 'number' ? affected : 0;
    },
  };
}

async function openSqlite(file: string): Promise<Database> {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
  const runner = runnerFor(sequelize);
  // WAL lets readers of other processes (backups, sqlite3 CLI) see committed state while we write;
  // synchronous=FULL makes a committed command survive power loss, which a workflow engine owes its users.
  for (const pragma of ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', 'foreign_keys = ON']) {
    await runner.select(`PRAGMA ${pragma}`);
  }
  const mutex = new Mutex();
  return {
    dialect: 'sqlite',
    sequelize,
    transaction: (work) =>
      mutex.runExclusive(async () => {
        await runner.execute('BEGIN IMMEDIATE');
        try {
          const result = await work(runner);
          await runner.execute('COMMIT');
          return result;
        } catch (error) {
          await runner.execute('ROLLBACK');
          throw error;
        }
      }),
    read: (work) => mutex.runExclusive(() => work(runner)),
    close: () => sequelize.close(),
  };
}

async function openMariaDb(url: string): Promise<Database> {
  await createDatabaseIfMissing(url);
  const sequelize = new Sequelize(url, {
    dialect: 'mysql',
    logging: false,
    timezone: '+00:00',
    pool: { max: 20, min: 0, idle: 10_000 },
    // dates come back as the strings we wrote; the row mapper parses them as UTC
    dialectOptions: { dateStrings: true, supportBigNumbers: true, bigNumberStrings: false },
  });
  await sequelize.authenticate();
  return {
    dialect: 'mariadb',
    sequelize,
    transaction: (work) =>
      sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, (transaction) =>
        work(runnerFor(sequelize, transaction)),
      ),
    read: (work) => work(runnerFor(sequelize)),
    close: () => sequelize.close(),
  };
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
