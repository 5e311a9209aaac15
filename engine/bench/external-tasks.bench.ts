/**
 * External-task throughput over /engine-rest: N instances of start → external task → end are
 * started, then 4 real camunda-external-task-client-js clients (maxTasks 10, long polling) fetch
 * and complete them against the platform's HTTP server, on each database. Reports tasks/s, fetch
 * latency (p50/p99) and proves that every task was completed exactly once.
 *
 *   npm run bench:external-tasks -w @yiwang/engine     BENCH_N=20000 BENCH_DATABASES=sqlite,mariadb
 *   BENCH_CLIENTS (4), BENCH_MAX_TASKS (10), BENCH_INTERVAL (client poll interval ms, 0),
 *   BENCH_PARALLEL (client maxParallelExecutions, = maxTasks), BENCH_START_CONCURRENCY (8),
 *   BENCH_CLIENTS_IN (`processes`: each client in its own child process, as workers are deployed;
 *   `server`: all clients in the server's process, sharing its event loop)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from 'camunda-external-task-client-js';
import type { DatabaseDialect } from '../src/config/index.js';
import { ProcessEngine } from '../src/services/index.js';
import { freshDatabase } from '../src/testing/databases.js';
import { startRestServer, TEST_ADMIN_PASSWORD } from '../src/testing/rest.js';
import { bpmn, flow } from '../src/testing/bpmn.js';
import { benchClient, type BenchClientOptions, type FetchTiming } from './external-task-client.js';
import type { ClientProcessReport, ClientProcessRequest } from './external-task-client-main.js';

const N = Number(process.env.BENCH_N ?? 20_000);
const DIALECTS = (process.env.BENCH_DATABASES ?? 'sqlite,mariadb').split(',') as DatabaseDialect[];
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const MAX_TASKS = Number(process.env.BENCH_MAX_TASKS ?? 10);
const INTERVAL = Number(process.env.BENCH_INTERVAL ?? 0);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? MAX_TASKS);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 8);
const CLIENTS_IN = (process.env.BENCH_CLIENTS_IN ?? 'processes') as 'processes' | 'server';
const TOPIC = 'bench_work';
const CLIENT_ENTRY = fileURLToPath(new URL('./external-task-client-main.ts', import.meta.url));

const PROCESS = bpmn('bench_external', `
  <startEvent id="start"/>${flow('start', 'work')}
  <serviceTask id="work" camunda:type="external" camunda:topic="${TOPIC}"/>${flow('work', 'end')}
  <endEvent id="end"/>`);

/** `count` jobs, at most `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) await job(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** What the clients did, gathered from wherever they run. */
class Tally {
  readonly handled = new Map<string, number>();
  readonly timings: FetchTiming[] = [];
  completed = 0;
  refused = 0;
  lastCompletedAt = 0;
  clientCpuMs = 0;
  private allDone: () => void = () => undefined;
  readonly done = new Promise<void>((resolve) => (this.allDone = resolve));

  add(report: Omit<ClientProcessReport, 'type'>): void {
    for (const id of report.handled) this.handled.set(id, (this.handled.get(id) ?? 0) + 1);
    this.timings.push(...report.fetches);
    this.completed += report.completed;
    this.refused += report.refused;
    this.lastCompletedAt = Math.max(this.lastCompletedAt, report.lastCompletedAt);
    this.clientCpuMs += report.cpuMs;
    if (this.completed === N) this.allDone();
  }
}

const now = () => performance.timeOrigin + performance.now();

interface RunningClients {
  start(): void;
  stop(): Promise<void>;
}

/** The clients in this process, on the server's event loop. */
function clientsInServer(options: BenchClientOptions[], tally: Tally): RunningClients {
  const clients: Client[] = options.map((o) =>
    benchClient(o, {
      handled: (id) => tally.add({ handled: [id], completed: 0, refused: 0, lastCompletedAt: 0, fetches: [], cpuMs: 0 }),
      completed: () => tally.add({ handled: [], completed: 1, refused: 0, lastCompletedAt: now(), fetches: [], cpuMs: 0 }),
      fetched: (timing) => tally.timings.push(timing),
      refused: () => (tally.refused += 1),
    }),
  );
  return {
    start: () => clients.forEach((client) => client.start()),
    stop: async () => clients.forEach((client) => client.stop()),
  };
}

/** Each client in a child process of its own (node with tsx), reporting over IPC; ready before the clock starts. */
async function clientsInProcesses(options: BenchClientOptions[], tally: Tally): Promise<RunningClients> {
  const children: ChildProcess[] = await Promise.all(
    options.map(
      (o) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = fork(CLIENT_ENTRY, [JSON.stringify(o)], { execArgv: ['--import', 'tsx'] });
          child.on('message', (message: ClientProcessReport | { type: 'ready' }) => {
            if (message.type === 'ready') resolve(child);
            else tally.add(message);
          });
          child.on('error', reject);
          child.on('exit', (code) => code !== 0 && reject(new Error(`client ${o.workerId} exited with ${code}`)));
        }),
    ),
  );
  const send = (request: ClientProcessRequest) => children.forEach((child) => child.send(request));
  return {
    start: () => send({ type: 'start' }),
    stop: async () => {
      const exited = children.map((child) => new Promise((resolve) => child.once('exit', resolve)));
      send({ type: 'stop' });
      await Promise.all(exited);
    },
  };
}

/** CPU milliseconds mariadbd has used so far (Linux /proc, clock ticks of 10 ms), or NaN when it is not found. */
function mariadbCpuMs(): number {
  try {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'mariadbd') continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) * 10;
    }
  } catch {
    // a process ended while the list was read, or no /proc: no figure
  }
  return NaN;
}

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function count(engine: ProcessEngine, sql: string): Promise<number> {
  return engine.database.read(async (runner) => Number((await runner.select(sql))[0]?.n ?? 0));
}

async function run(dialect: DatabaseDialect): Promise<void> {
  const target = await freshDatabase(dialect);
  const engine = await ProcessEngine.open({ database: target.config });
  const rest = await startRestServer(engine);
  let clients: RunningClients | null = null;
  try {
    await engine.repositoryService.deploy({ name: 'bench.bpmn', resources: [{ name: 'bench.bpmn', content: PROCESS }] });
    const startedAt = performance.now();
    await inParallel(N, START_CONCURRENCY, async () => {
      await engine.runtimeService.startProcessInstanceByKey('bench_external');
    });
    const startSeconds = (performance.now() - startedAt) / 1000;

    const tally = new Tally();
    const options = Array.from({ length: CLIENTS }, (_, index): BenchClientOptions => ({
      baseUrl: rest.baseUrl,
      workerId: `bench-worker-${index}`,
      password: TEST_ADMIN_PASSWORD,
      topic: TOPIC,
      maxTasks: MAX_TASKS,
      maxParallelExecutions: PARALLEL,
      interval: INTERVAL,
    }));
    clients = CLIENTS_IN === 'server' ? clientsInServer(options, tally) : await clientsInProcesses(options, tally);
    const measuredAt = now();
    const [serverCpuAt, mariadbCpuAt] = [cpuMs(), mariadbCpuMs()];
    clients.start();
    await tally.done;
    const seconds = (tally.lastCompletedAt - measuredAt) / 1000;
    const [serverCpu, mariadbCpu] = [cpuMs() - serverCpuAt, mariadbCpuMs() - mariadbCpuAt];
    await clients.stop();
    clients = null;

    const ended = await count(engine, "SELECT COUNT(*) AS n FROM hi_process_instance WHERE state = 'COMPLETED'");
    const workDone = await count(engine, "SELECT COUNT(*) AS n FROM hi_activity_instance WHERE activity_id = 'work' AND end_time IS NOT NULL");
    const left = await count(engine, 'SELECT COUNT(*) AS n FROM external_task');
    const handledTwice = [...tally.handled.values()].filter((times) => times > 1).length;
    const found = tally.timings.filter((t) => t.found).map((t) => t.ms).sort((a, b) => a - b);
    const all = tally.timings.map((t) => t.ms).sort((a, b) => a - b);

    console.log(`\n## ${dialect} — N=${N}, ${CLIENTS} clients in ${CLIENTS_IN === 'server' ? "the server's process" : 'their own processes'}, maxTasks ${MAX_TASKS}, maxParallelExecutions ${PARALLEL}, interval ${INTERVAL} ms`);
    console.log(`instances started: ${(N / startSeconds).toFixed(0)}/s (${startSeconds.toFixed(1)} s, ${START_CONCURRENCY} in flight)`);
    console.log(`external tasks completed: ${(N / seconds).toFixed(0)}/s (${seconds.toFixed(1)} s)`);
    console.log(`fetchAndLock: ${tally.timings.length} requests, ${found.length} with tasks (${(N / Math.max(found.length, 1)).toFixed(1)} tasks each); latency p50 ${percentile(found, 50).toFixed(1)} ms, p99 ${percentile(found, 99).toFixed(1)} ms (all requests p50 ${percentile(all, 50).toFixed(1)}, p99 ${percentile(all, 99).toFixed(1)})`);
    const perTask = (ms: number) => (ms / N).toFixed(2);
    console.log(`CPU per task: server process ${perTask(serverCpu)} ms${CLIENTS_IN === 'server' ? ' (clients included)' : `, clients ${perTask(tally.clientCpuMs)} ms`}, mariadbd ${dialect === 'mariadb' ? `${perTask(mariadbCpu)} ms` : '-'}`);
    console.log(`proof: ${tally.handled.size} distinct tasks handled, ${handledTwice} handed out twice, ${tally.refused} completions refused; history: ${ended} instances COMPLETED, ${workDone} 'work' activities ended; ${left} external tasks left`);
    const ok = tally.handled.size === N && handledTwice === 0 && tally.refused === 0 && ended === N && workDone === N && left === 0;
    console.log(ok ? 'OK: every task completed exactly once, none lost' : 'FAILED: lost or duplicated work');
    if (!ok) process.exitCode = 1;
  } finally {
    await clients?.stop();
    await rest.server.close();
    await engine.close();
    await target.drop();
  }
}

for (const dialect of DIALECTS) await run(dialect);
