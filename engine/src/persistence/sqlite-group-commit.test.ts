import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sqliteRunner } from './drivers.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { SqlRunner } from './sql.js';

describe('persistence/sqlite-group-commit', () => {
  let dir: string;
  let connection: BetterSqlite3.Database;
  let runner: SqlRunner;
  let statements: string[];
  let group: SqliteGroupCommit;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'yiwang-group-'));
    connection = new BetterSqlite3(path.join(dir, 'group.sqlite'));
    runner = sqliteRunner(connection);
    statements = [];
    const recording: SqlRunner = {
      select: (sql, bind) => (statements.push(sql), runner.select(sql, bind)),
      execute: (sql, bind) => (statements.push(sql), runner.execute(sql, bind)),
    };
    await runner.execute('CREATE TABLE item (id TEXT PRIMARY KEY)');
    group = new SqliteGroupCommit(recording);
  });

  afterEach(async () => {
    await group.idle();
    connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: string) => (sql: SqlRunner) => sql.execute('INSERT INTO item (id) VALUES ($1)', [id]);
  const ids = async () => (await runner.select('SELECT id FROM item ORDER BY id')).map((row) => row.id);

  it('commits concurrent commands together, each answered after the commit', async () => {
    // when ten commands arrive while the first one is running
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => group.submit(insert(`item-${i}`), true)));
    // then all are written, with fewer commits than commands
    expect(results).to.deep.equal(Array(10).fill(1));
    expect(await ids()).to.have.length(10);
    const commits = statements.filter((s) => s === 'COMMIT').length;
    expect(commits).to.be.greaterThan(0).and.lessThan(10);
  });

  it('rolls back a failing command alone and keeps its neighbours in the same commit', async () => {
    // given
    const failing = async (sql: SqlRunner) => {
      await insert('doomed')(sql);
      throw new Error('the command failed after writing');
    };
    // when
    const outcomes = await Promise.allSettled([
      group.submit(insert('first'), true),
      group.submit(failing, true),
      group.submit(insert('third'), true),
    ]);
    // then
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).to.have.property('message', 'the command failed after writing');
    expect(await ids()).to.deep.equal(['first', 'third']);
  });

  it('lets a read see what the commands before it in the queue wrote', async () => {
    // when
    const [, seen] = await Promise.all([group.submit(insert('written'), true), group.submit((sql) => sql.select('SELECT id FROM item'), false)]);
    // then
    expect(seen).to.deep.equal([{ id: 'written' }]);
  });

  it('answers a group of reads without taking the write lock', async () => {
    await Promise.all([group.submit((sql) => sql.select('SELECT 1 AS one'), false), group.submit((sql) => sql.select('SELECT 2 AS two'), false)]);
    expect(statements).to.include('BEGIN').and.not.include('BEGIN IMMEDIATE');
  });
});
