import { expect } from 'chai';
import { BadUserRequestError, ConflictError, OptimisticLockingError } from '../errors/index.js';
import { countRows, rejectionOf } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { CommandExecutor, type Command } from './executor.js';
import type { CommandContext } from './context.js';

/** A command from plain work, for driving the executor directly. */
function command<T>(name: string, execute: (context: CommandContext) => Promise<T>): Command<T> {
  return { name, execute };
}

describeOnDatabases('command - executor', (fixture) => {
  const executor = () => new CommandExecutor(fixture().engine.database, fixture().engine.environment);

  it('commits what a command wrote, once, when it succeeds', async () => {
    // given
    const { engine } = fixture();
    // when
    await executor().execute(command('Write', async (context) => {
      await context.session.sql.execute("INSERT INTO engine_property (name, value, rev) VALUES ('test.committed', 'yes', 1)");
    }));
    // then
    const rows = await engine.database.read((sql) => sql.select("SELECT value FROM engine_property WHERE name = 'test.committed'"));
    expect(rows.map((r) => r.value)).to.deep.equal(['yes']);
  });

  it('rolls back everything a command wrote when it fails, and passes its error on', async () => {
    // given
    const { engine } = fixture();
    const before = await countRows(engine);
    // when
    const error = await rejectionOf(executor().execute(command('FailHalfway', async (context) => {
      await context.session.sql.execute("INSERT INTO engine_property (name, value, rev) VALUES ('test.rolled-back', 'no', 1)");
      throw new BadUserRequestError('stop here');
    })));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.equal('stop here');
    expect(await countRows(engine)).to.deep.equal(before);
  });

  it('turns a duplicate key reported by the database into a ConflictError', async () => {
    // given: the schema's own row, inserted again
    const insertAgain = command('InsertTwice', async (context) => {
      await context.session.sql.execute("INSERT INTO engine_property (name, value, rev) VALUES ('deployment.lock', '0', 1)");
    });
    // when
    const error = await rejectionOf(executor().execute(insertAgain));
    // then
    expect(error).to.be.instanceOf(ConflictError);
    expect(error.message).to.match(/^a concurrent command created the same entry first \(.+\); retry the operation$/);
  });

  it('turns a value too long for its column into a BadUserRequestError naming the column', async function () {
    // SQLite does not enforce column widths; only MariaDB reports this
    if (fixture().dialect !== 'mariadb') this.skip();
    // given
    const tooLong = command('TooLong', async (context) => {
      await context.session.sql.execute('INSERT INTO engine_property (name, value, rev) VALUES ($1, $2, 1)', ['test.too-long', 'x'.repeat(300)]);
    });
    // when
    const error = await rejectionOf(executor().execute(tooLong));
    // then
    expect(error).to.be.instanceOf(BadUserRequestError);
    expect(error.message).to.contain("'value'");
  });

  it('turns a deadlock between two commands into an OptimisticLockingError for one of them', async function () {
    // SQLite runs one command at a time, so two commands can never hold rows against each other
    if (fixture().dialect !== 'mariadb') this.skip();
    // given: two rows, locked by two commands in opposite order
    const { engine } = fixture();
    await engine.database.transaction((sql) =>
      sql.execute("INSERT INTO engine_property (name, value, rev) VALUES ('test.lock-a', '0', 1), ('test.lock-b', '0', 1)"),
    );
    let arrived = 0;
    let release: () => void = () => {};
    const bothHoldOne = new Promise<void>((resolve) => (release = resolve));
    const lockInOrder = (first: string, second: string) =>
      command(`Lock ${first} then ${second}`, async (context) => {
        await context.session.sql.execute('UPDATE engine_property SET rev = rev + 1 WHERE name = $1', [first]);
        arrived += 1;
        if (arrived === 2) release();
        await bothHoldOne;
        await context.session.sql.execute('UPDATE engine_property SET rev = rev + 1 WHERE name = $1', [second]);
      });
    // when
    const outcomes = await Promise.allSettled([
      executor().execute(lockInOrder('test.lock-a', 'test.lock-b')),
      executor().execute(lockInOrder('test.lock-b', 'test.lock-a')),
    ]);
    // then
    const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
    expect(rejected).to.have.length(1);
    expect(rejected[0]).to.be.instanceOf(OptimisticLockingError);
    expect(rejected[0]?.message).to.equal('a concurrent command holds the same rows (ER_LOCK_DEADLOCK); retry the operation');
  });
});
