import type { Command, CommandContext, TaskAction } from '../../command/index.js';
import { fireAssigneeChanged, fireTaskCompleted, InstanceRuntime, resubmitDirectly } from '../../bpmn/execute/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors/index.js';
import { HI_ACTIVITY_INSTANCE, HI_TASK, TASK, TASK_CANDIDATE, type TaskEntity } from '../../persistence/index.js';
import type { VariableMap } from '../../variables/index.js';
import { removeDeadlineJobs } from '../../tasks/deadlines.js';
import { recordAction } from '../../tasks/timeline.js';
import type { OperationInput } from '../../tasks/operation.js';
import { refuseWhileParked, refuseWhileWaitingForSigners } from '../../tasks/task-state.js';
import { completeSignerTask } from '../../tasks/signers.js';
import { SetVariablesCmd } from './process-instance.js';

/**
 * The open task, or an error that says why there is none: a task that existed and is done is a
 * conflict (someone else completed it first), an id never seen is not found.
 */
export async function loadOpenTask(context: CommandContext, taskId: string): Promise<TaskEntity> {
  const task = await context.session.findById(TASK, taskId);
  if (task) return task;
  const [ended] = await context.session.select(HI_TASK, 'id = $1', [taskId]);
  if (ended?.endTime) {
    // the delete reason is free text when an instance was deleted ('duplicate report'), so it is quoted, not inlined
    const reason = ended.deleteReason ?? 'completed';
    const how = reason === 'completed' ? 'is already completed' : `was cancelled (${reason})`;
    throw new ConflictError(`Task '${taskId}' ${how} at ${ended.endTime.toISOString()}`);
  }
  throw new NotFoundError(`Task '${taskId}' does not exist`);
}

/**
 * Whether the acting user may do this to the task: a request's actor brings its policy
 * (identity/task-access.ts); a plain user id (embedding code) may complete only its own or
 * unassigned tasks; the engine itself may do anything. Checked on the row the command will
 * write, so a concurrent reassignment fails the command's revision check.
 */
export async function checkTaskAction(context: CommandContext, task: TaskEntity, action: TaskAction, targetUserId: string | null = null): Promise<void> {
  const policy = context.actor?.taskPolicy;
  if (policy) {
    policy.check(action, task, await context.session.select(TASK_CANDIDATE, 'task_id = $1', [task.id]), targetUserId);
  } else if (action === 'complete' && context.userId !== null && task.assignee !== null && task.assignee !== context.userId) {
    throw new ForbiddenError(`Task '${task.id}' is assigned to '${task.assignee}'; '${context.userId}' cannot complete it`);
  }
}

/** How a completion appears in the case timeline: plain completion, or an operation (通过) with a comment and files. */
export interface CompletionNote {
  readonly operation: string;
  readonly input?: OperationInput;
}

export class CompleteTaskCmd implements Command<void> {
  readonly name = 'CompleteTask';

  constructor(
    private readonly taskId: string,
    private readonly variables: VariableMap = {},
    private readonly localVariables: VariableMap = {},
    private readonly note: CompletionNote = { operation: 'complete' },
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const withVariables = hasAny(this.variables, this.localVariables);
    await InstanceRuntime.prefetchFor(context, TASK, this.taskId, withVariables);
    const task = await loadOpenTask(context, this.taskId);
    // an added signer's task (加签) moves no token: completing it is signing, whoever calls it so
    if (task.parentTaskId) return completeSignerTask(context, task, { ...this.note.input, variables: this.variables, localVariables: this.localVariables });
    refuseWhileParked(task);
    refuseWhileWaitingForSigners(task);
    if (task.suspended) throw new ConflictError(`Task '${task.id}' is suspended and cannot be completed`);
    if (task.delegationState === 'PENDING') throw new ConflictError(`Task '${task.id}' is delegated: it must be resolved, not completed`);
    await checkTaskAction(context, task, 'complete');
    await completeTask(context, task, this.variables, this.localVariables, this.note);
  }
}

/**
 * Completes an open task the caller was allowed to complete: its variables, the timeline entry,
 * the `complete` listeners, history and the operation log, then the token moves on.
 */
export async function completeTask(context: CommandContext, task: TaskEntity, variables: VariableMap, localVariables: VariableMap, note: CompletionNote): Promise<void> {
  const runtime = await InstanceRuntime.load(context, task.processInstanceId, hasAny(variables, localVariables));
  const token = runtime.execution(task.executionId);
  await runtime.setVariables(token, localVariables, true);
  await runtime.setVariables(token, variables);
  await recordAction(context, { processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: note.operation, input: note.input });
  await fireTaskCompleted(runtime, task);
  context.session.delete(TASK, task);
  context.session.addStatement('DELETE FROM task_candidate WHERE task_id = $1', [task.id]);
  await removeDeadlineJobs(context, task);
  runtime.history.taskEnded(task, 'completed');
  context.logOperation({
    operationType: 'Complete',
    entityType: 'Task',
    taskId: task.id,
    processInstanceId: task.processInstanceId,
    processDefinitionId: task.processDefinitionId,
    processDefinitionKey: runtime.process.definition.key,
    tenantId: task.tenantId,
  });
  runtime.completingTaskId = task.id;
  // a task sent back (退回) with direct resubmission goes straight back to the step that returned it
  await (task.returnTo ? resubmitDirectly(runtime, token, task.returnTo) : runtime.signal(token));
}

/** Whether a completion writes variables, so the instance's variables are loaded with it. */
export function hasAny(...maps: VariableMap[]): boolean {
  return maps.some((map) => Object.keys(map).length > 0);
}

export type AssignMode = 'claim' | 'unclaim' | 'assign';

/** Claim (only an unassigned task, or one the user holds), unclaim, or set the assignee outright. */
export class AssignTaskCmd implements Command<void> {
  readonly name = 'AssignTask';

  constructor(
    private readonly taskId: string,
    private readonly userId: string | null,
    private readonly mode: AssignMode,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const task = await loadOpenTask(context, this.taskId);
    refuseWhileParked(task);
    await checkTaskAction(context, task, this.mode, this.userId);
    if (this.mode === 'claim' && task.assignee && task.assignee !== this.userId) {
      throw new ConflictError(`Task '${task.id}' is already claimed by '${task.assignee}'`);
    }
    await reassignTask(context, task, this.mode === 'unclaim' ? null : this.userId, this.mode === 'assign' ? 'Assign' : 'Claim');
  }
}

/**
 * The task gets a new assignee (claim, assign, delegate, resolve): the task row, its history and
 * its activity instance, the operation log, and the assignment listeners when it really changed.
 */
export async function reassignTask(context: CommandContext, task: TaskEntity, assignee: string | null, operationType: string): Promise<void> {
  const previous = task.assignee;
  task.assignee = assignee;
  task.lastUpdated = context.now();
  context.session.updateById(HI_TASK, task.id, { assignee, owner: task.owner });
  context.session.updateById(HI_ACTIVITY_INSTANCE, task.activityInstanceId, { assignee });
  context.logOperation({
    operationType,
    entityType: 'Task',
    taskId: task.id,
    processInstanceId: task.processInstanceId,
    processDefinitionId: task.processDefinitionId,
    property: 'assignee',
    orgValue: previous,
    newValue: assignee,
    tenantId: task.tenantId,
  });
  if (assignee !== previous) await fireAssigneeChanged(context, task);
}

/**
 * Sets and removes variables of a task's instance, as `POST /task/{id}/variables` asks: whoever
 * may complete the task may fill in its case's variables, checked on the task row in the same command.
 */
export class SetTaskVariablesCmd implements Command<void> {
  readonly name = 'SetTaskVariables';

  constructor(
    private readonly taskId: string,
    private readonly modifications: VariableMap,
    private readonly deletions: readonly string[],
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const task = await loadOpenTask(context, this.taskId);
    await checkTaskAction(context, task, 'complete');
    await new SetVariablesCmd(task.executionId, this.modifications, false, this.deletions).execute(context);
  }
}
