import type { CommandContext, TaskAction } from '../command/index.js';
import { ConflictError, ForbiddenError } from '../errors/index.js';
import type { TaskOperation, UserTaskActivity } from '../bpmn/model/index.js';
import { TASK, type TaskEntity } from '../persistence/index.js';
import { checkTaskAction, loadOpenTask } from '../services/commands/task.js';
import { operationLabel } from './labels.js';
import { refuseWhileParked, refuseWhileWaitingForSigners } from './task-state.js';

/** What every operation may carry: a comment and uploaded files (stored_file ids), shown in the case timeline. */
export interface OperationInput {
  readonly comment?: string | null;
  readonly attachments?: readonly string[];
}

/** The user task a task row stands for, from the compiled model of its definition. */
export async function userTaskOf(context: CommandContext, task: Pick<TaskEntity, 'id' | 'processDefinitionId' | 'taskDefinitionKey'>): Promise<UserTaskActivity> {
  const { model } = await context.environment.deployments.get(context.session, task.processDefinitionId);
  const activity = model.activities.get(task.taskDefinitionKey);
  if (activity?.kind !== 'userTask') throw new Error(`task '${task.id}' stands for '${task.taskDefinitionKey}', which is not a user task of its definition`);
  return activity;
}

/** The open tasks of a case whose activity offers the operation, oldest first (added signers' tasks are their parent's and left out). */
export async function tasksOffering(context: CommandContext, processInstanceId: string, operation: TaskOperation): Promise<TaskEntity[]> {
  const open = await context.session.select(TASK, 'process_instance_id = $1 AND parent_task_id IS NULL', [processInstanceId], 'ORDER BY create_time');
  const offering: TaskEntity[] = [];
  for (const task of open) {
    if ((await userTaskOf(context, task)).operations.allowed.has(operation)) offering.push(task);
  }
  return offering;
}

export interface OpenTask {
  readonly task: TaskEntity;
  readonly activity: UserTaskActivity;
}

/**
 * The open task an operation acts on, once the operation may go ahead: the task offers it
 * (`yiwang:operations`), its case is not parked, it is not waiting for added signers, and the
 * actor may do `action` to it (identity/task-access.ts) — checked on the row the command writes.
 */
export async function openTaskFor(context: CommandContext, taskId: string, operation: TaskOperation | null, action: TaskAction | null): Promise<OpenTask> {
  const task = await loadOpenTask(context, taskId);
  const activity = await userTaskOf(context, task);
  if (operation !== null) requireOffered(task, activity, operation);
  refuseWhileParked(task);
  refuseWhileWaitingForSigners(task);
  // an added signer signs (tasks/signers.ts); everything else is done to the task they sign for
  if (task.parentTaskId) throw new ConflictError(`Task '${task.id}' is a signer's task (加签) of task '${task.parentTaskId}': it is signed, nothing else`);
  if (action !== null) await checkTaskAction(context, task, action);
  return { task, activity };
}

/** Refuses an operation the task's BPMN does not offer, naming both; a completed task's history row will do (撤回). */
export function requireOffered(task: Pick<TaskEntity, 'id' | 'name' | 'taskDefinitionKey'>, activity: UserTaskActivity, operation: TaskOperation): void {
  if (activity.operations.allowed.has(operation)) return;
  const offered = [...activity.operations.allowed.keys()].join(', ') || 'nothing';
  throw new ForbiddenError(
    `Task '${task.id}' (${task.name ?? task.taskDefinitionKey}) does not offer ${operationLabel(operation, null, 'zh-CN')} (${operation}); it offers ${offered}`,
  );
}
