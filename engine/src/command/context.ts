import { randomUUID } from 'node:crypto';
import { timeOrderedId } from './ids.js';
import type { DatabaseDialect } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { AUDIT_LOG, DbSession, HI_OPERATION_LOG, IDEMPOTENCY_KEY, type OperationLogEntity, type RowScope, type SqlRunner, type TaskCandidateEntity, type TaskEntity } from '../persistence/index.js';
import type { DeploymentCache } from '../bpmn/deployment-cache.js';
import type { TaskAssignmentSettings } from '../bpmn/execute/assignment.js';

/** What every command may use besides the database: time, ids, compiled models, logging. */
export interface EngineEnvironment {
  readonly dialect: DatabaseDialect;
  readonly clock: Clock;
  readonly deployments: DeploymentCache;
  readonly logger: Logger;
  /** IANA zone for timer dates without an offset and for cron; undefined: the process's zone */
  readonly timeZone?: string;
  /** who user tasks go to: the organisation's answers and the fallback user; undefined: no organisation, every organisation strategy finds nobody */
  readonly taskAssignment?: TaskAssignmentSettings;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Who a command runs for, when a person or a machine client asked for it (a request), as opposed
 * to the engine itself (the job executor). The actor's scope restricts every row the command reads,
 * so a command cannot reach another tenant's task by its id; the audit log records the actor.
 */
export interface Actor {
  readonly userId: string;
  /** the actor's own tenant: new rows without a tenant of their own (an instance of a shared definition) belong to it */
  readonly tenantId: string | null;
  /** the actor's primary department: the initiator's department of the instances they start (data scopes filter on it) */
  readonly departmentId: string | null;
  /** where the request came from, for the audit log */
  readonly address: string | null;
  readonly scope: RowScope | null;
  /** who may work on which task (identity/task-access.ts); absent: anyone who can see it */
  readonly taskPolicy?: TaskWorkPolicy;
  /** the request's Idempotency-Key: its first changing command stores it in the same transaction (api/platform/idempotency.ts) */
  readonly requestKey?: RequestKey;
}

/** A client's key for one request, so a retry after a lost answer replays the answer instead of acting twice. */
export interface RequestKey {
  readonly key: string;
  /** method and path, so a key reused for another request is told apart */
  readonly request: string;
  /** set once a command of the request stored the key */
  stored: boolean;
}

export type TaskAction = 'claim' | 'unclaim' | 'assign' | 'complete' | 'delegate' | 'resolve';

/** Decides, inside the command that acts on a task, whether the actor may: a concurrent reassignment then fails the command's revision check. */
export interface TaskWorkPolicy {
  /** throws a ForbiddenError naming the rule when the actor may not */
  check(action: TaskAction, task: TaskEntity, candidates: readonly TaskCandidateEntity[], targetUserId: string | null): void;
}

/** One row of the audit log: what was changed; who, when and from where the context knows. */
export interface AuditEntry {
  readonly action: string;
  readonly objectType: string | null;
  readonly objectId: string | null;
  /**
   * The tenant the changed object belongs to, when it is not the actor's (a city supervisor
   * changing a county's role): the row is the county's then, so its administrators see it.
   */
  readonly tenantId?: string | null;
  readonly detail?: unknown;
}

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
  private readonly auditEntries: AuditEntry[] = [];
  private firstOperation: OperationLogInput | null = null;
  readonly userId: string | null;

  constructor(
    sql: SqlRunner,
    readonly environment: EngineEnvironment,
    userId: string | null,
    readonly actor: Actor | null = null,
  ) {
    this.session = new DbSession(sql, actor?.scope ?? null);
    this.startedAt = environment.clock.now();
    this.userId = actor?.userId ?? userId;
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
    this.firstOperation ??= entry;
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

  /** Records a change in the audit log (commands of an actor only; the engine's own work is in history). */
  audit(entry: AuditEntry): void {
    if (this.actor) this.auditEntries.push(entry);
  }

  /**
   * Writes the command's changes. A command run for an actor that changed something is audited
   * in the same transaction: with the entries it recorded, or else one entry named after the
   * command, about the object of its first operation-log entry.
   */
  async close(commandName: string): Promise<void> {
    for (const hook of this.closeHooks) await hook();
    if (this.actor && this.auditEntries.length === 0 && this.session.hasChanges()) {
      this.auditEntries.push({ action: commandName, ...operationObject(this.firstOperation) });
    }
    for (const entry of this.auditEntries) this.insertAuditRow(this.actor as Actor, entry);
    const requestKey = this.storeRequestKey();
    await this.session.flush();
    if (requestKey) requestKey.stored = true;
  }

  /** A changing command of a request with an Idempotency-Key stores the key with what it changed: a retry then finds it. */
  private storeRequestKey(): RequestKey | null {
    const requestKey = this.actor?.requestKey;
    if (!requestKey || requestKey.stored || !this.session.hasChanges()) return null;
    this.session.insert(IDEMPOTENCY_KEY, {
      id: this.newId(), tenantId: this.actor?.tenantId ?? null, userId: this.actor?.userId as string, requestKey: requestKey.key,
      request: requestKey.request, status: 0, response: null, created: this.now(),
    });
    return requestKey;
  }

  private insertAuditRow(actor: Actor, entry: AuditEntry): void {
    this.session.insert(AUDIT_LOG, {
      id: this.newId(),
      time: this.now(),
      userId: actor.userId,
      tenantId: entry.tenantId === undefined ? actor.tenantId : entry.tenantId,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      address: actor.address,
      detail: entry.detail === undefined ? null : entry.detail,
    });
  }
}

function operationObject(entry: OperationLogInput | null): Pick<AuditEntry, 'objectType' | 'objectId' | 'tenantId'> {
  if (!entry) return { objectType: null, objectId: null };
  const objectId = entry.taskId ?? entry.externalTaskId ?? entry.processInstanceId ?? entry.processDefinitionId ?? entry.deploymentId ?? null;
  // an object without a tenant (a shared definition) is recorded under the actor's
  return { objectType: entry.entityType, objectId, ...(entry.tenantId ? { tenantId: entry.tenantId } : {}) };
}
