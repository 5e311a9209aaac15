/**
 * One benchmark worker: a real camunda-external-task-client-js `Client` that completes every task
 * of the benchmark's topic and reports each completion and each fetchAndLock's duration. Used in
 * the benchmark's own process (`BENCH_CLIENTS_IN=process`) and in a child process per client
 * (external-task-client-main.ts), as workers are deployed.
 */
import { BasicAuthInterceptor, Client } from 'camunda-external-task-client-js';

export interface BenchClientOptions {
  readonly baseUrl: string;
  readonly workerId: string;
  readonly password: string;
  readonly topic: string;
  readonly maxTasks: number;
  readonly maxParallelExecutions: number;
  readonly interval: number;
}

export interface FetchTiming {
  readonly ms: number;
  readonly found: boolean;
}

export interface BenchClientListener {
  /** a task was handed to the handler (its id, for the exactly-once proof) */
  handled(taskId: string): void;
  /** the handler's completion was accepted */
  completed(): void;
  fetched(timing: FetchTiming): void;
  /** the server refused a completion */
  refused(): void;
}

/** got's `afterResponse` hook through the client's interceptor option: the duration of every fetchAndLock. */
function fetchTimer(listener: BenchClientListener) {
  return (config: Record<string, any>) => ({
    ...config,
    hooks: {
      afterResponse: [
        (response: { url: string; timings: { phases: { total?: number } }; body: Buffer }) => {
          if (response.url.endsWith('/fetchAndLock')) listener.fetched({ ms: response.timings.phases.total ?? NaN, found: response.body.length > 2 });
          return response;
        },
      ],
    },
  });
}

/** A subscribed client; it polls once `start()` is called. */
export function benchClient(options: BenchClientOptions, listener: BenchClientListener): Client {
  const client = new Client({
    baseUrl: options.baseUrl,
    workerId: options.workerId,
    maxTasks: options.maxTasks,
    maxParallelExecutions: options.maxParallelExecutions,
    interval: options.interval,
    asyncResponseTimeout: 10_000,
    autoPoll: false,
    interceptors: [new BasicAuthInterceptor({ username: 'admin', password: options.password }), fetchTimer(listener)],
  });
  client.on('complete:error', () => listener.refused());
  client.subscribe(options.topic, async ({ task, taskService }) => {
    listener.handled(task.id as string);
    await taskService.complete(task);
    listener.completed();
  });
  return client;
}
