/**
 * A benchmark worker in its own process (forked by external-tasks.bench.ts with tsx): one client,
 * polling from the parent's `start` until its `stop`. Reports to the parent in batches (every
 * REPORT_MS), so the IPC channel costs little of the CPU the benchmark measures: the task ids it
 * handled, how many completions were accepted or refused with the time of the last one (epoch ms,
 * comparable across processes), and its fetch timings.
 */
import { benchClient, type BenchClientOptions, type FetchTiming } from './external-task-client.js';

export type ClientProcessRequest = { readonly type: 'start' } | { readonly type: 'stop' };
export interface ClientProcessReport {
  readonly type: 'report';
  readonly handled: string[];
  readonly completed: number;
  readonly refused: number;
  readonly lastCompletedAt: number;
  readonly fetches: FetchTiming[];
  /** CPU milliseconds (user + system) this process spent since `start`; in its last report only */
  readonly cpuMs: number;
}

const REPORT_MS = 50;
const options = JSON.parse(process.argv[2] ?? '') as BenchClientOptions;
let handled: string[] = [];
let fetches: FetchTiming[] = [];
let completed = 0;
let refused = 0;
let lastCompletedAt = 0;
let cpuAtStart = process.cpuUsage();

function report(cpuMs = 0): void {
  if (handled.length === 0 && completed === 0 && refused === 0 && fetches.length === 0 && cpuMs === 0) return;
  process.send?.({ type: 'report', handled, completed, refused, lastCompletedAt, fetches, cpuMs } satisfies ClientProcessReport);
  handled = [];
  fetches = [];
  completed = 0;
  refused = 0;
}

const client = benchClient(options, {
  handled: (taskId) => handled.push(taskId),
  completed: () => {
    completed += 1;
    lastCompletedAt = performance.timeOrigin + performance.now();
  },
  fetched: (timing) => fetches.push(timing),
  refused: () => (refused += 1),
});
const timer = setInterval(report, REPORT_MS);

process.on('message', (request: ClientProcessRequest) => {
  if (request.type === 'start') {
    cpuAtStart = process.cpuUsage();
    client.start();
  } else {
    client.stop();
    clearInterval(timer);
    const cpu = process.cpuUsage(cpuAtStart);
    report((cpu.user + cpu.system) / 1000);
    process.disconnect();
  }
});
process.send?.({ type: 'ready' });
