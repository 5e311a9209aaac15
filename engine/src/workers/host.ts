import { BasicAuthInterceptor, Client, type Interceptor, type Task, type TaskService } from 'camunda-external-task-client-js';
import { redactUrl } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import type { EngineRestAuth, WorkerHostConfig } from './config.js';
import type { WorkerTopic } from './handlers.js';

/** A task fetched for the first time carries no retries; its first failure leaves it this many minus one. */
const DEFAULT_RETRIES = 3;

export interface WorkerHost {
  readonly topics: readonly string[];
  /**
   * Stops fetching (the long poll waiting on the server is cancelled), waits for the running handlers
   * at most `shutdownTimeout` ms, and resolves; tasks of handlers still running then keep their locks
   * until these expire.
   */
  stop(): Promise<void>;
}

/** One camunda-external-task-client-js `Client` subscribed to every topic, fetching at once. */
export function startWorkerHost(topics: ReadonlyMap<string, WorkerTopic>, config: WorkerHostConfig, logger: Logger): WorkerHost {
  if (topics.size === 0) throw new Error('the worker host needs at least one topic handler');
  return new ExternalTaskWorkerHost(topics, config, logger);
}

class ExternalTaskWorkerHost implements WorkerHost {
  readonly topics: readonly string[];
  private readonly client: Client;
  private readonly running = new Set<Promise<void>>();
  /** cancels the fetch waiting on the server when the host stops */
  private readonly fetchAbort = new AbortController();
  private fetchInFlight: Promise<void> | null = null;
  private lastFetchError: string | null = null;
  private stopped: Promise<void> | null = null;

  constructor(
    topics: ReadonlyMap<string, WorkerTopic>,
    private readonly config: WorkerHostConfig,
    private readonly logger: Logger,
  ) {
    this.topics = [...topics.keys()];
    this.client = new Client({
      baseUrl: config.baseUrl,
      workerId: config.workerId,
      maxTasks: config.maxTasks,
      lockDuration: config.lockDuration,
      asyncResponseTimeout: config.asyncResponseTimeout,
      interval: config.pollInterval,
      autoPoll: false,
      interceptors: [...authInterceptors(config.auth), this.cancelFetchOnStop],
    });
    this.watchFetches();
    for (const topic of topics.values()) this.client.subscribe(topic.topic, ({ task, taskService }) => this.execute(topic, task, taskService));
    this.client.start();
    logger.info({ baseUrl: redactUrl(config.baseUrl), workerId: config.workerId, auth: config.auth.kind, topics: this.topics }, 'worker host started');
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    this.client.stop();
    this.fetchAbort.abort();
    // a fetch answered just before the abort hands its tasks over now: they join `running`
    await this.fetchInFlight;
    this.logger.info({ running: this.running.size }, 'worker host stopping: no more fetches, waiting for running handlers');
    if (!(await this.drain(Date.now() + this.config.shutdownTimeout))) {
      this.logger.warn({ running: this.running.size, shutdownTimeoutMs: this.config.shutdownTimeout }, 'handlers still running at shutdown; their tasks are fetched again when the locks expire');
    }
    this.logger.info('worker host stopped');
  }

  /** Waits until no handler runs; false when the deadline came first. */
  private async drain(deadline: number): Promise<boolean> {
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
    return true;
  }

  /** Only fetchAndLock carries `topics`: handlers' completions must not be cancelled with the poll. */
  private readonly cancelFetchOnStop: Interceptor = (request) =>
    Array.isArray(request.json?.topics) ? { ...request, signal: this.fetchAbort.signal } : request;

  /**
   * Keeps the fetch in flight awaitable (the client emits `poll:start` right before each fetchAndLock:
   * topics are subscribed and `maxParallelExecutions` is unset), and logs a failing server once, not every poll.
   */
  private watchFetches(): void {
    let fetched = (): void => undefined;
    this.client.on('poll:start', () => {
      this.fetchInFlight = new Promise((resolve) => (fetched = resolve));
    });
    this.client.on('poll:success', () => {
      fetched();
      if (this.lastFetchError !== null) this.logger.info('fetching external tasks works again');
      this.lastFetchError = null;
    });
    this.client.on('poll:error', (error: unknown) => {
      fetched();
      if (this.stopped) return;
      const message = errorMessage(error);
      if (message !== this.lastFetchError) this.logger.warn({ error: message }, 'fetching external tasks failed; retrying');
      this.lastFetchError = message;
    });
  }

  private execute(topic: WorkerTopic, task: Task, taskService: TaskService): Promise<void> {
    const log = this.logger.child({ topic: topic.topic, plugin: topic.plugin, taskId: task.id, processInstanceId: task.processInstanceId });
    const run = this.stopped ? release(task, taskService, log) : this.runHandler(topic, task, taskService, log);
    this.running.add(run);
    return run.finally(() => this.running.delete(run));
  }

  private async runHandler(topic: WorkerTopic, task: Task, taskService: TaskService, log: Logger): Promise<void> {
    const tracked = new SettlementTracker(taskService);
    try {
      await topic.handler({ task, taskService: tracked.taskService });
    } catch (error) {
      if (tracked.settled) log.error({ error: errorMessage(error) }, 'handler threw after it had settled its task');
      else await this.reportFailure(task, taskService, error, log);
      return;
    }
    if (!tracked.settled) {
      log.warn({ lockExpirationTime: task.lockExpirationTime }, 'handler returned without completing or failing its task; the task is fetched again when its lock expires');
    }
  }

  /** A throwing handler is a failure with one retry less (Camunda's countdown); at zero the engine raises an incident. */
  private async reportFailure(task: Task, taskService: TaskService, error: unknown, log: Logger): Promise<void> {
    const retries = Math.max((task.retries ?? DEFAULT_RETRIES) - 1, 0);
    const errorText = errorMessage(error);
    log.warn({ error: errorText, retries }, retries > 0 ? 'handler failed; reported to the engine for a retry' : 'handler failed with no retries left; the engine raises an incident');
    try {
      await taskService.handleFailure(task, {
        errorMessage: errorText,
        errorDetails: error instanceof Error && error.stack ? error.stack : errorText,
        retries,
        retryTimeout: this.config.retryTimeout,
      });
    } catch (failure) {
      log.error({ error: errorMessage(failure) }, 'could not report the failure; the task is fetched again when its lock expires');
    }
  }
}

/** A task fetched while the host stops goes back at once, for another worker. */
async function release(task: Task, taskService: TaskService, log: Logger): Promise<void> {
  try {
    await taskService.unlock(task);
    log.info('task fetched while stopping: unlocked for another worker');
  } catch (error) {
    log.warn({ error: errorMessage(error) }, 'could not unlock a task fetched while stopping; it is fetched again when its lock expires');
  }
}

/** The task service a handler gets: the client's own, noting whether the handler settled its task. */
class SettlementTracker {
  settled = false;
  readonly taskService: TaskService;

  constructor(inner: TaskService) {
    const settling = <A extends unknown[]>(call: (...args: A) => Promise<void>) => async (...args: A) => {
      await call(...args);
      this.settled = true;
    };
    this.taskService = {
      complete: settling(inner.complete.bind(inner)),
      handleFailure: settling(inner.handleFailure.bind(inner)),
      handleBpmnError: settling(inner.handleBpmnError.bind(inner)),
      unlock: settling(inner.unlock.bind(inner)),
      lock: inner.lock.bind(inner),
      extendLock: inner.extendLock.bind(inner),
    };
  }
}

function authInterceptors(auth: EngineRestAuth): Interceptor[] {
  switch (auth.kind) {
    case 'basic':
      return [new BasicAuthInterceptor({ username: auth.username, password: auth.password })];
    case 'bearer':
      return [(request) => ({ ...request, headers: { ...request.headers, Authorization: `Bearer ${auth.token}` } })];
    case 'none':
      return [];
  }
}

/**
 * Only the message: the client's HTTP errors carry the request options, Authorization header
 * included, which must not reach the logs.
 */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
