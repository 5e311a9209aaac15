import type { CommandExecutor } from '../../command/index.js';

/** Camunda's ceiling for `asyncResponseTimeout`: half an hour. */
export const MAX_ASYNC_RESPONSE_TIMEOUT_MS = 1_800_000;

export interface LongPollingOptions {
  /** fetches waiting at once; beyond it a request answers with what it finds at once */
  readonly maxPending?: number;
  /** how often waiting fetches look again, for tasks created by other nodes and for expired locks */
  readonly recheckMs?: number;
}

/** One long-polling fetch: what it waits for, and how to look. */
export interface PollRequest<T> {
  /** the topics whose new tasks wake it */
  readonly topics: ReadonlySet<string>;
  readonly timeoutMs: number;
  /** locks and returns what is fetchable now */
  readonly fetch: () => Promise<T[]>;
  /** resolves when the client went away: the request stops waiting and locks nothing more */
  readonly disconnected: Promise<void>;
}

type Outcome = 'look' | 'stop';

/** A waiting request: told to look again (`wake`), or to stop (timeout, disconnect, shutdown). */
class Waiter {
  private lookAgain = false;
  private stopped = false;
  private resume: ((outcome: Outcome) => void) | null = null;

  constructor(readonly topics: ReadonlySet<string>) {}

  wake(): void {
    this.lookAgain = true;
    this.settle('look');
  }

  stop(): void {
    this.stopped = true;
    this.settle('stop');
  }

  /** The next reason to act; a wake that came while the request was fetching counts. */
  next(): Promise<Outcome> {
    if (this.stopped) return Promise.resolve('stop');
    if (this.lookAgain) {
      this.lookAgain = false;
      return Promise.resolve('look');
    }
    return new Promise((resolve) => (this.resume = resolve));
  }

  private settle(outcome: Outcome): void {
    const resume = this.resume;
    if (!resume) return;
    this.resume = null;
    if (outcome === 'look') this.lookAgain = false;
    resume(outcome);
  }
}

/**
 * fetchAndLock with `asyncResponseTimeout`: a request that finds nothing waits until a task of its
 * topics becomes fetchable or the timeout passes (then it answers `[]`). Commands of this node
 * report after their commit which topics got fetchable tasks, which wakes the waiting requests at
 * once; every `recheckMs` all of them look again, which finds tasks created by other nodes on the
 * same database and locks that expired.
 */
export class LongPolling {
  private readonly waiting = new Set<Waiter>();
  private ticker: NodeJS.Timeout | null = null;
  private readonly maxPending: number;
  private readonly recheckMs: number;

  constructor(
    executor: CommandExecutor,
    /** aborted when the server shuts down: waiting requests answer `[]` at once */
    private readonly closing: AbortSignal | undefined,
    options: LongPollingOptions = {},
  ) {
    this.maxPending = options.maxPending ?? 1000;
    this.recheckMs = options.recheckMs ?? 500;
    const listener = (topics: ReadonlySet<string>) => this.topicsAvailable(topics);
    executor.externalTaskListeners.add(listener);
    closing?.addEventListener('abort', () => {
      executor.externalTaskListeners.delete(listener);
      for (const waiter of this.waiting) waiter.stop();
    });
  }

  async poll<T>(request: PollRequest<T>): Promise<T[]> {
    if (request.timeoutMs <= 0 || this.closing?.aborted || this.waiting.size >= this.maxPending) return request.fetch();
    // registered before the first look, so a task committed meanwhile still wakes it
    const waiter = new Waiter(request.topics);
    this.add(waiter);
    const timeout = setTimeout(() => waiter.stop(), request.timeoutMs);
    void request.disconnected.then(() => waiter.stop());
    try {
      for (let outcome: Outcome = 'look'; outcome === 'look'; outcome = await waiter.next()) {
        const tasks = await request.fetch();
        if (tasks.length > 0) return tasks;
      }
      return [];
    } finally {
      clearTimeout(timeout);
      this.remove(waiter);
    }
  }

  private topicsAvailable(topics: ReadonlySet<string>): void {
    for (const waiter of this.waiting) {
      if ([...waiter.topics].some((topic) => topics.has(topic))) waiter.wake();
    }
  }

  private add(waiter: Waiter): void {
    this.waiting.add(waiter);
    this.ticker ??= setInterval(() => {
      for (const each of this.waiting) each.wake();
    }, this.recheckMs);
  }

  private remove(waiter: Waiter): void {
    this.waiting.delete(waiter);
    if (this.waiting.size === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }
}
