import type { Command, CommandContext } from '../../command/index.js';
import { fireAssigneeChanged, InstanceRuntime } from '../../bpmn/execute/index.js';
import { ConflictError } from '../../errors/index.js';
import { HI_ACTIVITY_INSTANCE, HI_TASK, type TaskEntity } from '../../persistence/index.js';
import type { VariableMap } from '../../variables/index.js';
import { loadOpenTask } from './task.js';

/**
 * Camunda's delegation: `delegate` hands the task to another user while its owner (the assignee
 * before, unless an owner is already set) keeps it — delegation state PENDING; `resolve` gives it
 * back to the owner — RESOLVED. A PENDING task cannot be completed, only resolved.
 */
export class DelegateTaskCmd implements Command<void> {
  readonly name = 'DelegateTask';

  constructor(
    private readonly taskId: string,
    private readonly userId: string,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const task = await loadOpenTask(context, this.taskId);
    const previous = task.assignee;
    task.owner ??= task.assignee;
    task.delegationState = 'PENDING';
    await reassign(context, task, this.userId, 'Delegate', previous);
  }
}

export class ResolveTaskCmd implements Command<void> {
  readonly name = 'ResolveTask';

  constructor(
    private readonly taskId: string,
    private readonly variables: VariableMap,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const task = await loadOpenTask(context, this.taskId);
    if (task.delegationState !== 'PENDING') throw new ConflictError(`Task '${task.id}' is not delegated and cannot be resolved`);
    const runtime = await InstanceRuntime.load(context, task.processInstanceId);
    await runtime.setVariables(runtime.execution(task.executionId), this.variables);
    task.delegationState = 'RESOLVED';
    await reassign(context, task, task.owner, 'Resolve', task.assignee);
  }
}

async function reassign(context: CommandContext, task: TaskEntity, assignee: string | null, operationType: string, previous: string | null): Promise<void> {
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
