/**
 * External-task throughput over /engine-rest: N instances of start → external task → end are
 * started, then 4 real camunda-external-task-client-js clients (maxTasks 10, long polling) fetch
 * and complete them against the platform's HTTP server, on each database. Reports tasks/s, fetch
 * latency (p50/p99) and proves that every task was completed exactly once.
 *
 *   npm run bench:external-tasks -w @yiwang/engine     BENCH_N=20000 BENCH_DATABASES=sqlite,mariadb
 *   BENCH_CLIENTS (4), BENCH_MAX_TASKS (10), BENCH_INTERVAL (client poll interval ms, 0),
 *   BENCH_PARALLEL (client maxParallelExecutions, = maxTasks), BENCH_START_CONCURRENCY (8)
 */
import { BasicAuthInterceptor, Client } from 'camunda-external-task-client-js';
import type { DatabaseDialect } from '../src/config/index.js';
import { ProcessEngine } from '../src/services/index.js';
import { freshDatabase } from '../src/testing/databases.js';
import { startRestServer, TEST_ADMIN_PASSWORD } from '../src/testing/rest.js';
import { bpmn, flow } from '../src/testing/bpmn.js';

const N = Number(process.env.BENCH_N ?? 20_000);
const DIALECTS = (process.env.BENCH_DATABASES ?? 'sqlite,mariadb').split(',') as DatabaseDialect[];
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const MAX_TASKS = Number(process.env.BENCH_MAX_TASKS ?? 10);
const INTERVAL = Number(process.env.BENCH_INTERVAL ?? 0);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? MAX_TASKS);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 8);
const TOPIC = 'bench_work';

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

interface FetchTiming {
  readonly ms: number;
  readonly found: boolean;
}

/** got's `afterResponse` hook through the client's interceptor option: the duration of every fetchAndLock. */
function fetchTimer(timings: FetchTiming[]) {
  return (config: Record<string, any>) => ({
    ...config,
    hooks: {
      afterResponse: [
        (response: { url: string; timings: { phases: { total?: number } }; body: Buffer }) => {
          if (response.url.endsWith('/fetchAndLock')) timings.push({ ms: response.timings.phases.total ?? NaN, found: response.body.length > 2 });
          return response;
        },
      ],
    },
  });
}

async function count(engine: ProcessEngine, sql: string): Promise<number> {
  return engine.database.read(async (runner) => Number((await runner.select(sql))[0]?.n ?? 0));
}

async function run(dialect: DatabaseDialect): Promise<void> {
  const target = await freshDatabase(dialect);
  const engine = await ProcessEngine.open({ database: target.config });
  const rest = await startRestServer(engine);
  const clients: Client[] = [];
  try {
    await engine.repositoryService.deploy({ name: 'bench.bpmn', resources: [{ name: 'bench.bpmn', content: PROCESS }] });
    const startedAt = performance.now();
    await inParallel(N, START_CONCURRENCY, async () => {
      await engine.runtimeService.startProcessInstanceByKey('bench_external');
    });
    const startSeconds = (performance.now() - startedAt) / 1000;

    const timings: FetchTiming[] = [];
    const completions = new Map<string, number>();
    let failures = 0;
    let completed = 0;
    let allDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const measuredAt = performance.now();
    for (let index = 0; index < CLIENTS; index++) {
      const client = new Client({
        baseUrl: rest.baseUrl,
        workerId: `bench-worker-${index}`,
        maxTasks: MAX_TASKS,
        maxParallelExecutions: PARALLEL,
        interval: INTERVAL,
        asyncResponseTimeout: 10_000,
        interceptors: [new BasicAuthInterceptor({ username: 'admin', password: TEST_ADMIN_PASSWORD }), fetchTimer(timings)],
      });
      client.on('complete:error', () => (failures += 1));
      client.subscribe(TOPIC, async ({ task, taskService }) => {
        completions.set(task.id, (completions.get(task.id) ?? 0) + 1);
        await taskService.complete(task);
        completed += 1;
        if (completed === N) allDone();
      });
      clients.push(client);
    }
    await done;
    const seconds = (performance.now() - measuredAt) / 1000;
    for (const client of clients) client.stop();

    const ended = await count(engine, "SELECT COUNT(*) AS n FROM hi_process_instance WHERE state = 'COMPLETED'");
    const workDone = await count(engine, "SELECT COUNT(*) AS n FROM hi_activity_instance WHERE activity_id = 'work' AND end_time IS NOT NULL");
    const left = await count(engine, 'SELECT COUNT(*) AS n FROM external_task');
    const handledTwice = [...completions.values()].filter((times) => times > 1).length;
    const found = timings.filter((t) => t.found).map((t) => t.ms).sort((a, b) => a - b);
    const all = timings.map((t) => t.ms).sort((a, b) => a - b);

    console.log(`\n## ${dialect} — N=${N}, ${CLIENTS} clients, maxTasks ${MAX_TASKS}, maxParallelExecutions ${PARALLEL}, interval ${INTERVAL} ms`);
    console.log(`instances started: ${(N / startSeconds).toFixed(0)}/s (${startSeconds.toFixed(1)} s, ${START_CONCURRENCY} in flight)`);
    console.log(`external tasks completed: ${(N / seconds).toFixed(0)}/s (${seconds.toFixed(1)} s)`);
    console.log(`fetchAndLock: ${timings.length} requests, ${found.length} with tasks (${(N / Math.max(found.length, 1)).toFixed(1)} tasks each); latency p50 ${percentile(found, 50).toFixed(1)} ms, p99 ${percentile(found, 99).toFixed(1)} ms (all requests p50 ${percentile(all, 50).toFixed(1)}, p99 ${percentile(all, 99).toFixed(1)})`);
    console.log(`proof: ${completions.size} distinct tasks handled, ${handledTwice} handed out twice, ${failures} completions refused; history: ${ended} instances COMPLETED, ${workDone} 'work' activities ended; ${left} external tasks left`);
    const ok = completions.size === N && handledTwice === 0 && failures === 0 && ended === N && workDone === N && left === 0;
    console.log(ok ? 'OK: every task completed exactly once, none lost' : 'FAILED: lost or duplicated work');
    if (!ok) process.exitCode = 1;
  } finally {
    for (const client of clients) client.stop();
    await rest.server.close();
    await engine.close();
    await target.drop();
  }
}

for (const dialect of DIALECTS) await run(dialect);
