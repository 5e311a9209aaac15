import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { CommandExecutor } from '../command/index.js';
import { OptimisticLockingError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { JobEntity } from '../persistence/index.js';
import { AcquireJobsCmd, ExecuteJobCmd, JobFailedCmd, UnlockJobCmd } from './commands.js';

export interface JobExecutorOptions {
  /** who holds the locks; unique per engine process (default: host, pid and a random part) */
  readonly lockOwner?: string;
  /** how long an acquired job stays locked; after that another process may take it (default 5 minutes) */
  readonly lockTimeMs?: number;
  /** jobs locked per acquisition (default 10) */
  readonly maxJobsPerAcquisition?: number;
  /** how long to wait when nothing is due before looking again (default 1 s); a new job due sooner wakes it */
  readonly idleWaitMs?: number;
}

/**
 * Runs due jobs: acquires a batch (locking it for this process), runs each job in its own
 * transaction, and looks again, sleeping when nothing is due. Jobs of one process instance in a
 * batch run one after another; different instances run side by side. A failing job loses a retry
 * (JobFailedCmd); a job that lost a race to a concurrent command is unlocked and tried again.
 */
export class JobExecutor {
  readonly lockOwner: string;
  private readonly lockTimeMs: number;
  private readonly maxJobs: number;
  private readonly idleWaitMs: number;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private nextWakeAt: number | null = null;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly logger: Logger,
    options: JobExecutorOptions = {},
  ) {
    this.lockOwner = options.lockOwner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.lockTimeMs = options.lockTimeMs ?? 5 * 60_000;
    this.maxJobs = options.maxJobsPerAcquisition ?? 10;
    this.idleWaitMs = options.idleWaitMs ?? 1000;
  }

  get active(): boolean {
    return this.loop !== null;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.runLoop();
    this.logger.info({ lockOwner: this.lockOwner }, 'job executor started');
  }

  /** Stops acquiring and waits for the jobs in hand to finish. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** A command created a job due at `dueDate`: wake up in time for it. */
  jobScheduled(dueDate: Date): void {
    if (!this.loop) return;
    if (this.nextWakeAt !== null && dueDate.getTime() < this.nextWakeAt) this.wake?.();
  }

  /**
   * Acquires and runs due jobs until none is left; answers how many ran. For tests and for
   * operators ("run what is due now"); the background loop does the same.
   */
  async runDueJobs(): Promise<number> {
    let executed = 0;
    for (;;) {
      const jobs = await this.executor.execute(new AcquireJobsCmd({ lockOwner: this.lockOwner, lockTimeMs: this.lockTimeMs, maxJobs: this.maxJobs }));
      if (jobs.length === 0) return executed;
      executed += await this.executeAll(jobs);
    }
  }

  private async runLoop(): Promise<void> {
    while (!this.stopping) {
      try {
        const executed = await this.runDueJobs();
        if (executed === 0) await this.idle();
      } catch (error) {
        this.logger.error({ err: error }, 'job acquisition failed');
        await this.idle();
      }
    }
  }

  private idle(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.nextWakeAt = Date.now() + this.idleWaitMs;
      const timer = setTimeout(done, this.idleWaitMs);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wake = null;
        self.nextWakeAt = null;
        resolve();
      }
      this.wake = done;
    });
  }

  /** One chain per process instance (jobs without one run alone), the chains side by side. */
  private async executeAll(jobs: JobEntity[]): Promise<number> {
    const chains = new Map<string, JobEntity[]>();
    for (const job of jobs) {
      const key = job.processInstanceId ?? job.id;
      chains.set(key, [...(chains.get(key) ?? []), job]);
    }
    const counts = await Promise.all(
      [...chains.values()].map(async (chain) => {
        let ran = 0;
        for (const job of chain) if (await this.executeOne(job)) ran += 1;
        return ran;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  private async executeOne(job: JobEntity): Promise<boolean> {
    try {
      return await this.executor.execute(new ExecuteJobCmd(job.id, this.lockOwner));
    } catch (error) {
      await this.recordFailure(job, error);
      return true;
    }
  }

  private async recordFailure(job: JobEntity, error: unknown): Promise<void> {
    try {
      if (error instanceof OptimisticLockingError) {
        this.logger.debug({ jobId: job.id }, 'job lost a race to a concurrent command; unlocked for another try');
        await this.executor.execute(new UnlockJobCmd(job.id, this.lockOwner));
        return;
      }
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.warn({ jobId: job.id, activityId: job.activityId, err: failure }, 'job failed');
      await this.executor.execute(new JobFailedCmd(job.id, this.lockOwner, failure));
    } catch (recordError) {
      // the lock expires and another try comes then; nothing else to do here
      this.logger.error({ jobId: job.id, err: recordError }, 'could not record the failure of a job');
    }
  }
}
