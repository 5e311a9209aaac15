import { expect } from 'chai';
import { ProcessEngine } from '../services/index.js';
import { bpmn, deployProcess, flow } from '../testing/bpmn.js';
import { describeOnDatabases } from '../testing/databases.js';
import { EngineProcess, killEngineProcesses } from '../testing/engine-process.js';

const JOBS = 1000;
const LOCK_TIME_MS = 2000;
/** a drain of all jobs by the children: generous, so a slow machine passes, finite, so a lost job fails */
const DRAIN_TIMEOUT_MS = 120_000;

/** `count` calls of `work`, at most `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) await work(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** How often each instance of the definition passed `activityId`, by instance (from hi_activity_instance). */
async function passagesByInstance(engine: ProcessEngine, processDefinitionId: string, activityId: string): Promise<Map<string, number>> {
  const rows = await engine.database.read((sql) =>
    sql.select(
      `SELECT process_instance_id AS instance, COUNT(*) AS n FROM hi_activity_instance
       WHERE process_definition_id = $1 AND activity_id = $2 GROUP BY process_instance_id`,
      [processDefinitionId, activityId],
    ),
  );
  return new Map(rows.map((row) => [String(row.instance), Number(row.n)]));
}

async function completedInstanceIds(engine: ProcessEngine, processDefinitionId: string): Promise<string[]> {
  const rows = await engine.database.read((sql) =>
    sql.select("SELECT id FROM hi_process_instance WHERE process_definition_id = $1 AND state = 'COMPLETED'", [processDefinitionId]),
  );
  return rows.map((row) => String(row.id));
}

/** Every instance passed the activity exactly once, and nothing else of the definition did. */
function expectEachOnce(passages: Map<string, number>, instanceIds: readonly string[]): void {
  const twice = [...passages].filter(([, n]) => n !== 1);
  expect(twice, 'instances whose job ran more than once').to.deep.equal([]);
  expect([...passages.keys()].sort()).to.deep.equal([...instanceIds].sort());
}

// SQLite is single-process by design (one engine owns the file and serialises its writers through
// the group commit), so engines in separate processes share a MariaDB database only.
describeOnDatabases('jobs - engine processes sharing one database @slow', (fixture) => {
  const asyncWork = (key: string) => bpmn(key, `
    <startEvent id="start"/>${flow('start', 'work')}
    <task id="work" camunda:asyncBefore="true"/>${flow('work', 'end')}
    <endEvent id="end"/>`);

  const startInstances = async (key: string, count: number): Promise<string[]> => {
    const ids: string[] = [];
    await inParallel(count, 8, async () => {
      ids.push((await fixture().engine.runtimeService.startProcessInstanceByKey(key)).id);
    });
    return ids;
  };

  afterEach(killEngineProcesses);

  it(`two engine processes run ${JOBS} jobs between them, each exactly once @slow`, async function () {
    this.timeout(DRAIN_TIMEOUT_MS + 60_000);
    // given: the jobs, created before either process starts
    const { engine, databaseConfig } = fixture();
    const definitionId = await deployProcess(engine, asyncWork('mp_split'));
    const instanceIds = await startInstances('mp_split', JOBS);
    const children = await Promise.all([1, 2].map(() => EngineProcess.fork({ database: databaseConfig, jobExecutor: { lockTimeMs: 60_000, maxJobsPerAcquisition: 10 } })));
    // when: both run due jobs until none is left
    const [first, second] = await Promise.all(children.map((child) => child.request({ type: 'drain' }, 'drained', DRAIN_TIMEOUT_MS)));
    // then
    const executed = [first?.executed ?? 0, second?.executed ?? 0];
    const empty = [first?.emptyAcquisitions ?? 0, second?.emptyAcquisitions ?? 0];
    console.log(`      jobs run per process: ${executed.join(' / ')} in ${Math.round(Math.max(first?.ms ?? 0, second?.ms ?? 0))} ms; empty acquisitions while jobs were left: ${empty.join(' / ')}`);
    expect(executed[0] + executed[1], 'jobs run by the two processes together').to.equal(JOBS);
    expect(executed[0], 'jobs run by the first process').to.be.greaterThan(0);
    expect(executed[1], 'jobs run by the second process').to.be.greaterThan(0);
    expectEachOnce(await passagesByInstance(engine, definitionId, 'work'), instanceIds);
    expect(await completedInstanceIds(engine, definitionId)).to.have.length(JOBS);
    expect(await engine.managementService.countJobs({ processDefinitionId: definitionId })).to.equal(0);
    await Promise.all(children.map((child) => child.close()));
  });

  it('runs the jobs a killed process had locked once its locks expire, each exactly once @slow', async function () {
    this.timeout(60_000);
    // given: a process locks jobs and dies without releasing them
    const { engine, databaseConfig, clock } = fixture();
    const definitionId = await deployProcess(engine, asyncWork('mp_crash'));
    const instanceIds = await startInstances('mp_crash', 40);
    const doomed = await EngineProcess.fork({ database: databaseConfig, jobExecutor: { lockTimeMs: LOCK_TIME_MS } });
    const { jobIds, lockOwner } = await doomed.request({ type: 'acquire', maxJobs: 25 }, 'acquired', 10_000);
    expect(jobIds).to.have.length(25);
    await doomed.kill();
    // when: another engine looks while the locks hold, and again after they expired
    const whileLocked = await engine.jobExecutor.runDueJobs();
    const stillLocked = await engine.managementService.listJobs({ processDefinitionId: definitionId });
    clock.advance(LOCK_TIME_MS + 1000);
    const afterExpiry = await engine.jobExecutor.runDueJobs();
    // then: the dead process's jobs waited for their locks, then ran once, as did the others
    expect(whileLocked).to.equal(15);
    expect(stillLocked.map((job) => job.id).sort()).to.deep.equal([...jobIds].sort());
    expect(stillLocked.every((job) => job.lockOwner === lockOwner)).to.equal(true);
    expect(afterExpiry).to.equal(25);
    expectEachOnce(await passagesByInstance(engine, definitionId, 'work'), instanceIds);
    expect(await completedInstanceIds(engine, definitionId)).to.have.length(40);
  });

  it('fires a timer that came due while no engine process ran, once, in the next process @slow', async function () {
    this.timeout(60_000);
    // given: a process starts an instance waiting on a real two-second timer and exits
    const { engine, databaseConfig } = fixture();
    const definitionId = await deployProcess(engine, bpmn('mp_restart', `
      <startEvent id="start"/>${flow('start', 'wait')}
      <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT2S</timeDuration></timerEventDefinition></intermediateCatchEvent>${flow('wait', 'end')}
      <endEvent id="end"/>`));
    const starter = await EngineProcess.fork({ database: databaseConfig, jobExecutorActivate: true });
    const { processInstanceId } = await starter.request({ type: 'start', processDefinitionKey: 'mp_restart' }, 'started', 10_000);
    await starter.kill();
    const [job] = await engine.managementService.listJobs({ processInstanceId });
    // when: the timer comes due with no engine running, then a new process starts its job executor
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (job?.dueDate?.getTime() ?? 0) - Date.now()) + 200));
    expect(await engine.managementService.listJobs({ processInstanceId }), 'the due timer, not yet fired').to.have.length(1);
    const successor = await EngineProcess.fork({ database: databaseConfig, jobExecutorActivate: true, jobExecutor: { idleWaitMs: 200 } });
    // then: the instance ends, the timer passed once
    const ended = await waitFor(async () => (await completedInstanceIds(engine, definitionId)).length === 1, 10_000);
    expect(ended, 'the instance completed after the successor process started').to.equal(true);
    await successor.close();
    expectEachOnce(await passagesByInstance(engine, definitionId, 'wait'), [processInstanceId]);
    expect(await engine.managementService.listJobs({ processInstanceId })).to.deep.equal([]);
  });
}, ['mariadb']);

/** Polls `condition` every 100 ms until it holds or `timeoutMs` passed; answers whether it held. */
async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}
