/**
 * The timer benchmark (a script, not a test), MariaDB only — several engine processes on one
 * database is a MariaDB deployment; SQLite has one engine process by design.
 *
 * Per run, on a fresh database: N instances of `start → handle (user task, boundary timer) → end`
 * whose timer is an hour away (it never fires: the task is completed first), and F instances whose
 * timer is due after a second (it fires, cancels the task and ends the instance on the `late` path),
 * started F/(N+F) interleaved. Then F jobs are run by engine processes (child processes, started
 * and ready before the clock starts) while the N timers wait in the same table, and finally the N
 * tasks are completed, removing their timers. Once with one engine process, once with two.
 *
 *   npm run bench:timers -w @yiwang/engine        BENCH_TIMERS_N=10000 BENCH_TIMERS_FIRING=1000
 */
import type { DatabaseDialect } from '../src/config/index.js';
import { ProcessEngine } from '../src/services/index.js';
import { freshDatabase } from '../src/testing/databases.js';
import { EngineProcess, killEngineProcesses } from '../src/testing/engine-process.js';

const WAITING = Number(process.env.BENCH_TIMERS_N ?? 10_000);
const FIRING = Number(process.env.BENCH_TIMERS_FIRING ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DIALECTS = (process.env.BENCH_DATABASES ?? 'sqlite,mariadb').split(',') as DatabaseDialect[];
const DRAIN_TIMEOUT_MS = 30 * 60_000;
/** the firing timers' duration (a timer needs a positive one); the jobs run once the last start is this far behind */
const FIRING_DELAY = 'PT1S';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="timers_bench" targetNamespace="http://yiwang.bench">
  <process id="deadline" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="handle"/>
    <userTask id="handle"/>
    <sequenceFlow id="f2" sourceRef="handle" targetRef="done"/>
    <endEvent id="done"/>
    <boundaryEvent id="overdue" attachedToRef="handle">
      <timerEventDefinition><timeDuration>\${timeout}</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="f3" sourceRef="overdue" targetRef="late"/>
    <endEvent id="late"/>
  </process>
</definitions>`;

interface Run {
  readonly processes: number;
  readonly startSeconds: number;
  readonly jobSeconds: number;
  readonly executedBy: number[];
  readonly emptyAcquisitions: number[];
  readonly completeSeconds: number;
}

/** `count` calls of `work`, at most `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) await work(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

async function seconds(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/** The F firing instances spread evenly over the N+F, so due and waiting jobs are mixed in the table. */
const FIRING_AT = new Set(Array.from({ length: FIRING }, (_, k) => Math.floor((k * (WAITING + FIRING)) / FIRING)));

/** Starts the N+F instances and answers the ids of those whose timer waits. */
async function startInstances(engine: ProcessEngine): Promise<string[]> {
  const waitingIds: string[] = [];
  await inParallel(WAITING + FIRING, CONCURRENCY, async (index) => {
    const due = FIRING_AT.has(index);
    const instance = await engine.runtimeService.startProcessInstanceByKey('deadline', { variables: { timeout: due ? FIRING_DELAY : 'PT1H' } });
    if (!due) waitingIds.push(instance.id);
  });
  return waitingIds;
}

async function runJobs(children: EngineProcess[]): Promise<{ executedBy: number[]; emptyAcquisitions: number[] }> {
  const drained = await Promise.all(children.map((child) => child.request({ type: 'drain' }, 'drained', DRAIN_TIMEOUT_MS)));
  const executedBy = drained.map((d) => d.executed);
  const executed = executedBy.reduce((a, b) => a + b, 0);
  if (executed !== FIRING) throw new Error(`expected ${FIRING} jobs to run, the engine processes ran ${executed}`);
  return { executedBy, emptyAcquisitions: drained.map((d) => d.emptyAcquisitions) };
}

async function completeTasks(engine: ProcessEngine, instanceIds: readonly string[]): Promise<void> {
  await inParallel(instanceIds.length, CONCURRENCY, async (index) => {
    const [task] = await engine.taskService.listTasks({ processInstanceId: instanceIds[index] });
    if (!task) throw new Error(`instance ${instanceIds[index]} has no open task`);
    await engine.taskService.complete(task.id);
  });
}

/** All instances ended, the firing ones on the `late` path, and no job is left. */
async function verify(engine: ProcessEngine): Promise<void> {
  const [row] = await engine.database.read((sql) =>
    sql.select(
      `SELECT (SELECT COUNT(*) FROM hi_process_instance WHERE state = 'COMPLETED') AS completed,
              (SELECT COUNT(*) FROM hi_process_instance WHERE end_activity_id = 'late') AS late,
              (SELECT COUNT(*) FROM hi_activity_instance WHERE activity_id = 'overdue') AS fired,
              (SELECT COUNT(*) FROM job) AS jobs`,
    ),
  );
  const found = { completed: Number(row?.completed), late: Number(row?.late), fired: Number(row?.fired), jobs: Number(row?.jobs) };
  const expected = { completed: WAITING + FIRING, late: FIRING, fired: FIRING, jobs: 0 };
  if (JSON.stringify(found) !== JSON.stringify(expected)) throw new Error(`expected ${JSON.stringify(expected)}, found ${JSON.stringify(found)}`);
}

async function run(processes: number): Promise<Run> {
  const target = await freshDatabase('mariadb');
  const engine = await ProcessEngine.open({ database: target.config });
  try {
    await engine.repositoryService.deploy({ name: 'timers-bench', resources: [{ name: 'deadline.bpmn', content: XML }] });
    let waitingIds: string[] = [];
    const startSeconds = await seconds(async () => {
      waitingIds = await startInstances(engine);
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const children = await Promise.all(Array.from({ length: processes }, () => EngineProcess.fork({ database: target.config })));
    let jobs = { executedBy: [] as number[], emptyAcquisitions: [] as number[] };
    const jobSeconds = await seconds(async () => {
      jobs = await runJobs(children);
    });
    await Promise.all(children.map((child) => child.close()));
    const completeSeconds = await seconds(() => completeTasks(engine, waitingIds));
    await verify(engine);
    return { processes, startSeconds, jobSeconds, completeSeconds, ...jobs };
  } finally {
    await killEngineProcesses();
    await engine.close();
    await target.drop();
  }
}

function report(runs: readonly Run[]): void {
  const total = WAITING + FIRING;
  console.log(`\n## MariaDB — ${WAITING} instances whose timer does not fire, ${FIRING} whose timer fires (${CONCURRENCY} commands in flight for starts and completions)\n`);
  console.log(`| engine processes | start ${total} instances s | instances started/s | jobs executed/s | jobs per process | empty acquisitions per process | complete ${WAITING} tasks s | tasks/s |`);
  console.log('|---:|---:|---:|---:|---|---|---:|---:|');
  for (const r of runs) {
    const cells = [r.processes, r.startSeconds.toFixed(1), (total / r.startSeconds).toFixed(0), (FIRING / r.jobSeconds).toFixed(0), r.executedBy.join(' / '), r.emptyAcquisitions.join(' / '), r.completeSeconds.toFixed(1), (WAITING / r.completeSeconds).toFixed(0)];
    console.log(`| ${cells.join(' | ')} |`);
  }
  const [one, two] = runs;
  if (one && two) console.log(`\njobs/s two processes ÷ one process: ${(one.jobSeconds / two.jobSeconds).toFixed(2)}×`);
}

if (!DIALECTS.includes('mariadb')) {
  console.log('timers benchmark: MariaDB only (BENCH_DATABASES does not include mariadb); skipped');
} else {
  const runs: Run[] = [];
  for (const processes of [1, 2]) runs.push(await run(processes));
  report(runs);
}
