import { NotFoundError } from '../errors/index.js';
import type { Command } from '../command/index.js';
import { HI_TASK, TASK, TASK_CANDIDATE, type TaskCandidateEntity, type TaskEntity } from '../persistence/index.js';
import type { TypedValue, VariableMap } from '../variables/index.js';
import { AssignTaskCmd, CompleteTaskCmd, SetTaskVariablesCmd } from './commands/task.js';
import { DelegateTaskCmd, ResolveTaskCmd } from './commands/task-delegation.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { visibleVariables } from './runtime-service.js';
import { ServiceBase } from './service-base.js';

export interface TaskQuery extends Page, Sorting<'created' | 'dueDate' | 'priority' | 'name' | 'id'> {
  readonly assignee?: string;
  readonly assigneeIn?: readonly string[];
  readonly unassigned?: boolean;
  /** tasks this user may claim; assigned ones only with includeAssignedTasks */
  readonly candidateUser?: string;
  readonly candidateGroup?: string;
  readonly candidateGroups?: readonly string[];
  readonly includeAssignedTasks?: boolean;
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly taskDefinitionKey?: string;
  readonly nameLike?: string;
  readonly dueBefore?: Date;
  readonly dueAfter?: Date;
  readonly createdAfter?: Date;
  readonly tenantIdIn?: readonly string[];
}

const TASK_SORT = { created: 'create_time', dueDate: 'due_date', priority: 'priority', name: 'name', id: 'id' } as const;

export class TaskService extends ServiceBase {
  complete(taskId: string, variables: VariableMap = {}, localVariables: VariableMap = {}): Promise<void> {
    return this.onTask(taskId, new CompleteTaskCmd(taskId, variables, localVariables));
  }

  claim(taskId: string, userId: string): Promise<void> {
    return this.onTask(taskId, new AssignTaskCmd(taskId, userId, 'claim'));
  }

  unclaim(taskId: string): Promise<void> {
    return this.onTask(taskId, new AssignTaskCmd(taskId, null, 'unclaim'));
  }

  setAssignee(taskId: string, userId: string | null): Promise<void> {
    return this.onTask(taskId, new AssignTaskCmd(taskId, userId, 'assign'));
  }

  /** Hands the task to `userId`; the previous assignee becomes its owner (delegation state PENDING). */
  delegateTask(taskId: string, userId: string): Promise<void> {
    return this.onTask(taskId, new DelegateTaskCmd(taskId, userId));
  }

  /** Sets and removes variables of the task's case; who may complete the task may do this. */
  modifyVariables(taskId: string, modifications: VariableMap, deletions: readonly string[]): Promise<void> {
    return this.onTask(taskId, new SetTaskVariablesCmd(taskId, modifications, deletions));
  }

  /** Gives a delegated task back to its owner (RESOLVED), setting variables as completion would. */
  resolveTask(taskId: string, variables: VariableMap = {}): Promise<void> {
    return this.onTask(taskId, new ResolveTaskCmd(taskId, variables));
  }

  /**
   * A task command, once the task is one the caller's data scope shows them. Its history row is
   * asked, so a task completed meanwhile still answers 409 "already completed" from the command.
   */
  private async onTask(taskId: string, command: Command<void>): Promise<void> {
    await this.requireVisible(HI_TASK, taskId, 'Task');
    return this.run(command);
  }

  async getTask(taskId: string): Promise<TaskEntity> {
    const task = await this.query((s) => s.findById(TASK, taskId));
    if (!task) throw new NotFoundError(`Task '${taskId}' does not exist`);
    return task;
  }

  listTasks(query: TaskQuery = {}): Promise<TaskEntity[]> {
    const filter = taskFilter(query);
    return this.query((s) => s.select(TASK, filter.where, filter.bindings, orderAndPage(query, TASK_SORT, 'created', query)));
  }

  countTasks(query: TaskQuery = {}): Promise<number> {
    const filter = taskFilter(query);
    return this.query((s) => s.count({ name: 'task' }, filter.where, filter.bindings));
  }

  /** The candidates of an open task; a scoped caller's must be a task they can see (candidate rows carry no tenant of their own). */
  async getCandidates(taskId: string): Promise<TaskCandidateEntity[]> {
    if (this.caller.queryScope) await this.getTask(taskId);
    return this.query((s) => s.select(TASK_CANDIDATE, 'task_id = $1', [taskId]));
  }

  async getVariables(taskId: string): Promise<Map<string, TypedValue>> {
    const task = await this.getTask(taskId);
    return this.query((s) => visibleVariables(s, task.executionId));
  }
}

function taskFilter(query: TaskQuery): Filter {
  const filter = new Filter()
    .equals('assignee', query.assignee)
    .in('assignee', query.assigneeIn)
    .isNull('assignee', query.unassigned ? true : undefined)
    .equals('process_instance_id', query.processInstanceId)
    .equals('process_definition_id', query.processDefinitionId)
    .equals('task_definition_key', query.taskDefinitionKey)
    .like('name', query.nameLike)
    .compare('due_date', '<', query.dueBefore)
    .compare('due_date', '>', query.dueAfter)
    .compare('create_time', '>', query.createdAfter)
    .in('tenant_id', query.tenantIdIn);
  if (query.processDefinitionKey !== undefined) {
    filter.raw('process_definition_id IN (SELECT id FROM process_definition WHERE key_ = ?)', query.processDefinitionKey);
  }
  const groups = [...(query.candidateGroup !== undefined ? [query.candidateGroup] : []), ...(query.candidateGroups ?? [])];
  const byUser = query.candidateUser !== undefined;
  if (byUser || groups.length > 0) {
    const conditions = [
      ...(byUser ? ['c.user_id = ?'] : []),
      ...(groups.length > 0 ? [`c.group_id IN (${groups.map(() => '?').join(', ')})`] : []),
    ];
    filter.raw(
      `id IN (SELECT c.task_id FROM task_candidate c WHERE ${conditions.join(' OR ')})`,
      ...(byUser ? [query.candidateUser as string] : []),
      ...groups,
    );
    if (!query.includeAssignedTasks) filter.isNull('assignee', true);
  }
  return filter;
}
