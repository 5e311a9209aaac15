import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, NotFoundError } from '../errors/index.js';
import { formatTimestamp, INCIDENT, JOB, type JobEntity } from '../persistence/index.js';
import { parseRetryCycle, raiseIncident } from '../bpmn/execute/index.js';
import { runJobHandler } from './handlers.js';

export interface AcquisitionInput {
  readonly lockOwner: string;
  readonly lockTimeMs: number;
  readonly maxJobs: number;
}

/**
 * Locks up to `maxJobs` due jobs for one engine process, the longest due first. On MariaDB the candidates are read with
 * `FOR UPDATE SKIP LOCKED`, so concurrent acquisitions on other nodes pass over each other's rows
 * instead of waiting; each candidate is then claimed with a revision check (the only guard on
 * SQLite, where one process owns the database). An exclusive job is not taken while another
 * exclusive job of its process instance is locked, so one instance's jobs never run side by side.
 */
export class AcquireJobsCmd implements Command<JobEntity[]> {
  readonly name = 'AcquireJobs';

  constructor(private readonly input: AcquisitionInput) {}

  async execute(context: CommandContext): Promise<JobEntity[]> {
    const now = formatTimestamp(context.now());
    const lockRows = context.environment.dialect === 'mariadb' ? ' FOR UPDATE SKIP LOCKED' : '';
    const candidates = await context.session.select(
      JOB,
      `retries > 0 AND suspended = 0 AND (due_date IS NULL OR due_date <= $1)
       AND (lock_expiration_time IS NULL OR lock_expiration_time < $1)
       AND (exclusive_ = 0 OR process_instance_id IS NULL OR process_instance_id NOT IN (
         SELECT locked.process_instance_id FROM job locked
         WHERE locked.exclusive_ = 1 AND locked.lock_expiration_time >= $1 AND locked.process_instance_id IS NOT NULL))`,
      [now],
      // due-date order along its index: InnoDB then locks only the rows it returns (a sort would lock
      // every candidate first, and SKIP LOCKED on another node would skip them all)
      `ORDER BY due_date LIMIT ${this.input.maxJobs}${lockRows}`,
    );
    const lockExpirationTime = new Date(context.now().getTime() + this.input.lockTimeMs);
    const acquired: JobEntity[] = [];
    for (const job of candidates) {
      if (await context.session.claim(JOB, job, { lockOwner: this.input.lockOwner, lockExpirationTime })) acquired.push(job);
    }
    return acquired;
  }
}

/**
 * Runs one job in its own transaction. A job the lock owner no longer holds (its lock expired and
 * another process took it) is left alone, so no job runs twice while a lock holds. `lockOwner`
 * null: run by hand (ManagementService.executeJob), whoever holds it.
 */
export class ExecuteJobCmd implements Command<boolean> {
  readonly name = 'ExecuteJob';

  constructor(
    private readonly jobId: string,
    private readonly lockOwner: string | null,
  ) {}

  async execute(context: CommandContext): Promise<boolean> {
    const job = await context.session.findById(JOB, this.jobId);
    if (!job) {
      if (this.lockOwner === null) throw new NotFoundError(`Job '${this.jobId}' does not exist`);
      return false;
    }
    if (this.lockOwner !== null && job.lockOwner !== this.lockOwner) return false;
    await runJobHandler(context, job);
    return true;
  }
}

/**
 * A job failed: one retry fewer, the error kept on the job, the next try after the retry cycle's
 * wait; with no retries left, an incident. Runs in a new transaction, as the job's own rolled back.
 */
export class JobFailedCmd implements Command<void> {
  readonly name = 'JobFailed';

  constructor(
    private readonly jobId: string,
    private readonly error: Error,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const job = await context.session.findById(JOB, this.jobId);
    if (!job) return; // completed or removed meanwhile (its instance was deleted)
    job.retries = Math.max(0, job.retries - 1);
    job.exceptionMessage = this.error.message.slice(0, 4000);
    job.exceptionStacktrace = this.error.stack ?? null;
    job.lockOwner = null;
    job.lockExpirationTime = null;
    const delay = job.retryTimeCycle ? parseRetryCycle(job.retryTimeCycle, job.activityId ?? job.id).delayMs(job.retries) : 0;
    if (job.retries > 0) {
      job.dueDate = new Date(context.now().getTime() + delay);
      return;
    }
    raiseIncident(context, {
      incidentType: 'failedJob',
      message: job.exceptionMessage,
      activityId: job.activityId,
      executionId: job.executionId,
      processInstanceId: job.processInstanceId,
      processDefinitionId: job.processDefinitionId,
      configuration: job.id,
      tenantId: job.tenantId,
    });
  }
}

/**
 * The lock is given back without counting a failure: the job lost a race for its process instance
 * to another command (an optimistic locking conflict), which says nothing about the job itself.
 */
export class UnlockJobCmd implements Command<void> {
  readonly name = 'UnlockJob';

  constructor(private readonly jobId: string) {}

  async execute(context: CommandContext): Promise<void> {
    const job = await context.session.findById(JOB, this.jobId);
    if (!job) return;
    job.lockOwner = null;
    job.lockExpirationTime = null;
  }
}

/** Operators give a job new retries; its failed-job incident is resolved. */
export class SetJobRetriesCmd implements Command<void> {
  readonly name = 'SetJobRetries';

  constructor(
    private readonly jobId: string,
    private readonly retries: number,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    if (!Number.isInteger(this.retries) || this.retries < 0) throw new BadUserRequestError(`retries must be a non-negative integer, got ${this.retries}`);
    const job = await context.session.findById(JOB, this.jobId);
    if (!job) throw new NotFoundError(`Job '${this.jobId}' does not exist`);
    job.retries = this.retries;
    if (this.retries > 0) {
      for (const incident of await context.session.select(INCIDENT, "incident_type = 'failedJob' AND configuration = $1", [job.id])) {
        context.session.delete(INCIDENT, incident);
      }
    }
    context.logOperation({ operationType: 'SetJobRetries', entityType: 'Job', processInstanceId: job.processInstanceId, property: 'retries', newValue: String(this.retries) });
  }
}
