import type { Command, CommandContext } from '../../command/index.js';
import { InstanceRuntime } from '../../bpmn/execute/index.js';
import { ConflictError } from '../../errors/index.js';
import type { VariableMap } from '../../variables/index.js';
import { refuseWhileParked } from '../../tasks/task-state.js';
import { checkTaskAction, loadOpenTask, reassignTask } from './task.js';

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
    refuseWhileParked(task);
    await checkTaskAction(context, task, 'delegate', this.userId);
    task.owner ??= task.assignee;
    task.delegationState = 'PENDING';
    await reassignTask(context, task, this.userId, 'Delegate');
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
    refuseWhileParked(task);
    await checkTaskAction(context, task, 'resolve');
    if (task.delegationState !== 'PENDING') throw new ConflictError(`Task '${task.id}' is not delegated and cannot be resolved`);
    const runtime = await InstanceRuntime.load(context, task.processInstanceId);
    await runtime.setVariables(runtime.execution(task.executionId), this.variables);
    task.delegationState = 'RESOLVED';
    await reassignTask(context, task, task.owner, 'Resolve');
  }
}
