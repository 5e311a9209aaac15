import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Sequelize } from 'sequelize';
import type { DatabaseConfig, DatabaseDialect } from '../config/index.js';
import type { Clock } from '../command/index.js';
import { ProcessEngine } from '../services/index.js';

const MARIADB_ADMIN_URL = process.env.YIWANG_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';
const DIALECTS = (process.env.YIWANG_TEST_DATABASES ?? 'sqlite,mariadb').split(',').map((d) => d.trim()) as DatabaseDialect[];

let mariaDbReachable: Promise<boolean> | null = null;
let databaseCounter = 0;

/** A fresh, empty database of the dialect; `drop` removes it. */
export async function freshDatabase(dialect: DatabaseDialect): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }> {
  databaseCounter += 1;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-test-'));
    return { config: { dialect, location: path.join(dir, 'engine.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `yw_test_${process.pid}_${databaseCounter}`;
  const url = new URL(MARIADB_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { dialect, location: url.toString() },
    drop: async () => {
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS \`${name}\``));
    },
  };
}

async function withAdmin<T>(work: (admin: Sequelize) => Promise<T>): Promise<T> {
  const admin = new Sequelize(MARIADB_ADMIN_URL, { dialect: 'mysql', logging: false });
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

function isMariaDbReachable(): Promise<boolean> {
  mariaDbReachable ??= withAdmin((admin) => admin.authenticate()).then(
    () => true,
    () => false,
  );
  return mariaDbReachable;
}

export interface EngineFixture {
  readonly engine: ProcessEngine;
  readonly dialect: DatabaseDialect;
  /** where the engine's database is: a second engine (a restart, another node) can open it too */
  readonly databaseConfig: DatabaseConfig;
  /** a settable clock for the engine under test */
  readonly clock: TestClock;
}

export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * Declares the suite once per database dialect (typeorm's way): the same tests, the same
 * assertions, on SQLite and on MariaDB, each on its own fresh database.
 * MariaDB is mandatory when CI=true; elsewhere a missing server skips its half, loudly.
 * `only` narrows the dialects for what one of them cannot do (several engine processes on SQLite).
 */
export function describeOnDatabases(title: string, define: (fixture: () => EngineFixture) => void, only?: readonly DatabaseDialect[]): void {
  for (const dialect of DIALECTS.filter((d) => only?.includes(d) ?? true)) {
    describe(`${title} [${dialect}]`, function () {
      let fixture: EngineFixture | null = null;
      let drop: (() => Promise<void>) | null = null;

      before(async function () {
        if (dialect === 'mariadb' && !(await isMariaDbReachable())) {
          if (process.env.CI === 'true') throw new Error(`MariaDB is required in CI but does not answer at ${MARIADB_ADMIN_URL}`);
          console.warn(`\n  !!! SKIPPING the MariaDB half of "${title}": no server at ${MARIADB_ADMIN_URL} !!!\n`);
          this.skip();
        }
        const database = await freshDatabase(dialect);
        drop = database.drop;
        const clock = new TestClock();
        fixture = { engine: await ProcessEngine.open({ database: database.config, clock }), dialect, databaseConfig: database.config, clock };
      });

      after(async () => {
        await fixture?.engine.close();
        await drop?.();
      });

      define(() => {
        if (!fixture) throw new Error('the engine fixture is used before its database is ready');
        return fixture;
      });
    });
  }
}
