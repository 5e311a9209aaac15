import { randomUUID } from 'node:crypto';
import { timeOrderedId } from './ids.js';
import type { DatabaseDialect } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { DbSession, HI_OPERATION_LOG, type OperationLogEntity, type SqlRunner } from '../persistence/index.js';
import type { DeploymentCache } from '../bpmn/deployment-cache.js';

/** What every command may use besides the database: time, ids, compiled models, logging. */
export interface EngineEnvironment {
  readonly dialect: DatabaseDialect;
  readonly clock: Clock;
  readonly deployments: DeploymentCache;
  readonly logger: Logger;
  /** IANA zone for timer dates without an offset and for cron; undefined: the process's zone */
  readonly timeZone?: string;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type OperationLogInput = Partial<Omit<OperationLogEntity, 'id' | 'operationId' | 'userId' | 'timestamp'>> &
  Pick<OperationLogEntity, 'operationType' | 'entityType'>;

/**
 * The state of one running command: its unit of work, the acting user, its clock reading and
 * per-command caches (loaded process instances). Created and closed by the CommandExecutor only.
 */
export class CommandContext {
  readonly session: DbSession;
  readonly startedAt: Date;
  readonly operationId = randomUUID();
  /** caches keyed by owner (e.g. loaded process instances), dropped with the command */
  readonly attachments = new Map<string, unknown>();
  private sequence = 0;
  private earliestNewJob: Date | null = null;
  private readonly fetchableTopics = new Set<string>();
  private readonly closeHooks: (() => Promise<void>)[] = [];

  constructor(
    sql: SqlRunner,
    readonly environment: EngineEnvironment,
    readonly userId: string | null,
  ) {
    this.session = new DbSession(sql);
    this.startedAt = environment.clock.now();
  }

  /** The command's single reading of the clock: every row it writes carries the same time. */
  now(): Date {
    return this.startedAt;
  }

  /** Time-ordered, see `timeOrderedId`. */
  newId(): string {
    return timeOrderedId();
  }

  /** Orders history rows written within the same millisecond. */
  nextSequence(): number {
    this.sequence += 1;
    return this.startedAt.getTime() * 1000 + this.sequence;
  }

  /** A job was created; the executor is told after the commit, so a job due now runs at once. */
  jobScheduled(dueDate: Date | null): void {
    const due = dueDate ?? this.startedAt;
    if (!this.earliestNewJob || due < this.earliestNewJob) this.earliestNewJob = due;
  }

  /** The earliest due date among the jobs this command created, if it created any. */
  get earliestJobDue(): Date | null {
    return this.earliestNewJob;
  }

  /** External tasks of this topic became fetchable (created, unlocked, retried); long-polling fetches are told after the commit. */
  externalTaskAvailable(topicName: string): void {
    this.fetchableTopics.add(topicName);
  }

  /** The topics on which this command made external tasks fetchable. */
  get externalTaskTopics(): ReadonlySet<string> {
    return this.fetchableTopics;
  }

  /** Work to run before the flush, e.g. a process instance writing back what it changed. */
  beforeFlush(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  /** Records what a user did. As in Camunda, only operations of an authenticated user are logged. */
  logOperation(entry: OperationLogInput): void {
    if (this.userId === null) return;
    this.session.insert(HI_OPERATION_LOG, {
      id: this.newId(),
      operationId: this.operationId,
      userId: this.userId,
      timestamp: this.now(),
      deploymentId: null,
      processDefinitionId: null,
      processDefinitionKey: null,
      processInstanceId: null,
      taskId: null,
      externalTaskId: null,
      property: null,
      orgValue: null,
      newValue: null,
      tenantId: null,
      ...entry,
    });
  }

  async close(): Promise<void> {
    for (const hook of this.closeHooks) await hook();
    await this.session.flush();
  }
}
