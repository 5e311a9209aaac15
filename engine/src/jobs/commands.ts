import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, NotFoundError } from '../errors/index.js';
import { formatTimestamp, INCIDENT, JOB, placeholders, type JobEntity } from '../persistence/index.js';
import { parseRetryCycle, raiseIncident } from '../bpmn/execute/index.js';
import { runJobHandler } from './handlers.js';

export interface AcquisitionInput {
  readonly lockOwner: string;
  readonly lockTimeMs: number;
  readonly maxJobs: number;
}

/** Due, unlocked, with retries, and not an exclusive job of an instance that has one locked. */
const ACQUIRABLE = `retries > 0 AND suspended = 0 AND (due_date IS NULL OR due_date <= $1)
  AND (lock_expiration_time IS NULL OR lock_expiration_time < $1)
  AND (exclusive_ = 0 OR process_instance_id IS NULL OR process_instance_id NOT IN (
    SELECT locked.process_instance_id FROM job locked
    WHERE locked.exclusive_ = 1 AND locked.lock_expiration_time >= $1 AND locked.process_instance_id IS NOT NULL))`;

/** Candidates read per acquisition, as a multiple of the jobs wanted: spares for those other nodes take first. */
const CANDIDATE_FACTOR = 3;

/**
 * Locks up to `maxJobs` due jobs for one engine process, the longest due first. Candidates are
 * read without locks; on MariaDB they are then locked by primary key with `FOR UPDATE SKIP LOCKED`,
 * a batch at a time, so concurrent acquisitions on other nodes pass over each other's rows instead
 * of waiting, and no more rows are locked than are taken (locking in the candidate query itself
 * locked whatever the query plan touched, and another node then found nothing). Each job is then
 * claimed with a revision check, the only guard needed on SQLite, where one process owns the
 * database. An exclusive job is not taken while another exclusive job of its process instance is
 * locked, so one instance's jobs never run side by side.
 */
export class AcquireJobsCmd implements Command<JobEntity[]> {
  readonly name = 'AcquireJobs';

  constructor(private readonly input: AcquisitionInput) {}

  async execute(context: CommandContext): Promise<JobEntity[]> {
    const now = formatTimestamp(context.now());
    const { maxJobs } = this.input;
    const rows = await context.session.sql.select(`SELECT id FROM job WHERE ${ACQUIRABLE} ORDER BY due_date LIMIT ${maxJobs * CANDIDATE_FACTOR}`, [now]);
    const candidateIds = rows.map((row) => String(row.id));
    const lockExpirationTime = new Date(context.now().getTime() + this.input.lockTimeMs);
    const acquired: JobEntity[] = [];
    for (let offset = 0; offset < candidateIds.length && acquired.length < maxJobs; ) {
      const batch = candidateIds.slice(offset, offset + maxJobs - acquired.length);
      offset += batch.length;
      for (const job of await this.lockStillAcquirable(context, batch, now)) {
        if (acquired.length === maxJobs) break;
        if (await context.session.claim(JOB, job, { lockOwner: this.input.lockOwner, lockExpirationTime })) acquired.push(job);
      }
    }
    return acquired;
  }

  /** The candidates no other acquisition took meanwhile, row-locked by primary key on MariaDB. */
  private lockStillAcquirable(context: CommandContext, ids: string[], now: string): Promise<JobEntity[]> {
    const lockRows = context.environment.dialect === 'mariadb' ? ' FOR UPDATE SKIP LOCKED' : '';
    return context.session.select(JOB, `id IN (${placeholders(ids.length, 1)}) AND ${ACQUIRABLE}`, [now, ...ids], `ORDER BY due_date${lockRows}`);
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
    const job = await lockedJob(context, this.jobId, this.lockOwner);
    if (!job) {
      if (this.lockOwner === null) throw new NotFoundError(`Job '${this.jobId}' does not exist`);
      return false;
    }
    await runJobHandler(context, job);
    return true;
  }
}

/**
 * A job failed: one retry fewer, the error kept on the job, the next try after the retry cycle's
 * wait; with no retries left, an incident. Runs in a new transaction, as the job's own rolled back.
 * Only the lock owner records the failure (null: run by hand); a process whose lock expired and
 * was taken over leaves the job to its new owner.
 */
export class JobFailedCmd implements Command<void> {
  readonly name = 'JobFailed';

  constructor(
    private readonly jobId: string,
    private readonly lockOwner: string | null,
    private readonly error: Error,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const job = await lockedJob(context, this.jobId, this.lockOwner);
    if (!job) return;
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

  constructor(
    private readonly jobId: string,
    private readonly lockOwner: string,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const job = await lockedJob(context, this.jobId, this.lockOwner);
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

/** The job while `lockOwner` still holds it (any holder when null); null when it is gone or was taken over. */
async function lockedJob(context: CommandContext, jobId: string, lockOwner: string | null): Promise<JobEntity | null> {
  const job = await context.session.findById(JOB, jobId);
  if (!job || (lockOwner !== null && job.lockOwner !== lockOwner)) return null;
  return job;
}
