import { NotFoundError, OptimisticLockingError } from '../errors/index.js';
import { EXTERNAL_TASK, formatTimestamp, type ExternalTaskEntity } from '../persistence/index.js';
import type { VariableMap } from '../variables/index.js';
import {
  CompleteExternalTaskCmd,
  ExtendLockCmd,
  FetchAndLockCmd,
  HandleBpmnErrorCmd,
  HandleExternalTaskFailureCmd,
  LockExternalTaskCmd,
  SetExternalTaskRetriesCmd,
  UnlockExternalTaskCmd,
  type BpmnErrorInput,
  type FailureInput,
  type FetchAndLockInput,
  type LockedExternalTask,
} from './commands/external-task.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { ServiceBase } from './service-base.js';

export interface ExternalTaskQuery extends Page, Sorting<keyof typeof EXTERNAL_TASK_SORT> {
  readonly externalTaskId?: string;
  readonly externalTaskIdIn?: readonly string[];
  readonly topicName?: string;
  readonly processInstanceId?: string;
  readonly processInstanceIdIn?: readonly string[];
  readonly processDefinitionId?: string;
  readonly executionId?: string;
  readonly activityId?: string;
  readonly activityIdIn?: readonly string[];
  readonly workerId?: string;
  readonly locked?: boolean;
  readonly notLocked?: boolean;
  readonly lockExpirationBefore?: Date;
  readonly lockExpirationAfter?: Date;
  readonly withRetriesLeft?: boolean;
  readonly noRetriesLeft?: boolean;
  readonly active?: boolean;
  readonly suspended?: boolean;
  readonly priorityHigherThanOrEquals?: number;
  readonly priorityLowerThanOrEquals?: number;
  readonly tenantIdIn?: readonly string[];
}

const EXTERNAL_TASK_SORT = {
  id: 'id',
  priority: 'priority',
  createTime: 'create_time',
  lockExpirationTime: 'lock_expiration_time',
  processInstanceId: 'process_instance_id',
  processDefinitionId: 'process_definition_id',
  processDefinitionKey: 'process_definition_key',
  tenantId: 'tenant_id',
} as const;

/** How often a fetch is run when it loses a deadlock to another worker's fetch. */
const FETCH_ATTEMPTS = 3;

export class ExternalTaskService extends ServiceBase {
  /**
   * On MariaDB two fetches can deadlock on each other's claims (each waits for a row the other
   * locked); the database then rolls one back whole, so it claimed nothing and is simply run again.
   */
  async fetchAndLock(input: FetchAndLockInput): Promise<LockedExternalTask[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run(new FetchAndLockCmd(input));
      } catch (error) {
        if (!(error instanceof OptimisticLockingError) || attempt === FETCH_ATTEMPTS) throw error;
      }
    }
  }

  complete(taskId: string, workerId: string, variables: VariableMap = {}, localVariables: VariableMap = {}): Promise<void> {
    return this.run(new CompleteExternalTaskCmd(taskId, workerId, variables, localVariables));
  }

  handleFailure(taskId: string, failure: FailureInput): Promise<void> {
    return this.run(new HandleExternalTaskFailureCmd(taskId, failure));
  }

  /** The worker reports a business error: the nearest error boundary event catches it, or an incident is raised. */
  handleBpmnError(taskId: string, error: BpmnErrorInput): Promise<void> {
    return this.run(new HandleBpmnErrorCmd(taskId, error));
  }

  extendLock(taskId: string, workerId: string, newDuration: number): Promise<void> {
    return this.run(new ExtendLockCmd(taskId, workerId, newDuration));
  }

  unlock(taskId: string): Promise<void> {
    return this.run(new UnlockExternalTaskCmd(taskId));
  }

  /** Locks one task for a worker, unless another worker holds an unexpired lock on it. */
  lock(taskId: string, workerId: string, lockDuration: number): Promise<void> {
    return this.run(new LockExternalTaskCmd(taskId, workerId, lockDuration));
  }

  /** New retries; zero raises an incident, more resolves it. */
  setRetries(taskId: string, retries: number): Promise<void> {
    return this.run(new SetExternalTaskRetriesCmd(taskId, retries));
  }

  async getExternalTask(taskId: string): Promise<ExternalTaskEntity> {
    const task = await this.query((s) => s.findById(EXTERNAL_TASK, taskId));
    if (!task) throw new NotFoundError(`External task '${taskId}' does not exist or is already completed`);
    return task;
  }

  listExternalTasks(query: ExternalTaskQuery = {}): Promise<ExternalTaskEntity[]> {
    const filter = this.filter(query);
    return this.query((s) => s.select(EXTERNAL_TASK, filter.where, filter.bindings, orderAndPage(query, EXTERNAL_TASK_SORT, 'createTime', query)));
  }

  countExternalTasks(query: ExternalTaskQuery = {}): Promise<number> {
    const filter = this.filter(query);
    return this.query((s) => s.count({ name: 'external_task' }, filter.where, filter.bindings));
  }

  private filter(query: ExternalTaskQuery): Filter {
    const now = formatTimestamp(this.clock.now());
    const filter = new Filter()
      .equals('id', query.externalTaskId)
      .in('id', query.externalTaskIdIn)
      .equals('topic_name', query.topicName)
      .equals('process_instance_id', query.processInstanceId)
      .in('process_instance_id', query.processInstanceIdIn)
      .equals('process_definition_id', query.processDefinitionId)
      .equals('execution_id', query.executionId)
      .equals('activity_id', query.activityId)
      .in('activity_id', query.activityIdIn)
      .equals('worker_id', query.workerId)
      .compare('lock_expiration_time', '<', query.lockExpirationBefore)
      .compare('lock_expiration_time', '>', query.lockExpirationAfter)
      .in('tenant_id', query.tenantIdIn);
    if (query.locked) filter.raw('lock_expiration_time > ?', now);
    if (query.notLocked || query.locked === false) filter.raw('(lock_expiration_time IS NULL OR lock_expiration_time <= ?)', now);
    if (query.withRetriesLeft) filter.raw('(retries IS NULL OR retries > 0)');
    if (query.noRetriesLeft) filter.raw('retries = 0');
    if (query.active) filter.equals('suspended', false);
    if (query.suspended) filter.equals('suspended', true);
    if (query.priorityHigherThanOrEquals !== undefined) filter.raw('priority >= ?', query.priorityHigherThanOrEquals);
    if (query.priorityLowerThanOrEquals !== undefined) filter.raw('priority <= ?', query.priorityLowerThanOrEquals);
    return filter;
  }
}
