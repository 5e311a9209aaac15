import { NotFoundError } from '../errors/index.js';
import { EXTERNAL_TASK, formatTimestamp, type ExternalTaskEntity } from '../persistence/index.js';
import type { VariableMap } from '../variables/index.js';
import {
  CompleteExternalTaskCmd,
  ExtendLockCmd,
  FetchAndLockCmd,
  HandleBpmnErrorCmd,
  HandleExternalTaskFailureCmd,
  UnlockExternalTaskCmd,
  type BpmnErrorInput,
  type FailureInput,
  type FetchAndLockInput,
  type LockedExternalTask,
} from './commands/external-task.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { ServiceBase } from './service-base.js';

export interface ExternalTaskQuery extends Page, Sorting<'id' | 'priority' | 'createTime'> {
  readonly topicName?: string;
  readonly processInstanceId?: string;
  readonly activityId?: string;
  readonly workerId?: string;
  readonly locked?: boolean;
  readonly withRetriesLeft?: boolean;
  readonly noRetriesLeft?: boolean;
}

const EXTERNAL_TASK_SORT = { id: 'id', priority: 'priority', createTime: 'create_time' } as const;

export class ExternalTaskService extends ServiceBase {
  fetchAndLock(input: FetchAndLockInput): Promise<LockedExternalTask[]> {
    return this.run(new FetchAndLockCmd(input));
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

  async getExternalTask(taskId: string): Promise<ExternalTaskEntity> {
    const task = await this.query((s) => s.findById(EXTERNAL_TASK, taskId));
    if (!task) throw new NotFoundError(`External task '${taskId}' does not exist or is already completed`);
    return task;
  }

  listExternalTasks(query: ExternalTaskQuery = {}): Promise<ExternalTaskEntity[]> {
    const now = formatTimestamp(this.clock.now());
    const filter = new Filter()
      .equals('topic_name', query.topicName)
      .equals('process_instance_id', query.processInstanceId)
      .equals('activity_id', query.activityId)
      .equals('worker_id', query.workerId);
    if (query.locked !== undefined) filter.raw(query.locked ? 'lock_expiration_time > ?' : '(lock_expiration_time IS NULL OR lock_expiration_time <= ?)', now);
    if (query.withRetriesLeft) filter.raw('(retries IS NULL OR retries > 0)');
    if (query.noRetriesLeft) filter.raw('retries = 0');
    return this.query((s) => s.select(EXTERNAL_TASK, filter.where, filter.bindings, orderAndPage(query, EXTERNAL_TASK_SORT, 'createTime', query)));
  }
}
