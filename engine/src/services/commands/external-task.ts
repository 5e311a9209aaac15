import type { Command, CommandContext } from '../../command/index.js';
import { InstanceRuntime, raiseIncident, throwBpmnError, visibleFrom } from '../../bpmn/execute/index.js';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import {
  EXECUTION,
  EXTERNAL_TASK,
  formatTimestamp,
  INCIDENT,
  placeholders,
  VARIABLE,
  type SqlValue,
  type ExecutionEntity,
  type ExternalTaskEntity,
  type VariableEntity,
} from '../../persistence/index.js';
import type { TypedValue, VariableMap } from '../../variables/index.js';
import { deliveryVariables } from '../../notifications/index.js';
import { Filter } from '../query.js';
import { storedValueClause } from './events.js';
import { hasAny } from './task.js';

export interface TopicRequest {
  readonly topicName: string;
  readonly lockDuration: number;
  /** variable names to return; omitted means all visible variables, as in Camunda */
  readonly variables?: readonly string[] | null;
  /** only tasks of instances with this business key */
  readonly businessKey?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionIdIn?: readonly string[];
  readonly processDefinitionKey?: string;
  readonly processDefinitionKeyIn?: readonly string[];
  readonly processDefinitionVersionTag?: string;
  /** only tasks whose instance holds these variables (of the instance itself) with these values */
  readonly processVariables?: Readonly<Record<string, unknown>>;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  /** return only the variables of the task's own execution, not those of its scopes */
  readonly localVariables?: boolean;
  /** return the task's `camunda:properties` */
  readonly includeExtensionProperties?: boolean;
}

export interface FetchAndLockInput {
  readonly workerId: string;
  readonly maxTasks: number;
  readonly usePriority?: boolean;
  /** by creation time, after the priority when `usePriority`; Camunda's clients send at most one entry */
  readonly createTimeOrder?: 'asc' | 'desc';
  readonly topics: readonly TopicRequest[];
}

export interface LockedExternalTask extends ExternalTaskEntity {
  readonly variables: Map<string, TypedValue>;
  readonly processDefinitionVersionTag: string | null;
  /** the task's `camunda:properties` when the topic asked for them, else empty */
  readonly extensionProperties: Readonly<Record<string, string>>;
}

/**
 * Locks up to `maxTasks` fetchable tasks of the requested topics for one worker. Candidates are
 * read without locks and claimed, a batch at a time, each with a revision check, as Camunda does: of two workers
 * (or engine processes) reaching for one task, one gets it and the other moves on to the next.
 * (`FOR UPDATE SKIP LOCKED` was tried and dropped: it skips rows another worker's scan merely
 * touched, so a worker could be told there is nothing to do while tasks wait.)
 */
export class FetchAndLockCmd implements Command<LockedExternalTask[]> {
  readonly name = 'FetchAndLock';

  constructor(private readonly input: FetchAndLockInput) {}

  async execute(context: CommandContext): Promise<LockedExternalTask[]> {
    const { workerId, maxTasks, topics } = this.input;
    if (!workerId) throw new BadUserRequestError('fetchAndLock needs a workerId');
    if (!Number.isInteger(maxTasks) || maxTasks < 0) throw new BadUserRequestError(`maxTasks must be a non-negative integer, got ${maxTasks}`);
    for (const topic of topics) {
      if (!topic.topicName) throw new BadUserRequestError('Every topic needs a topicName');
      if (!Number.isInteger(topic.lockDuration) || topic.lockDuration <= 0) {
        throw new BadUserRequestError(`lockDuration of topic '${topic.topicName}' must be a positive number of milliseconds`);
      }
    }
    if (maxTasks === 0 || topics.length === 0) return [];
    const locked: ExternalTaskEntity[] = [];
    const now = context.now().getTime();
    const candidates = await this.selectFetchable(context);
    let untried = this.input.createTimeOrder ? candidates : spread(candidates, this.input.usePriority ?? false);
    // as many claims at a time as tasks are still wanted, each round one batch (one round trip)
    while (locked.length < maxTasks && untried.length > 0) {
      const round = untried.slice(0, maxTasks - locked.length);
      untried = untried.slice(round.length);
      const claims = round.map((task) => {
        const topic = topics.find((t) => t.topicName === task.topicName) as TopicRequest;
        return { entity: task, changes: { workerId, lockExpirationTime: new Date(now + topic.lockDuration) } };
      });
      const won = await context.session.claimAll(EXTERNAL_TASK, claims);
      locked.push(...round.filter((_, index) => won[index]));
    }
    const variables = await visibleVariables(context, locked);
    const deliveries = await deliveryVariables(context.session, locked);
    const lockedTasks: LockedExternalTask[] = [];
    for (const task of locked) {
      const topic = topics.find((t) => t.topicName === task.topicName) as TopicRequest;
      const wanted = (name: string) => !topic.variables || topic.variables.includes(name);
      if (task.notificationId) {
        const message = [...(deliveries.get(task.id) ?? new Map<string, TypedValue>())].filter(([name]) => wanted(name));
        lockedTasks.push({ ...task, variables: new Map(message), processDefinitionVersionTag: null, extensionProperties: {} });
        continue;
      }
      const work = workItemOf(task);
      const { definition, model } = await context.environment.deployments.get(context.session, work.processDefinitionId);
      const activity = model.activities.get(work.activityId);
      const all = [...(variables.get(work.executionId) ?? new Map<string, VisibleVariable>())];
      const visible = all.filter(([name, value]) => wanted(name) && (!topic.localVariables || value.local));
      lockedTasks.push({
        ...task,
        variables: new Map(visible.map(([name, value]) => [name, value.typed])),
        processDefinitionVersionTag: definition.versionTag,
        extensionProperties: topic.includeExtensionProperties && activity?.kind === 'externalTask' ? activity.extensionProperties : {},
      });
    }
    return lockedTasks;
  }

  private async selectFetchable(context: CommandContext): Promise<ExternalTaskEntity[]> {
    const topics = this.input.topics.map(topicClause);
    const createTime = `create_time ${this.input.createTimeOrder === 'desc' ? 'DESC' : 'ASC'}`;
    // the order of the topic index (migration 004) unless a creation-time order alone was asked for;
    // without one, Camunda promises no order, and `spread` mixes the candidates anyway
    const order = this.input.usePriority || !this.input.createTimeOrder ? `priority DESC, ${createTime}` : createTime;
    const filter = new Filter()
      .raw(`(${topics.map((t) => t.clause).join(' OR ')})`, ...topics.flatMap((t) => t.values))
      .equals('suspended', false)
      .raw('(lock_expiration_time IS NULL OR lock_expiration_time < ?)', formatTimestamp(context.now()))
      .raw('(retries IS NULL OR retries > 0)');
    // spare candidates, for those other workers polling at the same time claim first
    const limit = Math.min(this.input.maxTasks * 4 + 10, 2000);
    return context.session.select(EXTERNAL_TASK, filter.where, filter.bindings, `ORDER BY ${order} LIMIT ${limit}`);
  }
}

/**
 * Workers polling together read the same candidates. Each starts claiming at a random one among
 * those of the top priority, so they rarely reach for the same row: a lost claim costs a wasted
 * statement, and on MariaDB it first waits for the winner's commit. (Without a requested sorting
 * Camunda does not promise an order either.)
 */
function spread(candidates: ExternalTaskEntity[], usePriority: boolean): ExternalTaskEntity[] {
  const firstLower = usePriority ? candidates.findIndex((task) => task.priority !== candidates[0]?.priority) : -1;
  const end = firstLower < 0 ? candidates.length : firstLower;
  const start = Math.floor(Math.random() * end);
  return [...candidates.slice(start, end), ...candidates.slice(0, start), ...candidates.slice(end)];
}

/** One topic's criteria, with `?` markers for its values. */
function topicClause(topic: TopicRequest): { clause: string; values: SqlValue[] } {
  const clauses = ['topic_name = ?'];
  const values: SqlValue[] = [topic.topicName];
  if (topic.businessKey !== undefined) {
    clauses.push('business_key = ?');
    values.push(topic.businessKey);
  }
  for (const [column, one, many] of [
    ['process_definition_id', topic.processDefinitionId, topic.processDefinitionIdIn],
    ['process_definition_key', topic.processDefinitionKey, topic.processDefinitionKeyIn],
  ] as const) {
    const wanted = [...(one !== undefined ? [one] : []), ...(many ?? [])];
    if (wanted.length === 0) continue;
    clauses.push(`${column} IN (${wanted.map(() => '?').join(', ')})`);
    values.push(...wanted);
  }
  if (topic.processDefinitionVersionTag !== undefined) {
    clauses.push('process_definition_id IN (SELECT id FROM process_definition WHERE version_tag = ?)');
    values.push(topic.processDefinitionVersionTag);
  }
  if (topic.tenantIdIn !== undefined && topic.tenantIdIn.length > 0) {
    clauses.push(`tenant_id IN (${topic.tenantIdIn.map(() => '?').join(', ')})`);
    values.push(...topic.tenantIdIn);
  }
  if (topic.withoutTenantId) clauses.push('tenant_id IS NULL');
  for (const [name, value] of Object.entries(topic.processVariables ?? {})) {
    const stored = storedValueClause(name, value);
    clauses.push(`process_instance_id IN (SELECT execution_id FROM variable WHERE execution_id = process_instance_id AND name = ? AND ${stored.clause})`);
    values.push(name, ...stored.values);
  }
  return { clause: `(${clauses.join(' AND ')})`, values };
}

/** A variable visible at a task; `local` when the task's own execution holds it. */
interface VisibleVariable {
  readonly typed: TypedValue;
  readonly local: boolean;
}

/** The execution columns of an external task of a process; a notification channel's delivery has none. */
interface WorkItem {
  readonly executionId: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly activityId: string;
}

function workItemOf(task: ExternalTaskEntity): WorkItem {
  const { executionId, processInstanceId, processDefinitionId, activityId } = task;
  if (!executionId || !processInstanceId || !processDefinitionId || !activityId) throw new Error(`external task '${task.id}' belongs to no execution`);
  return { executionId, processInstanceId, processDefinitionId, activityId };
}

/** Variables visible at each process task's execution, loaded for all tasks in two queries. */
async function visibleVariables(context: CommandContext, locked: ExternalTaskEntity[]): Promise<Map<string, Map<string, VisibleVariable>>> {
  const tasks = locked.flatMap((task) => (task.notificationId ? [] : [workItemOf(task)]));
  const instanceIds = [...new Set(tasks.map((t) => t.processInstanceId))];
  if (instanceIds.length === 0) return new Map();
  const where = `process_instance_id IN (${placeholders(instanceIds.length)})`;
  const [executions, variables] = await context.session.selectMany<[ExecutionEntity, VariableEntity]>([
    { table: EXECUTION, where, bind: instanceIds },
    { table: VARIABLE, where, bind: instanceIds },
  ]);
  const executionById = new Map(executions.map((e) => [e.id, e]));
  const localNames = new Map<string, Set<string>>();
  for (const variable of variables) localNames.set(variable.executionId, (localNames.get(variable.executionId) ?? new Set()).add(variable.name));
  return new Map(
    tasks.map((task) => {
      const visible = visibleFrom(executionById.get(task.executionId), executionById, variables);
      const local = localNames.get(task.executionId);
      return [task.executionId, new Map([...visible].map(([name, typed]) => [name, { typed, local: local?.has(name) ?? false }]))];
    }),
  );
}

async function findExternalTask(context: CommandContext, taskId: string): Promise<ExternalTaskEntity> {
  const task = await context.session.findById(EXTERNAL_TASK, taskId);
  if (!task) throw new NotFoundError(`External task '${taskId}' does not exist or is already completed`);
  return task;
}

/** The task, checked to be locked by this worker: nobody completes or fails another worker's task. */
async function loadLockedTask(context: CommandContext, taskId: string, workerId: string, action: string): Promise<ExternalTaskEntity> {
  const task = await findExternalTask(context, taskId);
  if (!workerId || task.workerId !== workerId) {
    throw new BadUserRequestError(
      `External task '${taskId}' cannot be ${action} by worker '${workerId}': it is ${task.workerId ? `locked by worker '${task.workerId}'` : 'not locked'}`,
    );
  }
  return task;
}

export class CompleteExternalTaskCmd implements Command<void> {
  readonly name = 'CompleteExternalTask';

  constructor(
    private readonly taskId: string,
    private readonly workerId: string,
    private readonly variables: VariableMap = {},
    private readonly localVariables: VariableMap = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const withVariables = hasAny(this.variables, this.localVariables);
    await InstanceRuntime.prefetchFor(context, EXTERNAL_TASK, this.taskId, withVariables);
    const task = await loadLockedTask(context, this.taskId, this.workerId, 'completed');
    if (task.notificationId) {
      // a delivery is done once sent: there is no process to hand variables to
      context.session.delete(EXTERNAL_TASK, task);
      return;
    }
    const work = workItemOf(task);
    const runtime = await InstanceRuntime.load(context, work.processInstanceId, withVariables);
    const token = runtime.execution(work.executionId);
    await runtime.setVariables(token, this.localVariables, true);
    await runtime.setVariables(token, this.variables);
    context.session.delete(EXTERNAL_TASK, task);
    await runtime.signal(token);
  }
}

export interface BpmnErrorInput {
  readonly workerId: string;
  readonly errorCode: string;
  readonly errorMessage?: string | null;
  /** set on the instance before the error is thrown, so the error path can read them */
  readonly variables?: VariableMap;
}

/**
 * A worker reports a BPMN error (a business outcome, not a technical failure): the task is done and
 * the error travels to the nearest error boundary event for its code, from the task outwards.
 */
export class HandleBpmnErrorCmd implements Command<void> {
  readonly name = 'HandleExternalTaskBpmnError';

  constructor(
    private readonly taskId: string,
    private readonly input: BpmnErrorInput,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    if (!this.input.errorCode) throw new BadUserRequestError('A BPMN error needs an errorCode');
    const task = await loadLockedTask(context, this.taskId, this.input.workerId, 'completed with a BPMN error');
    if (task.notificationId) {
      throw new BadUserRequestError(`External task '${task.id}' delivers a notification: no process catches a BPMN error from it, report a failure instead`);
    }
    const work = workItemOf(task);
    const runtime = await InstanceRuntime.load(context, work.processInstanceId);
    const token = runtime.execution(work.executionId);
    await runtime.setVariables(token, this.input.variables ?? {});
    context.session.delete(EXTERNAL_TASK, task);
    const error = { code: this.input.errorCode, message: this.input.errorMessage ?? null, source: `external task '${work.activityId}'` };
    await throwBpmnError(runtime, token, token, error);
  }
}

export interface FailureInput {
  readonly workerId: string;
  readonly errorMessage?: string | null;
  readonly errorDetails?: string | null;
  readonly retries: number;
  readonly retryTimeout?: number;
}

/** A worker reports a failure: retry later, or with no retries left, raise an incident. */
export class HandleExternalTaskFailureCmd implements Command<void> {
  readonly name = 'HandleExternalTaskFailure';

  constructor(
    private readonly taskId: string,
    private readonly input: FailureInput,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { retries, retryTimeout = 0 } = this.input;
    if (!Number.isInteger(retries) || retries < 0) throw new BadUserRequestError(`retries must be a non-negative integer, got ${retries}`);
    if (!Number.isInteger(retryTimeout) || retryTimeout < 0) throw new BadUserRequestError(`retryTimeout must be a non-negative integer, got ${retryTimeout}`);
    const task = await loadLockedTask(context, this.taskId, this.input.workerId, 'failed');
    task.retries = retries;
    task.errorMessage = this.input.errorMessage?.slice(0, 4000) ?? null;
    task.errorDetails = this.input.errorDetails ?? null;
    task.workerId = null;
    task.lockExpirationTime = retries > 0 && retryTimeout > 0 ? new Date(context.now().getTime() + retryTimeout) : null;
    if (retries > 0) {
      if (retryTimeout === 0) context.externalTaskAvailable(task.topicName);
      return;
    }
    raiseTaskIncident(context, task, `External task '${task.id}' failed without a message`);
  }
}

/** The `failedExternalTask` incident of a task out of retries: its last error, or `withoutError` when the worker gave none. */
function raiseTaskIncident(context: CommandContext, task: ExternalTaskEntity, withoutError: string): void {
  raiseIncident(context, {
    incidentType: 'failedExternalTask',
    message: task.errorMessage ?? withoutError,
    activityId: task.activityId,
    executionId: task.executionId,
    processInstanceId: task.processInstanceId,
    processDefinitionId: task.processDefinitionId,
    configuration: task.id,
    tenantId: task.tenantId,
  });
}

export class ExtendLockCmd implements Command<void> {
  readonly name = 'ExtendExternalTaskLock';

  constructor(
    private readonly taskId: string,
    private readonly workerId: string,
    private readonly newDuration: number,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    if (!Number.isInteger(this.newDuration) || this.newDuration <= 0) {
      throw new BadUserRequestError(`newDuration must be a positive number of milliseconds, got ${this.newDuration}`);
    }
    const task = await loadLockedTask(context, this.taskId, this.workerId, 'extended');
    if (!task.lockExpirationTime || task.lockExpirationTime <= context.now()) {
      throw new BadUserRequestError(`The lock of external task '${task.id}' has already expired and cannot be extended`);
    }
    task.lockExpirationTime = new Date(context.now().getTime() + this.newDuration);
  }
}

export class UnlockExternalTaskCmd implements Command<void> {
  readonly name = 'UnlockExternalTask';

  constructor(private readonly taskId: string) {}

  async execute(context: CommandContext): Promise<void> {
    const task = await findExternalTask(context, this.taskId);
    task.workerId = null;
    task.lockExpirationTime = null;
    context.externalTaskAvailable(task.topicName);
  }
}

/**
 * Locks one task for a worker, as fetch-and-lock would; another worker's unexpired lock wins
 * (Camunda: "cannot be locked by worker ... It is locked by worker ...").
 */
export class LockExternalTaskCmd implements Command<void> {
  readonly name = 'LockExternalTask';

  constructor(
    private readonly taskId: string,
    private readonly workerId: string,
    private readonly lockDuration: number,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    if (!this.workerId) throw new BadUserRequestError('Locking an external task needs a workerId');
    if (!Number.isInteger(this.lockDuration) || this.lockDuration <= 0) {
      throw new BadUserRequestError(`lockDuration must be a positive number of milliseconds, got ${this.lockDuration}`);
    }
    const task = await findExternalTask(context, this.taskId);
    const lockedByOther = task.workerId !== null && task.workerId !== this.workerId && task.lockExpirationTime !== null && task.lockExpirationTime > context.now();
    if (lockedByOther) {
      throw new BadUserRequestError(`External task '${task.id}' cannot be locked by worker '${this.workerId}': it is locked by worker '${task.workerId}'`);
    }
    task.workerId = this.workerId;
    task.lockExpirationTime = new Date(context.now().getTime() + this.lockDuration);
  }
}

/**
 * New retries for a task, managing its incident as Camunda does: zero raises a
 * `failedExternalTask` incident, more resolves it and the task is fetchable again.
 */
export class SetExternalTaskRetriesCmd implements Command<void> {
  readonly name = 'SetExternalTaskRetries';

  constructor(
    private readonly taskId: string,
    private readonly retries: number,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    if (!Number.isInteger(this.retries) || this.retries < 0) throw new BadUserRequestError(`retries must be a non-negative integer, got ${this.retries}`);
    const task = await findExternalTask(context, this.taskId);
    const incidents = await context.session.select(INCIDENT, "incident_type = 'failedExternalTask' AND configuration = $1", [task.id]);
    task.retries = this.retries;
    if (this.retries > 0) {
      for (const incident of incidents) context.session.delete(INCIDENT, incident);
      context.externalTaskAvailable(task.topicName);
    } else if (incidents.length === 0) {
      raiseTaskIncident(context, task, `External task '${task.id}' has no retries left`);
    }
    context.logOperation({
      operationType: 'SetExternalTaskRetries',
      entityType: 'ExternalTask',
      externalTaskId: task.id,
      processInstanceId: task.processInstanceId,
      processDefinitionId: task.processDefinitionId,
      processDefinitionKey: task.processDefinitionKey,
      property: 'retries',
      newValue: String(this.retries),
    });
  }
}
