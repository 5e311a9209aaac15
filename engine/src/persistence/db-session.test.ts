import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { OptimisticLockingError } from '../errors/index.js';
import { rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { DbSession } from './db-session.js';
import {
  EXECUTION,
  HI_PROCESS_INSTANCE,
  INCIDENT,
  type ExecutionEntity,
  type HistoricProcessInstanceEntity,
} from './entities.js';
import type { Database } from './database.js';
import type { Row, SqlRunner, SqlValue } from './sql.js';
import type { Table } from './table.js';

/**
 * A runner that forwards to whatever connection the test hands it (a read, then a transaction),
 * so one DbSession can load in one unit of work and flush in another, and that records the
 * statements it executes.
 */
class SwitchableRunner implements SqlRunner {
  current: SqlRunner | null = null;
  readonly executed: string[] = [];

  select(sql: string, bind?: readonly SqlValue[]): Promise<Row[]> {
    return this.target().select(sql, bind);
  }

  execute(sql: string, bind?: readonly SqlValue[]): Promise<number> {
    this.executed.push(sql.replace(/\s+/g, ' ').trim());
    return this.target().execute(sql, bind);
  }

  private target(): SqlRunner {
    if (!this.current) throw new Error('the test session is used outside a unit of work');
    return this.current;
  }
}

function execution(id: string = randomUUID()): ExecutionEntity {
  return {
    id,
    rev: 1,
    processInstanceId: id,
    parentId: null,
    processDefinitionId: 'db_session:1:test',
    activityId: 'start',
    activityInstanceId: id,
    incomingFlowId: null,
    businessKey: 'DB-1',
    isScope: true,
    state: 'ACTIVE',
    tenantId: null,
    startTime: new Date('2030-01-01T08:00:00.000Z'),
    superExecutionId: null,
    parked: false,
  };
}

function historicInstance(id: string = randomUUID()): HistoricProcessInstanceEntity {
  return {
    id,
    processDefinitionId: 'db_session:1:test',
    processDefinitionKey: 'db_session',
    businessKey: 'H-1',
    startTime: new Date('2030-01-01T08:00:00.000Z'),
    endTime: null,
    durationMs: null,
    startUserId: 'alice',
    startDepartmentId: null,
    startActivityId: 'start',
    endActivityId: null,
    state: 'ACTIVE',
    deleteReason: null,
    tenantId: null,
    superProcessInstanceId: null,
  };
}

describeOnDatabases('persistence - db session', (fixture) => {
  const database = (): Database => fixture().engine.database;

  /** A session whose work `step` runs in a read (no transaction). */
  async function inRead<T>(runner: SwitchableRunner, step: () => Promise<T>): Promise<T> {
    return database().read(async (sql) => {
      runner.current = sql;
      try {
        return await step();
      } finally {
        runner.current = null;
      }
    });
  }

  /** Runs `step` in a transaction of its own, committed when it succeeds, rolled back when it throws. */
  async function inTransaction<T>(runner: SwitchableRunner, step: () => Promise<T>): Promise<T> {
    return database().transaction(async (sql) => {
      runner.current = sql;
      try {
        return await step();
      } finally {
        runner.current = null;
      }
    });
  }

  /** Writes rows through a session of their own, committed. */
  async function stored(write: (session: DbSession) => void): Promise<void> {
    await database().transaction(async (sql) => {
      const session = new DbSession(sql);
      write(session);
      await session.flush();
    });
  }

  /** The row as committed, read by a fresh session. */
  function reload<E extends { id: string }>(table: Table<E>, id: string): Promise<E | null> {
    return database().read((sql) => new DbSession(sql).findById(table, id));
  }

  /** An execution stored, then loaded by a session of its own whose statements are recorded. */
  async function loadedExecution() {
    const row = execution();
    await stored((s) => s.insert(EXECUTION, { ...row }));
    const runner = new SwitchableRunner();
    const session = new DbSession(runner);
    const loaded = (await inRead(runner, () => session.findById(EXECUTION, row.id)))!;
    return { row, runner, session, loaded };
  }

  it('lets the first of two sessions that changed the same row win, and rolls the second back whole', async () => {
    // given: two sessions load the same execution
    const row = execution();
    await stored((s) => s.insert(EXECUTION, { ...row }));
    const [firstRunner, secondRunner] = [new SwitchableRunner(), new SwitchableRunner()];
    const [first, second] = [new DbSession(firstRunner), new DbSession(secondRunner)];
    const mine = (await inRead(firstRunner, () => first.findById(EXECUTION, row.id)))!;
    const theirs = (await inRead(secondRunner, () => second.findById(EXECUTION, row.id)))!;
    mine.activityId = 'review';
    theirs.activityId = 'approve';
    const incidentId = randomUUID();
    second.insert(INCIDENT, {
      id: incidentId,
      rev: 1,
      incidentType: 'test',
      message: 'written together with the losing update',
      activityId: 'approve',
      executionId: row.id,
      processInstanceId: row.id,
      processDefinitionId: row.processDefinitionId,
      configuration: null,
      createTime: new Date(),
      tenantId: null,
    });
    // when
    await inTransaction(firstRunner, () => first.flush());
    const error = await rejectionOf(inTransaction(secondRunner, () => second.flush()));
    // then
    expect(error).to.be.instanceOf(OptimisticLockingError);
    expect(error.message).to.equal(
      `execution '${row.id}' was updated by another command after this one read it (revision 1); retry the operation`,
    );
    const current = await reload(EXECUTION, row.id);
    expect([current?.activityId, current?.rev]).to.deep.equal(['review', 2]);
    expect(mine.rev).to.equal(2);
    expect(secondRunner.executed.some((sql) => sql.startsWith('INSERT INTO incident'))).to.equal(true);
    expect(await reload(INCIDENT, incidentId)).to.equal(null);
  });

  it('refuses to delete a row another session changed after it was loaded', async () => {
    // given
    const row = execution();
    await stored((s) => s.insert(EXECUTION, { ...row }));
    const [updaterRunner, deleterRunner] = [new SwitchableRunner(), new SwitchableRunner()];
    const [updater, deleter] = [new DbSession(updaterRunner), new DbSession(deleterRunner)];
    const toChange = (await inRead(updaterRunner, () => updater.findById(EXECUTION, row.id)))!;
    const toDelete = (await inRead(deleterRunner, () => deleter.findById(EXECUTION, row.id)))!;
    toChange.state = 'JOINING';
    deleter.delete(EXECUTION, toDelete);
    // when
    await inTransaction(updaterRunner, () => updater.flush());
    const error = await rejectionOf(inTransaction(deleterRunner, () => deleter.flush()));
    // then
    expect(error).to.be.instanceOf(OptimisticLockingError);
    expect(error.message).to.contain(`execution '${row.id}' was deleted by another command`);
    expect((await reload(EXECUTION, row.id))?.state).to.equal('JOINING');
  });

  it('claims several rows at once, winning those no other command changed since they were loaded', async () => {
    // given: a session loads three executions, then another command changes the second
    const rows = [execution(), execution(), execution()];
    await stored((s) => rows.forEach((row) => s.insert(EXECUTION, { ...row })));
    const [claimerRunner, otherRunner] = [new SwitchableRunner(), new SwitchableRunner()];
    const [claimer, other] = [new DbSession(claimerRunner), new DbSession(otherRunner)];
    const loaded = await inRead(claimerRunner, () => Promise.all(rows.map((row) => claimer.findById(EXECUTION, row.id))));
    const changedByOther = (await inRead(otherRunner, () => other.findById(EXECUTION, rows[1]!.id)))!;
    changedByOther.activityId = 'taken';
    await inTransaction(otherRunner, () => other.flush());
    // when
    const won = await inTransaction(claimerRunner, () =>
      claimer.claimAll(EXECUTION, loaded.map((entity) => ({ entity: entity!, changes: { activityId: 'claimed' } }))),
    );
    // then: the claims answer in the order given; the lost one leaves the other command's change
    expect(won).to.deep.equal([true, false, true]);
    const current = await Promise.all(rows.map((row) => reload(EXECUTION, row.id)));
    expect(current.map((row) => [row?.activityId, row?.rev])).to.deep.equal([['claimed', 2], ['taken', 2], ['claimed', 2]]);
    expect([loaded[0]?.rev, loaded[1]?.rev, loaded[1]?.activityId]).to.deep.equal([2, 1, 'start']);
  });

  it('never writes a row that was inserted and deleted within the session', async () => {
    // given
    const runner = new SwitchableRunner();
    const session = new DbSession(runner);
    const [passing, kept] = [execution(), execution()];
    session.insert(EXECUTION, passing);
    session.insert(EXECUTION, kept);
    // when
    session.delete(EXECUTION, passing);
    await inTransaction(runner, () => session.flush());
    // then
    expect(runner.executed).to.have.length(1);
    expect(runner.executed[0]).to.match(/^INSERT INTO execution \(.*\) VALUES \([^)]*\)$/);
    expect(await reload(EXECUTION, passing.id)).to.equal(null);
    expect((await reload(EXECUTION, kept.id))?.businessKey).to.equal('DB-1');
    expect(await inRead(runner, () => session.findById(EXECUTION, passing.id))).to.equal(null);
  });

  it('merges several blind updates of one row into one statement', async () => {
    // given
    const row = historicInstance();
    await stored((s) => s.insert(HI_PROCESS_INSTANCE, { ...row }));
    const runner = new SwitchableRunner();
    const session = new DbSession(runner);
    const endTime = new Date('2030-01-01T08:00:05.250Z');
    // when
    session.updateById(HI_PROCESS_INSTANCE, row.id, { state: 'COMPLETED' });
    session.updateById(HI_PROCESS_INSTANCE, row.id, { endTime, durationMs: 5_250 });
    session.updateById(HI_PROCESS_INSTANCE, row.id, { state: 'EXTERNALLY_TERMINATED', deleteReason: 'withdrawn' });
    await inTransaction(runner, () => session.flush());
    // then
    expect(runner.executed).to.deep.equal([
      'UPDATE hi_process_instance SET end_time = $1, duration_ms = $2, state = $3, delete_reason = $4 WHERE id = $5',
    ]);
    const current = await reload(HI_PROCESS_INSTANCE, row.id);
    expect(current).to.deep.equal({ ...row, state: 'EXTERNALLY_TERMINATED', endTime, durationMs: 5_250, deleteReason: 'withdrawn' });
  });

  it('applies a blind update to a row the session already holds, in one statement', async () => {
    // given
    const row = historicInstance();
    await stored((s) => s.insert(HI_PROCESS_INSTANCE, { ...row }));
    const runner = new SwitchableRunner();
    const session = new DbSession(runner);
    const held = (await inRead(runner, () => session.findById(HI_PROCESS_INSTANCE, row.id)))!;
    // when
    session.updateById(HI_PROCESS_INSTANCE, row.id, { endActivityId: 'end' });
    session.updateById(HI_PROCESS_INSTANCE, row.id, { state: 'COMPLETED' });
    await inTransaction(runner, () => session.flush());
    // then
    expect([held.endActivityId, held.state]).to.deep.equal(['end', 'COMPLETED']);
    expect(runner.executed).to.have.length(1);
    expect(runner.executed[0]).to.match(/^UPDATE hi_process_instance SET /);
    expect((await reload(HI_PROCESS_INSTANCE, row.id))?.state).to.equal('COMPLETED');
  });

  it('writes nothing for rows that were loaded and not changed', async () => {
    // given
    const [row, history] = [execution(), historicInstance()];
    await stored((s) => {
      s.insert(EXECUTION, { ...row });
      s.insert(HI_PROCESS_INSTANCE, { ...history });
    });
    const runner = new SwitchableRunner();
    const session = new DbSession(runner);
    const loaded = (await inRead(runner, () => session.findById(EXECUTION, row.id)))!;
    await inRead(runner, () => session.findById(HI_PROCESS_INSTANCE, history.id));
    // when: a value is set to what it already was
    loaded.activityId = 'start';
    await inTransaction(runner, () => session.flush());
    // then
    expect(runner.executed).to.deep.equal([]);
    expect((await reload(EXECUTION, row.id))?.rev).to.equal(1);
  });

  it('updates only the columns that changed, with the revision check', async () => {
    // given
    const { row, runner, session, loaded } = await loadedExecution();
    // when: one value changes and another is set to what it already was
    loaded.activityId = 'review';
    loaded.state = 'ACTIVE';
    await inTransaction(runner, () => session.flush());
    // then
    expect(runner.executed).to.deep.equal(['UPDATE execution SET activity_id = $1, rev = $2 WHERE id = $3 AND rev = $4']);
    expect(await reload(EXECUTION, row.id)).to.deep.equal({ ...row, activityId: 'review', rev: 2 });
  });

  it('writes a revision its owner raised even when no other column changed', async () => {
    // given
    const { row, runner, session, loaded } = await loadedExecution();
    // when
    loaded.rev = 3;
    await inTransaction(runner, () => session.flush());
    // then
    expect(runner.executed).to.deep.equal(['UPDATE execution SET rev = $1 WHERE id = $2 AND rev = $3']);
    expect((await reload(EXECUTION, row.id))?.rev).to.equal(3);
  });

  it('still writes a change made before a claim, with the changes made after it', async () => {
    // given a loaded row changed in memory, then claimed
    const { row, runner, session, loaded } = await loadedExecution();
    loaded.state = 'JOINING';
    await inTransaction(runner, async () => {
      expect(await session.claim(EXECUTION, loaded, { activityId: 'claimed' })).to.equal(true);
      // when another column changes and the command flushes
      loaded.incomingFlowId = 'flow_1';
      await session.flush();
    });
    // then the claim and both changes are in the row
    const current = await reload(EXECUTION, row.id);
    expect([current?.activityId, current?.state, current?.incomingFlowId, current?.rev]).to.deep.equal(['claimed', 'JOINING', 'flow_1', 3]);
  });

  it('returns the same object for a row read twice in one session', async () => {
    // given
    const row = execution();
    await stored((s) => s.insert(EXECUTION, { ...row }));
    const runner = new SwitchableRunner();
    const session = new DbSession(runner);
    // when
    const [byId, bySelect] = await inRead(runner, async () => [
      await session.findById(EXECUTION, row.id),
      (await session.select(EXECUTION, 'business_key = $1 AND id = $2', ['DB-1', row.id]))[0],
    ]);
    // then
    expect(byId).to.equal(bySelect);
    expect(byId?.startTime.toISOString()).to.equal('2030-01-01T08:00:00.000Z');
  });

  it('refuses blind updates of versioned tables and deletes of rows it does not hold', async () => {
    // given
    const session = new DbSession(new SwitchableRunner());
    // when
    const blind = (() => {
      try {
        session.updateById(EXECUTION, 'any', { state: 'JOINING' });
        return null;
      } catch (error) {
        return error as Error;
      }
    })();
    const untracked = (() => {
      try {
        session.delete(EXECUTION, execution('not-loaded'));
        return null;
      } catch (error) {
        return error as Error;
      }
    })();
    // then
    expect(blind?.message).to.equal('execution is versioned: load the row and change it instead');
    expect(untracked?.message).to.equal('execution not-loaded is not part of this command and cannot be deleted');
  });
});
