/**
 * A separate engine process for multi-process tests and the timer benchmark: started by
 * `forkEngineProcess` (engine-process.ts) with tsx, it opens an engine on the database named in
 * its argument and answers the parent's requests over the IPC channel, one at a time.
 */
import { CommandExecutor } from '../command/index.js';
import { AcquireJobsCmd } from '../jobs/index.js';
import { formatTimestamp } from '../persistence/index.js';
import { ProcessEngine } from '../services/index.js';
import type { EngineProcessOptions, EngineProcessReply, EngineProcessRequest } from './engine-process.js';

const options = JSON.parse(process.argv[2] ?? '') as EngineProcessOptions;
const engine = await ProcessEngine.open({
  database: options.database,
  jobExecutorActivate: options.jobExecutorActivate,
  jobExecutor: options.jobExecutor,
});

function reply(message: EngineProcessReply): void {
  process.send?.(message);
}

/** Due jobs no engine holds a lock on: what an acquisition could still take. */
async function unlockedDueJobs(): Promise<number> {
  const now = formatTimestamp(new Date());
  const [row] = await engine.database.read((sql) =>
    sql.select('SELECT COUNT(*) AS n FROM job WHERE retries > 0 AND (due_date IS NULL OR due_date <= $1) AND (lock_expiration_time IS NULL OR lock_expiration_time < $1)', [now]),
  );
  return Number(row?.n ?? 0);
}

/**
 * Runs due jobs with the job executor's own acquire-and-execute pass (`runDueJobs`, what its
 * background loop runs) until no due job is left unlocked, and answers how many ran, for how long,
 * and how often an acquisition came back empty while others were still to be had (another
 * engine's acquisition held them at that moment; the background loop would sleep then).
 */
async function drainJobs(): Promise<EngineProcessReply> {
  const started = performance.now();
  let executed = 0;
  let emptyAcquisitions = 0;
  for (;;) {
    const ran = await engine.jobExecutor.runDueJobs();
    executed += ran;
    if (ran > 0) continue;
    if ((await unlockedDueJobs()) === 0) break;
    emptyAcquisitions += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { type: 'drained', executed, emptyAcquisitions, ms: performance.now() - started };
}

/** Locks jobs as the job executor would, without running them: the parent then kills this process while it holds them. */
async function acquireJobs(maxJobs: number): Promise<EngineProcessReply> {
  const commands = new CommandExecutor(engine.database, engine.environment);
  const { lockOwner } = engine.jobExecutor;
  const jobs = await commands.execute(new AcquireJobsCmd({ lockOwner, lockTimeMs: options.jobExecutor?.lockTimeMs ?? 5 * 60_000, maxJobs }));
  return { type: 'acquired', jobIds: jobs.map((job) => job.id), lockOwner };
}

async function answer(request: EngineProcessRequest): Promise<EngineProcessReply> {
  switch (request.type) {
    case 'drain':
      return drainJobs();
    case 'acquire':
      return acquireJobs(request.maxJobs);
    case 'start': {
      const instance = await engine.runtimeService.startProcessInstanceByKey(request.processDefinitionKey);
      return { type: 'started', processInstanceId: instance.id };
    }
    case 'close':
      await engine.close();
      return { type: 'closed' };
  }
}

let queue = Promise.resolve();
process.on('message', (request: EngineProcessRequest) => {
  queue = queue.then(async () => {
    try {
      reply(await answer(request));
    } catch (error) {
      reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    if (request.type === 'close') process.disconnect();
  });
});
// the parent going away (a test runner killed mid-run) takes this process with it
process.on('disconnect', () => void engine.close().finally(() => process.exit(0)));
reply({ type: 'ready', lockOwner: engine.jobExecutor.lockOwner, pid: process.pid });
